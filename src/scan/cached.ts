import { parseAddress } from "../router/validate.js";
import type { ScanCache } from "../cache/types.js";
import { scanScope, type ScanApprovalsParameters } from "./scan.js";
import type { ScanResult } from "./types.js";

export type CachedScanResultParameters = Pick<ScanApprovalsParameters, "owner" | "routers" | "tokens" | "fromBlock" | "labels" | "recentDays"> & {
  cache: ScanCache;
  chainId: number;
};

export type CachedScanResultReturnType = ScanResult | null;

/**
 * The result of the last complete `scanApprovals` of this owner, chain and options that wrote to
 * `cache`, read from the cache alone (no RPC): what a dashboard shows at once on a reload while
 * the rescan reads the blocks since `result.toBlock`. Null when there is none, when a reorg has
 * invalidated it, or when the cache keeps no snapshots. The values are as of `toBlock`: show
 * them as such, and replace them with the rescan's.
 */
export async function cachedScanResult(parameters: CachedScanResultParameters): Promise<CachedScanResultReturnType> {
  const owner = parseAddress("owner", parameters.owner);
  const value = await parameters.cache.snapshot?.(parameters.chainId, owner, scanScope(parameters));
  return (value ?? null) as ScanResult | null;
}
