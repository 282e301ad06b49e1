import { hexToBytes, isAddressEqual, parseEventLogs, type Address, type Hex, type TransactionReceipt } from "viem";

import { batchRevokerAbi } from "../abi/batchRevoker.js";
import type { RevocationItem } from "./items.js";
import type { EncodedRevocations } from "./plan.js";
import { AllowanceRouterError } from "../errors.js";

/** What became of one approval: gone, lowered to 1 (a token that refuses 0), or possibly still live. */
export type RevocationOutcome = "revoked" | "reduced" | "failed";

export type ItemOutcome = { item: RevocationItem; outcome: RevocationOutcome };

/** The contract's Outcome enum, by value. */
const outcomeNames = ["revoked", "reduced", "failed"] as const satisfies readonly RevocationOutcome[];

/** Outcomes from the `bytes outcomes` a revoke call returns (a simulation), in the caller's item order. */
export function decodeOutcomes(plan: EncodedRevocations, returned: Hex): ItemOutcome[] {
  const bytes = hexToBytes(returned);
  if (bytes.length !== plan.order.length) {
    throw new AllowanceRouterError(`BatchRevoker returned ${bytes.length} outcomes for ${plan.order.length} items.`);
  }
  const outcomes: RevocationOutcome[] = new Array(plan.items.length);
  bytes.forEach((value, index) => {
    outcomes[plan.order[index]!] = outcomeName(value);
  });
  return plan.items.map((item, index) => ({ item, outcome: outcomes[index]! }));
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
): { item: Item; outcome: RevocationOutcome }[] {
  const outcomes: RevocationOutcome[] = items.map(() => "revoked");
  const events = parseEventLogs({ abi: batchRevokerAbi, eventName: "RevocationIncomplete", logs: receipt.logs });
  for (const event of events) {
    if (!isAddressEqual(event.address, emitter)) continue;
    const itemIndex = order[Number(event.args.index)];
    if (itemIndex === undefined) throw new AllowanceRouterError(`RevocationIncomplete for unknown item ${event.args.index}.`);
    outcomes[itemIndex] = outcomeName(event.args.outcome);
  }
  return items.map((item, index) => ({ item, outcome: outcomes[index]! }));
}

function outcomeName(value: number): RevocationOutcome {
  const name = outcomeNames[value];
  if (name === undefined) throw new AllowanceRouterError(`Unknown BatchRevoker outcome ${value}.`);
  return name;
}
