import { formatTokenAmount, typeMaxBits } from "../risk/amounts.js";
import { gradeApprovals, gradeTotals, type GradeApprovalsParameters, type GradedApproval, type GradeTotals } from "../risk/graded.js";
import { RISK_LEVEL_ORDER } from "../risk/weights.js";
import { PERMIT2_ADDRESS, SECONDS_PER_DAY } from "../scan/constants.js";
import type { Approval, ScanResult } from "../scan/types.js";
import { wrapText } from "./table.js";

/** One row of the report: an approval graded by src/risk. */
export type ReportEntry = GradedApproval;

export interface Report {
  result: ScanResult;
  entries: ReportEntry[];
  totals: GradeTotals;
}

/** What the report shows of a scan: its approvals graded by `gradeApprovals`, and their totals. */
export function buildReport(result: ScanResult, parameters: GradeApprovalsParameters): Report {
  const entries = gradeApprovals(result, parameters);
  return { result, entries, totals: gradeTotals(entries) };
}

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

const duration = (seconds: number) => {
  const days = Math.round(seconds / SECONDS_PER_DAY);
  return days >= 1 ? `${days}d` : `${Math.max(1, Math.round(seconds / 3600))}h`;
};

/**
 * Short forms of token addresses that still tell every token of the table apart: 0x1234…abcd,
 * longer at both ends where two tokens would otherwise look the same (weird tokens often share
 * a symbol, or have none).
 */
export function distinctShortAddresses(addresses: readonly string[]): Map<string, string> {
  const unique = [...new Set(addresses.map((address) => address.toLowerCase()))];
  const original = new Map(addresses.map((address) => [address.toLowerCase(), address]));
  for (let digits = 4; ; digits++) {
    const shortened = (address: string) => `${address.slice(0, 2 + digits)}…${address.slice(-digits)}`;
    const forms = unique.map((address) => shortened(original.get(address)!));
    if (new Set(forms.map((form) => form.toLowerCase())).size === forms.length || 2 * digits >= 40) {
      return new Map(unique.map((address, index) => [address, forms[index]!]));
    }
  }
}

function tokenCell(approval: Approval, shortToken: string): string {
  const name = approval.token.symbol === null ? shortToken : `${approval.token.symbol} ${shortToken}`;
  return approval.tokenId === null ? name : `${name} #${approval.tokenId}`;
}

function spenderCell(approval: Approval, result: ScanResult): string {
  const label = result.spenders[approval.spender.toLowerCase()]?.label;
  return label ? `${label} (${short(approval.spender)})` : short(approval.spender);
}

function kindCell(approval: Approval): string {
  switch (approval.kind) {
    case "router":
      return approval.router === PERMIT2_ADDRESS ? "permit2" : `router ${short(approval.router!)}`;
    case "erc721-operator":
      return "erc721 all";
    case "erc1155-operator":
      return "erc1155 all";
    default:
      return approval.kind;
  }
}

/** Token units; "(raw)" marks an amount whose token would not say its decimals. */
const units = (amount: bigint, approval: Approval) =>
  approval.token.decimals === null ? `${formatTokenAmount(amount, null, null)} (raw)` : formatTokenAmount(amount, approval.token.decimals, null);

function amountCell(entry: ReportEntry): string {
  const { approval } = entry;
  if (approval.kind === "erc721-operator" || approval.kind === "erc1155-operator") return "all";
  if (approval.amount === null) return "1 token";
  if (typeMaxBits(approval.amount) !== null || entry.risk.factors.some((factor) => factor.name === "unlimited")) return "unlimited";
  return units(approval.amount, approval);
}

function valueCell(approval: Approval): string {
  if (approval.valueAtRisk === null) return "?";
  if (approval.kind === "erc721" || approval.kind.endsWith("operator")) return `${approval.valueAtRisk} NFT`;
  return units(approval.valueAtRisk, approval);
}

function recommendationCell(entry: ReportEntry): string {
  const { recommendation, approval } = entry;
  switch (recommendation.action) {
    case "revoke":
    case "keep":
      return recommendation.action;
    case "set-expiry":
      return `expire in ${duration(recommendation.expiresInSeconds)}`;
    case "reduce": {
      const amount = formatTokenAmount(recommendation.amount, approval.token.decimals, approval.token.symbol);
      return recommendation.expiresInSeconds === null ? `reduce to ${amount}` : `reduce to ${amount}, expire in ${duration(recommendation.expiresInSeconds)}`;
    }
  }
}

/**
 * How the scan table gives way on a narrow terminal: reasons and recommendations are cut first,
 * then "last used", "expiry", "reasons" and "value at risk" go, in that order. Token (with
 * enough of its address to tell it apart), spender, amount and risk always stay; --json and
 * --csv keep everything.
 */
export const REPORT_LAYOUT = {
  reasons: { min: 16, dropRank: 3 },
  recommendation: { min: 14 },
  kind: { min: 11 },
  "last used": { dropRank: 1 },
  expiry: { dropRank: 2 },
  "value at risk": { dropRank: 4 },
} as const;

