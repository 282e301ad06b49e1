import { maxUint160 } from "viem";

import { typeMaxBits } from "../risk/amounts.js";
import type { SpenderProfile } from "../scan/types.js";
import { approvalAlert } from "./alerts.js";
import { DAY_SECONDS, type WatchRules } from "./config.js";
import type { Denylist } from "./denylist.js";
import type { WatchAlert, WatchedApproval } from "./types.js";

const UNLIMITED_FROM = 1n << 255n;

/** type(uintN).max (or anything from 2^255), an unlimited router grant, or a whole collection. */
export function isUnlimited(approval: WatchedApproval): boolean {
  if (approval.kind === "erc721-operator" || approval.kind === "erc1155-operator") return true;
  if (approval.amount === null) return false;
  if (approval.kind === "router") return approval.amount === maxUint160;
  return approval.amount >= UNLIMITED_FROM || typeMaxBits(approval.amount) !== null;
}

export interface RuleContext {
  chainId: number;
  rules: WatchRules;
  denylist: Denylist;
  profiles: Readonly<Record<string, SpenderProfile>>;
  block: { number: bigint; hash: `0x${string}`; timestamp: number };
  /** The owner's full scan: what it finds is not "new". */
  fullScan: boolean;
  /** The owner's own cap on grant duration (seconds), if set. */
  maxGrantSeconds: number | null;
  now: Date;
}

/** Reasons an approval's spender is risky: denylisted, an EOA, an EIP-7702-delegated EOA. */
export function spenderRisks(approval: WatchedApproval, context: Pick<RuleContext, "chainId" | "rules" | "denylist" | "profiles">): string[] {
  const reasons: string[] = [];
  const listed = context.denylist.lookup(context.chainId, approval.spender);
  if (listed !== null && context.rules.riskySpender.denylisted) reasons.push(`spender is listed as exploited (${listed})`);
  const profile = context.profiles[approval.spender.toLowerCase()];
  if (profile !== undefined && !profile.router) {
    if (profile.codeKind === "eoa" && context.rules.riskySpender.eoa) reasons.push("spender is an EOA: whoever holds its key can pull");
    if (profile.codeKind === "delegated-eoa" && context.rules.riskySpender.delegated) {
      reasons.push(`spender is an EIP-7702-delegated EOA (delegate ${profile.delegatedTo})`);
    }
  }
  return reasons;
}

/**
 * The alerts one approval change raises. Only a change counts: the same grant seen again (a
 * re-processed block, a takeover) raises nothing new, and the alert ids are stable anyway.
 */
export function evaluateChange(approval: WatchedApproval, previous: WatchedApproval | undefined, context: RuleContext): WatchAlert[] {
  if (!approval.live) return [];
  if (previous !== undefined && previous.live && previous.grantedTransaction === approval.grantedTransaction && previous.grantedLogIndex === approval.grantedLogIndex) {
    return [];
  }
  const { rules, chainId, block, now } = context;
  const alerts: WatchAlert[] = [];
  if (rules.newUnlimitedApproval && !context.fullScan && isUnlimited(approval)) {
    alerts.push(
      approvalAlert({
        chainId,
        rule: "new-unlimited-approval",
        severity: "warning",
        approval,
        message: `${approval.owner} gave ${approval.spender} an unlimited ${approval.kind} approval of ${approval.token}`,
        reasons: ["unlimited"],
        block,
        now,
      }),
    );
  }
  const risks = spenderRisks(approval, context);
  if (risks.length > 0) {
    const listed = risks.some((reason) => reason.startsWith("spender is listed"));
    alerts.push(
      approvalAlert({
        chainId,
        rule: "risky-spender",
        severity: listed ? "critical" : "high",
        approval,
        message: `${approval.owner} has a ${approval.kind} approval of ${approval.token} to a risky spender ${approval.spender}`,
        reasons: risks,
        block,
        now,
      }),
    );
  }
  const capSeconds = context.maxGrantSeconds ?? (rules.maxGrantDays === null ? null : rules.maxGrantDays * DAY_SECONDS);
  if (capSeconds !== null && approval.kind === "router" && approval.expiresAt !== null && approval.expiresAt - approval.grantedAt > capSeconds) {
    const days = ((approval.expiresAt - approval.grantedAt) / DAY_SECONDS).toFixed(1);
    alerts.push(
      approvalAlert({
        chainId,
        rule: "grant-beyond-duration-cap",
        severity: "warning",
        approval,
        message: `${approval.owner}'s grant to ${approval.spender} lasts ${days} days, beyond the cap of ${(capSeconds / DAY_SECONDS).toFixed(1)}`,
        reasons: [`lasts ${days} days`],
        block,
        now,
      }),
    );
  }
  return alerts;
}

/** The stale approvals of one owner: live, and not set again for `staleAfterDays`. */
export function staleApprovals(approvals: readonly WatchedApproval[], rules: WatchRules, now: number): WatchedApproval[] {
  if (rules.staleAfterDays === null) return [];
  const before = now - rules.staleAfterDays * DAY_SECONDS;
  return approvals.filter((approval) => approval.live && approval.grantedAt <= before);
}
