import { getAddress, isHash, type Address, type Hash, type PublicClient } from "viem";
import { waitForCallsStatus } from "viem/actions";

import type { AnyWalletClient } from "../revoke/delegation.js";
import { sendRevocationTransactions, walletSendCallsRequest } from "../revoke/fallbacks.js";
import type { ItemOutcome } from "../revoke/outcomes.js";
import { revokeWithPermits } from "../revoke/permits.js";
import { revokeWithDelegation } from "../revoke/selfRevoke.js";
import { relayRevocation } from "../revoke/signed.js";
import { failureReason } from "./failure-reason.js";
import { errorSummary } from "./text.js";
import { isRevoked } from "./state.js";
import type {
  PlannedRevocations,
  PlannedTransaction,
  RevocationResult,
  SendRevocationsParameters,
  SendRevocationsReturnType,
  SentTransaction,
} from "./types.js";

/** What the private senders below share: the owner's wallet, the node, the relayer if any. */
type Senders = { walletClient: AnyWalletClient; publicClient: PublicClient; relayer?: AnyWalletClient };
import { AllowanceRouterError } from "../errors.js";

/**
 * Sends a plan from `planRevocations` with the same wallet (the client), node and relayer, and reports what
 * became of each approval: from BatchRevoker's own per-item outcomes (7702, permits), or read
 * back from the chain after the owner's plain transactions and wallet_sendCalls batches. A
 * transaction the node refuses to send is reported `not-sent`; the others still go out.
 */
export async function sendRevocations(
  walletClient: AnyWalletClient,
  parameters: SendRevocationsParameters,
): Promise<SendRevocationsReturnType> {
  const { publicClient, plan } = parameters;
  const context: Senders = { walletClient, publicClient, relayer: parameters.relayer };
  const { route, items } = plan;
  const results: RevocationResult[] = items.map((item) => ({ item, outcome: "failed", transaction: null, error: null }));
  const transactions: SentTransaction[] = [];
  const record = (sent: SentTransaction, outcomes: readonly { outcome: ItemOutcome["outcome"] }[]) => {
    transactions.push(sent);
    sent.itemIndexes.forEach((itemIndex, position) => {
      results[itemIndex] = { item: items[itemIndex]!, outcome: outcomes[position]!.outcome, transaction: sent.hash, error: null };
    });
  };

  switch (route.via) {
    case "7702": {
      const sent =
        route.signed === null
          ? await revokeWithDelegation(walletClient, publicClient, { revoker: plan.revoker, items })
          : await relayRevocation(relayerOf(context), publicClient, route.signed);
      record(sentTransaction(sent.receipt, route.transactions[0]!.itemIndexes), sent.outcomes);
      await explainBatchFailures(publicClient, plan, results, route.transactions[0]!.itemIndexes);
      break;
    }
    case "permit": {
      const [relay, ...rest] = route.transactions;
      const relayer = context.relayer ?? walletClient;
      const sent = await revokeWithPermits(relayer, publicClient, {
        revoker: plan.revoker,
        permits: route.permits.map(({ permit }) => permit),
      });
      record(sentTransaction(sent.receipt, relay!.itemIndexes), sent.outcomes);
      for (const index of relay!.itemIndexes) {
        if (results[index]!.outcome === "failed") {
          results[index]!.error = "the relayed permit left the allowance in place (the token ignores permits, WETH-style, or refused the signature)";
        }
      }
      for (const transaction of rest) await sendOwnerTransaction(context, plan, transaction, results, transactions);
      break;
    }
    case "5792":
      await sendWalletCalls(context, plan, results, transactions);
      break;
    case "lockdown":
    case "tx":
      for (const transaction of route.transactions) await sendOwnerTransaction(context, plan, transaction, results, transactions);
      break;
  }
  return { via: route.via, transactions, results };
}

/** Says why each item of a BatchRevoker batch failed: the contract's event gives no reason. */
async function explainBatchFailures(
  publicClient: PublicClient,
  plan: PlannedRevocations,
  results: RevocationResult[],
  itemIndexes: readonly number[],
): Promise<void> {
  const failed = itemIndexes.filter((index) => results[index]!.outcome === "failed");
  const reasons = await Promise.all(failed.map((index) => failureReason(publicClient, plan.owner, plan.items[index]!)));
  failed.forEach((index, position) => (results[index]!.error = reasons[position]!));
}

function relayerOf(context: Senders): AnyWalletClient {
  if (context.relayer === undefined) throw new AllowanceRouterError("This plan was made with a relayer: pass the same relayer to sendRevocations.");
  return context.relayer;
}

function sentTransaction(
  receipt: { transactionHash: Hash; from: Address; status: "success" | "reverted"; gasUsed: bigint },
  itemIndexes: number[],
): SentTransaction {
  return { hash: receipt.transactionHash, from: getAddress(receipt.from), status: receipt.status, gasUsed: receipt.gasUsed, itemIndexes };
}

/** One of the owner's own revocation transactions, then its approvals read back. */
async function sendOwnerTransaction(
  { publicClient, walletClient }: Senders,
  plan: PlannedRevocations,
  transaction: PlannedTransaction,
  results: RevocationResult[],
  transactions: SentTransaction[],
): Promise<void> {
  const groupItems = transaction.itemIndexes.map((index) => plan.items[index]!);
  const [result] = await sendRevocationTransactions(walletClient, publicClient, groupItems);
  if (result!.status === "not-sent") {
    for (const index of transaction.itemIndexes) {
      results[index] = { item: plan.items[index]!, outcome: "not-sent", transaction: null, error: errorSummary(result!.error) };
    }
    return;
  }
  const receipt = await publicClient.getTransactionReceipt({ hash: result!.hash });
  transactions.push(sentTransaction(receipt, transaction.itemIndexes));
  await readBack(publicClient, plan, transaction.itemIndexes, result!.hash, results);
}

/** The whole plan as one EIP-5792 request; every approval read back once the wallet reports the batch done. */
async function sendWalletCalls(
  { publicClient, walletClient }: Senders,
  plan: PlannedRevocations,
  results: RevocationResult[],
  transactions: SentTransaction[],
): Promise<void> {
  const { id } = await walletClient.request(
    walletSendCallsRequest({ items: plan.items, from: plan.owner, chainId: plan.chainId }),
  );
  const status = await waitForCallsStatus(walletClient, { id });
  const receipts = status.receipts ?? [];
  for (const receipt of receipts) transactions.push(sentTransaction({ ...receipt, from: plan.owner }, []));
  // A wallet may put every call in one transaction or each in its own: attribute none to an item.
  const hash = receipts.length === 1 && isHash(receipts[0]!.transactionHash) ? receipts[0]!.transactionHash : null;
  await readBack(publicClient, plan, plan.items.map((_, index) => index), hash, results);
}

async function readBack(
  publicClient: PublicClient,
  plan: PlannedRevocations,
  itemIndexes: readonly number[],
  transaction: Hash | null,
  results: RevocationResult[],
): Promise<void> {
  const revoked = await Promise.all(itemIndexes.map((index) => isRevoked(publicClient, plan.owner, plan.items[index]!)));
  itemIndexes.forEach((index, position) => {
    results[index] = { item: plan.items[index]!, outcome: revoked[position] ? "revoked" : "failed", transaction, error: null };
  });
}
