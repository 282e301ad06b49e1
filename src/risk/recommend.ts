import { SECONDS_PER_DAY } from "../scan/constants.js";
import type { Approval, Pull, SpenderProfile } from "../scan/types.js";
import { formatTokenAmount, roundUpSignificant } from "./amounts.js";
import type { RiskGrade } from "./grade.js";
import { DEFAULT_RISK_THRESHOLDS } from "./weights.js";

/**
 * What to do with an approval:
 * - `revoke`: remove it;
 * - `reduce`: lower it to `amount` (and, if `expiresInSeconds` is set, bound it in time: for a
 *   plain ERC-20 approval that means moving it to a router grant);
 * - `set-expiry`: keep the amount, bound it to `expiresInSeconds` from now;
 * - `keep`: it matches how it is used.
 */
export type Recommendation =
  | { action: "revoke"; reason: string }
  | { action: "reduce"; amount: bigint; expiresInSeconds: number | null; reason: string }
  | { action: "set-expiry"; expiresInSeconds: number; reason: string }
  | { action: "keep"; reason: string };

/** How the spender used the approval: its pulls from the owner, and the chain time now. */
export interface Usage {
  pulls: readonly Pull[];
  now: number;
}

export interface RecommendOptions {
  /** Pulls older than this do not count as current use (default 90 days). */
  windowDays?: number;
  /** Margin over the largest pull when sizing a reduced allowance, in percent (default 25). */
  headroomPercent?: number;
  /** An unused approval younger than this is left alone (default 7 days). */
  graceDays?: number;
  /** Bounds of a suggested expiry (default 1 to 365 days). */
  minExpiryDays?: number;
  maxExpiryDays?: number;
  /** The approval's grade: a denylisted spender is always revoked. */
  risk?: RiskGrade;
  /** The spender's profile: an approval of a router is kept (its grants are what to tune). */
  spender?: SpenderProfile | null;
}

const DEFAULTS = {
  windowDays: DEFAULT_RISK_THRESHOLDS.staleDays,
  headroomPercent: 25,
  graceDays: 7,
  minExpiryDays: 1,
  maxExpiryDays: 365,
} as const;
const SIGNIFICANT_DIGITS = 2;
/** A suggested expiry covers this many of the longest gaps between uses. */
const EXPIRY_INTERVALS = 2;

const days = (seconds: number) => Math.floor(seconds / SECONDS_PER_DAY);

/**
 * An expiry long enough for the spender's habits: twice the longest gap between consecutive
 * uses in the window (from the grant to the first use when there is only one), in whole days,
 * within the configured bounds.
 */
function suggestedExpiry(approval: Approval, recent: readonly Pull[], now: number, minDays: number, maxDays: number): number {
  const times = recent.map((pull) => pull.at.timestamp);
  const points = times.length === 1 ? [Math.min(approval.grantedAt.timestamp, times[0]!), times[0]!] : times;
  let longestGap = 0;
  for (let i = 1; i < points.length; i++) longestGap = Math.max(longestGap, points[i]! - points[i - 1]!);
  if (times.length === 1) longestGap = Math.max(longestGap, now - times[0]!);
  const wanted = Math.ceil((longestGap * EXPIRY_INTERVALS) / SECONDS_PER_DAY);
  return Math.min(maxDays, Math.max(minDays, wanted)) * SECONDS_PER_DAY;
}

/**
 * Recommends revoke, reduce or set-expiry from how the spender actually used the approval:
 * unused approvals (never, or not within the window) are revoked; a live one is reduced to its
 * largest single pull in the window plus headroom, rounded up to two significant digits, and
 * bounded in time by the rhythm of its uses. NFT approvals in use are kept (they have no
 * amount or expiry to tune).
 */
export function recommend(approval: Approval, usage: Usage, options: RecommendOptions = {}): Recommendation {
  const windowDays = options.windowDays ?? DEFAULTS.windowDays;
  const headroomPercent = options.headroomPercent ?? DEFAULTS.headroomPercent;
  const graceDays = options.graceDays ?? DEFAULTS.graceDays;
  const { now } = usage;

  const denylisted = options.risk?.factors.find((factor) => factor.name === "denylisted");
  if (denylisted !== undefined) return { action: "revoke", reason: denylisted.reason };
  if (options.spender?.router === true) return { action: "keep", reason: "router approval: its grants, listed separately, bound what it can move" };

  if (usage.pulls.length === 0) {
    const age = days(now - approval.grantedAt.timestamp);
    return age > graceDays
      ? { action: "revoke", reason: `never used in the ${age} days since granted` }
      : { action: "keep", reason: `granted ${age} days ago, not used yet` };
  }
  const recent = usage.pulls.filter((pull) => pull.at.timestamp >= now - windowDays * SECONDS_PER_DAY);
  const lastUse = Math.max(...usage.pulls.map((pull) => pull.at.timestamp));
  if (recent.length === 0) return { action: "revoke", reason: `last used ${days(now - lastUse)} days ago` };
  if (approval.amount === null) return { action: "keep", reason: `in use: last pull ${days(now - lastUse)} days ago` };

  const largest = recent.reduce((max, pull) => (pull.amount > max ? pull.amount : max), 0n);
  const target = roundUpSignificant((largest * BigInt(100 + headroomPercent)) / 100n, SIGNIFICANT_DIGITS);
  const expiry = suggestedExpiry(
    approval,
    recent,
    now,
    options.minExpiryDays ?? DEFAULTS.minExpiryDays,
    options.maxExpiryDays ?? DEFAULTS.maxExpiryDays,
  );
  const needsExpiry = approval.expiresAt === null || approval.expiresAt - now > expiry;
  const { decimals, symbol } = approval.token;
  const largestText = formatTokenAmount(largest, decimals, symbol);
  const rhythm = `${recent.length} pull${recent.length === 1 ? "" : "s"} in ${windowDays} days`;

  if (approval.amount > target) {
    return {
      action: "reduce",
      amount: target,
      expiresInSeconds: needsExpiry ? expiry : null,
      reason: `largest pull ${largestText} (${rhythm}); ${headroomPercent}% headroom`,
    };
  }
  if (needsExpiry) return { action: "set-expiry", expiresInSeconds: expiry, reason: `${rhythm}; longest gap sets the expiry` };
  return { action: "keep", reason: `amount and expiry fit its use (${rhythm})` };
}
