/// <reference lib="dom" />
import type { Address, Hex } from "viem";

import { AllowanceRouterError } from "../errors.js";
import type { CachedBlock, CachedTransaction, Coverage, RawLog, ScanCache } from "./types.js";

/** Bump when the stores' layout changes: the upgrade then starts the cache afresh. */
const SCHEMA_VERSION = 2;
const DEFAULT_DATABASE_NAME = "allowance-router-scan-cache";
const STORES = ["coverage", "logs", "blocks", "transactions", "snapshots"] as const;

export interface CreateIndexedDbScanCacheParameters {
  /** The database's name (one per origin); default "allowance-router-scan-cache". */
  name?: string;
  /** The IndexedDB to use; default the global `indexedDB` (a browser, a worker, or a fake in tests). */
  indexedDB?: IDBFactory;
  /** The key-range class of that IndexedDB; default the global `IDBKeyRange`. */
  IDBKeyRange?: typeof IDBKeyRange;
}

export type CreateIndexedDbScanCacheReturnType = ScanCache;

// Block numbers are keys, which IndexedDB cannot make of a bigint: they are stored as numbers
// (exact up to 2^53, far past any chain's height) and read back as bigints.
type CoverageRecord = { chainId: number; owner: string; fromBlock: number; toBlock: number };
type LogRecord = Omit<RawLog, "blockNumber" | "blockTimestamp"> & { chainId: number; owner: string; blockNumber: number };
type BlockRecord = { chainId: number; number: number; hash: Hex; timestamp: number | null };
type TransactionRecord = Omit<CachedTransaction, "blockNumber"> & { chainId: number; blockNumber: number };
// IndexedDB's structured clone keeps bigints, so a snapshot (a whole scan result) is stored as it is.
type SnapshotRecord = { chainId: number; owner: string; scope: string; value: unknown };

const request = <T>(pending: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    pending.onsuccess = () => resolve(pending.result);
    pending.onerror = () => reject(pending.error);
  });

const done = (transaction: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error("IndexedDB transaction aborted"));
  });

/** Deletes every record of `index` in `range`. */
async function deleteRange(index: IDBIndex, range: IDBKeyRange): Promise<void> {
  const keys = await request(index.getAllKeys(range));
  await Promise.all(keys.map((key) => request(index.objectStore.delete(key))));
}

/**
 * A scan cache in the browser's IndexedDB: a dashboard's rescans read only new blocks, across
 * page loads. Throws `IndexedDbUnavailableError` where there is no IndexedDB (Node, a private
 * window that refuses it); use `createMemoryScanCache` there.
 */
