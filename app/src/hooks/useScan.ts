import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useBlockNumber, useChainId, useConfig } from "wagmi";
import type { Address } from "viem";

import { ALLOWANCE_ROUTER_ADDRESS, createRpcClient, gradeApprovals, scanApprovals, type DenylistEntry, type GradedApproval, type ScanProgress, type ScanResult } from "allowance-router";

import { scanCache } from "../scan-cache.js";

export type OwnerScan = { result: ScanResult; entries: GradedApproval[] };

/**
 * The owner's approvals, scanned through the page's RPC URL (the scanner's own batching, retrying client) and graded by the SDK, rescanned on every
 * new block (the cache makes that read only the new blocks). A failed rescan keeps the last table.
 */
export function useScan(owner: Address | undefined, denylist: readonly DenylistEntry[]) {
  const chainId = useChainId();
  const rpcUrl = useConfig().chains[0].rpcUrls.default.http[0]!;
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const query = useQuery({
    queryKey: ["scan", chainId, owner],
    enabled: owner !== undefined,
    queryFn: async (): Promise<OwnerScan> => {
      const result = await scanApprovals(createRpcClient({ rpcUrl }), {
        owner: owner!,
        chainId,
        routers: [ALLOWANCE_ROUTER_ADDRESS],
        cache: await scanCache(),
        labels: Object.fromEntries(denylist.map((entry) => [entry.address, entry.name])),
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

  return { ...query, progress };
}
