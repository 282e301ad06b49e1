import { createMemoryScanCache } from "../cache/memory.js";
import type { ScanCache } from "../cache/types.js";
import { SqliteUnavailableError } from "../node/sqlite.js";
import { createSqliteScanCache } from "../node/sqlite-cache.js";

/**
 * The cache of `--cache <path>` (SQLite), or a memory one for `--no-cache`. On a Node without
 * node:sqlite (older than 22.13) the scan still runs, uncached, after a one-line note.
 */
export function openCliCache(path: string | false, stderr: { write(text: string): unknown }): ScanCache {
  if (path === false) return createMemoryScanCache();
  try {
    return createSqliteScanCache({ path });
  } catch (error) {
    if (!(error instanceof SqliteUnavailableError)) throw error;
    stderr.write(`note: ${error.message}; scanning without a cache\n`);
    return createMemoryScanCache();
  }
}
