import { createWalletClient, defineChain, getAddress, http, type Address, type PublicClient } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";

import { ALLOWANCE_ROUTER_ADDRESS, BATCH_REVOKER_ADDRESS } from "../router/deployments.js";
import { findMulticall } from "../scan/batch-read.js";
import { fetchBlock } from "../scan/blocks.js";
import { createScanClient, DEFAULT_RETRY_POLICY, type RetryPolicy } from "../scan/client.js";
import { PERMIT2_ADDRESS } from "../scan/constants.js";
import {
  accountGuardianRefusal,
  approvalsAfter,
  broadcastRevocation,
  revocationResults,
  settledRevocation,
  signAccountRevocation,
  type RevocationItemResult,
} from "./account-guardian.js";
import { alertId, approvalAlert } from "./alerts.js";
import { startControlApi } from "./api.js";
import { DEFAULT_WATCH_SETTINGS, type WatchSettings } from "./config.js";
import { DEFAULT_DELIVERY_BACKOFF, startOutboxDispatcher, type DeliveryBackoff, type WebhookTarget } from "./deliver.js";
import { createDenylist, followDenylistFile } from "./denylist.js";
import { WatchError } from "./errors.js";
import { confirmOwners, emptyFollowStats, followOwners, storedCandidateOf, type FollowContext } from "./follow.js";
import { revokeRouterGrantsAsGuardian, type GuardianRevocation, type GuardianSigner } from "./guardian.js";
import { createWatchMetrics } from "./metrics.js";
import type { Outbox, WatchStore } from "./store.js";
import type { OwnerInput, PendingRevocation, RevocationStatus, WatchAlert, WatchedApproval, WatchedOwner } from "./types.js";

/** How long a guardian revocation is waited for before it is left pending (and resumed by the next exploit check or restart). */
const REVOCATION_RECEIPT_TIMEOUT_MS = 120_000;

/** How the service's steps are scheduled: a loop over every owner (embedded), or a job queue over partitions. */
export interface WatchDriver {
  /** Starts calling `step` for owner sets; resolves once running. */
  start(step: (owners: readonly WatchedOwner[]) => Promise<void>, context: { partitions: number; store: WatchStore }): Promise<void>;
  stop(): Promise<void>;
  /** Delivers stored alerts to the webhook when the driver owns delivery (pg-boss jobs); else the embedded outbox does. */
  readonly deliversAlerts?: boolean;
}

export interface WatchServiceOptions {
  rpcUrl: string;
  store: WatchStore & { outbox?: Outbox };
  settings?: WatchSettings;
  owners?: readonly OwnerInput[];
  webhook?: WebhookTarget | null;
  deliveryBackoff?: DeliveryBackoff;
  /** The service's key, appointed by owners as guardian; never taken from the command line. */
  guardian?: PrivateKeyAccount | null;
  /** Control API port on 127.0.0.1 (0 = any free port); null for none. */
  apiPort?: number | null;
  /** Each new alert as one JSON line (stdout in the CLI). */
  output?: (line: string) => void;
  /** Operational messages (stderr in the CLI). */
  log?: (line: string) => void;
  retry?: RetryPolicy;
  driver?: WatchDriver;
}

/** A guardian revocation through an account's BatchRevoker: one transaction per owner, an outcome per approval. */
export interface AccountRevocation {
  owner: Address;
  transactionHash: `0x${string}`;
  status: RevocationStatus;
  items: { id: string; spender: Address; outcome: RevocationItemResult["outcome"] | null; reason?: string }[];
}

export interface ExploitReport {
  listed: Address[];
  approvals: number;
  alerts: string[];
  /** Router grants locked down through the router's guardian (`lockdownFor`). */
  revocations: GuardianRevocation[];
  /** Plain approvals (and router/Permit2 grants) revoked through the owner's BatchRevoker guardian. */
  accountRevocations: AccountRevocation[];
  /** Owners with exploitable plain approvals the service may not revoke, and why (alerted, nothing sent). */
  skipped: { owner: Address; reason: string }[];
}

