import type { GradedApproval, RiskLevel } from "allowance-router";

import { isUnlimited, kindLabel, tokenName } from "./format.js";

export const RISK_RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export type Filters = {
  risk: RiskLevel | "all";
  kind: string;
  unlimitedOnly: boolean;
  atRiskOnly: boolean;
  search: string;
};

export const NO_FILTERS: Filters = { risk: "all", kind: "all", unlimitedOnly: false, atRiskOnly: false, search: "" };

/** The rows the filters let through: risk level, kind, unlimited, value at risk > 0, and a search over token and spender. */
export function applyFilters(entries: readonly GradedApproval[], filters: Filters, labels: (spender: string) => string | null): GradedApproval[] {
  const needle = filters.search.trim().toLowerCase();
  return entries.filter(({ approval, risk }) => {
    if (filters.risk !== "all" && risk.level !== filters.risk) return false;
    if (filters.kind !== "all" && kindLabel(approval) !== filters.kind) return false;
    if (filters.unlimitedOnly && !isUnlimited(approval)) return false;
    if (filters.atRiskOnly && !(approval.valueAtRisk !== null && approval.valueAtRisk > 0n)) return false;
    if (needle === "") return true;
    const haystack = [tokenName(approval), approval.token.address, approval.spender, labels(approval.spender) ?? ""].join(" ").toLowerCase();
    return haystack.includes(needle);
  });
}
