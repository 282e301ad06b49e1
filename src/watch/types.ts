import type { Address, Hex } from "viem";

import type { Approval, ApprovalKind } from "../scan/types.js";

/** The rules an approval change is checked against; see DEFAULT_WATCH_RULES for the defaults. */
export type RuleName =
  | "new-unlimited-approval"
  | "risky-spender"
  | "spender-exploited"
  | "grant-beyond-duration-cap"
  | "stale-approvals-digest"
  | "auto-revoked"
  | "auto-revoke-skipped"
  | "correction";

export type Severity = "info" | "warning" | "high" | "critical";

/** One watched approval as the service last confirmed it on-chain. */
export interface WatchedApproval
  extends Pick<Approval, "id" | "owner" | "kind" | "spender" | "router" | "tokenId" | "amount" | "expiresAt"> {
  /** The token's address (the scanner's `token.address`); an amount of 0 with `live` false once revoked. */
  token: Address;
  /** False once revoked, consumed or expired: kept so that a reorg can bring it back. */
  live: boolean;
  /** The event that last set it. */
  grantedBlock: bigint;
  grantedAt: number;
  grantedTransaction: Hex;
  grantedLogIndex: number;
  /** Block of the last change the service recorded: a reorg at or below it re-checks the approval. */
  changedBlock: bigint;
}

/** An alert: JSON with a stable id, the same on every delivery (the webhook's idempotency key). */
export interface WatchAlert {
  id: string;
  rule: RuleName;
  severity: Severity;
  chainId: number;
  owner: Address;
  /** What happened, in one line. */
  message: string;
  reasons: string[];
  approval: {
    id: string;
    kind: ApprovalKind;
    token: Address;
    spender: Address;
    router: Address | null;
    tokenId: string | null;
    amount: string | null;
    expiresAt: number | null;
  } | null;
  /** The block the alert is about; null for alerts not tied to one (an exploit report). */
  block: { number: string; hash: Hex; timestamp: number } | null;
  transactionHash: Hex | null;
  /** For a correction: the alert it retracts (its block was reorganised away). */
  retracts: string | null;
  /** Stale digest and auto-revocations: the approvals it lists; a BatchRevoker revocation adds each one's outcome. */
  items?: { id: string; spender: Address; grantedAt: number; outcome?: "revoked" | "reduced" | "failed"; reason?: string }[];
  createdAt: string;
}

/** One watched wallet and how far the service has followed it. */
export interface WatchedOwner {
  address: Address;
  /** Owner range it belongs to: workers take whole partitions. */
  partition: number;
  /** Last block fully processed; null until the owner's full scan. */
  cursor: bigint | null;
  /** Per-owner cap on grant duration (seconds), overriding the rule's default. */
  maxGrantSeconds: number | null;
  /** Last stale-digest period sent. */
  digestPeriod: number | null;
}

export interface OwnerInput {
  address: Address;
  maxGrantSeconds?: number | null;
}

export interface BlockCheckpoint {
  number: bigint;
  hash: Hex;
  timestamp: number | null;
}

/** Everything one processing step changes, committed at once (so a crash mid-step changes nothing). */
export interface StepCommit {
  owners: readonly Address[];
  cursor: bigint;
  blocks: readonly BlockCheckpoint[];
  approvals: readonly WatchedApproval[];
  alerts: readonly WatchAlert[];
  digests: readonly { owner: Address; period: number }[];
}

/**
 * A guardian revocation through an account's BatchRevoker, signed and recorded before it is
 * broadcast: a restart or another worker finds it and waits for it (re-broadcasting the same
 * signed bytes, which can be mined once only) instead of sending a second one.
 */
export interface PendingRevocation {
  transactionHash: Hex;
  owner: Address;
  rawTransaction: Hex;
  /** The guardian key's nonce it uses: once the key's nonce is past it without a receipt, it was dropped. */
  nonce: number;
  /** What it revokes, in the order the batch was encoded from. */
  approvals: WatchedApproval[];
}

/** How a pending revocation ended: mined (succeeded or reverted), or its nonce used by another transaction. */
export type RevocationStatus = "success" | "reverted" | "dropped";
