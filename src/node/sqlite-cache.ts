import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { DatabaseSync as DatabaseSyncType } from "node:sqlite";

import type { Address, Hex } from "viem";

import { CacheLocationError } from "../cache/errors.js";
import type { CachedBlock, CachedTransaction, ScanCache } from "../cache/types.js";
import { AllowanceRouterError } from "../errors.js";
import { inTransaction, loadSqlite } from "./sqlite.js";

const SCHEMA_VERSION = "1";

/** The cache file was written by another version of the package. */
export class ScanCacheSchemaError extends AllowanceRouterError {
  override name = "ScanCacheSchemaError";
  constructor(path: string, found: string, expected: string) {
    super(`the scan cache at ${path} has schema ${found}, this version needs ${expected}: delete the file`, { isInputError: true });
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS coverage (
  chain_id INTEGER NOT NULL, owner TEXT NOT NULL, from_block INTEGER NOT NULL, to_block INTEGER NOT NULL,
  PRIMARY KEY (chain_id, owner)
);
CREATE TABLE IF NOT EXISTS logs (
  chain_id INTEGER NOT NULL, owner TEXT NOT NULL, block_number INTEGER NOT NULL, log_index INTEGER NOT NULL,
  block_hash TEXT NOT NULL, tx_hash TEXT NOT NULL, address TEXT NOT NULL, topics TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (chain_id, owner, block_number, log_index)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blocks (
  chain_id INTEGER NOT NULL, number INTEGER NOT NULL, hash TEXT NOT NULL, timestamp INTEGER,
  PRIMARY KEY (chain_id, number)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS transactions (
  chain_id INTEGER NOT NULL, hash TEXT NOT NULL, block_number INTEGER NOT NULL, sender TEXT NOT NULL, recipient TEXT,
  PRIMARY KEY (chain_id, hash)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS transactions_by_block ON transactions (chain_id, block_number);
`;

/** Where the CLI keeps its cache unless told otherwise: $XDG_CACHE_HOME or ~/.cache. */
export function defaultCachePath(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache");
  return join(base, "allowance-router", "scan.sqlite");
}

type Row = Record<string, unknown>;

const key = (address: string) => address.toLowerCase();

/**
 * Creates the folders of `path` one level at a time. Node's recursive mkdir never returns under
 * /proc (it retries ENOENT forever), and a file in the way gives a bare EEXIST or ENOTDIR.
 */
function ensureFolderOf(path: string): void {
  const missing: string[] = [];
  let folder = dirname(resolve(path));
  while (!existsSync(folder)) {
    missing.unshift(folder);
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  if (existsSync(folder) && !statSync(folder).isDirectory()) throw new CacheLocationError(path, `${folder} is a file, not a folder`);
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      throw new CacheLocationError(path, `the folder ${level} cannot be created (${code ?? (error as Error).message})`);
    }
  }
}

/** SQLite's words for a file that is not (or no longer) a database it can read. */
const CORRUPT = /file is not a database|database disk image is malformed|file is encrypted/i;

/** Moves a corrupt cache file (and its WAL and shared-memory files) aside; returns where it went. */
function moveAside(path: string): string {
  const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  for (const suffix of ["", "-wal", "-shm"]) if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${aside}${suffix}`);
  return aside;
}

function openDatabase(path: string): DatabaseSyncType {
  const { DatabaseSync } = loadSqlite();
  let db: DatabaseSyncType;
  try {
    db = new DatabaseSync(path, { timeout: 5_000 });
  } catch (error) {
    throw new CacheLocationError(path, `SQLite cannot open it (${(error as Error).message})`);
  }
  try {
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export interface CreateSqliteScanCacheParameters {
  /** The database file, created with its directory if needed; ":memory:" keeps it in this process only. */
  path: string;
  /** Told when a corrupt cache file was moved aside and a new one created in its place. */
  onNotice?: (message: string) => void;
}

export type CreateSqliteScanCacheReturnType = ScanCache;

/**
 * A scan cache in a SQLite file (Node's built-in node:sqlite, Node >= 22.13): the CLI's, shared
 * by every process that opens the same path. Opens (creating if needed) the database at `path`.
 * A file that is not a readable database is only a lost cache: it is moved aside (path.corrupt-<time>)
 * and a new cache created, with a notice. A path where no cache can be written is a CacheLocationError.
 */
export function createSqliteScanCache({ path, onNotice }: CreateSqliteScanCacheParameters): CreateSqliteScanCacheReturnType {
  if (path !== ":memory:") {
    ensureFolderOf(path);
    if (existsSync(path) && statSync(path).isDirectory()) throw new CacheLocationError(path, "it is a folder; name a file inside it");
  }
  let db: DatabaseSyncType;
  try {
    db = openDatabase(path);
  } catch (error) {
    if (path === ":memory:" || !CORRUPT.test((error as Error).message)) throw error;
    const aside = moveAside(path);
    onNotice?.(`the scan cache at ${path} was not a readable database (${(error as Error).message}): moved it to ${aside} and started a new one`);
    db = openDatabase(path);
  }
  const version = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as Row | undefined;
  if (version === undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
  else if (version.value !== SCHEMA_VERSION) {
    db.close();
    throw new ScanCacheSchemaError(path, String(version.value), SCHEMA_VERSION);
  }

  const statements = {
    coverage: db.prepare("SELECT from_block, to_block FROM coverage WHERE chain_id = ? AND owner = ?"),
    setCoverage: db.prepare(
      "INSERT INTO coverage (chain_id, owner, from_block, to_block) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT (chain_id, owner) DO UPDATE SET from_block = excluded.from_block, to_block = excluded.to_block",
    ),
    putLog: db.prepare(
      "INSERT OR REPLACE INTO logs (chain_id, owner, block_number, log_index, block_hash, tx_hash, address, topics, data) " +
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    logs: db.prepare(
      "SELECT l.block_number, l.log_index, l.block_hash, l.tx_hash, l.address, l.topics, l.data, b.timestamp " +
        "FROM logs l LEFT JOIN blocks b ON b.chain_id = l.chain_id AND b.number = l.block_number " +
        "WHERE l.chain_id = ? AND l.owner = ? AND l.block_number BETWEEN ? AND ? ORDER BY l.block_number, l.log_index",
    ),
    block: db.prepare("SELECT number, hash, timestamp FROM blocks WHERE chain_id = ? AND number = ?"),
    putBlock: db.prepare(
      "INSERT INTO blocks (chain_id, number, hash, timestamp) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT (chain_id, number) DO UPDATE SET hash = excluded.hash, timestamp = COALESCE(excluded.timestamp, blocks.timestamp)",
    ),
    blocksBelow: db.prepare(
      "SELECT number, hash, timestamp FROM blocks WHERE chain_id = ? AND number < ? ORDER BY number DESC LIMIT ?",
    ),
    dropLogs: db.prepare("DELETE FROM logs WHERE chain_id = ? AND block_number >= ?"),
    dropBlocks: db.prepare("DELETE FROM blocks WHERE chain_id = ? AND number >= ?"),
    dropTransactions: db.prepare("DELETE FROM transactions WHERE chain_id = ? AND block_number >= ?"),
    shortenCoverage: db.prepare("UPDATE coverage SET to_block = ? WHERE chain_id = ? AND to_block >= ?"),
    dropEmptyCoverage: db.prepare("DELETE FROM coverage WHERE chain_id = ? AND to_block < from_block"),
    putTransaction: db.prepare(
      "INSERT OR REPLACE INTO transactions (chain_id, hash, block_number, sender, recipient) VALUES (?, ?, ?, ?, ?)",
    ),
    transaction: db.prepare("SELECT hash, block_number, sender, recipient FROM transactions WHERE chain_id = ? AND hash = ?"),
  };

  const transaction = <T>(work: () => T): T => inTransaction(db, work);

  const toBlock = (row: Row): CachedBlock => ({
    number: BigInt(row.number as number),
    hash: row.hash as Hex,
    timestamp: row.timestamp === null ? null : Number(row.timestamp),
  });

  const invalidateFrom = (chainId: number, fromBlock: bigint) => {
    statements.dropLogs.run(chainId, fromBlock);
    statements.dropBlocks.run(chainId, fromBlock);
    statements.dropTransactions.run(chainId, fromBlock);
    statements.shortenCoverage.run(fromBlock - 1n, chainId, fromBlock);
    statements.dropEmptyCoverage.run(chainId);
  };

  return {
    async coverage(chainId, owner) {
      const row = statements.coverage.get(chainId, key(owner)) as Row | undefined;
      return row === undefined ? null : { fromBlock: BigInt(row.from_block as number), toBlock: BigInt(row.to_block as number) };
    },
    async setCoverage(chainId, owner, coverage) {
      statements.setCoverage.run(chainId, key(owner), coverage.fromBlock, coverage.toBlock);
    },
    async putLogs(chainId, owner, logs) {
      transaction(() => {
        for (const log of logs) {
          statements.putLog.run(
            chainId,
            key(owner),
            log.blockNumber,
            log.logIndex,
            log.blockHash,
            log.transactionHash,
            log.address,
            log.topics.join(","),
            log.data,
          );
        }
      });
    },
    async logs(chainId, owner, fromBlock, toBlock) {
      const rows = statements.logs.all(chainId, key(owner), fromBlock, toBlock) as Row[];
      return rows.map((row) => ({
        address: row.address as Address,
        topics: (row.topics as string).split(",") as Hex[],
        data: row.data as Hex,
        blockNumber: BigInt(row.block_number as number),
        blockHash: row.block_hash as Hex,
        blockTimestamp: row.timestamp === null ? null : Number(row.timestamp),
        transactionHash: row.tx_hash as Hex,
        logIndex: Number(row.log_index),
      }));
    },
    async putBlocks(chainId, blocks) {
      return transaction(() => {
        let reorgFrom: bigint | null = null;
        for (const block of blocks) {
          const known = statements.block.get(chainId, block.number) as Row | undefined;
          if (known !== undefined && known.hash !== block.hash) {
            invalidateFrom(chainId, block.number);
            if (reorgFrom === null || block.number < reorgFrom) reorgFrom = block.number;
          }
          statements.putBlock.run(chainId, block.number, block.hash, block.timestamp);
        }
        return reorgFrom;
      });
    },
    async block(chainId, number) {
      const row = statements.block.get(chainId, number) as Row | undefined;
      return row === undefined ? null : toBlock(row);
    },
    async blocksBelow(chainId, belowBlock, limit) {
      return (statements.blocksBelow.all(chainId, belowBlock, limit) as Row[]).map(toBlock);
    },
    async invalidateFrom(chainId, fromBlock) {
      transaction(() => invalidateFrom(chainId, fromBlock));
    },
    async putTransactions(chainId, transactions) {
      transaction(() => {
        for (const tx of transactions) {
          statements.putTransaction.run(chainId, tx.hash, tx.blockNumber, tx.sender, tx.recipient);
        }
      });
    },
    async transactions(chainId, hashes) {
      const found = new Map<Hex, CachedTransaction>();
      for (const hash of hashes) {
        const row = statements.transaction.get(chainId, hash) as Row | undefined;
        if (row !== undefined) {
          found.set(hash, {
            hash,
            blockNumber: BigInt(row.block_number as number),
            sender: row.sender as Address,
            recipient: (row.recipient as Address | null) ?? null,
          });
        }
      }
      return found;
    },
    async close() {
      db.close();
    },
  };
}
