import { findDenylistEntry, type DenylistEntry } from "../data/denylist.js";
import { gradeRisk } from "../risk/grade.js";
import { recommend } from "../risk/recommend.js";
import { DEFAULT_RISK_THRESHOLDS, type RiskThresholds } from "../risk/weights.js";
import { DEFAULT_RECENT_DAYS } from "../scan/constants.js";
import type { Approval, ScanResult } from "../scan/types.js";
import type { GradedApproval } from "./select.js";

export type GradeApprovalsOptions = {
  thresholds?: Partial<RiskThresholds>;
  /** The window the scan's "recently deployed or upgraded" refers to (default 30 days). */
  recentDays?: number;
  /** Spenders to treat as denylisted besides the bundled list (e.g. a demo chain's own entries). */
  denylist?: readonly DenylistEntry[];
};

/** The denylist entry of an approval's spender on its chain: from `extra` first, then the bundled list. */
export function denylistEntryFor(approval: Pick<Approval, "chainId" | "spender">, extra: readonly DenylistEntry[] = []): DenylistEntry | null {
  const spender = approval.spender.toLowerCase();
  return (
    extra.find((entry) => entry.chainId === approval.chainId && entry.address.toLowerCase() === spender) ??
    findDenylistEntry(approval.chainId, approval.spender)
  );
}

/**
 * Every approval of a scan with its risk grade and recommendation, measured against the scan's own
 * chain time, riskiest first (ties by approval id, so the order is stable between rescans).
 */
export function gradeApprovals(result: ScanResult, options: GradeApprovalsOptions = {}): GradedApproval[] {
  const thresholds = { ...DEFAULT_RISK_THRESHOLDS, ...options.thresholds };
  const recentDays = options.recentDays ?? DEFAULT_RECENT_DAYS;
  return result.approvals
    .map((approval) => {
      const spender = result.spenders[approval.spender.toLowerCase()];
      const denylistEntry = denylistEntryFor(approval, options.denylist);
      const risk = gradeRisk(approval, { now: result.scannedAt, spender, thresholds, recentDays, denylistEntry });
      const recommendation = recommend(approval, { pulls: approval.pulls, now: result.scannedAt }, {
        risk,
        spender,
        windowDays: thresholds.staleDays,
      });
      return { approval, risk, recommendation };
    })
    .sort((a, b) => b.risk.score - a.risk.score || a.approval.id.localeCompare(b.approval.id));
}
