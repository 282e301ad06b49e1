import type { ReactNode } from "react";

import type { DenylistEntry, GradedApproval, SpenderProfile } from "allowance-router";

import {
  amountText,
  expiryText,
  isoTime,
  kindLabel,
  lastUsedText,
  quantityNumber,
  quantityText,
  recommendationText,
  shortAddress,
  tokenName,
} from "../format.js";
import { RISK_RANK } from "../filters.js";
import { SpenderCell } from "./SpenderCell.js";

/** What every cell of a scan shares: the scan's time, the spenders' profiles, the chain's extra denylist. */
export type CellContext = { now: number; spenders: Record<string, SpenderProfile>; denylist: readonly DenylistEntry[] };

export type ApprovalColumn = {
  id: string;
  header: string;
  /** What the column sorts by. */
  sortValue: (entry: GradedApproval, context: CellContext) => string | number;
  cell: (entry: GradedApproval, context: CellContext) => ReactNode;
};

const NEVER = Number.MAX_SAFE_INTEGER;
const profileOf = (entry: GradedApproval, context: CellContext) => context.spenders[entry.approval.spender.toLowerCase()];

/** The table's columns, in order: one definition for the header, the sort and the cell. */
export const APPROVAL_COLUMNS: readonly ApprovalColumn[] = [
  {
    id: "token",
    header: "Token",
    sortValue: (entry) => tokenName(entry.approval).toLowerCase(),
    cell: ({ approval }) => (
      <div className="token">
        <strong>{tokenName(approval)}</strong>
        {approval.token.symbol !== null ? <code title={approval.token.address}>{shortAddress(approval.token.address)}</code> : null}
      </div>
    ),
  },
  { id: "kind", header: "Kind", sortValue: (entry) => kindLabel(entry.approval), cell: (entry) => kindLabel(entry.approval) },
  {
    id: "spender",
    header: "Spender",
    sortValue: (entry, context) => (profileOf(entry, context)?.label ?? "~") + entry.approval.spender.toLowerCase(),
    cell: (entry, context) => <SpenderCell approval={entry.approval} profile={profileOf(entry, context)} denylist={context.denylist} />,
  },
  {
    id: "amount",
    header: "Amount",
    sortValue: ({ approval }) =>
      amountText(approval) === "unlimited" || amountText(approval) === "all" ? Infinity : quantityNumber(approval.amount ?? 1n, approval.token.decimals),
    cell: (entry) => amountText(entry.approval),
  },
  {
    id: "balance",
    header: "Balance",
    sortValue: ({ approval }) => quantityNumber(approval.balance, approval.token.decimals),
    cell: ({ approval }) => quantityText(approval.balance, approval),
  },
  {
    id: "valueAtRisk",
    header: "Value at risk",
    sortValue: ({ approval }) => quantityNumber(approval.valueAtRisk, approval.token.decimals),
    cell: ({ approval }) => quantityText(approval.valueAtRisk, approval),
  },
  {
    id: "expiry",
    header: "Expiry",
    sortValue: (entry) => entry.approval.expiresAt ?? NEVER,
    cell: ({ approval }, { now }) => <span title={approval.expiresAt === null ? "no expiry" : isoTime(approval.expiresAt)}>{expiryText(approval, now)}</span>,
  },
  {
    id: "lastUsed",
    header: "Last used",
    sortValue: (entry) => entry.approval.lastUsedAt ?? -1,
    cell: ({ approval }, { now }) => lastUsedText(approval, now),
  },
  {
    id: "risk",
    header: "Risk",
    sortValue: (entry) => RISK_RANK[entry.risk.level] * 1000 + entry.risk.score,
    cell: ({ risk }) => (
      <span className={`risk risk-${risk.level}`}>
        {risk.level} {risk.score}
      </span>
    ),
  },
  {
    id: "recommendation",
    header: "Recommendation",
    sortValue: (entry) => recommendationText(entry.recommendation, entry.approval),
    cell: ({ recommendation, approval }) => <span title={recommendation.reason}>{recommendationText(recommendation, approval)}</span>,
  },
];
