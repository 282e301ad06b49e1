// Grading of a whole scan: every approval with its risk grade and recommendation, and the totals
// a report shows. The CLI's report and the dashboard's table both come from here.
import { findDenylistEntry, type DenylistEntry } from "../data/denylist.js";
import { DEFAULT_RECENT_DAYS } from "../scan/constants.js";
import type { Approval, ScanResult } from "../scan/types.js";
import { gradeRisk, type RiskGrade } from "./grade.js";
import { recommend, type Recommendation } from "./recommend.js";
import { DEFAULT_RISK_THRESHOLDS, RISK_LEVEL_ORDER, type RiskLevel, type RiskThresholds } from "./weights.js";

/** A scanned approval with its risk grade and recommendation. */
export type GradedApproval = { approval: Approval; risk: RiskGrade; recommendation: Recommendation };

export type GradeApprovalsParameters = {
  thresholds?: Partial<RiskThresholds>;
  /** The window the scan's "recently deployed or upgraded" refers to (default 30 days). */
  recentDays?: number;
  /** Spenders to treat as denylisted besides the bundled list (e.g. a demo chain's own entries). */
  denylist?: readonly DenylistEntry[];
  /** Keep only approvals graded at this level or above (default: every approval, "low"). */
  minRisk?: RiskLevel;
};

export type GradeApprovalsReturnType = GradedApproval[];

/** How many graded approvals there are per risk level and per recommended action. */
export type GradeTotals = {
  approvals: number;
  byLevel: Record<RiskLevel, number>;
  unlimited: number;
  byAction: Record<Recommendation["action"], number>;
};

/** The denylist entry of an approval's spender on its chain: from `extra` first, then the bundled list. */
export function denylistEntryFor(approval: Pick<Approval, "chainId" | "spender">, extra: readonly DenylistEntry[] = []): DenylistEntry | null {
  const spender = approval.spender.toLowerCase();
  return (
    extra.find((entry) => entry.chainId === approval.chainId && entry.address.toLowerCase() === spender) ??
    findDenylistEntry(approval.chainId, approval.spender)
  );
}

const atLeast = (level: RiskLevel, floor: RiskLevel) => RISK_LEVEL_ORDER.indexOf(level) >= RISK_LEVEL_ORDER.indexOf(floor);

/**
 * Every approval of a scan (at `minRisk` or above) with its risk grade and recommendation,
 * measured against the scan's own chain time, riskiest first (ties by approval id, so the order
 * is stable between rescans).
 */
export function gradeApprovals(result: ScanResult, parameters: GradeApprovalsParameters = {}): GradeApprovalsReturnType {
  const thresholds = { ...DEFAULT_RISK_THRESHOLDS, ...parameters.thresholds };
  const recentDays = parameters.recentDays ?? DEFAULT_RECENT_DAYS;
  const minRisk = parameters.minRisk ?? "low";
  return result.approvals
    .map((approval) => {
      const spender = result.spenders[approval.spender.toLowerCase()];
      const denylistEntry = denylistEntryFor(approval, parameters.denylist);
      const risk = gradeRisk(approval, { now: result.scannedAt, spender, thresholds, recentDays, denylistEntry });
      const recommendation = recommend(approval, { pulls: approval.pulls, now: result.scannedAt }, {
        risk,
        spender,
        windowDays: thresholds.staleDays,
      });
      return { approval, risk, recommendation };
    })
    .filter((entry) => atLeast(entry.risk.level, minRisk))
    .sort((a, b) => b.risk.score - a.risk.score || a.approval.id.localeCompare(b.approval.id));
}

/** The counts a report's summary line shows. */
export function gradeTotals(entries: readonly GradedApproval[]): GradeTotals {
  const totals: GradeTotals = {
    approvals: entries.length,
    byLevel: { critical: 0, high: 0, medium: 0, low: 0 },
    unlimited: 0,
    byAction: { revoke: 0, reduce: 0, "set-expiry": 0, keep: 0 },
  };
  for (const entry of entries) {
    totals.byLevel[entry.risk.level]++;
    totals.byAction[entry.recommendation.action]++;
    if (entry.risk.factors.some((factor) => factor.name === "unlimited")) totals.unlimited++;
  }
  return totals;
}
