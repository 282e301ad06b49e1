import {
  decodeFunctionResult,
  encodeFunctionData,
  isAddressEqual,
  type Address,
  type Hash,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import { getDelegation } from "viem/actions";

import { batchRevokerAbi } from "../abi/batchRevoker.js";
import { delegationDesignator, localAccountOf, type AnyWalletClient } from "./delegation.js";
import { ForeignDelegationError, RevocationRevertedError } from "./errors.js";
import type { RevocationItem } from "./items.js";
import { decodeOutcomes, outcomesFromReceipt, type ItemOutcome } from "./outcomes.js";
import { encodeRevocations } from "./plan.js";

export type SelfRevocationOptions = {
  /** The BatchRevoker deployment the EOA delegates to. */
  revoker: Address;
  items: readonly RevocationItem[];
  /** Revert everything unless every item ends revoked. */
  atomic?: boolean;
  /** Replace a delegation to another contract (a smart-account implementation). Off by default. */
  replaceDelegation?: boolean;
  /**
   * The transaction's gas limit; estimated when absent. Give it for a list with a token that burns
   * all gas it is given: the item costs one stipend (ITEM_GAS_STIPEND) and is reported out of gas,
   * but a node whose estimation insists that every inner call succeed (Hardhat's) refuses to estimate.
   */
  gas?: bigint;
};

export type SelfRevocationResult = {
  hash: Hash;
  receipt: TransactionReceipt;
  /** Whether the transaction carried an authorization (false when the EOA was delegated already). */
  authorized: boolean;
  outcomes: ItemOutcome[];
};

/**
 * Revokes every item in one type-4 transaction that the owner's EOA sends to itself: it delegates
 * to BatchRevoker (unless it already is; the delegation stays) and calls `revoke` on itself. The
 * wallet client must hold a local account. Outcomes are read from the receipt.
 */
export async function revokeWithDelegation(
  walletClient: AnyWalletClient,
  publicClient: PublicClient,
  options: SelfRevocationOptions,
): Promise<SelfRevocationResult> {
  const account = localAccountOf(walletClient);
  const plan = encodeRevocations(options.items);
  const current = await getDelegation(publicClient, { address: account.address });
  const delegated = current !== undefined && isAddressEqual(current, options.revoker);
  if (current !== undefined && !delegated && options.replaceDelegation !== true) {
    throw new ForeignDelegationError(account.address, current);
  }
  const authorizationList = delegated
    ? undefined
    : [await walletClient.signAuthorization({ account, contractAddress: options.revoker, executor: "self" })];
  const hash = await walletClient.sendTransaction({
    account,
    chain: walletClient.chain,
    to: account.address,
    data: encodeFunctionData({
      abi: batchRevokerAbi,
      functionName: "revoke",
      args: [plan.encoded, options.atomic ?? false],
    }),
    authorizationList,
    gas: options.gas,
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new RevocationRevertedError(hash);
  return {
    hash,
    receipt,
    authorized: authorizationList !== undefined,
    outcomes: outcomesFromReceipt(plan.items, plan.order, receipt, account.address),
  };
}

/**
 * What `revokeWithDelegation` would do, without signing or sending anything: an eth_call of the
 * account's self-call with its code overridden to the delegation designator. Reverts surface as
 * viem errors carrying BatchRevoker's custom error (ItemNotRevoked, MalformedItems, ...).
 */
export async function previewRevocation(
  publicClient: PublicClient,
  options: { account: Address; revoker: Address; items: readonly RevocationItem[]; atomic?: boolean },
): Promise<ItemOutcome[]> {
  const plan = encodeRevocations(options.items);
  const { data } = await publicClient.call({
    account: options.account,
    to: options.account,
    data: encodeFunctionData({
      abi: batchRevokerAbi,
      functionName: "revoke",
      args: [plan.encoded, options.atomic ?? false],
    }),
    stateOverride: [{ address: options.account, code: delegationDesignator(options.revoker) }],
  });
  const returned = decodeFunctionResult({ abi: batchRevokerAbi, functionName: "revoke", data: data ?? "0x" });
  return decodeOutcomes(plan, returned);
}
