// Interim in-memory ScanCache (the package's memory and IndexedDB caches replace it, issue 8):
// it lives as long as the page, so a live refresh reads only new blocks.
import type { Address, Hex } from "viem";

import type { CachedBlock, CachedTransaction, Coverage, RawLog, ScanCache } from "allowance-router";

const ownerKey = (chainId: number, owner: Address) => `${chainId}:${owner.toLowerCase()}`;

export function createMemoryScanCache(): ScanCache {
  const coverage = new Map<string, Coverage>();
  const logs = new Map<string, Map<string, RawLog>>();
  const blocks = new Map<number, Map<bigint, CachedBlock>>();
  const transactions = new Map<number, Map<Hex, CachedTransaction>>();
  const blocksOf = (chainId: number) => blocks.get(chainId) ?? blocks.set(chainId, new Map()).get(chainId)!;
  const txsOf = (chainId: number) => transactions.get(chainId) ?? transactions.set(chainId, new Map()).get(chainId)!;

  const invalidateFrom = (chainId: number, fromBlock: bigint) => {
    for (const [key, byId] of logs) {
      if (!key.startsWith(`${chainId}:`)) continue;
      for (const [id, log] of byId) if (log.blockNumber >= fromBlock) byId.delete(id);
    }
    for (const number of blocksOf(chainId).keys()) if (number >= fromBlock) blocksOf(chainId).delete(number);
    for (const [hash, tx] of txsOf(chainId)) if (tx.blockNumber >= fromBlock) txsOf(chainId).delete(hash);
    for (const [key, range] of coverage) {
      if (!key.startsWith(`${chainId}:`) || range.toBlock < fromBlock) continue;
      if (fromBlock - 1n < range.fromBlock) coverage.delete(key);
      else coverage.set(key, { ...range, toBlock: fromBlock - 1n });
    }
  };

  return {
    coverage: (chainId, owner) => coverage.get(ownerKey(chainId, owner)) ?? null,
    setCoverage: (chainId, owner, range) => void coverage.set(ownerKey(chainId, owner), range),
    putLogs(chainId, owner, newLogs) {
      const key = ownerKey(chainId, owner);
      const byId = logs.get(key) ?? logs.set(key, new Map()).get(key)!;
      for (const log of newLogs) byId.set(`${log.blockNumber}:${log.logIndex}`, log);
    },
    logs(chainId, owner, fromBlock, toBlock) {
      const byId = logs.get(ownerKey(chainId, owner));
      if (byId === undefined) return [];
      return [...byId.values()]
        .filter((log) => log.blockNumber >= fromBlock && log.blockNumber <= toBlock)
        .sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1))
        .map((log) => ({ ...log, blockTimestamp: log.blockTimestamp ?? blocksOf(chainId).get(log.blockNumber)?.timestamp ?? null }));
    },
    putBlocks(chainId, newBlocks) {
      let reorgFrom: bigint | null = null;
      for (const block of newBlocks) {
        const known = blocksOf(chainId).get(block.number);
        if (known !== undefined && known.hash !== block.hash) {
          invalidateFrom(chainId, block.number);
          if (reorgFrom === null || block.number < reorgFrom) reorgFrom = block.number;
        }
        blocksOf(chainId).set(block.number, { ...block, timestamp: block.timestamp ?? known?.timestamp ?? null });
      }
      return reorgFrom;
    },
    block: (chainId, number) => blocksOf(chainId).get(number) ?? null,
    blocksBelow: (chainId, belowBlock, limit) =>
      [...blocksOf(chainId).values()]
        .filter((block) => block.number < belowBlock)
        .sort((a, b) => (a.number < b.number ? 1 : -1))
        .slice(0, limit),
    invalidateFrom,
    putTransactions(chainId, newTransactions) {
      for (const tx of newTransactions) txsOf(chainId).set(tx.hash, tx);
    },
    transactions(chainId, hashes) {
      const found = new Map<Hex, CachedTransaction>();
      for (const hash of hashes) {
        const tx = txsOf(chainId).get(hash);
        if (tx !== undefined) found.set(hash, tx);
      }
      return found;
    },
    close() {},
  };
}
