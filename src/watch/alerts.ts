import { keccak256, toHex, type Hex } from "viem";

import type { RuleName, Severity, WatchAlert, WatchedApproval } from "./types.js";

/**
 * A stable alert id: the same inputs give the same id on every run and every worker, so an alert
 * recomputed after a crash or a takeover is recognised (stored once, delivered under one id).
 * Block-bound alerts include the block hash: after a reorg the same event in another block is
 * a new alert, and the old one is retracted.
 */
export function alertId(...parts: readonly (string | number | bigint | null)[]): string {
  return keccak256(toHex(parts.map((part) => (part === null ? "" : String(part))).join("|"))).slice(2, 34);
}

export function approvalSummary(approval: WatchedApproval): NonNullable<WatchAlert["approval"]> {
  return {
    id: approval.id,
    kind: approval.kind,
    token: approval.token,
    spender: approval.spender,
    router: approval.router,
    tokenId: approval.tokenId === null ? null : approval.tokenId.toString(),
    amount: approval.amount === null ? null : approval.amount.toString(),
    expiresAt: approval.expiresAt,
  };
}

export function approvalAlert(params: {
  chainId: number;
  rule: RuleName;
  severity: Severity;
  approval: WatchedApproval;
  message: string;
  reasons: string[];
  block: { number: bigint; hash: Hex; timestamp: number } | null;
  /** What makes the alert unique besides rule, owner and approval (default: the block and event). */
  key?: readonly (string | number | bigint)[];
  now: Date;
}): WatchAlert {
  const { approval, block } = params;
  const key = params.key ?? [block?.hash ?? "", approval.grantedTransaction, approval.grantedLogIndex];
  return {
    id: alertId(params.chainId, params.rule, approval.owner.toLowerCase(), approval.id, ...key),
    rule: params.rule,
    severity: params.severity,
    chainId: params.chainId,
    owner: approval.owner,
    message: params.message,
    reasons: params.reasons,
    approval: approvalSummary(approval),
    block: block === null ? null : { number: block.number.toString(), hash: block.hash, timestamp: block.timestamp },
    transactionHash: approval.grantedTransaction,
    retracts: null,
    createdAt: params.now.toISOString(),
  };
}

/** The correction for an alert whose block a reorg removed: it retracts the original by id. */
export function correctionAlert(original: WatchAlert, now: Date): WatchAlert {
  return {
    ...original,
    id: alertId(original.chainId, "correction", original.id),
    rule: "correction",
    severity: "info",
    message: `retracted: alert ${original.id} (${original.rule}) was about block ${original.block?.number ?? "?"}, which a reorg removed`,
    reasons: ["reorg"],
    retracts: original.id,
    createdAt: now.toISOString(),
  };
}
