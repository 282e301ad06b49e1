// Turns exposures and revocation plans into the printed before/after tables.
import { formatUnits } from "viem";

import type { AppliedRevocations, RevocationMethod } from "./apply.js";
import type { Exposure } from "./exposures.js";
import type { Revocation } from "./revocations.js";
import { formatTable } from "./table.js";

const UNLIMITED_THRESHOLD = 2n ** 160n - 1n;
const ADDRESS_PREFIX_LENGTH = 10;

const shortAddress = (address: string) => `${address.slice(0, ADDRESS_PREFIX_LENGTH)}…`;

function amount(value: bigint, decimals: number): string {
  return value >= UNLIMITED_THRESHOLD ? "unlimited" : formatUnits(value, decimals);
}

function expiry(expiresAt: bigint | undefined, now: bigint): string {
  if (expiresAt === undefined) return "never";
  return `in ${((expiresAt - now) / 60n).toString()} min`;
}

export function exposureTable(exposures: Exposure[], now: bigint): string {
  if (exposures.length === 0) return "(nothing exposed)";
  return formatTable(
    ["owner", "path", "token", "approved", "balance", "at risk now", "expires"],
    exposures.map((e) => [
      shortAddress(e.owner),
      e.kind,
      e.symbol,
      amount(e.approved, e.decimals),
      amount(e.balance, e.decimals),
      amount(e.valueAtRisk, e.decimals),
      expiry(e.expiresAt, now),
    ]),
    [3, 4, 5],
  );
}

/// Value at risk summed per token, the figure an incident report leads with.
export function totalsTable(exposures: Exposure[]): string {
  const totals = new Map<string, { symbol: string; decimals: number; owners: Set<string>; atRisk: bigint }>();
  for (const e of exposures) {
    const total = totals.get(e.token) ?? { symbol: e.symbol, decimals: e.decimals, owners: new Set(), atRisk: 0n };
    total.owners.add(e.owner);
    total.atRisk += e.valueAtRisk;
    totals.set(e.token, total);
  }
  if (totals.size === 0) return "(nothing at risk)";
  return formatTable(
    ["token", "owners", "at risk now"],
    [...totals.values()].map((t) => [t.symbol, t.owners.size, amount(t.atRisk, t.decimals)]),
    [1, 2],
  );
}

const methodNames: Record<RevocationMethod, string> = {
  "eip7702-batch": "one EIP-7702 batch (BatchRevoker)",
  "transaction-each": "a transaction each",
};

export function planTable(plan: Revocation[], methodOf: (owner: Revocation["owner"]) => RevocationMethod): string {
  if (plan.length === 0) return "(nothing to revoke)";
  // Each owner's revocations together: a BatchRevoker batch is one transaction per owner.
  const owners = [...new Set(plan.map((r) => r.owner))];
  const byOwner = owners.flatMap((owner) => plan.filter((r) => r.owner === owner));
  return formatTable(
    ["owner", "revocation", "sent as"],
    byOwner.map((r) => [shortAddress(r.owner), r.action, methodNames[methodOf(r.owner)]]),
  );
}

/// Per owner: how the revocations went out, how many transactions, and what became of each item.
export function appliedTable(applied: AppliedRevocations[]): string {
  if (applied.length === 0) return "(nothing sent)";
  const outcomeSummary = ({ outcomes }: AppliedRevocations) => {
    if (outcomes === undefined) return "each transaction succeeded";
    const counts = new Map<string, number>();
    for (const { outcome } of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    return [...counts].map(([outcome, count]) => `${count} ${outcome}`).join(", ");
  };
  return formatTable(
    ["owner", "sent as", "transactions", "items"],
    applied.map((a) => [shortAddress(a.owner), methodNames[a.method], a.hashes.length, outcomeSummary(a)]),
    [2],
  );
}
