import { encodeFunctionData, getAddress, isAddressEqual, keccak256, type Address, type PublicClient, type TransactionReceipt } from "viem";
import { getDelegation } from "viem/actions";

import { batchRevokerAbi } from "../abi/batchRevoker.js";
import { failureReason } from "../actions/failure-reason.js";
import { getRevokeGuardian } from "../revoke/guardian.js";
import type { RevocationItem } from "../revoke/items.js";
import { outcomesFromReceipt, type RevocationOutcome } from "../revoke/outcomes.js";
import { encodeRevocations } from "../revoke/plan.js";
import type { GuardianSigner } from "./guardian.js";
import type { PendingRevocation, RevocationStatus, WatchedApproval } from "./types.js";

// Auto-revoke of plain approvals (ERC-20, ERC-721, ERC-1155, and router/Permit2 grants with their
// pending permits) of an EIP-7702 account delegated to BatchRevoker that appointed the service's
// key as its guardian: one `revokeAsGuardian` call on the account per owner. The transaction is
// signed and recorded before it is broadcast (see PendingRevocation), so it is sent at most once.

/** Why the service may not revoke `owner`'s approvals as its BatchRevoker guardian; null when it may. */
export async function accountGuardianRefusal(
  client: PublicClient,
  parameters: { owner: Address; revoker: Address; guardian: Address },
): Promise<string | null> {
  const { owner, revoker, guardian } = parameters;
  const delegation = await getDelegation(client, { address: owner });
  if (delegation === undefined) return `${owner} is not an EIP-7702 account delegated to BatchRevoker ${revoker}`;
  if (!isAddressEqual(delegation, revoker)) return `${owner} is delegated to ${getAddress(delegation)}, not to BatchRevoker ${revoker}`;
  const appointed = await getRevokeGuardian(client, { account: owner });
  if (appointed === undefined) return `${owner} has appointed no BatchRevoker guardian`;
  if (!isAddressEqual(appointed, guardian)) return `${owner}'s BatchRevoker guardian is ${getAddress(appointed)}, not this service's key ${guardian}`;
  return null;
}

/** The BatchRevoker item that removes a watched approval (a router item also voids its signed permits). */
export function revocationItemOf(approval: WatchedApproval): RevocationItem {
  const token = getAddress(approval.token);
  const spender = getAddress(approval.spender);
  switch (approval.kind) {
    case "erc20":
      return { kind: "erc20", token, spender };
    case "erc721":
      return { kind: "erc721", token, tokenId: approval.tokenId! };
    case "erc721-operator":
      return { kind: "erc721-operator", token, operator: spender };
    case "erc1155-operator":
      return { kind: "erc1155-operator", token, operator: spender };
    case "router":
      return { kind: "router", router: getAddress(approval.router!), token, spender };
  }
}

/** Signs, without sending, the guardian's `revokeAsGuardian` call that revokes `approvals` of `owner`, with `nonce`. */
export async function signAccountRevocation(
  signer: GuardianSigner,
  parameters: { owner: Address; approvals: readonly WatchedApproval[]; nonce: number },
): Promise<PendingRevocation> {
  const plan = encodeRevocations(parameters.approvals.map(revocationItemOf));
  const request = await signer.wallet.prepareTransactionRequest({
    account: signer.account,
    chain: signer.wallet.chain,
    to: parameters.owner,
    data: encodeFunctionData({ abi: batchRevokerAbi, functionName: "revokeAsGuardian", args: [plan.encoded, false] }),
    nonce: parameters.nonce,
  });
  const rawTransaction = await signer.wallet.signTransaction(request as never);
  return { transactionHash: keccak256(rawTransaction), owner: parameters.owner, rawTransaction, nonce: parameters.nonce, approvals: [...parameters.approvals] };
}

/** Broadcasts a recorded revocation; a node that has it already (a re-broadcast after a restart) is not an error. */
export async function broadcastRevocation(client: PublicClient, revocation: PendingRevocation): Promise<void> {
  try {
    await client.sendRawTransaction({ serializedTransaction: revocation.rawTransaction });
  } catch (error) {
    // Known already, or its nonce is used (mined, or replaced): the receipt check that follows tells which.
    if (!/known|already|nonce too low|nonce has already been used/i.test((error as Error).message)) throw error;
  }
}

/** How a pending revocation ended, waiting for it if it is still in flight. */
export async function settledRevocation(
  client: PublicClient,
  revocation: PendingRevocation,
  guardian: Address,
  timeoutMs: number,
): Promise<{ status: RevocationStatus; receipt: TransactionReceipt | null }> {
  const mined = await client.getTransactionReceipt({ hash: revocation.transactionHash }).catch(() => null);
  if (mined !== null) return { status: mined.status, receipt: mined };
  const used = await client.getTransactionCount({ address: guardian, blockTag: "latest" });
  if (used > revocation.nonce) {
    // Its nonce is used: by this transaction mined just now, or by another one.
    const late = await client.getTransactionReceipt({ hash: revocation.transactionHash }).catch(() => null);
    return late === null ? { status: "dropped", receipt: null } : { status: late.status, receipt: late };
  }
  await broadcastRevocation(client, revocation);
  const receipt = await client.waitForTransactionReceipt({ hash: revocation.transactionHash, pollingInterval: 100, timeout: timeoutMs });
  return { status: receipt.status, receipt };
}

export interface RevocationItemResult {
  approval: WatchedApproval;
  outcome: RevocationOutcome;
  /** Why it failed: out of gas within the item's stipend, or what the token answers when the call is replayed alone. */
  reason?: string;
}

/** Each approval's outcome in a mined `revokeAsGuardian` (the account's RevocationIncomplete events), with failure reasons. */
export async function revocationResults(client: PublicClient, revocation: PendingRevocation, receipt: TransactionReceipt): Promise<RevocationItemResult[]> {
  const items = revocation.approvals.map(revocationItemOf);
  const plan = encodeRevocations(items);
  const outcomes = outcomesFromReceipt(plan.items, plan.order, receipt, revocation.owner);
  return Promise.all(
    outcomes.map(async ({ outcome, reason }, index) => {
      const approval = revocation.approvals[index]!;
      if (outcome !== "failed") return { approval, outcome };
      return { approval, outcome, reason: reason ?? (await failureReason(client, revocation.owner, items[index]!)) };
    }),
  );
}

/** The approvals as a mined revocation left them: revoked ones gone, reduced ones at 1, failed ones unchanged. */
export function approvalsAfter(results: readonly RevocationItemResult[], block: bigint): WatchedApproval[] {
  return results.flatMap(({ approval, outcome }): WatchedApproval[] => {
    if (outcome === "revoked") return [{ ...approval, live: false, amount: approval.amount === null ? null : 0n, changedBlock: block }];
    if (outcome === "reduced") return [{ ...approval, amount: 1n, changedBlock: block }];
    return [];
  });
}
