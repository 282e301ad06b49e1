import { isAddressEqual, type Address } from "viem";

import type { GradedApproval } from "../risk/graded.js";
import type { Approval } from "../scan/types.js";

/**
 * Which approvals to act on:
 * - `risky`: see `isRiskyApproval`;
 * - `all`: every live approval;
 * - `spender`: those whose spender (ERC-20 spender, approved address, operator, grant spender) is `address`;
 * - `token`: those of the token or collection `address` (for a router grant: the granted token).
 */
export type ApprovalSelector = { kind: "risky" } | { kind: "all" } | { kind: "spender" | "token"; address: Address };

/**
 * An ERC-20 allowance of 1 base unit: the least a token that refuses approve(0) (BNB) can be
 * lowered to, which a revocation therefore leaves; revoking it again would spend gas on nothing,
 * and elsewhere it exposes one indivisible unit.
 */
export function isAtSmallestValue(approval: Pick<Approval, "kind" | "amount">): boolean {
  return approval.kind === "erc20" && approval.amount === 1n;
}

/**
 * Risky = the recommendation is to revoke it (a denylisted spender; never used since granted, past
 * the grace days; or unused within the window), or its risk grade is high or critical — unless it
 * is already at its smallest possible value (isAtSmallestValue).
 */
export function isRiskyApproval({ approval, risk, recommendation }: GradedApproval): boolean {
  if (isAtSmallestValue(approval)) return false;
  return recommendation.action === "revoke" || risk.level === "high" || risk.level === "critical";
}

export function selectApprovals<Entry extends GradedApproval>(entries: readonly Entry[], selector: ApprovalSelector): Entry[] {
  switch (selector.kind) {
    case "all":
      return [...entries];
    case "risky":
      return entries.filter(isRiskyApproval);
    case "spender":
      return entries.filter(({ approval }) => isAddressEqual(approval.spender, selector.address));
    case "token":
      return entries.filter(({ approval }) => isAddressEqual(approval.token.address, selector.address));
  }
}
