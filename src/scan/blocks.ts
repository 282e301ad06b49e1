import { type Hex, type PublicClient } from "viem";

import type { ScanCache } from "../cache/types.js";

export interface BlockStamp {
  number: bigint;
  hash: Hex;
  timestamp: number;
}

export async function fetchBlock(client: PublicClient, number: bigint): Promise<BlockStamp | null> {
  const block = await client.getBlock({ blockNumber: number }).catch((error: unknown) => {
    if ((error as Error).name === "BlockNotFoundError") return null;
    throw error;
  });
  return block === null ? null : { number, hash: block.hash, timestamp: Number(block.timestamp) };
}

/**
 * Timestamps of `numbers`, from the cache where known, the rest fetched (concurrently, so
 * that a batching transport sends them as one JSON-RPC batch) and cached.
 */
export async function blockTimestamps(
  client: PublicClient,
  cache: ScanCache,
  chainId: number,
  numbers: Iterable<bigint>,
): Promise<Map<bigint, number>> {
  const found = new Map<bigint, number>();
  const missing: bigint[] = [];
  for (const number of new Set(numbers)) {
    const timestamp = (await cache.block(chainId, number))?.timestamp ?? null;
    if (timestamp === null) missing.push(number);
    else found.set(number, timestamp);
  }
  const fetched = await Promise.all(missing.map((number) => fetchBlock(client, number)));
  const stamps = fetched.filter((block): block is BlockStamp => block !== null);
  await cache.putBlocks(chainId, stamps);
  for (const block of stamps) found.set(block.number, block.timestamp);
  return found;
}

/**
 * The last block with a timestamp at or before `timestamp` (block 0 if the chain is younger).
 * Interpolation search: a chain with a steady block time needs two or three probes. When a
 * probe fails to halve the interval (jumps in time: a chain idle for days, a test's time
 * travel), the next probe bisects, so the search never takes more than twice bisection's.
 */
export async function blockAtOrBefore(client: PublicClient, timestamp: number, head: BlockStamp): Promise<bigint> {
  if (timestamp >= head.timestamp) return head.number;
  const genesis = await fetchBlock(client, 0n);
  if (genesis === null || timestamp < genesis.timestamp) return 0n;
  let low = genesis; // invariant: low.timestamp <= timestamp < high.timestamp
  let high = head;
  let previousSpan: bigint | null = null;
  while (high.number - low.number > 1n) {
    const span = high.number - low.number;
    const interpolate = previousSpan === null || span * 2n <= previousSpan;
    previousSpan = span;
    let guess = interpolate
      ? low.number + (span * BigInt(timestamp - low.timestamp)) / BigInt(Math.max(1, high.timestamp - low.timestamp))
      : low.number + span / 2n;
    if (guess <= low.number) guess = low.number + 1n;
    if (guess >= high.number) guess = high.number - 1n;
    const probe = await fetchBlock(client, guess);
    if (probe === null) return low.number;
    if (probe.timestamp <= timestamp) low = probe;
    else high = probe;
  }
  return low.number;
}
