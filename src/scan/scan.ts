import { type Address, type PublicClient } from "viem";

import { createMemoryScanCache } from "../cache/memory.js";
import { AllowanceRouterError, NotAnAddressError } from "../errors.js";
import type { ScanCache } from "../cache/types.js";
import { findDenylistEntry } from "../data/denylist.js";
import { findMulticall } from "./batch-read.js";
import { blockAtOrBefore, blockTimestamps, fetchBlock, type BlockStamp } from "./blocks.js";
import { extractCandidates, extractOutgoingTransfers, ownerTopic, SCANNED_TOPICS } from "./candidates.js";
import { createScanClient, DEFAULT_RETRY_POLICY, type RetryNotice, type RetryPolicy } from "./client.js";
import { confirmCandidates, type ConfirmedApproval } from "./confirm.js";
import { DEFAULT_RECENT_DAYS, DEFAULT_ROUTERS, PERMIT2_ADDRESS, SECONDS_PER_DAY } from "./constants.js";
import {
  InvalidBlockRangeError,
  rpcFailureError,
  ScanError,
  UnknownTokenError,
  UnsupportedRpcUrlError,
  WrongChainError,
} from "./errors.js";
import { parseAddress } from "../router/validate.js";
import { fetchLogs } from "./logs.js";
import { findReorg } from "./reorg.js";
import { classifyRpcFailure, notJsonRpcReason, rpcUrlProblem } from "./rpc-errors.js";
import { profileSpenders } from "./spenders.js";
import type { Approval, Pull, ScanResult, SpenderProfile } from "./types.js";
import { attributableTransfers, attributePulls, transactionParties } from "./usage.js";

export type ScanPhase = "logs" | "confirm" | "usage" | "spenders";

export interface ScanProgress {
  phase: ScanPhase;
  /** Blocks read so far (phase "logs"), else items done. */
  done: bigint;
  total: bigint;
}

export interface ScanApprovalsParameters {
  owner: string;
  /** First block to read (default 0). */
  fromBlock?: bigint;
  /** Last block to read (default: the latest). */
  toBlock?: bigint;
  /**
   * Permit2-compatible routers whose grants to scan, besides DEFAULT_ROUTERS (Permit2 and the
   * project's AllowanceRouter deployment), which are always scanned.
   */
  routers?: readonly string[];
  /** Only approvals of these tokens (or NFT collections); each must be a contract on the chain. */
  tokens?: readonly string[];
  /** Fail with WrongChainError unless the node serves this chain. */
  chainId?: number;
  /**
   * Where logs, blocks and transactions are kept between scans, so that a rescan reads only new
   * blocks: `createMemoryScanCache()`, `createIndexedDbScanCache()` (browser) or
   * `createSqliteScanCache()` (`allowance-router/node`). The caller owns it (and closes it).
   * Default: a memory cache for this scan only.
   */
  cache?: ScanCache;
  /** Names to show for known spenders, by address. */
  labels?: Readonly<Record<string, string>>;
  /** How far back "recently deployed or upgraded" looks (default 30 days). */
  recentDays?: number;
  retry?: RetryPolicy;
  /** Blocks asked for in the first eth_getLogs; the span then adapts (default: the whole range). */
  initialLogSpan?: bigint;
  onProgress?: (progress: ScanProgress) => void;
  /** Told what the scan recovered from on its way: a corrupt cache file rebuilt, a slow RPC retried. */
  onNotice?: (message: string) => void;
}

export type ScanApprovalsReturnType = ScanResult;

const ROUTER_LABEL = "AllowanceRouter";

/** The node's URL when the client speaks HTTP to one, for messages; else a description. */
function endpointOf(client: PublicClient): string {
  const url = (client.transport as { url?: unknown }).url;
  return typeof url === "string" ? url : "the client's RPC";
}

function resolveClient(given: PublicClient, options: ScanApprovalsParameters): { client: PublicClient; endpoint: string } {
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const endpoint = endpointOf(given);
  const onRetry = (notice: RetryNotice) =>
    options.onNotice?.(
      `${notice.method} to ${endpoint} failed (${notice.reason}); retry ${notice.attempt} of ${notice.retries} in ` +
        `${(notice.waitMs / 1000).toFixed(1)} s, giving up ${notice.deadlineMs / 1000} s after the first attempt`,
    );
  if (given === undefined || typeof given.request !== "function") {
    throw new AllowanceRouterError("scanApprovals needs a viem public client: pass createRpcClient({ rpcUrl }) or your own", { isInputError: true });
  }
  const problem = endpoint === "the client's RPC" ? null : rpcUrlProblem(endpoint);
  if (problem !== null) throw new UnsupportedRpcUrlError(endpoint, problem);
  return { client: createScanClient({ client: given }, retry, onRetry), endpoint };
}

