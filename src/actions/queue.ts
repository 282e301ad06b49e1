import { getAddress } from "viem";

import { sendRevocationTransactions } from "../revoke/fallbacks.js";
import { isRevoked } from "./state.js";
import { errorSummary } from "./text.js";
import type { AnyWalletClient } from "../revoke/delegation.js";
import type { PlannedRevocations, RevocationContext, RevocationResult, SentTransaction } from "./types.js";

export type SendQueuedTransactionParameters = Pick<RevocationContext, "publicClient"> & {
  plan: PlannedRevocations;
  /** Which of the plan's transactions, from 0. */
  index: number;
};

/** What one queued transaction did: its receipt's facts (null when not sent) and its approvals' outcomes. */
export type SendQueuedTransactionReturnType = { transaction: SentTransaction | null; results: RevocationResult[] };

/**
 * Sends transaction `index` of a `tx` or `lockdown` plan (one of the owner's own transactions) and
 * reads its approvals back from the chain. A queue calls it once per transaction, so it can show
 * progress and pause between prompts; `sendRevocations` sends them all at once.
 */
export async function sendQueuedTransaction(
  walletClient: AnyWalletClient,
  { publicClient, plan, index }: SendQueuedTransactionParameters,
): Promise<SendQueuedTransactionReturnType> {
  if (plan.route.via !== "tx" && plan.route.via !== "lockdown") {
    throw new TypeError(`a ${plan.route.via} plan is sent as a whole: use sendRevocations`);
  }
  const planned = plan.route.transactions[index];
  if (planned === undefined) throw new RangeError(`the plan has ${plan.route.transactions.length} transactions, not #${index + 1}`);
  const items = planned.itemIndexes.map((itemIndex) => plan.items[itemIndex]!);
  const [sent] = await sendRevocationTransactions(walletClient, publicClient, items);
  if (sent!.status === "not-sent") {
    const error = errorSummary(sent!.error);
    return { transaction: null, results: items.map((item) => ({ item, outcome: "not-sent", transaction: null, error })) };
  }
  const receipt = await publicClient.getTransactionReceipt({ hash: sent!.hash });
  const revoked = await Promise.all(items.map((item) => isRevoked(publicClient, plan.owner, item)));
  return {
    transaction: {
      hash: receipt.transactionHash,
      from: getAddress(receipt.from),
      status: receipt.status,
      gasUsed: receipt.gasUsed,
      itemIndexes: planned.itemIndexes,
    },
    results: items.map((item, position) => ({
      item,
      outcome: revoked[position] ? "revoked" : "failed",
      transaction: receipt.transactionHash,
      error: receipt.status === "reverted" ? "the transaction reverted" : null,
    })),
  };
}
