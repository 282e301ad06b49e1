import type { GradedApproval, ScanResult } from "allowance-router";

import { amountText, kindLabel, recommendationText, tokenName } from "./format.js";

const plain = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2);

/** The whole scan with grades, as JSON (bigints as decimal strings). */
export function exportJson(result: ScanResult, entries: readonly GradedApproval[]): string {
  return plain({ chainId: result.chainId, owner: result.owner, toBlock: result.toBlock, scannedAt: result.scannedAt, approvals: entries });
}

const CSV_HEADER = [
  "id", "token", "tokenAddress", "kind", "spender", "router", "tokenId", "amount", "amountRaw", "balanceRaw",
  "valueAtRiskRaw", "decimals", "expiresAt", "lastUsedAt", "riskLevel", "riskScore", "reasons", "recommendation",
];

const cell = (value: unknown) => {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** One line per approval, raw amounts in base units (RFC 4180 quoting). */
export function exportCsv(entries: readonly GradedApproval[]): string {
  const lines = entries.map(({ approval, risk, recommendation }) =>
    [
      approval.id, tokenName(approval), approval.token.address, kindLabel(approval), approval.spender, approval.router, approval.tokenId,
      amountText(approval), approval.amount, approval.balance, approval.valueAtRisk, approval.token.decimals, approval.expiresAt,
      approval.lastUsedAt, risk.level, risk.score, risk.factors.map((factor) => factor.reason).join("; "),
      recommendationText(recommendation, approval),
    ].map(cell).join(","),
  );
  return [CSV_HEADER.join(","), ...lines].join("\n") + "\n";
}

export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