export interface WatchService {
  chainId: number;
  apiUrl: string | null;
  client: PublicClient;
  metrics: ReturnType<typeof createWatchMetrics>;
  addOwners(owners: readonly OwnerInput[]): Promise<Address[]>;
  removeOwner(owner: Address): Promise<boolean>;
  reportExploits(spenders: readonly Address[]): Promise<ExploitReport>;
  /** Runs one step over every owner now (tests, and the loop's own tick). */
  step(): Promise<void>;
  /** Waits until pending background work (exploit checks, revocations) is done. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const lower = (address: string) => address.toLowerCase();

/** An embedded driver: every `pollIntervalMs`, one step over all owners. */
export function loopDriver(pollIntervalMs: number, onError: (error: Error) => void): WatchDriver {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  return {
    async start(step, { store }) {
      const tick = () => {
        running = (async () => {
          try {
            await step(await store.owners());
          } catch (error) {
            onError(error as Error);
          }
        })();
        void running.then(() => {
          if (!stopped) timer = setTimeout(tick, pollIntervalMs);
        });
      };
      tick();
    },
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * Starts the watch service: follows every owner block by block (the scanner's log, confirm and
 * reorg machinery, many owners per request), applies the rules, stores alerts and delivers them
 * (JSON lines, webhook through the outbox), revokes as guardian what an exploited spender could
 * take, and serves the control API.
 */
export async function startWatchService(options: WatchServiceOptions): Promise<WatchService> {
  const settings = options.settings ?? DEFAULT_WATCH_SETTINGS;
  const log = options.log ?? (() => {});
  const output = options.output ?? (() => {});
  const { store } = options;
  const client = createScanClient({ rpcUrl: options.rpcUrl }, options.retry ?? DEFAULT_RETRY_POLICY);
  const chainId = await client.getChainId();
  const knownChain = await store.chainId();
  if (knownChain !== null && knownChain !== chainId) {
    throw new WatchError(`the store follows chain ${knownChain} but the RPC serves chain ${chainId}: use another --store or the right --rpc`);
  }
  if (knownChain === null) await store.setChainId(chainId);
  const metrics = createWatchMetrics();
  const denylist = createDenylist();
  const routerList = [PERMIT2_ADDRESS, ...(settings.routers ?? [ALLOWANCE_ROUTER_ADDRESS])];
  const revoker = getAddress(settings.revoker ?? BATCH_REVOKER_ADDRESS);
  const stats = emptyFollowStats();
  let lastError: string | null = null;
  let head: bigint | null = null;
  let serial: Promise<unknown> = Promise.resolve();
  const background = new Set<Promise<unknown>>();
  /** Steps and exploit checks run one at a time: they read and write the same approvals. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = serial.then(work);
    serial = result.catch(() => {});
    return result;
  };
  const inBackground = (work: Promise<unknown>) => {
    const tracked = work.catch((error: Error) => log(`watch: ${error.message}`)).finally(() => background.delete(tracked));
    background.add(tracked);
  };

  const signer: GuardianSigner | null =
    options.guardian && settings.autoRevoke
      ? {
          account: options.guardian,
          wallet: createWalletClient({
            account: options.guardian,
            chain: defineChain({ id: chainId, name: `chain ${chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [options.rpcUrl] } } }),
            transport: http(options.rpcUrl, { retryCount: 3 }),
          }),
        }
      : null;

  const emit = (alerts: WatchAlert[]) => {
    for (const alert of alerts) {
      metrics.alerts.inc({ rule: alert.rule });
      output(JSON.stringify(alert));
    }
  };

  const context: FollowContext = {
    client,
    chainId,
    store,
    settings,
    denylist,
    routers: new Set(routerList.map(lower)),
    multicallAddress: await findMulticall(client),
    onAlerts: emit,
    onExploitable: (approvals) => inBackground(exclusive(() => handleExploited(approvals))),
    stats,
  };

  /** `approvals` as they are at the head: the live ones with their current amounts, and the gone ones. */
  async function atHead(approvals: readonly WatchedApproval[]) {
    const latest = await fetchBlock(client, await client.getBlockNumber({ cacheTime: 0 }));
    if (latest === null) throw new WatchError("the node has no latest block");
    const byOwner = new Map<Address, ReturnType<typeof storedCandidateOf>[]>();
    for (const approval of approvals) byOwner.set(approval.owner, [...(byOwner.get(approval.owner) ?? []), storedCandidateOf(approval)]);
    const confirmed = await confirmOwners(context, byOwner, latest);
    const live: WatchedApproval[] = [];
    const gone: WatchedApproval[] = [];
    for (const approval of approvals) {
      const now = confirmed.get(approval.owner)?.find((found) => found.id === approval.id);
      if (now === undefined) gone.push({ ...approval, live: false, amount: approval.amount === null ? null : 0n, changedBlock: latest.number });
      else live.push({ ...approval, amount: now.amount, expiresAt: now.expiresAt });
    }
    return { latest, live, gone };
  }

  /** Re-reads `approvals` at the head, alerts on the live ones, and revokes them as guardian where appointed. */
  async function handleExploited(approvals: readonly WatchedApproval[]): Promise<Omit<ExploitReport, "listed">> {
    const none = { approvals: 0, alerts: [], revocations: [], accountRevocations: [], skipped: [] };
    if (approvals.length === 0) return none;
    const { live, gone } = await atHead(approvals);
    const now = new Date();
    const alerts = live.map((approval) =>
      approvalAlert({
        chainId,
        rule: "spender-exploited",
        severity: "critical",
        approval,
        message: `${approval.spender} is listed as exploited: ${approval.owner}'s ${approval.kind} approval of ${approval.token} is live`,
        reasons: [`listed: ${denylist.lookup(chainId, approval.spender) ?? "exploited"}`],
        block: null,
        key: [approval.grantedTransaction, approval.grantedLogIndex],
        now,
      }),
    );
    emit(await store.putAlerts(alerts, gone));
    const summary = { approvals: live.length, alerts: alerts.map((alert) => alert.id) };
    if (signer === null || live.length === 0) return { ...none, ...summary };
    return { ...summary, ...(await store.withGuardianLock(() => revokeAsGuardian(signer, live))) };
  }

  /**
   * Under the guardian key's lock: first settles what an earlier run (crashed, or another worker)
   * left pending, then re-reads the approvals (another worker may have revoked them meanwhile)
   * and revokes the live ones: through the owner's BatchRevoker when its EIP-7702 account
   * appointed the key (every kind, one transaction per owner, all signed with consecutive nonces
   * and recorded before any is broadcast, so they land in the next block), else router grants
   * through the router's guardian.
   */
  async function revokeAsGuardian(signer: GuardianSigner, candidates: readonly WatchedApproval[]) {
    await settlePendingRevocations(signer);
    const { live } = await atHead(candidates);
    const byOwner = new Map<Address, WatchedApproval[]>();
    for (const approval of live) byOwner.set(approval.owner, [...(byOwner.get(approval.owner) ?? []), approval]);
    const viaRouter: WatchedApproval[] = [];
    const skipped: ExploitReport["skipped"] = [];
    const signed: PendingRevocation[] = [];
    let nonce = await client.getTransactionCount({ address: signer.account.address, blockTag: "pending" });
    for (const [owner, approvals] of byOwner) {
      const refusal = await accountGuardianRefusal(client, { owner, revoker, guardian: signer.account.address });
      if (refusal === null) {
        const revocation = await signAccountRevocation(signer, { owner, approvals, nonce });
        // Under the lock no other worker can have one pending; the store's unique index is the last word.
        if (await store.recordRevocation(revocation)) {
          signed.push(revocation);
          nonce++;
        }
        continue;
      }
      viaRouter.push(...approvals.filter((approval) => approval.kind === "router"));
      const plain = approvals.filter((approval) => approval.kind !== "router");
      if (plain.length === 0) continue;
      skipped.push({ owner, reason: refusal });
      emit(await store.putAlerts([skippedAlert(owner, plain, refusal)]));
    }
    for (const revocation of signed) await broadcastRevocation(client, revocation);
    const accountRevocations: AccountRevocation[] = [];
    for (const revocation of signed) accountRevocations.push(await settleRevocation(signer, revocation));
    const revocations = await revokeRouterGrantsAsGuardian(client, signer, viaRouter);
    for (const revocation of revocations) await recordRouterRevocation(revocation);
    return { revocations, accountRevocations, skipped };
  }

  function skippedAlert(owner: Address, approvals: readonly WatchedApproval[], reason: string): WatchAlert {
    return {
      id: alertId(chainId, "auto-revoke-skipped", lower(owner), approvals.map((approval) => approval.id).sort().join(",")),
      rule: "auto-revoke-skipped",
      severity: "critical",
      chainId,
      owner,
      message: `not revoking ${approvals.length} approval(s) of ${owner} to exploited spenders as guardian: ${reason}; revoke by hand`,
      reasons: [reason],
      approval: null,
      block: null,
      transactionHash: null,
      retracts: null,
      items: approvals.map((approval) => ({ id: approval.id, spender: approval.spender, grantedAt: approval.grantedAt })),
      createdAt: new Date().toISOString(),
    };
  }

  /** Waits for a recorded BatchRevoker revocation and stores how it ended (alert and approvals, at once). */
  async function settleRevocation(signer: GuardianSigner, revocation: PendingRevocation): Promise<AccountRevocation> {
    const { status, receipt } = await settledRevocation(client, revocation, signer.account.address, REVOCATION_RECEIPT_TIMEOUT_MS);
    const results = receipt !== null && status === "success" ? await revocationResults(client, revocation, receipt) : null;
    const items = revocation.approvals.map((approval, index) => {
      const result = results?.[index];
      return {
        id: approval.id,
        spender: approval.spender,
        outcome: result?.outcome ?? null,
        ...(result?.reason === undefined ? {} : { reason: result.reason }),
      };
    });
    const revoked = items.filter((item) => item.outcome === "revoked").length;
    const reduced = items.filter((item) => item.outcome === "reduced").length;
    const failed = items.filter((item) => item.outcome === "failed").length;
    const message =
      status === "success"
        ? `revoked ${revoked} of ${items.length} approval(s) of ${revocation.owner} as its BatchRevoker guardian${reduced > 0 ? `, ${reduced} reduced to 1` : ""}${failed > 0 ? `, ${failed} failed: revoke those by hand` : ""}`
        : status === "reverted"
          ? `guardian revocation for ${revocation.owner} through its BatchRevoker reverted (guardian changed or account undelegated?): revoke by hand`
          : `guardian revocation for ${revocation.owner} was dropped (its nonce was used by another transaction): revoke by hand`;
    const alert: WatchAlert = {
      id: alertId(chainId, "auto-revoked", lower(revocation.owner), revocation.transactionHash),
      rule: "auto-revoked",
      severity: status === "success" && failed === 0 ? "info" : "critical",
      chainId,
      owner: revocation.owner,
      message,
      reasons: items.map((item) => `${item.id} to exploited ${item.spender}: ${item.outcome ?? status}${item.reason === undefined ? "" : ` (${item.reason})`}`),
      approval: null,
      block: null,
      transactionHash: revocation.transactionHash,
      retracts: null,
      items: revocation.approvals.map((approval, index) => ({
        id: approval.id,
        spender: approval.spender,
        grantedAt: approval.grantedAt,
        ...(items[index]!.outcome === null ? {} : { outcome: items[index]!.outcome! }),
        ...(items[index]!.reason === undefined ? {} : { reason: items[index]!.reason }),
      })),
      createdAt: new Date().toISOString(),
    };
    const changed = results === null ? [] : approvalsAfter(results, receipt!.blockNumber);
    if (status === "success") metrics.revocations.inc();
    emit(await store.settleRevocation(revocation.transactionHash, status, [alert], changed));
    return { owner: revocation.owner, transactionHash: revocation.transactionHash, status, items };
  }

  /** Settles every revocation left pending by a crash or by another worker: never sends a second one for it. */
  async function settlePendingRevocations(signer: GuardianSigner) {
    for (const revocation of await store.pendingRevocations()) await settleRevocation(signer, revocation);
  }

  async function recordRouterRevocation(revocation: GuardianRevocation) {
    metrics.revocations.inc();
    const alert: WatchAlert = {
      id: alertId(chainId, "auto-revoked", lower(revocation.owner), revocation.transactionHash),
      rule: "auto-revoked",
      severity: revocation.status === "success" ? "info" : "critical",
      chainId,
      owner: revocation.owner,
      message:
        revocation.status === "success"
          ? `revoked ${revocation.approvals.length} grant(s) of ${revocation.owner} on ${revocation.router} as guardian`
          : `guardian revocation for ${revocation.owner} on ${revocation.router} reverted: revoke by hand`,
      reasons: revocation.approvals.map((approval) => `${approval.id} to exploited ${approval.spender}`),
      approval: null,
      block: null,
      transactionHash: revocation.transactionHash,
      retracts: null,
      items: revocation.approvals.map((approval) => ({ id: approval.id, spender: approval.spender, grantedAt: approval.grantedAt })),
      createdAt: new Date().toISOString(),
    };
    const latest = await client.getBlockNumber({ cacheTime: 0 });
    const revoked = revocation.status === "success" ? revocation.approvals.map((approval) => ({ ...approval, live: false, amount: 0n, changedBlock: latest })) : [];
    emit(await store.putAlerts([alert], revoked));
  }

  const exploited = async (spenders: readonly Address[]) => {
    if (!settings.rules.exploitedSpender) return { approvals: 0, alerts: [], revocations: [], accountRevocations: [], skipped: [] };
    return exclusive(async () => handleExploited(await store.liveApprovalsTo(spenders)));
  };

  const step = async (owners: readonly WatchedOwner[]) =>
    exclusive(async () => {
      try {
        head = await client.getBlockNumber({ cacheTime: 0 });
        metrics.head.set(Number(head));
        const before = { ...stats };
        await followOwners(context, owners, head);
        metrics.blocks.inc(stats.blocksProcessed - before.blocksProcessed);
        metrics.logRequests.inc(stats.logRequests - before.logRequests);
        metrics.reorgs.inc(stats.reorgs - before.reorgs);
        lastError = null;
      } catch (error) {
        lastError = (error as Error).message.split("\n")[0]!;
        throw error;
      }
    });

  if (options.owners !== undefined && options.owners.length > 0) await store.addOwners(options.owners, settings.partitions);

  const stopDenylist =
    settings.denylistFile === null
      ? () => {}
      : followDenylistFile(settings.denylistFile, denylist, {
          onAdded: (spenders) => {
            log(`watch: denylist lists ${spenders.length} new spender(s); checking every watched owner's approvals to them`);
            inBackground(exploited(spenders));
          },
          onError: (error) => log(`watch: denylist not reloaded: ${error.message}`),
        });

  const outbox = options.webhook && !options.driver?.deliversAlerts && store.outbox ? store.outbox : null;
  const dispatcher =
    outbox === null
      ? null
      : startOutboxDispatcher(
          outbox,
          options.webhook!,
          {
            onDelivered: (alert) => {
              metrics.delivered.inc();
              if (alert.block !== null) metrics.latency.observe(Math.max(0, Date.now() / 1000 - alert.block.timestamp));
            },
            onFailed: (alert, error) => {
              metrics.deliveryFailures.inc();
              log(`watch: webhook delivery of ${alert.id} failed (${error.message}); retrying with backoff`);
            },
          },
          options.deliveryBackoff ?? DEFAULT_DELIVERY_BACKOFF,
        );

  const addOwners = async (owners: readonly OwnerInput[]) => store.addOwners(owners, settings.partitions);
  const api =
    options.apiPort === null || options.apiPort === undefined
      ? null
      : await startControlApi(
          {
            addOwners,
            removeOwner: (owner) => store.removeOwner(owner),
            owners: async () => (await store.owners()).map((owner) => ({ ...owner, cursor: owner.cursor?.toString() ?? null })),
            alerts: (query) => store.alerts(query),
            reportExploits: async (spenders) => {
              const listed = denylist.add(spenders, "reported through POST /exploits");
              return { listed, ...(await exploited(spenders)) };
            },
            health: async () => ({
              ok: lastError === null,
              chainId,
              head: head?.toString() ?? null,
              owners: (await store.owners()).length,
              outboxPending: outbox === null ? null : await outbox.pending(),
              error: lastError,
              stats,
            }),
            metrics: async () => {
              metrics.owners.set((await store.owners()).length);
              if (outbox !== null) metrics.outbox.set(await outbox.pending());
              return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
            },
          },
          options.apiPort,
        );

  // A revocation a crashed run signed and recorded: settled (re-broadcast, waited for) before anything else is sent.
  if (signer !== null) inBackground(exclusive(() => store.withGuardianLock(() => settlePendingRevocations(signer))));

  const driver = options.driver ?? loopDriver(settings.pollIntervalMs, (error) => log(`watch: step failed (${error.message.split("\n")[0]}); retrying`));
  await driver.start(step, { partitions: settings.partitions, store });

  return {
    chainId,
    apiUrl: api?.url ?? null,
    client,
    metrics,
    addOwners,
    removeOwner: (owner) => store.removeOwner(owner),
    reportExploits: async (spenders) => {
      const listed = denylist.add(spenders, "reported as exploited");
      return { listed, ...(await exploited(spenders)) };
    },
    step: async () => step(await store.owners()),
    idle: async () => {
      while (background.size > 0) await Promise.all([...background]);
      await serial;
      await dispatcher?.flush();
    },
    async stop() {
      stopDenylist();
      await driver.stop();
      while (background.size > 0) await Promise.all([...background]);
      await dispatcher?.stop();
      await api?.close();
    },
  };
}
