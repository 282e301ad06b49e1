import {
  concatHex,
  isAddressEqual,
  zeroAddress,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type SignedAuthorization,
  type Transport,
  type WalletClient,
} from "viem";
import { getDelegation } from "viem/actions";

import { LocalAccountRequiredError } from "./errors.js";

/** EIP-7702 delegation designator: 0xef0100 ‖ address. */
const DELEGATION_PREFIX = "0xef0100";

export type AnyWalletClient = WalletClient<Transport, Chain | undefined, Account>;

/** The code an EOA delegated to `delegate` has. */
export function delegationDesignator(delegate: Address): Hex {
  return concatHex([DELEGATION_PREFIX, delegate]);
}

/** The wallet's account, if it can sign EIP-7702 authorizations (a local private key). */
export function localAccountOf(walletClient: AnyWalletClient): LocalAccount {
  const account = walletClient.account;
  if (account.type !== "local") throw new LocalAccountRequiredError(account.address);
  return account;
}

/**
 * Signs the authorization that delegates the wallet's EOA to `delegate`. With `executor: "self"`
 * the EOA sends the type-4 transaction itself, whose own nonce increment the authorization skips;
 * without it, a relayer sends it.
 */
export async function signDelegation(
  walletClient: AnyWalletClient,
  delegate: Address,
  executor?: "self",
): Promise<SignedAuthorization> {
  const account = localAccountOf(walletClient);
  return walletClient.signAuthorization({ account, contractAddress: delegate, executor });
}

/** The node the transaction's receipt is awaited from. */
export type UndelegateParameters = { publicClient: PublicClient };
/** The transaction's hash, once mined. */
export type UndelegateReturnType = Hex;

/**
 * Removes the EOA's delegation: a type-4 transaction carrying an authorization to the zero address
 * (EIP-7702 then clears the code). Storage written under delegation, such as the revocation nonce,
 * stays, so signed revocations already used stay used if the account delegates again.
 */
export async function undelegate(walletClient: AnyWalletClient, { publicClient }: UndelegateParameters): Promise<UndelegateReturnType> {
  const account = localAccountOf(walletClient);
  const authorization = await walletClient.signAuthorization({
    account,
    contractAddress: zeroAddress,
    executor: "self",
  });
  const hash = await walletClient.sendTransaction({
    account,
    chain: walletClient.chain,
    to: account.address,
    authorizationList: [authorization],
  });
  await publicClient.waitForTransactionReceipt({ hash });
  return hash;
}

/** Whether `account` is delegated to `delegate` already (so no authorization is needed). */
export async function isDelegatedTo(publicClient: PublicClient, account: Address, delegate: Address): Promise<boolean> {
  const current = await getDelegation(publicClient, { address: account });
  return current !== undefined && isAddressEqual(current, delegate);
}
