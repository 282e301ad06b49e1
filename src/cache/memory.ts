import type { Hex } from "viem";

import type { CachedBlock, CachedTransaction, Coverage, RawLog, ScanCache } from "./types.js";

const ownerKey = (chainId: number, owner: string) => `${chainId}:${owner.toLowerCase()}`;
const logKey = (log: RawLog) => `${log.blockNumber}:${log.logIndex}`;
const byChainOrder = (a: RawLog, b: RawLog) =>
  a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1;

function entry<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}

/**
 * A scan cache that lives as long as the object: the default of `scanApprovals`, and the
 * reference the other implementations are tested against. Pass the same one to successive
 * scans (a dashboard's session, a watcher's loop) to rescan only new blocks.
 */
export function createMemoryScanCache(): ScanCache {
  const coverages = new Map<string, Coverage & { chainId: number }>();
  const logsByOwner = new Map<string, Map<string, RawLog>>();
  const blocks = new Map<number, Map<bigint, CachedBlock>>();
  const transactions = new Map<number, Map<Hex, CachedTransaction>>();
  const snapshots = new Map<string, { chainId: number; value: unknown }>();

  const invalidateFrom = (chainId: number, fromBlock: bigint) => {
    for (const [key, logs] of logsByOwner) {
      if (!key.startsWith(`${chainId}:`)) continue;
      for (const [id, log] of logs) if (log.blockNumber >= fromBlock) logs.delete(id);
    }
    const chainBlocks = blocks.get(chainId);
    for (const number of chainBlocks?.keys() ?? []) if (number >= fromBlock) chainBlocks!.delete(number);
    const chainTransactions = transactions.get(chainId);
    for (const [hash, tx] of chainTransactions ?? []) if (tx.blockNumber >= fromBlock) chainTransactions!.delete(hash);
    for (const [key, snapshot] of snapshots) if (snapshot.chainId === chainId) snapshots.delete(key);
    for (const [key, coverage] of coverages) {
      if (coverage.chainId !== chainId || coverage.toBlock < fromBlock) continue;
      if (fromBlock - 1n < coverage.fromBlock) coverages.delete(key);
      else coverage.toBlock = fromBlock - 1n;
    }
  };

  return {
    async coverage(chainId, owner) {
      const coverage = coverages.get(ownerKey(chainId, owner));
      return coverage === undefined ? null : { fromBlock: coverage.fromBlock, toBlock: coverage.toBlock };
    },
    async setCoverage(chainId, owner, coverage) {
      coverages.set(ownerKey(chainId, owner), { chainId, fromBlock: coverage.fromBlock, toBlock: coverage.toBlock });
    },
    async putLogs(chainId, owner, logs) {
      const stored = entry(logsByOwner, ownerKey(chainId, owner), () => new Map());
      for (const log of logs) stored.set(logKey(log), { ...log, topics: [...log.topics] });
    },
    async logs(chainId, owner, fromBlock, toBlock) {
      const chainBlocks = blocks.get(chainId);
      return [...(logsByOwner.get(ownerKey(chainId, owner))?.values() ?? [])]
        .filter((log) => log.blockNumber >= fromBlock && log.blockNumber <= toBlock)
        .sort(byChainOrder)
        .map((log) => ({ ...log, topics: [...log.topics], blockTimestamp: chainBlocks?.get(log.blockNumber)?.timestamp ?? null }));
    },
    async putBlocks(chainId, newBlocks) {
      let reorgFrom: bigint | null = null;
      for (const block of newBlocks) {
        const known = blocks.get(chainId)?.get(block.number);
        if (known !== undefined && known.hash !== block.hash) {
          invalidateFrom(chainId, block.number);
          if (reorgFrom === null || block.number < reorgFrom) reorgFrom = block.number;
        }
        const kept = blocks.get(chainId)?.get(block.number);
        entry(blocks, chainId, () => new Map()).set(block.number, {
          number: block.number,
          hash: block.hash,
          timestamp: block.timestamp ?? kept?.timestamp ?? null,
        });
      }
      return reorgFrom;
    },
    async block(chainId, number) {
      const block = blocks.get(chainId)?.get(number);
      return block === undefined ? null : { ...block };
    },
    async blocksBelow(chainId, belowBlock, limit) {
      return [...(blocks.get(chainId)?.values() ?? [])]
        .filter((block) => block.number < belowBlock)
        .sort((a, b) => (a.number < b.number ? 1 : -1))
        .slice(0, limit)
        .map((block) => ({ ...block }));
    },
    async invalidateFrom(chainId, fromBlock) {
      invalidateFrom(chainId, fromBlock);
    },
    async putTransactions(chainId, newTransactions) {
      const stored = entry(transactions, chainId, () => new Map());
      for (const tx of newTransactions) stored.set(tx.hash, { ...tx });
    },
    async transactions(chainId, hashes) {
      const found = new Map<Hex, CachedTransaction>();
      for (const hash of hashes) {
        const tx = transactions.get(chainId)?.get(hash);
        if (tx !== undefined) found.set(hash, { ...tx });
      }
      return found;
    },
    async snapshot(chainId, owner, scope) {
      const snapshot = snapshots.get(`${ownerKey(chainId, owner)}:${scope}`);
      return snapshot === undefined ? null : structuredClone(snapshot.value);
    },
    async putSnapshot(chainId, owner, scope, value) {
      snapshots.set(`${ownerKey(chainId, owner)}:${scope}`, { chainId, value: structuredClone(value) });
    },
    async close() {},
  };
}