export async function createIndexedDbScanCache(
  parameters: CreateIndexedDbScanCacheParameters = {},
): Promise<CreateIndexedDbScanCacheReturnType> {
  const globals = globalThis as { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange };
  const factory = parameters.indexedDB ?? globals.indexedDB;
  const KeyRange = parameters.IDBKeyRange ?? globals.IDBKeyRange;
  if (factory === undefined || KeyRange === undefined) throw new IndexedDbUnavailableError();
  const opening = factory.open(parameters.name ?? DEFAULT_DATABASE_NAME, SCHEMA_VERSION);
  opening.onupgradeneeded = () => {
    const db = opening.result;
    for (const name of Array.from(db.objectStoreNames)) db.deleteObjectStore(name);
    db.createObjectStore("coverage", { keyPath: ["chainId", "owner"] }).createIndex("byChain", "chainId");
    const logs = db.createObjectStore("logs", { keyPath: ["chainId", "owner", "blockNumber", "logIndex"] });
    logs.createIndex("byBlock", ["chainId", "blockNumber"]);
    db.createObjectStore("blocks", { keyPath: ["chainId", "number"] });
    db.createObjectStore("transactions", { keyPath: ["chainId", "hash"] }).createIndex("byBlock", ["chainId", "blockNumber"]);
    db.createObjectStore("snapshots", { keyPath: ["chainId", "owner", "scope"] }).createIndex("byChain", "chainId");
  };
  const db = await request(opening).catch((error: unknown) => {
    throw new IndexedDbUnavailableError(error);
  });

  /** Runs `work` in one transaction over every store and resolves once it has committed. */
  const inTransaction = async <T>(mode: IDBTransactionMode, work: (stores: Record<(typeof STORES)[number], IDBObjectStore>) => Promise<T>) => {
    const transaction = db.transaction([...STORES], mode);
    const committed = done(transaction);
    const stores = Object.fromEntries(STORES.map((name) => [name, transaction.objectStore(name)])) as Record<(typeof STORES)[number], IDBObjectStore>;
    try {
      const result = await work(stores);
      await committed;
      return result;
    } catch (error) {
      if (transaction.error === null) transaction.abort();
      await committed.catch(() => {});
      throw error;
    }
  };

  const toBlock = (record: BlockRecord): CachedBlock => ({ number: BigInt(record.number), hash: record.hash, timestamp: record.timestamp });

  const invalidateFrom = async (stores: Record<(typeof STORES)[number], IDBObjectStore>, chainId: number, fromBlock: bigint) => {
    const from = Number(fromBlock);
    const atOrAbove = KeyRange.bound([chainId, from], [chainId, Infinity]);
    await deleteRange(stores.logs.index("byBlock"), atOrAbove);
    await deleteRange(stores.transactions.index("byBlock"), atOrAbove);
    const blockKeys = await request(stores.blocks.getAllKeys(atOrAbove));
    await Promise.all(blockKeys.map((key) => request(stores.blocks.delete(key))));
    await deleteRange(stores.snapshots.index("byChain"), KeyRange.only(chainId));
    const coverages = (await request(stores.coverage.index("byChain").getAll(chainId))) as CoverageRecord[];
    await Promise.all(
      coverages
        .filter((coverage) => coverage.toBlock >= from)
        .map((coverage) =>
          from - 1 < coverage.fromBlock
            ? request(stores.coverage.delete([chainId, coverage.owner]))
            : request(stores.coverage.put({ ...coverage, toBlock: from - 1 })),
        ),
    );
  };

  return {
    async coverage(chainId, owner) {
      const record = (await inTransaction("readonly", (stores) => request(stores.coverage.get([chainId, owner.toLowerCase()])))) as
        | CoverageRecord
        | undefined;
      return record === undefined ? null : { fromBlock: BigInt(record.fromBlock), toBlock: BigInt(record.toBlock) };
    },
    async setCoverage(chainId, owner, coverage: Coverage) {
      const record: CoverageRecord = { chainId, owner: owner.toLowerCase(), fromBlock: Number(coverage.fromBlock), toBlock: Number(coverage.toBlock) };
      await inTransaction("readwrite", (stores) => request(stores.coverage.put(record)));
    },
    async putLogs(chainId, owner, logs) {
      await inTransaction("readwrite", (stores) =>
        Promise.all(
          logs.map(({ blockTimestamp: _timestamp, ...log }) =>
            request(stores.logs.put({ ...log, chainId, owner: owner.toLowerCase(), blockNumber: Number(log.blockNumber) } satisfies LogRecord)),
          ),
        ),
      );
    },
    async logs(chainId, owner, fromBlock, toBlock) {
      const key = owner.toLowerCase();
      return inTransaction("readonly", async (stores) => {
        const records = (await request(
          stores.logs.getAll(KeyRange.bound([chainId, key, Number(fromBlock)], [chainId, key, Number(toBlock), Infinity])),
        )) as LogRecord[];
        const numbers = [...new Set(records.map((record) => record.blockNumber))];
        const blocks = await Promise.all(numbers.map((number) => request(stores.blocks.get([chainId, number])) as Promise<BlockRecord | undefined>));
        const timestamps = new Map(numbers.map((number, index) => [number, blocks[index]?.timestamp ?? null]));
        return records.map(({ chainId: _chain, owner: _owner, ...record }) => ({
          address: record.address as Address,
          topics: record.topics,
          data: record.data,
          blockNumber: BigInt(record.blockNumber),
          blockHash: record.blockHash,
          blockTimestamp: timestamps.get(record.blockNumber) ?? null,
          transactionHash: record.transactionHash,
          logIndex: record.logIndex,
        }));
      });
    },
    async putBlocks(chainId, blocks) {
      return inTransaction("readwrite", async (stores) => {
        // All reads go out at once (a transaction answers them in order): one round of waiting per
        // call, not two per block. Only a hash mismatch (a reorg, rare) or a block listed twice takes the one-by-one path below.
        const known = (await Promise.all(blocks.map((block) => request(stores.blocks.get([chainId, Number(block.number)]))))) as (BlockRecord | undefined)[];
        const unique = new Set(blocks.map((block) => block.number)).size === blocks.length;
        if (unique && known.every((record, index) => record === undefined || record.hash === blocks[index]!.hash)) {
          await Promise.all(
            blocks.map((block, index) =>
              request(stores.blocks.put({ chainId, number: Number(block.number), hash: block.hash, timestamp: block.timestamp ?? known[index]?.timestamp ?? null } satisfies BlockRecord)),
            ),
          );
          return null;
        }
        let reorgFrom: bigint | null = null;
        for (const block of blocks) {
          const known = (await request(stores.blocks.get([chainId, Number(block.number)]))) as BlockRecord | undefined;
          let kept = known;
          if (known !== undefined && known.hash !== block.hash) {
            await invalidateFrom(stores, chainId, block.number);
            if (reorgFrom === null || block.number < reorgFrom) reorgFrom = block.number;
            kept = undefined;
          }
          const record: BlockRecord = { chainId, number: Number(block.number), hash: block.hash, timestamp: block.timestamp ?? kept?.timestamp ?? null };
          await request(stores.blocks.put(record));
        }
        return reorgFrom;
      });
    },
    async block(chainId, number) {
      const record = (await inTransaction("readonly", (stores) => request(stores.blocks.get([chainId, Number(number)])))) as BlockRecord | undefined;
      return record === undefined ? null : toBlock(record);
    },
    async blocksBelow(chainId, belowBlock, limit) {
      return inTransaction("readonly", async (stores) => {
        const found: CachedBlock[] = [];
        const cursor = stores.blocks.openCursor(KeyRange.bound([chainId, -Infinity], [chainId, Number(belowBlock)], false, true), "prev");
        await new Promise<void>((resolve, reject) => {
          cursor.onerror = () => reject(cursor.error);
          cursor.onsuccess = () => {
            const current = cursor.result;
            if (current === null || found.length >= limit) return resolve();
            found.push(toBlock(current.value as BlockRecord));
            current.continue();
          };
        });
        return found;
      });
    },
    async invalidateFrom(chainId, fromBlock) {
      await inTransaction("readwrite", (stores) => invalidateFrom(stores, chainId, fromBlock));
    },
    async putTransactions(chainId, transactions) {
      await inTransaction("readwrite", (stores) =>
        Promise.all(
          transactions.map((tx) => request(stores.transactions.put({ ...tx, chainId, blockNumber: Number(tx.blockNumber) } satisfies TransactionRecord))),
        ),
      );
    },
    async transactions(chainId, hashes) {
      const records = await inTransaction("readonly", (stores) =>
        Promise.all(hashes.map((hash) => request(stores.transactions.get([chainId, hash])) as Promise<TransactionRecord | undefined>)),
      );
      const found = new Map<Hex, CachedTransaction>();
      records.forEach((record, index) => {
        if (record === undefined) return;
        found.set(hashes[index]!, { hash: record.hash, blockNumber: BigInt(record.blockNumber), sender: record.sender, recipient: record.recipient });
      });
      return found;
    },
    async snapshot(chainId, owner, scope) {
      const record = (await inTransaction("readonly", (stores) => request(stores.snapshots.get([chainId, owner.toLowerCase(), scope])))) as
        | SnapshotRecord
        | undefined;
      return record === undefined ? null : record.value;
    },
    async putSnapshot(chainId, owner, scope, value) {
      const record: SnapshotRecord = { chainId, owner: owner.toLowerCase(), scope, value };
      await inTransaction("readwrite", (stores) => request(stores.snapshots.put(record)));
    },
    async close() {
      db.close();
    },
  };
}

/** No IndexedDB here (Node, a browser that refuses storage): the cache cannot be opened. */
export class IndexedDbUnavailableError extends AllowanceRouterError {
  override name = "IndexedDbUnavailableError";
  constructor(cause?: unknown) {
    super("IndexedDB is not available here: use createMemoryScanCache() instead, or pass `indexedDB`", { cause });
  }
}
