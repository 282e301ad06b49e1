import { hexToBytes, isAddressEqual, parseEventLogs, type Address, type Hex, type TransactionReceipt } from "viem";

import { batchRevokerAbi } from "../abi/batchRevoker.js";
import type { RevocationItem } from "./items.js";
import type { EncodedRevocations } from "./plan.js";
import { AllowanceRouterError } from "../errors.js";

/** What became of one approval: gone, lowered to 1 (a token that refuses 0), or possibly still live. */
export type RevocationOutcome = "revoked" | "reduced" | "failed";

/**
 * Why an item failed, when the contract says: `out-of-gas` means the call used the whole per-item
 * gas stipend (a token that burns all gas it is given); retrying with more gas will not help.
 */
export type FailureReason = "out-of-gas";

export type ItemOutcome<Item = RevocationItem> = { item: Item; outcome: RevocationOutcome; reason?: FailureReason };

/** The contract's Outcome enum, by value: Revoked, Reduced, Failed, OutOfGas (failed, out of gas). */
const outcomeNames = ["revoked", "reduced", "failed", "failed"] as const satisfies readonly RevocationOutcome[];
const REVOKED = 0;
const OUT_OF_GAS = 3;

/** Outcomes from the `bytes outcomes` a revoke call returns (a simulation), in the caller's item order. */
export function decodeOutcomes(plan: EncodedRevocations, returned: Hex): ItemOutcome[] {
  const bytes = hexToBytes(returned);
  if (bytes.length !== plan.order.length) {
    throw new AllowanceRouterError(`BatchRevoker returned ${bytes.length} outcomes for ${plan.order.length} items.`);
  }
  const values: number[] = new Array(plan.items.length);
  bytes.forEach((value, index) => {
    values[plan.order[index]!] = value;
  });
  return plan.items.map((item, index) => itemOutcome(item, values[index]!));
}

/**
 * Outcomes from a mined transaction: each item not cleanly revoked has a RevocationIncomplete event
 * emitted by `emitter` (the delegated account, or the deployment for permits); every other item
 * was revoked, which the token's own Approval event already announced.
 */
export function outcomesFromReceipt<Item = RevocationItem>(
  items: readonly Item[],
  order: readonly number[],
  receipt: TransactionReceipt,
  emitter: Address,
): ItemOutcome<Item>[] {
  const values: number[] = items.map(() => REVOKED);
  const events = parseEventLogs({ abi: batchRevokerAbi, eventName: "RevocationIncomplete", logs: receipt.logs });
  for (const event of events) {
    if (!isAddressEqual(event.address, emitter)) continue;
    const itemIndex = order[Number(event.args.index)];
    if (itemIndex === undefined) throw new AllowanceRouterError(`RevocationIncomplete for unknown item ${event.args.index}.`);
    values[itemIndex] = event.args.outcome;
  }
  return items.map((item, index) => itemOutcome(item, values[index]!));
}

function itemOutcome<Item>(item: Item, value: number): ItemOutcome<Item> {
  const outcome = outcomeName(value);
  return value === OUT_OF_GAS ? { item, outcome, reason: "out-of-gas" } : { item, outcome };
}

function outcomeName(value: number): RevocationOutcome {
  const name = outcomeNames[value];
  if (name === undefined) throw new AllowanceRouterError(`Unknown BatchRevoker outcome ${value}.`);
  return name;
}