/**
 * Every live approval of `owner`: ERC-20 allowances, ERC-721 single-token approvals, ERC-721
 * and ERC-1155 operators, and Permit2 / AllowanceRouter grants, each with its current value
 * read on-chain, its token's metadata and balance, its value at risk, when it was granted and
 * when its spender last pulled from the owner; plus what the chain says about each spender.
 *
 * Logs are asked for by the owner topic with no contract filter, in ranges that shrink when
 * the node refuses them; transient RPC failures are retried with backoff. With a cache, a
 * rescan reads only blocks after the last one scanned, after checking that the cached tip (or
 * the newest cached block still on the chain) has not been reorganised away.
 */
export async function scanApprovals(client: PublicClient, parameters: ScanApprovalsParameters): Promise<ScanApprovalsReturnType> {
  const endpoint = client === undefined ? "the client's RPC" : endpointOf(client);
  try {
    return await scan(client, parameters);
  } catch (error) {
    // A node that stays down or rate-limited past the retries, at any step, is an unreachable RPC.
    if (!(error instanceof ScanError) && (classifyRpcFailure(error, "") === "transient" || notJsonRpcReason(error) !== null)) {
      throw rpcFailureError(endpoint, error);
    }
    throw error;
  }
}

async function scan(given: PublicClient, options: ScanApprovalsParameters): Promise<ScanResult> {
  const owner = parseAddress("owner", options.owner);
  const routers = [...DEFAULT_ROUTERS, ...(options.routers ?? []).map((router) => parseAddress("router", router))];
  const routerSet = new Set(routers.map((router) => router.toLowerCase()));
  const tokens = options.tokens?.map((token) => parseAddress("token", token));
  const { client, endpoint } = resolveClient(given, options);
  const progress = options.onProgress ?? (() => {});

  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch (error) {
    throw rpcFailureError(endpoint, error);
  }
  if (options.chainId !== undefined && options.chainId !== chainId) throw new WrongChainError(options.chainId, chainId);
  const tokenFilter = tokens === undefined ? null : await knownTokens(client, chainId, tokens);

  const cache = options.cache ?? createMemoryScanCache();
  const [headNumber, multicallAddress] = await Promise.all([
    options.toBlock ?? client.getBlockNumber(),
    findMulticall(client),
  ]);
  const head = await fetchBlock(client, headNumber);
  if (head === null) throw new InvalidBlockRangeError("toBlock", headNumber, await client.getBlockNumber());
  const fromBlock = options.fromBlock ?? 0n;
  if (fromBlock > head.number) throw new InvalidBlockRangeError("fromBlock", fromBlock, head.number);

  // The start of the "recent" window depends on the head alone: found (a binary search of
  // blocks, sequential requests) while the logs and current values are read.
  const recentDays = options.recentDays ?? DEFAULT_RECENT_DAYS;
  const referenceBlockFound = blockAtOrBefore(client, head.timestamp - recentDays * SECONDS_PER_DAY, head);
  referenceBlockFound.catch(() => {}); // awaited below; a failure surfaces there, not as an unhandled rejection

  const { reorgFrom, logRequests, logsFetched, blocksScanned } = await syncLogs(client, cache, {
    chainId,
    owner,
    fromBlock,
    head,
    initialSpan: options.initialLogSpan,
    progress,
  });

  const logs = await cache.logs(chainId, owner, fromBlock, head.number);
  const candidates = extractCandidates(logs, routerSet).filter(
    (candidate) => tokenFilter === null || tokenFilter.has(candidate.token.toLowerCase()),
  );
  progress({ phase: "confirm", done: 0n, total: BigInt(candidates.length) });
  const { approvals: confirmed, warnings } = await confirmCandidates(client, {
    owner,
    candidates,
    blockNumber: head.number,
    now: head.timestamp,
    multicallAddress,
  });
  progress({ phase: "confirm", done: BigInt(candidates.length), total: BigInt(candidates.length) });

  // What each spender is needs only the confirmed spenders: read alongside the usage below.
  const spenderAddresses = confirmed.map((approval) => approval.spender);
  const spendersProfiled = referenceBlockFound.then((referenceBlock) =>
    profileSpenders(client, { spenders: spenderAddresses, blockNumber: head.number, referenceBlock }),
  );
  spendersProfiled.catch(() => {}); // awaited below

  const transfers = attributableTransfers(extractOutgoingTransfers(logs), confirmed);
  progress({ phase: "usage", done: 0n, total: BigInt(transfers.length) });
  const parties = await transactionParties(client, cache, chainId, transfers.map((transfer) => transfer.log.transactionHash));
  const untimed = [...confirmed.map((approval) => approval.lastSet), ...transfers.map((transfer) => transfer.log)]
    .filter((log) => log.blockTimestamp === null)
    .map((log) => log.blockNumber);
  const timestamps = await blockTimestamps(client, cache, chainId, untimed);
  const routes = candidates.flatMap((candidate) => (candidate.kind === "router" ? [candidate] : []));
  const pulls = attributePulls(transfers, confirmed, routes, parties, timestamps);
  progress({ phase: "usage", done: BigInt(transfers.length), total: BigInt(transfers.length) });

  progress({ phase: "spenders", done: 0n, total: BigInt(spenderAddresses.length) });
  const spenders = await spendersProfiled;
  labelSpenders(spenders, { chainId, routerSet, labels: options.labels ?? {} });
  progress({ phase: "spenders", done: BigInt(spenderAddresses.length), total: BigInt(spenderAddresses.length) });

  const approvals = assemble(confirmed, { chainId, owner, routerSet, pulls, timestamps });
  const result: ScanResult = {
    chainId,
    owner,
    fromBlock,
    toBlock: head.number,
    scannedAt: head.timestamp,
    approvals,
    spenders,
    warnings,
    stats: { blocksScanned, logRequests, logsFetched, reorgFrom },
  };
  // A scan up to the chain's head is what a later page load may show first (cachedScanResult).
  if (options.toBlock === undefined) await cache.putSnapshot?.(chainId, owner, scanScope(options), result);
  return result;
}

