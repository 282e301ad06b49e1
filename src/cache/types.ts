import type { Address, Hex } from "viem";

/** A log as the node returns it, kept raw so that it can be cached and decoded later. */
export interface RawLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: bigint;
  blockHash: Hex;
  /** Some nodes include the block's timestamp in logs; null when this one does not. */
  blockTimestamp: number | null;
  transactionHash: Hex;
  logIndex: number;
}

/** The blocks of one (chain, owner) whose logs are in the cache. */
export interface Coverage {
  fromBlock: bigint;
  toBlock: bigint;
}

export interface CachedBlock {
  number: bigint;
  hash: Hex;
  /** Null when the block was only seen through a log that carried no timestamp. */
  timestamp: number | null;
}

export interface CachedTransaction {
  hash: Hex;
  blockNumber: bigint;
  sender: Address;
  recipient: Address | null;
}

/**
 * What the scanner keeps between runs, per chain and owner: the matching logs, the block range
 * they cover, the hashes and timestamps of the blocks it has seen (the reorg checkpoints) and
 * the senders of the transactions it attributed. Logs, blocks and transactions at or above a
 * block whose hash changed are dropped together (`invalidateFrom`).
 *
 * Every method is asynchronous so that a browser's IndexedDB can implement it; owners are
 * compared case-insensitively. Implementations: `createMemoryScanCache` and
 * `createIndexedDbScanCache` (core), `createSqliteScanCache` (`allowance-router/node`).
 */
export interface ScanCache {
  coverage(chainId: number, owner: Address): Promise<Coverage | null>;
  setCoverage(chainId: number, owner: Address, coverage: Coverage): Promise<void>;
  putLogs(chainId: number, owner: Address, logs: readonly RawLog[]): Promise<void>;
  /** Logs of the owner in [fromBlock, toBlock], in chain order, timestamps filled from known blocks. */
  logs(chainId: number, owner: Address, fromBlock: bigint, toBlock: bigint): Promise<RawLog[]>;
  /**
   * Records blocks. A block already cached under another hash means the chain reorganised
   * there: everything from that height on is invalidated first. Returns the lowest such height.
   */
  putBlocks(chainId: number, blocks: readonly CachedBlock[]): Promise<bigint | null>;
  block(chainId: number, number: bigint): Promise<CachedBlock | null>;
  /** Cached blocks below `belowBlock`, highest first: the checkpoints a reorg search walks. */
  blocksBelow(chainId: number, belowBlock: bigint, limit: number): Promise<CachedBlock[]>;
  /** Drops logs, blocks and transactions at or above `fromBlock` (and the chain's snapshots) and shortens every coverage. */
  invalidateFrom(chainId: number, fromBlock: bigint): Promise<void>;
  putTransactions(chainId: number, transactions: readonly CachedTransaction[]): Promise<void>;
  transactions(chainId: number, hashes: readonly Hex[]): Promise<Map<Hex, CachedTransaction>>;
  /**
   * The last complete result of a scan of (chain, owner) with the same `scope` (the scan's options),
   * or null: what a page shows at once on a reload, before the rescan of the new blocks finishes.
   * Optional: a cache without it simply has nothing to show first.
   */
  snapshot?(chainId: number, owner: Address, scope: string): Promise<unknown | null>;
  /** Keeps `value` (a structured-cloneable object: bigints allowed) as the snapshot of (chain, owner, scope). */
  putSnapshot?(chainId: number, owner: Address, scope: string, value: unknown): Promise<void>;
  /** Releases what the cache holds open (a database handle); the cache is unusable afterwards. */
  close(): Promise<void>;
}