/** The table's header and rows, one per entry, as strings. */
export function reportRows(report: Report): { header: string[]; rows: string[][] } {
  const now = report.result.scannedAt;
  const header = ["token", "spender", "kind", "amount", "expiry", "value at risk", "last used", "risk", "reasons", "recommendation"];
  const shortTokens = distinctShortAddresses(report.entries.map(({ approval }) => approval.token.address));
  const rows = report.entries.map((entry) => {
    const { approval, risk } = entry;
    return [
      tokenCell(approval, shortTokens.get(approval.token.address.toLowerCase())!),
      spenderCell(approval, report.result),
      kindCell(approval),
      amountCell(entry),
      approval.expiresAt === null ? "never" : `in ${duration(approval.expiresAt - now)}`,
      valueCell(approval),
      approval.lastUsedAt === null ? "never" : `${duration(now - approval.lastUsedAt)} ago`,
      `${risk.level} ${risk.score}`,
      risk.factors.map((factor) => factor.name).join(", "),
      recommendationCell(entry),
    ];
  });
  return { header, rows };
}

const isoTime = (seconds: number | null) => (seconds === null ? "" : new Date(seconds * 1000).toISOString());

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export const CSV_COLUMNS = [
  "token",
  "token_symbol",
  "token_decimals",
  "token_id",
  "kind",
  "router",
  "spender",
  "spender_label",
  "amount",
  "amount_text",
  "expires_at",
  "balance",
  "value_at_risk",
  "granted_at",
  "last_used_at",
  "pulls",
  "risk_level",
  "risk_score",
  "reasons",
  "recommendation",
  "recommended_amount",
  "recommended_expiry_seconds",
] as const;

/**
 * The report as CSV, one row per approval, for spreadsheets: full addresses, amounts in base
 * units beside their text, times in ISO 8601 UTC, reasons joined by "; ". Empty means none or unknown.
 */
export function reportCsv(report: Report): string {
  const rows = report.entries.map((entry) => {
    const { approval, risk, recommendation } = entry;
    const spender = report.result.spenders[approval.spender.toLowerCase()];
    const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
      token: approval.token.address,
      token_symbol: approval.token.symbol ?? "",
      token_decimals: approval.token.decimals === null ? "" : String(approval.token.decimals),
      token_id: approval.tokenId === null ? "" : String(approval.tokenId),
      kind: approval.kind,
      router: approval.router ?? "",
      spender: approval.spender,
      spender_label: spender?.label ?? "",
      amount: approval.amount === null ? "" : String(approval.amount),
      amount_text: amountCell(entry),
      expires_at: isoTime(approval.expiresAt),
      balance: approval.balance === null ? "" : String(approval.balance),
      value_at_risk: approval.valueAtRisk === null ? "" : String(approval.valueAtRisk),
      granted_at: isoTime(approval.grantedAt.timestamp),
      last_used_at: isoTime(approval.lastUsedAt),
      pulls: String(approval.pulls.length),
      risk_level: risk.level,
      risk_score: String(risk.score),
      reasons: risk.factors.map((factor) => factor.name).join("; "),
      recommendation: recommendation.action,
      recommended_amount: recommendation.action === "reduce" ? String(recommendation.amount) : "",
      recommended_expiry_seconds:
        recommendation.action === "reduce" || recommendation.action === "set-expiry" ? String(recommendation.expiresInSeconds ?? "") : "",
    };
    return CSV_COLUMNS.map((column) => csvField(cells[column])).join(",");
  });
  return [CSV_COLUMNS.join(","), ...rows].join("\r\n") + "\r\n";
}

export function renderTotals(report: Report, width = Infinity): string {
  const { totals, result } = report;
  const levels = RISK_LEVEL_ORDER.slice()
    .reverse()
    .map((level) => `${totals.byLevel[level]} ${level}`)
    .join(", ");
  const actions = `${totals.byAction.revoke} to revoke, ${totals.byAction.reduce} to reduce, ${totals.byAction["set-expiry"]} to bound in time, ${totals.byAction.keep} to keep`;
  const lines = [
    `${totals.approvals} live approval${totals.approvals === 1 ? "" : "s"} (${levels}); ${totals.unlimited} unlimited; ${actions}`,
    `owner ${result.owner} on chain ${result.chainId}, blocks ${result.fromBlock}-${result.toBlock} (${result.stats.blocksScanned} read now, the rest from the cache)`,
  ];
  for (const warning of result.warnings) lines.push(`warning: ${warning.token}: ${warning.message}`);
  return lines.map((line) => wrapText(line, width)).join("\n");
}

/** The report as JSON-ready data: bigints become decimal strings. */
export function reportJson(report: Report): unknown {
  const data = {
    chainId: report.result.chainId,
    owner: report.result.owner,
    fromBlock: report.result.fromBlock,
    toBlock: report.result.toBlock,
    scannedAt: report.result.scannedAt,
    totals: report.totals,
    approvals: report.entries.map(({ approval, risk, recommendation }) => ({ ...approval, risk, recommendation })),
    spenders: report.result.spenders,
    warnings: report.result.warnings,
    stats: report.result.stats,
  };
  return JSON.parse(JSON.stringify(data, (_, value) => (typeof value === "bigint" ? value.toString() : value)));
}