/**
 * What, besides the chain and the owner, decides a scan's result: a snapshot is shown only for
 * a scan asked for in the same way (same routers, token filter, start block, labels, window).
 */
export function scanScope(options: Pick<ScanApprovalsParameters, "routers" | "tokens" | "fromBlock" | "labels" | "recentDays">): string {
  const sortedLower = (list: readonly string[] | undefined) => (list === undefined ? null : list.map((item) => item.toLowerCase()).sort());
  const labels = Object.entries(options.labels ?? {})
    .map(([address, label]) => [address.toLowerCase(), label])
    .sort(([a], [b]) => (a! < b! ? -1 : 1));
  return JSON.stringify({
    routers: sortedLower(options.routers) ?? [],
    tokens: sortedLower(options.tokens),
    fromBlock: String(options.fromBlock ?? 0n),
    labels,
    recentDays: options.recentDays ?? DEFAULT_RECENT_DAYS,
  });
}

/** Names spenders (labels passed in, then Permit2 and the routers, then denylisted contracts) and marks the routers. */
function labelSpenders(
  spenders: Record<string, SpenderProfile>,
  params: { chainId: number; routerSet: ReadonlySet<string>; labels: Readonly<Record<string, string>> },
): void {
  const labels = new Map(Object.entries(params.labels).map(([address, label]) => [address.toLowerCase(), label]));
  for (const profile of Object.values(spenders)) {
    const key = profile.address.toLowerCase();
    profile.router = params.routerSet.has(key);
    profile.label =
      labels.get(key) ??
      (key === PERMIT2_ADDRESS.toLowerCase() ? "Permit2" : profile.router ? ROUTER_LABEL : null) ??
      findDenylistEntry(params.chainId, profile.address)?.name ??
      null;
  }
}

/** The public approval records: confirmed values plus chain, owner, grant time and attributed pulls. */
function assemble(
  confirmed: readonly ConfirmedApproval[],
  params: {
    chainId: number;
    owner: Address;
    routerSet: ReadonlySet<string>;
    pulls: ReadonlyMap<string, Pull[]>;
    timestamps: ReadonlyMap<bigint, number>;
  },
): Approval[] {
  const grantsThrough = routerGrantTotals(confirmed);
  return confirmed.map(({ lastSet, ...approval }) => {
    let { valueAtRisk } = approval;
    // What a router can take through an approval is what its live grants allow, no more.
    if (approval.kind === "erc20" && params.routerSet.has(approval.spender.toLowerCase()) && valueAtRisk !== null) {
      const granted = grantsThrough.get(`${approval.spender}:${approval.token.address}`.toLowerCase()) ?? 0n;
      if (granted < valueAtRisk) valueAtRisk = granted;
    }
    const pulls = [...(params.pulls.get(approval.id) ?? [])].sort((a, b) => a.at.timestamp - b.at.timestamp);
    return {
      ...approval,
      valueAtRisk,
      chainId: params.chainId,
      owner: params.owner,
      grantedAt: {
        blockNumber: lastSet.blockNumber,
        timestamp: lastSet.blockTimestamp ?? params.timestamps.get(lastSet.blockNumber)!,
        transactionHash: lastSet.transactionHash,
      },
      pulls,
      lastUsedAt: pulls.at(-1)?.at.timestamp ?? null,
    };
  });
}

