import { DEFAULT_RECENT_DAYS, SECONDS_PER_DAY } from "../scan/constants.js";
import type { Approval, SpenderProfile } from "../scan/types.js";
import { formatTokenAmount, typeMaxBits } from "./amounts.js";
import { findDenylistEntry, type DenylistEntry } from "../data/denylist.js";
import {
  DEFAULT_RISK_THRESHOLDS,
  MAX_SCORE,
  RISK_LEVEL_FLOORS,
  RISK_WEIGHTS,
  type RiskFactorName,
  type RiskLevel,
  type RiskThresholds,
} from "./weights.js";

export interface RiskFactor {
  name: RiskFactorName;
  weight: number;
  /** Why it applies to this approval, in words. */
  reason: string;
}

export interface RiskGrade {
  /** 0-100: the sum of the applying factors' weights, capped. */
  score: number;
  level: RiskLevel;
  /** The factors that apply, heaviest first. */
  factors: RiskFactor[];
}

export interface RiskContext {
  /** Chain time (unix seconds) to measure staleness and expiry against: the scan's `scannedAt`. */
  now: number;
  /** What the chain says about the spender (from the scan's `spenders`); unknown facts grade nothing. */
  spender?: SpenderProfile | null;
  /** Defaults to the bundled list's entry for the approval's chain and spender. */
  denylistEntry?: DenylistEntry | null;
  thresholds?: Partial<RiskThresholds>;
  /** The window the spender profile's "recently" refers to, for the reason text (default 30). */
  recentDays?: number;
}

const days = (seconds: number) => Math.floor(seconds / SECONDS_PER_DAY);

function unlimitedReason(approval: Approval): string | null {
  if (approval.kind === "erc721-operator" || approval.kind === "erc1155-operator") return "operator over the whole collection";
  if (approval.amount === null) return null;
  const bits = typeMaxBits(approval.amount);
  if (bits !== null) return `allowance is type(uint${bits}).max${bits < 256 ? ", the token's or router's own unlimited" : ""}`;
  const supply = approval.token.totalSupply;
  if (supply !== null && supply > 0n && approval.amount >= supply) {
    return `allowance is at or above the total supply (${formatTokenAmount(supply, approval.token.decimals, approval.token.symbol)})`;
  }
  return null;
}

/**
 * Grades one approval: each risk factor that applies adds its weight (RISK_WEIGHTS) and a
 * reason; the score is capped at 100 and mapped to a level, except that a denylisted spender
 * is always critical.
 */
export function gradeRisk(approval: Approval, context: RiskContext): RiskGrade {
  const thresholds = { ...DEFAULT_RISK_THRESHOLDS, ...context.thresholds };
  const spender = context.spender ?? null;
  const denylisted = context.denylistEntry === undefined ? findDenylistEntry(approval.chainId, approval.spender) : context.denylistEntry;
  const recentDays = context.recentDays ?? DEFAULT_RECENT_DAYS;
  const factors: RiskFactor[] = [];
  const add = (name: RiskFactorName, reason: string) => factors.push({ name, weight: RISK_WEIGHTS[name], reason });
  const { token } = approval;

  if (denylisted !== null) add("denylisted", `spender is ${denylisted.name}, drained ${denylisted.date}: ${denylisted.incident}`);
  // A router moves tokens only inside its grants, graded one by one as `router` approvals: the
  // owner's ERC-20 approval of it adds no exposure of its own.
  if (spender?.router === true) return finish(factors, denylisted);

  const unlimited = unlimitedReason(approval);
  if (unlimited !== null) add("unlimited", unlimited);

  if (approval.amount !== null && approval.balance !== null && approval.amount > approval.balance) {
    add("exceedsBalance", `allowance exceeds the balance: all ${formatTokenAmount(approval.balance, token.decimals, token.symbol)} exposed`);
  }

  if (spender?.codeKind === "eoa") add("eoaSpender", "spender is an EOA: whoever holds its key can pull");
  if (spender?.codeKind === "delegated-eoa") {
    add("delegatedSpender", `spender is an EIP-7702-delegated account (delegate ${spender.delegatedTo})`);
  }
  if (spender?.proxy) {
    add("upgradeableProxy", `spender is an upgradeable proxy (${spender.proxy.standard}, implementation ${spender.proxy.implementation})`);
  }
  if (spender?.deployedRecently === true) add("recentSpender", `spender's code appeared or changed in the last ${recentDays} days`);
  else if (spender?.upgradedRecently === true) add("recentSpender", `spender was upgraded in the last ${recentDays} days`);

  const idleSince = approval.lastUsedAt ?? approval.grantedAt.timestamp;
  const idleDays = days(context.now - idleSince);
  if (idleDays >= thresholds.staleDays) {
    add("stale", approval.lastUsedAt === null ? `never used in the ${idleDays} days since granted` : `unused for ${idleDays} days`);
  }
  if (approval.lastUsedAt === null) add("neverUsed", "no pull by this spender seen");

  if (approval.expiresAt === null) add("longExpiry", "never expires");
  else if (approval.expiresAt - context.now > thresholds.longExpiryDays * SECONDS_PER_DAY) {
    add("longExpiry", `expires in ${(days(approval.expiresAt - context.now) / 365).toFixed(1)} years`);
  }

  return finish(factors, denylisted);
}

function finish(factors: RiskFactor[], denylisted: DenylistEntry | null): RiskGrade {
  factors.sort((a, b) => b.weight - a.weight);
  const score = Math.min(MAX_SCORE, factors.reduce((sum, factor) => sum + factor.weight, 0));
  const level = denylisted !== null ? "critical" : RISK_LEVEL_FLOORS.find(([, floor]) => score >= floor)![0];
  return { score, level, factors };
}
