import { getAddress, type Address, type PublicClient } from "viem";

import { fetchBlock, type BlockStamp } from "../scan/blocks.js";
import { candidateKey, extractCandidates, ownerTopic, SCANNED_TOPICS, TOPIC, type Candidate } from "../scan/candidates.js";
import { confirmCandidates, type ConfirmedApproval } from "../scan/confirm.js";
import type { RawLog } from "../cache/types.js";
import { fetchLogs } from "../scan/logs.js";
import { findReorg, type ReorgCheckpoints } from "../scan/reorg.js";
import { profileSpenders } from "../scan/spenders.js";
import type { SpenderProfile } from "../scan/types.js";
import { alertId, correctionAlert } from "./alerts.js";
import type { WatchSettings } from "./config.js";
import type { Denylist } from "./denylist.js";
import { evaluateChange, staleApprovals } from "./rules.js";
import type { WatchStore } from "./store.js";
import type { BlockCheckpoint, WatchAlert, WatchedApproval, WatchedOwner } from "./types.js";

/** Checkpoints below a cursor that a reorg search may walk before it gives up and rescans. */
const REORG_WINDOW = 1_024n;

export interface FollowContext {
  client: PublicClient;
  chainId: number;
  store: WatchStore;
  settings: WatchSettings;
  denylist: Denylist;
  routers: ReadonlySet<string>;
  multicallAddress: Address | null;
  /** Alerts stored for the first time (to print and count); delivery goes through the outbox. */
  onAlerts: (alerts: WatchAlert[]) => void;
  /** Approvals to revoke as guardian (a new approval to a listed spender). */
  onExploitable?: (approvals: WatchedApproval[]) => void;
  stats: FollowStats;
  now?: () => Date;
}

export interface FollowStats {
  logRequests: number;
  logsFetched: number;
  blocksProcessed: number;
  reorgs: number;
  ownersScanned: number;
}

export const emptyFollowStats = (): FollowStats => ({ logRequests: 0, logsFetched: 0, blocksProcessed: 0, reorgs: 0, ownersScanned: 0 });

const lower = (address: string) => address.toLowerCase();

/**
 * One step for `owners`: undo what a reorg replaced, then bring every owner up to the head
 * minus the confirmations. Owners at the same cursor share eth_getLogs requests (the owner
 * topic as a list, `ownersPerRequest` at a time); a new owner's first step is its full scan,
 * from `startBlock`, after which it shares the live requests of the others.
 */
export async function followOwners(context: FollowContext, owners: readonly WatchedOwner[], head: bigint): Promise<void> {
  const safeNumber = head - BigInt(context.settings.confirmations);
  if (safeNumber < 0n || owners.length === 0) return;
  let current = [...owners];
  if (await undoReorgs(context, current)) {
    const addresses = new Set(current.map((owner) => lower(owner.address)));
    current = (await context.store.owners()).filter((owner) => addresses.has(lower(owner.address)));
  }
  const safe = await fetchBlock(context.client, safeNumber);
  if (safe === null) return;

  const groups = new Map<bigint, WatchedOwner[]>();
  for (const owner of current) {
    const from = owner.cursor === null ? context.settings.startBlock : owner.cursor + 1n;
    if (from > safe.number) continue;
    groups.set(from, [...(groups.get(from) ?? []), owner]);
  }
  for (const [from, group] of groups) {
    for (let index = 0; index < group.length; index += context.settings.ownersPerRequest) {
      await followChunk(context, group.slice(index, index + context.settings.ownersPerRequest), from, safe);
    }
  }
}

/** Finds a reorg below the owners' cursors and undoes its effects; true if it rewound anything. */
async function undoReorgs(context: FollowContext, owners: readonly WatchedOwner[]): Promise<boolean> {
  const cursors = [...new Set(owners.flatMap((owner) => (owner.cursor === null ? [] : [owner.cursor])))].sort((a, b) => (a < b ? 1 : -1));
  if (cursors.length === 0) return false;
  const lowest = cursors.at(-1)!;
  const checkpoints = await context.store.checkpoints(lowest > REORG_WINDOW ? lowest - REORG_WINDOW : 0n);
  let rewound = false;
  for (const cursor of cursors) {
    const reorgFrom = await findReorg(context.client, checkpointView(checkpoints, cursor), context.chainId, "0x0000000000000000000000000000000000000000");
    if (reorgFrom === null || reorgFrom > cursor) continue;
    const affected = owners.filter((owner) => owner.cursor !== null && owner.cursor >= reorgFrom).map((owner) => owner.address);
    const alerts = await context.store.rewind(affected, reorgFrom);
    context.stats.reorgs++;
    rewound = true;
    await retractOrphans(context, alerts);
  }
  return rewound;
}

