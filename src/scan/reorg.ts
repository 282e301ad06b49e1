import type { Address, PublicClient } from "viem";

import type { ScanCache } from "../cache/types.js";
import { fetchBlock } from "./blocks.js";

/** Cached blocks checked per round while walking back to the newest one still on the chain. */
const CHECKPOINTS_PER_ROUND = 32;

/**
 * The lowest block whose cached data is no longer on the chain, or null if the owner's cached
 * tip still is (then, by the hash chain, so is everything below it). Otherwise walks the cached
 * blocks downwards, a round of concurrent lookups at a time, to the newest one whose hash still
 * matches: everything above it is stale. No match at all (a deep reorg, or a restarted dev node
 * reusing the chain id) makes the whole cache of the chain stale.
 */
export async function findReorg(client: PublicClient, cache: ScanCache, chainId: number, owner: Address): Promise<bigint | null> {
  const coverage = await cache.coverage(chainId, owner);
  if (coverage === null) return null;
  const tip = await cache.block(chainId, coverage.toBlock);
  const tipOnChain = await fetchBlock(client, coverage.toBlock);
  if (tip !== null && tipOnChain !== null && tip.hash === tipOnChain.hash) return null;

  let below = coverage.toBlock;
  for (;;) {
    const checkpoints = await cache.blocksBelow(chainId, below, CHECKPOINTS_PER_ROUND);
    if (checkpoints.length === 0) return 0n;
    const onChain = await Promise.all(checkpoints.map((checkpoint) => fetchBlock(client, checkpoint.number)));
    const match = checkpoints.findIndex((checkpoint, index) => onChain[index]?.hash === checkpoint.hash);
    if (match !== -1) return checkpoints[match]!.number + 1n;
    below = checkpoints.at(-1)!.number;
  }
}
