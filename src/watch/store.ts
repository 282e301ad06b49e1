import type { Address } from "viem";

import type { Hex } from "viem";

import type { BlockCheckpoint, OwnerInput, PendingRevocation, RevocationStatus, StepCommit, WatchAlert, WatchedApproval, WatchedOwner } from "./types.js";

/** One webhook delivery waiting in the outbox (embedded store; PostgreSQL uses pg-boss jobs). */
export interface PendingDelivery {
  alert: WatchAlert;
  attempts: number;
}

/**
 * Where the service keeps owners, cursors, approvals, alerts and block checkpoints: SQLite
 * embedded (node:sqlite), PostgreSQL at scale. Every method is atomic; `commitStep` writes a
 * whole processing step in one transaction, so a crash leaves either all of it or none.
 */
export interface WatchStore {
  readonly kind: "sqlite" | "postgres";
  chainId(): Promise<number | null>;
  setChainId(chainId: number): Promise<void>;
  /** Adds owners not yet watched (returned); known ones are left as they are. */
  addOwners(owners: readonly OwnerInput[], partitions: number): Promise<Address[]>;
  removeOwner(owner: Address): Promise<boolean>;
  owners(partition?: number): Promise<WatchedOwner[]>;
  approvals(owners: readonly Address[]): Promise<WatchedApproval[]>;
  /** Live approvals of watched owners to any of `spenders`. */
  liveApprovalsTo(spenders: readonly Address[]): Promise<WatchedApproval[]>;
  /** Writes a step; returns the alerts it stored for the first time (the others were already known). */
  commitStep(step: StepCommit): Promise<WatchAlert[]>;
  /** Stores alerts not tied to a step (exploit reports, auto-revocations); returns the new ones. */
  putAlerts(alerts: readonly WatchAlert[], approvals?: readonly WatchedApproval[]): Promise<WatchAlert[]>;
  alerts(query: { owner?: Address; rule?: string; limit: number }): Promise<WatchAlert[]>;
  /** Checkpoints (highest first) from `fromBlock` on: what a reorg check compares with the chain. */
  checkpoints(fromBlock: bigint): Promise<BlockCheckpoint[]>;
  /**
   * Undoes what blocks from `fromBlock` on did for `owners`: their cursors move back below it,
   * checkpoints from there are dropped, and their approvals changed there are marked for a
   * re-check. Returns their alerts about those blocks that have not been retracted yet.
   */
  rewind(owners: readonly Address[], fromBlock: bigint): Promise<WatchAlert[]>;
  /** Approvals marked for a re-check by a rewind (cleared by the next commit of their owner). */
  recheck(owners: readonly Address[]): Promise<WatchedApproval[]>;
  /**
   * Runs `work` holding the guardian key's lock, so that one process at a time reads what to
   * revoke, signs with the key's next nonce and sends: in-process in SQLite (one process), a
   * PostgreSQL advisory lock shared by every worker.
   */
  withGuardianLock<T>(work: () => Promise<T>): Promise<T>;
  /** Guardian revocations signed and recorded but not settled yet (oldest first). */
  pendingRevocations(): Promise<PendingRevocation[]>;
  /** Records a signed revocation before it is broadcast; false, recording nothing, if its owner has one pending. */
  recordRevocation(revocation: PendingRevocation): Promise<boolean>;
  /** Settles a pending revocation and stores its alerts and the approvals it changed, in one transaction; returns the new alerts. */
  settleRevocation(
    transactionHash: Hex,
    status: RevocationStatus,
    alerts: readonly WatchAlert[],
    approvals: readonly WatchedApproval[],
  ): Promise<WatchAlert[]>;
  close(): Promise<void>;
}

/** The embedded outbox: deliveries due, with their attempts so far. */
export interface Outbox {
  due(now: number, limit: number): Promise<PendingDelivery[]>;
  delivered(id: string, at: number): Promise<void>;
  failed(id: string, nextAttemptAt: number, error: string): Promise<void>;
  pending(): Promise<number>;
}
