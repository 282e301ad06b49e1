import { getAddress, type Address, type Hex } from "viem";

import type { ApprovalKind } from "../scan/types.js";
import type { BlockCheckpoint, PendingRevocation, WatchedApproval, WatchedOwner } from "./types.js";

// Row shapes shared by the SQLite and PostgreSQL stores: same tables, same column names.

export type Row = Record<string, unknown>;

const big = (value: unknown): bigint => BigInt(value as string | number | bigint);
const nullable = <T>(value: unknown, map: (value: unknown) => T): T | null => (value === null || value === undefined ? null : map(value));

export function ownerFromRow(row: Row): WatchedOwner {
  return {
    address: getAddress(row.address as string),
    partition: Number(row.partition),
    cursor: nullable(row.cursor, big),
    maxGrantSeconds: nullable(row.max_grant_seconds, Number),
    digestPeriod: nullable(row.digest_period, Number),
  };
}

export function approvalFromRow(row: Row): WatchedApproval {
  return {
    id: row.id as string,
    owner: getAddress(row.owner as string),
    kind: row.kind as ApprovalKind,
    token: row.token as Address,
    spender: row.spender as Address,
    router: (row.router as Address | null) ?? null,
    tokenId: nullable(row.token_id, big),
    amount: nullable(row.amount, big),
    expiresAt: nullable(row.expires_at, Number),
    live: Boolean(Number(row.live)),
    grantedBlock: big(row.granted_block),
    grantedAt: Number(row.granted_at),
    grantedTransaction: row.granted_tx as Hex,
    grantedLogIndex: Number(row.granted_log_index),
    changedBlock: big(row.changed_block),
  };
}

/** Values in the column order of APPROVAL_COLUMNS. */
export function approvalValues(approval: WatchedApproval): (string | number | null)[] {
  return [
    approval.owner.toLowerCase(),
    approval.id,
    approval.kind,
    approval.token,
    approval.spender,
    approval.router,
    approval.tokenId === null ? null : approval.tokenId.toString(),
    approval.amount === null ? null : approval.amount.toString(),
    approval.expiresAt,
    approval.live ? 1 : 0,
    approval.grantedBlock.toString(),
    approval.grantedAt,
    approval.grantedTransaction,
    approval.grantedLogIndex,
    approval.changedBlock.toString(),
  ];
}

export const APPROVAL_COLUMNS = [
  "owner",
  "id",
  "kind",
  "token",
  "spender",
  "router",
  "token_id",
  "amount",
  "expires_at",
  "live",
  "granted_block",
  "granted_at",
  "granted_tx",
  "granted_log_index",
  "changed_block",
] as const;

export function checkpointFromRow(row: Row): BlockCheckpoint {
  return { number: big(row.number), hash: row.hash as Hex, timestamp: nullable(row.timestamp, Number) };
}

/** Owners are spread over partitions by address, so a partition's owners never change worker mid-step. */
export function partitionOf(owner: Address, partitions: number): number {
  return Number(BigInt(owner) % BigInt(partitions));
}

/** A pending revocation's approvals as one JSON column: each approval as its row values. */
export function approvalsJson(approvals: readonly WatchedApproval[]): string {
  return JSON.stringify(approvals.map(approvalValues));
}

export function pendingRevocationFromRow(row: Row): PendingRevocation {
  const approvals = (JSON.parse(row.approvals as string) as unknown[][]).map((values) =>
    approvalFromRow(Object.fromEntries(APPROVAL_COLUMNS.map((column, index) => [column, values[index]]))),
  );
  return {
    transactionHash: row.tx_hash as Hex,
    owner: getAddress(row.owner as string),
    rawTransaction: row.raw_tx as Hex,
    nonce: Number(row.nonce),
    approvals,
  };
}

/** The table of guardian revocations, the same in both stores: at most one pending per owner. */
export const REVOCATIONS_TABLE = (schema: string) => `
CREATE TABLE IF NOT EXISTS ${schema}revocations (
  tx_hash TEXT PRIMARY KEY, owner TEXT NOT NULL, raw_tx TEXT NOT NULL, nonce BIGINT NOT NULL, approvals TEXT NOT NULL,
  status TEXT NOT NULL, recorded_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS revocations_pending_owner ON ${schema}revocations (owner) WHERE status = 'pending';
`;
