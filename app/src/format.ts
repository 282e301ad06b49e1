// How approvals read on the page: names, amounts, times. Presentation only; the values come from the SDK.
import { formatTokenAmount, PERMIT2_ADDRESS, typeMaxBits, type Approval, type GradedApproval, type Recommendation } from "allowance-router";

export const shortAddress = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

const KIND_LABELS: Record<Approval["kind"], string> = {
  erc20: "ERC-20",
  erc721: "ERC-721 token",
  "erc721-operator": "ERC-721 operator",
  "erc1155-operator": "ERC-1155 operator",
  router: "Router grant",
};

export function kindLabel(approval: Approval): string {
  if (approval.kind === "router" && approval.router?.toLowerCase() === PERMIT2_ADDRESS.toLowerCase()) return "Permit2 grant";
  return KIND_LABELS[approval.kind];
}

export function tokenName(approval: Approval): string {
  const name = approval.token.symbol ?? shortAddress(approval.token.address);
  return approval.tokenId === null ? name : `${name} #${approval.tokenId}`;
}

export const isUnlimited = (approval: Approval) =>
  approval.kind === "erc721-operator" || approval.kind === "erc1155-operator" || (approval.amount !== null && typeMaxBits(approval.amount) !== null);

/** Token units for people; absurdly large numbers (a bulk token without decimals) in scientific form. */
export function tokenQuantity(value: bigint, decimals: number | null): string {
  const text = formatTokenAmount(value, decimals, null);
  if (text.replace(/[^0-9]/g, "").length <= 13 || !/^[0-9,]+$/.test(text)) return text;
  const digits = text.replace(/,/g, "");
  return `${digits[0]}.${digits.slice(1, 3)}e${digits.length - 1}`;
}

export function amountText(approval: Approval): string {
  if (approval.kind === "erc721") return "1 token";
  if (approval.kind === "erc721-operator" || approval.kind === "erc1155-operator") return "all";
  if (approval.amount === null) return "?";
  if (typeMaxBits(approval.amount) !== null) return "unlimited";
  return tokenQuantity(approval.amount, approval.token.decimals);
}

export function quantityText(value: bigint | null, approval: Approval): string {
  if (value === null) return "?";
  if (approval.token.standard === "erc721") return `${value} NFT`;
  return tokenQuantity(value, approval.token.decimals);
}

/** A token quantity as a plain number, for sorting across tokens of different decimals. */
export function quantityNumber(value: bigint | null, decimals: number | null): number {
  if (value === null) return -1;
  const scale = 10 ** (decimals ?? 0);
  return Number(value) / scale;
}

export function relativeTime(at: number, now: number): string {
  const seconds = at - now;
  const abs = Math.abs(seconds);
  const unit = abs >= 86_400 ? `${Math.round(abs / 86_400)}d` : abs >= 3_600 ? `${Math.round(abs / 3_600)}h` : `${Math.max(1, Math.round(abs / 60))}m`;
  return seconds >= 0 ? `in ${unit}` : `${unit} ago`;
}

export const isoTime = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

export function expiryText(approval: Approval, now: number): string {
  return approval.expiresAt === null ? "never" : relativeTime(approval.expiresAt, now);
}

export function lastUsedText(approval: Approval, now: number): string {
  return approval.lastUsedAt === null ? "never" : relativeTime(approval.lastUsedAt, now);
}

export function recommendationText(recommendation: Recommendation, approval: Approval): string {
  switch (recommendation.action) {
    case "revoke":
      return "Revoke";
    case "keep":
      return "Keep";
    case "set-expiry":
      return `Expire in ${Math.round(recommendation.expiresInSeconds / 86_400)}d`;
    case "reduce": {
      const amount = formatTokenAmount(recommendation.amount, approval.token.decimals, approval.token.symbol);
      return recommendation.expiresInSeconds === null
        ? `Reduce to ${amount}`
        : `Reduce to ${amount}, expire in ${Math.round(recommendation.expiresInSeconds / 86_400)}d`;
    }
  }
}

export const riskLabel = (entry: GradedApproval) => `${entry.risk.level} ${entry.risk.score}`;