/** Corrections for the alerts whose block is no longer the chain's block at that height. */
async function retractOrphans(context: FollowContext, alerts: readonly WatchAlert[]): Promise<void> {
  const heights = [...new Set(alerts.flatMap((alert) => (alert.block === null ? [] : [BigInt(alert.block.number)])))];
  const onChain = new Map((await Promise.all(heights.map((number) => fetchBlock(context.client, number)))).flatMap((block) => (block === null ? [] : [[block.number, block.hash] as const])));
  const now = context.now?.() ?? new Date();
  const corrections = alerts
    .filter((alert) => alert.block !== null && onChain.get(BigInt(alert.block.number)) !== alert.block.hash)
    .map((alert) => correctionAlert(alert, now));
  if (corrections.length > 0) context.onAlerts(await context.store.putAlerts(corrections));
}

/** The checkpoints as the scanner's reorg search reads them, with `cursor` as the covered tip. */
function checkpointView(checkpoints: readonly BlockCheckpoint[], cursor: bigint): ReorgCheckpoints {
  const byNumber = new Map(checkpoints.map((checkpoint) => [checkpoint.number, checkpoint]));
  return {
    coverage: async () => ({ fromBlock: 0n, toBlock: cursor }),
    block: async (_chainId, number) => byNumber.get(number) ?? null,
    blocksBelow: async (_chainId, below, limit) => checkpoints.filter((checkpoint) => checkpoint.number < below).slice(0, limit),
  };
}

/** A stored approval as a scan candidate, so that its current value is read again. */
export function storedCandidateOf(approval: WatchedApproval): Candidate {
  const lastSet: RawLog = {
    address: approval.router ?? approval.token,
    topics: [],
    data: "0x",
    blockNumber: approval.grantedBlock,
    blockHash: "0x",
    blockTimestamp: approval.grantedAt,
    transactionHash: approval.grantedTransaction,
    logIndex: approval.grantedLogIndex,
  };
  switch (approval.kind) {
    case "erc20":
      return { kind: "erc20", token: approval.token, spender: approval.spender, lastSet };
    case "erc721":
      return { kind: "erc721", token: approval.token, tokenId: approval.tokenId!, lastSet };
    case "router":
      return { kind: "router", router: approval.router!, token: approval.token, spender: approval.spender, lastSet };
    default:
      return { kind: "operator", token: approval.token, operator: approval.spender, lastSet };
  }
}

function watchedFrom(owner: Address, confirmed: ConfirmedApproval, grantedAt: number, changedBlock: bigint): WatchedApproval {
  return {
    id: confirmed.id,
    owner,
    kind: confirmed.kind,
    token: confirmed.token.address,
    spender: confirmed.spender,
    router: confirmed.router,
    tokenId: confirmed.tokenId,
    amount: confirmed.amount,
    expiresAt: confirmed.expiresAt,
    live: true,
    grantedBlock: confirmed.lastSet.blockNumber,
    grantedAt,
    grantedTransaction: confirmed.lastSet.transactionHash,
    grantedLogIndex: confirmed.lastSet.logIndex,
    changedBlock,
  };
}

/** Reads the current value of candidates of many owners at one block (the scanner's batched reads). */
export async function confirmOwners(
  context: Pick<FollowContext, "client" | "multicallAddress">,
  byOwner: ReadonlyMap<Address, Candidate[]>,
  block: BlockStamp,
): Promise<Map<Address, ConfirmedApproval[]>> {
  const confirmed = await Promise.all(
    [...byOwner].map(async ([owner, candidates]) => {
      const { approvals } = await confirmCandidates(context.client, {
        owner,
        candidates,
        blockNumber: block.number,
        now: block.timestamp,
        multicallAddress: context.multicallAddress,
      });
      return [owner, approvals] as const;
    }),
  );
  return new Map(confirmed);
}

