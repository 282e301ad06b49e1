import { getAddress, isHash, type Address, type Hash, type PublicClient } from "viem";
import { waitForCallsStatus } from "viem/actions";

import type { AnyWalletClient } from "../revoke/delegation.js";
import { sendRevocationTransactions, walletSendCallsRequest } from "../revoke/fallbacks.js";
import type { ItemOutcome } from "../revoke/outcomes.js";
import { revokeWithPermits } from "../revoke/permits.js";
import { revokeWithDelegation } from "../revoke/selfRevoke.js";
import { relayRevocation } from "../revoke/signed.js";
import { errorSummary } from "./text.js";
import { isRevoked } from "./state.js";
import type {
  PlannedRevocations,
  PlannedTransaction,
  RevocationContext,
  RevocationReport,
  RevocationResult,
  SentTransaction,
} from "./types.js";
import { AllowanceRouterError } from "../errors.js";

/**
 * Sends a plan from `planRevocations` with the same wallet (and relayer), and reports what
 * became of each approval: from BatchRevoker's own per-item outcomes (7702, permits), or read
 * back from the chain after the owner's plain transactions and wallet_sendCalls batches. A
 * transaction the node refuses to send is reported `not-sent`; the others still go out.
 */
export async function sendRevocations(plan: PlannedRevocations, context: RevocationContext): Promise<RevocationReport> {
  const { publicClient, walletClient } = context;
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

function relayerOf(context: RevocationContext): AnyWalletClient {
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
  { publicClient, walletClient }: RevocationContext,
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
  { publicClient, walletClient }: RevocationContext,
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
