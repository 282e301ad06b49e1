/**
 * The risk factors and their weights, in one place. A grade's score is the sum of the weights
 * of the factors that apply, capped at 100; `denylisted` alone makes it critical.
 *
 * | factor             | weight | applies when                                                          |
 * |--------------------|-------:|-----------------------------------------------------------------------|
 * | denylisted         |    100 | the spender was drained in a known incident (src/data/denylist-entries.ts)   |
 * | unlimited          |     30 | allowance >= total supply, or the max of a uint type (uint96, uint160, uint256...), or an operator |
 * | eoaSpender         |     25 | the spender has no code: whoever holds its key can pull                |
 * | delegatedSpender   |     25 | the spender is an EOA with an EIP-7702 delegation                      |
 * | upgradeableProxy   |     15 | the spender is an EIP-1967 / EIP-1822 / beacon proxy                   |
 * | recentSpender      |     15 | the spender's code appeared, changed or was upgraded in the recent window |
 * | stale              |     15 | no pull for `staleDays` (counted from the grant if never used)         |
 * | exceedsBalance     |     10 | allowance above the balance: the whole balance is exposed              |
 * | longExpiry         |     10 | never expires, or expires more than `longExpiryDays` from now          |
 * | neverUsed          |      5 | no pull by this spender seen since the scan's first block              |
 */
export const RISK_WEIGHTS = {
  denylisted: 100,
  unlimited: 30,
  eoaSpender: 25,
  delegatedSpender: 25,
  upgradeableProxy: 15,
  recentSpender: 15,
  stale: 15,
  exceedsBalance: 10,
  longExpiry: 10,
  neverUsed: 5,
} as const;

export type RiskFactorName = keyof typeof RISK_WEIGHTS;

export type RiskLevel = "critical" | "high" | "medium" | "low";

/** Lowest score of each level (checked from the top). */
export const RISK_LEVEL_FLOORS: readonly (readonly [RiskLevel, number])[] = [
  ["critical", 70],
  ["high", 45],
  ["medium", 20],
  ["low", 0],
];

export const RISK_LEVEL_ORDER: readonly RiskLevel[] = ["low", "medium", "high", "critical"];

export interface RiskThresholds {
  /** Days without a pull after which an approval is stale. */
  staleDays: number;
  /** An expiry further than this is "long". */
  longExpiryDays: number;
}

export const DEFAULT_RISK_THRESHOLDS: RiskThresholds = { staleDays: 90, longExpiryDays: 365 };

export const MAX_SCORE = 100;