/** Sum of the live grants' amounts per (router, token). */
function routerGrantTotals(approvals: readonly ConfirmedApproval[]): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const approval of approvals) {
    if (approval.kind !== "router") continue;
    const key = `${approval.router}:${approval.token.address}`.toLowerCase();
    totals.set(key, (totals.get(key) ?? 0n) + approval.amount!);
  }
  return totals;
}

/** The lowercase addresses of `tokens`, once each is known to have code on the chain. */
async function knownTokens(client: PublicClient, chainId: number, tokens: readonly Address[]): Promise<Set<string>> {
  const codes = await Promise.all(tokens.map((address) => client.getCode({ address })));
  const missing = tokens.find((_, index) => codes[index] === undefined || codes[index] === "0x");
  if (missing !== undefined) throw new UnknownTokenError(missing, chainId);
  return new Set(tokens.map((token) => token.toLowerCase()));
}

/**
 * Brings the cache's logs of (chain, owner) up to `head`: drops what a reorg replaced, then
 * reads the blocks not yet covered, below the cached range and above it.
 */
async function syncLogs(
  client: PublicClient,
  cache: ScanCache,
  params: {
    chainId: number;
    owner: Address;
    fromBlock: bigint;
    head: BlockStamp;
    initialSpan: bigint | undefined;
    progress: (progress: ScanProgress) => void;
  },
): Promise<{ reorgFrom: bigint | null; logRequests: number; logsFetched: number; blocksScanned: bigint }> {
  const { chainId, owner, fromBlock, head } = params;
  let reorgFrom = await findReorg(client, cache, chainId, owner);
  if (reorgFrom !== null) await cache.invalidateFrom(chainId, reorgFrom);

  const coverage = await cache.coverage(chainId, owner);
  const overlaps = coverage !== null && coverage.toBlock + 1n >= fromBlock && coverage.fromBlock <= head.number;
  const gaps: [bigint, bigint][] = [];
  if (!overlaps) gaps.push([fromBlock, head.number]);
  else {
    if (fromBlock < coverage.fromBlock) gaps.push([fromBlock, coverage.fromBlock - 1n]);
    if (coverage.toBlock < head.number) gaps.push([coverage.toBlock + 1n, head.number]);
  }
  const total = gaps.reduce((sum, [from, to]) => sum + to - from + 1n, 0n);

  let logRequests = 0;
  let logsFetched = 0;
  let doneBefore = 0n;
  params.progress({ phase: "logs", done: 0n, total });
  for (const [from, to] of gaps) {
    const result = await fetchLogs(client, {
      topics: [SCANNED_TOPICS, ownerTopic(owner)],
      fromBlock: from,
      toBlock: to,
      initialSpan: params.initialSpan,
      onRange: async (logs, range) => {
        const blocks = new Map(
          logs.map((log) => [log.blockNumber, { number: log.blockNumber, hash: log.blockHash, timestamp: log.blockTimestamp }]),
        );
        // Blocks before logs: a block cached under another hash invalidates from there first.
        const reorgedAt = await cache.putBlocks(chainId, [...blocks.values()]);
        if (reorgedAt !== null && (reorgFrom === null || reorgedAt < reorgFrom)) reorgFrom = reorgedAt;
        await cache.putLogs(chainId, owner, logs);
        params.progress({ phase: "logs", done: doneBefore + range.scannedTo - from + 1n, total });
      },
    });
    doneBefore += to - from + 1n;
    logRequests += result.requests;
    logsFetched += result.logs.length;
  }
  const tipReorg = await cache.putBlocks(chainId, [head]);
  if (tipReorg !== null && (reorgFrom === null || tipReorg < reorgFrom)) reorgFrom = tipReorg;
  const lowest = overlaps && coverage.fromBlock < fromBlock ? coverage.fromBlock : fromBlock;
  await cache.setCoverage(chainId, owner, { fromBlock: lowest, toBlock: head.number });
  return { reorgFrom, logRequests, logsFetched, blocksScanned: total };
}