/** Spender profiles (EOA, delegated, contract) at one block, routers marked as such. */
export async function spenderProfiles(
  context: Pick<FollowContext, "client" | "routers">,
  spenders: readonly Address[],
  blockNumber: bigint,
): Promise<Record<string, SpenderProfile>> {
  if (spenders.length === 0) return {};
  const profiles = await profileSpenders(context.client, { spenders, blockNumber, referenceBlock: blockNumber });
  for (const profile of Object.values(profiles)) profile.router = context.routers.has(lower(profile.address));
  return profiles;
}

async function followChunk(context: FollowContext, owners: readonly WatchedOwner[], from: bigint, safe: BlockStamp): Promise<void> {
  const { client, settings, chainId, store } = context;
  const fullScan = owners[0]!.cursor === null;
  const addresses = owners.map((owner) => owner.address);
  const { logs, requests } = await fetchLogs(client, {
    topics: [SCANNED_TOPICS, addresses.map(ownerTopic)],
    fromBlock: from,
    toBlock: safe.number,
  });
  context.stats.logRequests += requests;
  context.stats.logsFetched += logs.length;
  context.stats.blocksProcessed += Number(safe.number - from + 1n);
  if (fullScan) context.stats.ownersScanned += owners.length;

  const logsByOwner = new Map<string, RawLog[]>();
  for (const log of logs) {
    const owner = lower(getAddress(`0x${log.topics[1]!.slice(26)}`));
    logsByOwner.set(owner, [...(logsByOwner.get(owner) ?? []), log]);
  }
  const [previousList, rechecks] = await Promise.all([store.approvals(addresses), store.recheck(addresses)]);
  const previous = new Map(previousList.map((approval) => [`${lower(approval.owner)}:${approval.id}`, approval]));

  const rechecked = new Set(rechecks.map((approval) => `${lower(approval.owner)}:${approval.id}`));
  const candidatesByOwner = new Map<Address, Candidate[]>();
  const changedAt = new Map<string, bigint>();
  for (const owner of addresses) {
    const ownerLogs = logsByOwner.get(lower(owner)) ?? [];
    const candidates = new Map(extractCandidates(ownerLogs, context.routers).map((candidate) => [candidateKey(candidate), candidate]));
    // transferFrom spends an allowance without an Approval event: re-read the owner's allowances of tokens that moved.
    const moved = new Set(ownerLogs.filter((log) => log.topics[0] === TOPIC.transfer).map((log) => lower(log.address)));
    const spent = previousList.filter((approval) => approval.live && approval.kind === "erc20" && lower(approval.owner) === lower(owner) && moved.has(lower(approval.token)));
    for (const approval of [...rechecks.filter((recheck) => lower(recheck.owner) === lower(owner)), ...spent]) {
      if (!candidates.has(approval.id)) candidates.set(approval.id, storedCandidateOf(approval));
    }
    if (candidates.size > 0) candidatesByOwner.set(owner, [...candidates.values()]);
    changedAt.set(lower(owner), ownerLogs.at(-1)?.blockNumber ?? safe.number);
  }

  const confirmed = await confirmOwners(context, candidatesByOwner, safe);
  // Alerts are about the block of the event that set the approval: a reorg of that block retracts them.
  const unknown = [...confirmed.values()].flat().filter((approval) => approval.lastSet.blockTimestamp === null || approval.lastSet.blockHash === "0x");
  const grantBlocks = new Map(
    (await Promise.all([...new Set(unknown.map((approval) => approval.lastSet.blockNumber))].map((number) => fetchBlock(client, number))))
      .flatMap((block) => (block === null ? [] : [[block.number, block] as const])),
  );
  const spenders = [...confirmed.values()].flat().map((approval) => approval.spender);
  const profiles = await spenderProfiles(context, spenders, safe.number);

  const now = context.now?.() ?? new Date();
  const changes: WatchedApproval[] = [];
  const alerts: WatchAlert[] = [];
  const exploitable: WatchedApproval[] = [];
  for (const owner of owners) {
    const candidates = candidatesByOwner.get(owner.address) ?? [];
    const live = new Map((confirmed.get(owner.address) ?? []).map((approval) => [approval.id, approval]));
    const changedBlock = changedAt.get(lower(owner.address))!;
    for (const candidate of candidates) {
      const key = candidateKey(candidate);
      const before = previous.get(`${lower(owner.address)}:${key}`);
      const found = live.get(key);
      if (found === undefined) {
        if (before !== undefined && before.live) changes.push({ ...before, live: false, amount: before.amount === null ? null : 0n, changedBlock });
        continue;
      }
      const grantBlock = grantBlocks.get(found.lastSet.blockNumber);
      const grantedAt = found.lastSet.blockTimestamp ?? grantBlock?.timestamp ?? safe.timestamp;
      const approval = watchedFrom(owner.address, found, grantedAt, changedBlock);
      changes.push(approval);
      // A grant in blocks a reorg replaced is judged afresh (its alerts were retracted).
      const judgedAgainst = before !== undefined && rechecked.has(`${lower(owner.address)}:${key}`) && before.grantedBlock >= from ? undefined : before;
      const raised = evaluateChange(approval, judgedAgainst, {
        chainId,
        rules: settings.rules,
        denylist: context.denylist,
        profiles,
        block: {
          number: found.lastSet.blockNumber,
          hash: found.lastSet.blockHash !== "0x" ? found.lastSet.blockHash : (grantBlock?.hash ?? safe.hash),
          timestamp: grantedAt,
        },
        fullScan,
        maxGrantSeconds: owner.maxGrantSeconds,
        now,
      });
      alerts.push(...raised);
      if (context.denylist.lookup(chainId, approval.spender) !== null) exploitable.push(approval);
    }
  }

  const digests = staleDigests(context, owners, previousList, changes, safe, now);
  const logBlocks = new Map(logs.map((log) => [log.blockNumber, { number: log.blockNumber, hash: log.blockHash, timestamp: log.blockTimestamp }]));
  const stored = await store.commitStep({
    owners: addresses,
    cursor: safe.number,
    blocks: [...logBlocks.values(), { number: safe.number, hash: safe.hash, timestamp: safe.timestamp }],
    approvals: changes,
    alerts: [...alerts, ...digests.alerts],
    digests: digests.periods,
  });
  if (stored.length > 0) context.onAlerts(stored);
  if (exploitable.length > 0 && settings.rules.exploitedSpender) context.onExploitable?.(exploitable);
}

