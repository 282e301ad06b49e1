import type { WatchSettings } from "./config.js";
import type { WebhookTarget } from "./deliver.js";
import type { WatchDriver } from "./service.js";
import { openSqliteWatchStore } from "./sqlite-store.js";
import type { Outbox, WatchStore } from "./store.js";

/**
 * The store a `--store` value names: a postgres:// URL (PostgreSQL, with pg-boss spreading owner
 * partitions over every process started on it: each process is one worker), or a SQLite file
 * path (one process).
 */
export async function openWatchStore(
  location: string,
  settings: WatchSettings,
  options: { webhook: WebhookTarget | null; log: (line: string) => void },
): Promise<{ store: WatchStore & { outbox?: Outbox }; driver?: WatchDriver }> {
  if (/^postgres(ql)?:\/\//.test(location)) {
    const { openPostgresWatchStore } = await import("./postgres-store.js");
    const { pgBossDriver } = await import("./queue.js");
    const store = await openPostgresWatchStore(location);
    return { store, driver: pgBossDriver(location, store, settings, options) };
  }
  return { store: openSqliteWatchStore(location) };
}
