import { createRequire } from "node:module";

import { AllowanceRouterError } from "../errors.js";

type SqliteModule = typeof import("node:sqlite");

const require = createRequire(import.meta.url);
let loaded: SqliteModule | null = null;

/** Node's SQLite is missing: Node older than 22.13 (or built without it). */
export class SqliteUnavailableError extends AllowanceRouterError {
  override name = "SqliteUnavailableError";
  constructor(cause: unknown) {
    super(`the SQLite scan cache needs Node >= 22.13 (node:sqlite); this is Node ${process.versions.node}: upgrade Node`, { cause });
  }
}

/**
 * Node's built-in SQLite. Loaded on first use so that code paths without a cache never need
 * it, and with Node 22's one-time "SQLite is an experimental feature" warning silenced: the
 * API the cache uses (DatabaseSync, prepared statements) is stable across 22.13+ and 24.
 */
export function loadSqlite(): SqliteModule {
  if (loaded !== null) return loaded;
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    if (/SQLite is an experimental feature/.test(text)) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    loaded = require("node:sqlite") as SqliteModule;
    return loaded;
  } catch (error) {
    throw new SqliteUnavailableError(error);
  } finally {
    process.emitWarning = emitWarning;
  }
}

type Database = InstanceType<SqliteModule["DatabaseSync"]>;

/**
 * Runs `work` in one SQLite transaction: committed when it returns, rolled back when it throws.
 * `immediate` takes the write lock at BEGIN, for writers that other processes may race.
 */
export function inTransaction<T>(db: Database, work: () => T, { immediate = false }: { immediate?: boolean } = {}): T {
  db.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
