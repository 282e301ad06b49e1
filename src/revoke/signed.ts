import {
  decodeFunctionResult,
  encodeFunctionData,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
  type SignedAuthorization,
  type TransactionReceipt,
} from "viem";

import { batchRevokerAbi } from "../abi/batchRevoker.js";
import { delegationDesignator, isDelegatedTo, signDelegation, type AnyWalletClient } from "./delegation.js";
import { RevocationRevertedError } from "./errors.js";
import type { RevocationItem } from "./items.js";
import { outcomesFromReceipt, type ItemOutcome } from "./outcomes.js";
import { encodeRevocations, type EncodedRevocations } from "./plan.js";

/** BatchRevoker's EIP-712 type for a relayed revocation. */
export const revocationTypes = {
  Revocation: [
    { name: "items", type: "bytes" },
    { name: "atomic", type: "bool" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The EIP-712 domain: the account itself is the verifying contract, so a signature fits one account. */
export function revocationDomain(account: Address, chainId: number) {
  return { name: "BatchRevoker", version: "1", chainId, verifyingContract: account } as const;
}

/** A revocation the owner signed for someone else to submit. */
export type SignedRevocation = {
  account: Address;
  plan: EncodedRevocations;
  atomic: boolean;
  nonce: bigint;
  deadline: bigint;
  signature: Hex;
  /** The EOA's delegation, when it is not delegated yet: the relayer includes it (and pays for it). */
  authorization?: SignedAuthorization;
};

/**
 * The owner signs a revocation (and, if the EOA is not delegated to `revoker` yet, the
 * authorization) for a relayer to submit: gasless revocation. The authorization is valid only
 * while the EOA's nonce does not move, so the owner should send nothing until it is relayed.
 */
export async function signRevocation(
  walletClient: AnyWalletClient,
  publicClient: PublicClient,
  options: { revoker: Address; items: readonly RevocationItem[]; atomic?: boolean; deadline: bigint },
): Promise<SignedRevocation> {
  const account = walletClient.account.address;
  const plan = encodeRevocations(options.items);
  const atomic = options.atomic ?? false;
  const nonce = await revocationNonceOf(publicClient, account, options.revoker);
  const chainId = await publicClient.getChainId();
  const signature = await walletClient.signTypedData({
    account: walletClient.account,
    domain: revocationDomain(account, chainId),
    types: revocationTypes,
    primaryType: "Revocation",
    message: { items: plan.encoded, atomic, nonce, deadline: options.deadline },
  });
  const delegated = await isDelegatedTo(publicClient, account, options.revoker);
  const authorization = delegated ? undefined : await signDelegation(walletClient, options.revoker);
  return { account, plan, atomic, nonce, deadline: options.deadline, signature, authorization };
}

/** The relayer submits a signed revocation, with the owner's authorization if it carries one. */
export async function relayRevocation(
  relayerClient: AnyWalletClient,
  publicClient: PublicClient,
  signed: SignedRevocation,
): Promise<{ hash: Hash; receipt: TransactionReceipt; outcomes: ItemOutcome[] }> {
  const hash = await relayerClient.sendTransaction({
    account: relayerClient.account,
    chain: relayerClient.chain,
    to: signed.account,
    data: encodeFunctionData({
      abi: batchRevokerAbi,
      functionName: "revokeWithSignature",
      args: [signed.plan.encoded, signed.atomic, signed.deadline, signed.signature],
    }),
    authorizationList: signed.authorization === undefined ? undefined : [signed.authorization],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new RevocationRevertedError(hash);
  const outcomes = outcomesFromReceipt(signed.plan.items, signed.plan.order, receipt, signed.account);
  return { hash, receipt, outcomes };
}

/**
 * The nonce the account's next signed revocation must carry. Read through a code override, so it
 * is right whether or not the EOA is delegated now: the nonce lives in the EOA's own storage and
 * survives undelegation.
 */
export async function revocationNonceOf(
  publicClient: PublicClient,
  account: Address,
  revoker: Address,
): Promise<bigint> {
  const { data } = await publicClient.call({
    to: account,
    data: encodeFunctionData({ abi: batchRevokerAbi, functionName: "revocationNonce" }),
    stateOverride: [{ address: account, code: delegationDesignator(revoker) }],
  });
  return decodeFunctionResult({ abi: batchRevokerAbi, functionName: "revocationNonce", data: data ?? "0x" });
}
