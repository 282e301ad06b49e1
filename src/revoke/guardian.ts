import { encodeFunctionData, isAddressEqual, type Address, type Client, type Hash, type Hex } from "viem";
import { getCode, getDelegation, readContract, sendTransaction } from "viem/actions";

import { batchRevokerAbi } from "../abi/batchRevoker.js";
import { localAccountOf, type AnyWalletClient } from "./delegation.js";
import { ForeignDelegationError, NotDelegatedError } from "./errors.js";
import type { RevocationItem } from "./items.js";
import { encodeRevocations, type EncodedRevocations } from "./plan.js";

export type SetRevokeGuardianParameters = {
  /** The BatchRevoker deployment the account is (or will be) delegated to. */
  revoker: Address;
  /** The guardian to appoint, or the zero address to remove the current one. */
  guardian: Address;
  /** Replace a delegation to another contract (a smart-account implementation). Off by default. */
  replaceDelegation?: boolean;
};

export type SetRevokeGuardianReturnType = {
  hash: Hash;
  /** Whether the transaction carried an EIP-7702 authorization (the account was not delegated yet). */
  authorized: boolean;
};

/**
 * Appoints, replaces or (with the zero address) removes the revoke-only guardian of the wallet's own
 * EOA: a self-call of BatchRevoker's `setGuardian`, delegating the EOA first in the same type-4
 * transaction when it is not delegated yet (that needs a local key). The guardian can then make the
 * account revoke approvals (`revokeAsGuardian`) and nothing else. The guardian lives in the account's
 * storage: it stays if the account undelegates and is back in force if it delegates again, so remove
 * it before undelegating to end it. Returns the transaction hash; wait for its receipt yourself.
 */
export async function setRevokeGuardian(
  client: AnyWalletClient,
  parameters: SetRevokeGuardianParameters,
): Promise<SetRevokeGuardianReturnType> {
  const account = client.account;
  const current = await getDelegation(client, { address: account.address });
  const delegated = current !== undefined && isAddressEqual(current, parameters.revoker);
  if (current !== undefined && !delegated && parameters.replaceDelegation !== true) {
    throw new ForeignDelegationError(account.address, current);
  }
  const authorizationList = delegated
    ? undefined
    : [
        await client.signAuthorization({
          account: localAccountOf(client),
          contractAddress: parameters.revoker,
          executor: "self",
        }),
      ];
  const hash = await sendTransaction(client, {
    account,
    chain: client.chain,
    to: account.address,
    data: encodeFunctionData({ abi: batchRevokerAbi, functionName: "setGuardian", args: [parameters.guardian] }),
    authorizationList,
  });
  return { hash, authorized: authorizationList !== undefined };
}

export type GetRevokeGuardianParameters = { account: Address };

/** The revoke-only guardian `account` appointed through BatchRevoker, or undefined if it has none or is not delegated. */
export async function getRevokeGuardian(client: Client, parameters: GetRevokeGuardianParameters): Promise<Address | undefined> {
  const code = await getCode(client, { address: parameters.account });
  if (code === undefined || code === "0x") return undefined;
  const guardian = await readContract(client, {
    address: parameters.account,
    abi: batchRevokerAbi,
    functionName: "guardianOf",
  });
  return /^0x0{40}$/i.test(guardian) ? undefined : guardian;
}

export type RevokeAsGuardianParameters = {
  /** The delegated account whose approvals to revoke (it appointed the wallet's account as guardian). */
  account: Address;
  items: readonly RevocationItem[];
  /** Revert everything unless every item ends revoked. */
  atomic?: boolean;
};

export type RevokeAsGuardianReturnType = {
  hash: Hash;
  /** The packed list sent; read outcomes with `outcomesFromReceipt(plan.items, plan.order, receipt, account)`. */
  plan: EncodedRevocations;
};

/**
 * As the guardian `account` appointed, makes it revoke `items`: a call of `revokeAsGuardian` on the
 * account, sent and paid for by the guardian's wallet, which never holds the owner's key. Throws
 * NotDelegatedError when the account has no code (it never delegated, or undelegated), before sending.
 */
export async function revokeAsGuardian(
  client: AnyWalletClient,
  parameters: RevokeAsGuardianParameters,
): Promise<RevokeAsGuardianReturnType> {
  const plan = encodeRevocations(parameters.items);
  const code: Hex | undefined = await getCode(client, { address: parameters.account });
  if (code === undefined || code === "0x") throw new NotDelegatedError(parameters.account);
  const hash = await sendTransaction(client, {
    account: client.account,
    chain: client.chain,
    to: parameters.account,
    data: encodeFunctionData({
      abi: batchRevokerAbi,
      functionName: "revokeAsGuardian",
      args: [plan.encoded, parameters.atomic ?? false],
    }),
  });
  return { hash, plan };
}