/** One digest per owner and period (chain time) listing its stale approvals, if it has any. */
function staleDigests(
  context: FollowContext,
  owners: readonly WatchedOwner[],
  before: readonly WatchedApproval[],
  changes: readonly WatchedApproval[],
  safe: BlockStamp,
  now: Date,
): { alerts: WatchAlert[]; periods: { owner: Address; period: number }[] } {
  const { rules } = context.settings;
  const alerts: WatchAlert[] = [];
  const periods: { owner: Address; period: number }[] = [];
  if (rules.staleAfterDays === null) return { alerts, periods };
  const period = Math.floor(safe.timestamp / rules.digestIntervalSeconds);
  const merged = new Map<string, WatchedApproval>();
  for (const approval of [...before, ...changes]) merged.set(`${lower(approval.owner)}:${approval.id}`, approval);
  for (const owner of owners) {
    if (owner.digestPeriod === period) continue;
    periods.push({ owner: owner.address, period });
    const stale = staleApprovals([...merged.values()].filter((approval) => lower(approval.owner) === lower(owner.address)), rules, safe.timestamp);
    if (stale.length === 0) continue;
    alerts.push({
      id: alertId(context.chainId, "stale-approvals-digest", lower(owner.address), period),
      rule: "stale-approvals-digest",
      severity: "info",
      chainId: context.chainId,
      owner: owner.address,
      message: `${owner.address} has ${stale.length} approval(s) not set again for ${rules.staleAfterDays} days or more`,
      reasons: [`stale for ${rules.staleAfterDays}+ days`],
      approval: null,
      // Not bound to a block: a reorg does not undo "these approvals are old".
      block: null,
      transactionHash: null,
      retracts: null,
      items: stale.map((approval) => ({ id: approval.id, spender: approval.spender, grantedAt: approval.grantedAt })),
      createdAt: now.toISOString(),
    });
  }
  return { alerts, periods };
}
