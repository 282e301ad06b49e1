import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useBlockNumber, useChainId, useConfig } from "wagmi";
import type { Address } from "viem";

import {
  ALLOWANCE_ROUTER_ADDRESS,
  cachedScanResult,
  createRpcClient,
  gradeApprovals,
  scanApprovals,
  type DenylistEntry,
  type GradedApproval,
  type ScanProgress,
  type ScanResult,
} from "allowance-router";

import { scanCache } from "../scan-cache.js";

export type OwnerScan = { result: ScanResult; entries: GradedApproval[] };

const ROUTERS = [ALLOWANCE_ROUTER_ADDRESS];

/**
 * The owner's approvals, scanned through the page's RPC URL (the scanner's own batching, retrying client) and graded by the SDK, rescanned on every
 * new block (the cache makes that read only the new blocks). A failed rescan keeps the last table.
 *
 * Until the first scan of this page load finishes, `data` is the last scan's result kept in the
 * IndexedDB cache (the SDK's cachedScanResult: no RPC), so that a reload shows the table at once;
 * `fresh` says whether `data` is this load's scan of the chain's head.
 */
export function useScan(owner: Address | undefined, denylist: readonly DenylistEntry[]) {
  const chainId = useChainId();
  const rpcUrl = useConfig().chains[0].rpcUrls.default.http[0]!;
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const labels = Object.fromEntries(denylist.map((entry) => [entry.address, entry.name]));

  const snapshot = useQuery({
    queryKey: ["scan-snapshot", chainId, owner],
    enabled: owner !== undefined,
    staleTime: Infinity,
    retry: false,
    queryFn: async (): Promise<OwnerScan | null> => {
      const result = await cachedScanResult({ cache: await scanCache(), owner: owner!, chainId, routers: ROUTERS, labels });
      return result === null ? null : { result, entries: gradeApprovals(result, { denylist }) };
    },
  });
  const query = useQuery({
    queryKey: ["scan", chainId, owner],
    enabled: owner !== undefined,
    queryFn: async (): Promise<OwnerScan> => {
      const result = await scanApprovals(createRpcClient({ rpcUrl }), {
        owner: owner!,
        chainId,
        routers: ROUTERS,
        cache: await scanCache(),
        labels,
        onProgress: setProgress,
      });
      return { result, entries: gradeApprovals(result, { denylist }) };
    },
  });

  const { data: blockNumber } = useBlockNumber({ watch: true, query: { enabled: owner !== undefined } });
  const { data, isFetching, refetch } = query;
  const lastRefresh = useRef<bigint | null>(null);
  useEffect(() => {
    if (blockNumber === undefined || data === undefined || isFetching) return;
    if (blockNumber <= data.result.toBlock || lastRefresh.current === blockNumber) return;
    lastRefresh.current = blockNumber;
    void refetch();
  }, [blockNumber, data, isFetching, refetch]);

  return { ...query, data: data ?? snapshot.data ?? undefined, fresh: data !== undefined, progress };
}
