// Time-bounded grants to a spender through the router: by the owner's own transaction
// (`approve`) or by the owner's signature that anyone may submit (`permit`).
import { type Address, type Hash, type Hex, type WalletClient, maxUint48, maxUint160 } from "viem";
import { getBlock, getChainId, readContract, writeContract } from "viem/actions";

import { allowanceRouterAbi } from "../abi/allowanceRouter.js";
import { ExpirationInPastError, ExpiryChoiceError, OutOfRangeError } from "./errors.js";
import { type PermitSingle, signPermitSingle } from "./typedData.js";
import { UINT48_RANGE, assertAddress, requireAccount, toBoundedInteger } from "./validate.js";

/** A whole number of seconds. */
export type Seconds = bigint | number;

/** Either a lifetime from the latest block's time, or an absolute unix time; both in seconds. */
export type Expiry = { expiresIn: Seconds; expiresAt?: undefined } | { expiresAt: Seconds; expiresIn?: undefined };

/** An amount the router never decrements: the grant is bounded by its expiration only. */
export const UNLIMITED_AMOUNT = maxUint160;

/** How long a relayer has to submit a permit signature unless told otherwise. */
export const DEFAULT_SIGNATURE_LIFETIME = 30n * 60n;

// A grant of 0 gives nothing: revoking is the router's `lockdown`.
const GRANT_AMOUNT_RANGE = { min: 1n, max: maxUint160 } as const;
const SIGNATURE_LIFETIME_RANGE = { min: 1n, max: maxUint48 } as const;

/** What to grant; the client passed beside it is the owner's wallet, whose account signs (permit) or sends (approve). */
export type GrantParameters = {
  router: Address;
  token: Address;
  spender: Address;
  /** The most the spender may pull, in token base units; UNLIMITED_AMOUNT for no cap. */
  amount: bigint;
} & Expiry;

export type GrantReturnType = { hash: Hash; expiresAt: number };

export type GrantByPermitParameters = GrantParameters & {
  /** A contract wallet (EIP-1271) that accepts the client's signature; by default the client's own account. */
  owner?: Address;
  /** How long after the latest block the signature may still be submitted; DEFAULT_SIGNATURE_LIFETIME if omitted. */
  signatureExpiresIn?: Seconds;
  /** If given, this wallet submits the permit and pays its gas. */
  relayer?: WalletClient;
};

/** What a relayer submits: `router.permit(owner, permitSingle, signature)`. */
export type SignedPermitSingle = { owner: Address; permitSingle: PermitSingle; signature: Hex };

/** The signed permit, and the relayer's transaction hash when a relayer submitted it. */
export type GrantByPermitReturnType = SignedPermitSingle & { hash: Hash | undefined };

export type SubmitPermitParameters = { router: Address; signedPermit: SignedPermitSingle };
export type SubmitPermitReturnType = Hash;

type ExpiryRequest = { fromLatestBlock: boolean; seconds: bigint };

function parseExpiry({ expiresIn, expiresAt }: Expiry): ExpiryRequest {
  if ((expiresIn === undefined) === (expiresAt === undefined)) throw new ExpiryChoiceError();
  return expiresAt === undefined
    ? { fromLatestBlock: true, seconds: toBoundedInteger("expiresIn", expiresIn, UINT48_RANGE) }
    : { fromLatestBlock: false, seconds: toBoundedInteger("expiresAt", expiresAt, UINT48_RANGE) };
}

/**
 * The expiration to request. It must lie after the latest block's time: the router compares
 * against the time of the block that includes the grant, never an earlier one.
 */
function expiresAtAfter({ fromLatestBlock, seconds }: ExpiryRequest, chainTime: bigint): number {
  const expiresAt = fromLatestBlock ? chainTime + seconds : seconds;
  if (expiresAt <= chainTime) throw new ExpirationInPastError(expiresAt, chainTime);
  if (expiresAt > maxUint48) throw new OutOfRangeError("expiresAt", expiresAt, 0n, maxUint48);
  return Number(expiresAt);
}

function checkGrant({ router, token, spender, amount }: GrantParameters): void {
  assertAddress("router", router);
  assertAddress("token", token);
  assertAddress("spender", spender);
  toBoundedInteger("amount", amount, GRANT_AMOUNT_RANGE);
}

async function latestBlockTime(walletClient: WalletClient): Promise<bigint> {
  return (await getBlock(walletClient, { blockTag: "latest" })).timestamp;
}

/**
 * Grants `spender` up to `amount` of `token` until the expiry, by the owner's transaction.
 * Returns the transaction hash and the expiration requested; an owner's duration cap may
 * shorten it, and the Approval event carries the one stored.
 */
export async function grant(walletClient: WalletClient, parameters: GrantParameters): Promise<GrantReturnType> {
  const { router, token, spender, amount } = parameters;
  checkGrant(parameters);
  const account = requireAccount(walletClient);
  const expiry = parseExpiry(parameters);
  const expiresAt = expiresAtAfter(expiry, await latestBlockTime(walletClient));
  const hash = await writeContract(walletClient, {
    address: router,
    abi: allowanceRouterAbi,
    functionName: "approve",
    args: [token, spender, amount, expiresAt],
    account,
    chain: walletClient.chain,
  });
  return { hash, expiresAt };
}

/** Sends `router.permit(owner, permitSingle, signature)` from `walletClient`, which pays the gas. */
export async function submitPermit(
  walletClient: WalletClient,
  { router, signedPermit: { owner, permitSingle, signature } }: SubmitPermitParameters,
): Promise<SubmitPermitReturnType> {
  return writeContract(walletClient, {
    address: router,
    abi: allowanceRouterAbi,
    functionName: "permit",
    args: [owner, permitSingle, signature],
    account: requireAccount(walletClient),
    chain: walletClient.chain,
  });
}

/**
 * Grants `spender` up to `amount` of `token` until the expiry, by the owner's signature: reads
 * the pair's current nonce, signs a PermitSingle, and returns what a relayer submits. With
 * `relayer`, also submits it and returns the transaction hash.
 */
export async function grantByPermit(
  walletClient: WalletClient,
  parameters: GrantByPermitParameters,
): Promise<GrantByPermitReturnType> {
  const { router, token, spender, amount, relayer } = parameters;
  checkGrant(parameters);
  const owner = parameters.owner ?? requireAccount(walletClient).address;
  assertAddress("owner", owner);
  if (relayer !== undefined) requireAccount(relayer);
  const expiry = parseExpiry(parameters);
  const signatureLifetime = toBoundedInteger(
    "signatureExpiresIn",
    parameters.signatureExpiresIn ?? DEFAULT_SIGNATURE_LIFETIME,
    SIGNATURE_LIFETIME_RANGE,
  );

  const [chainTime, chainId, [, , nonce]] = await Promise.all([
    latestBlockTime(walletClient),
    getChainId(walletClient),
    readContract(walletClient, {
      address: router,
      abi: allowanceRouterAbi,
      functionName: "allowance",
      args: [owner, token, spender],
    }),
  ]);
  const permitSingle: PermitSingle = {
    details: { token, amount, expiration: expiresAtAfter(expiry, chainTime), nonce },
    spender,
    sigDeadline: chainTime + signatureLifetime,
  };
  const signature = await signPermitSingle({ signer: walletClient, chainId, router, permit: permitSingle });
  const signedPermit = { owner, permitSingle, signature };
  const hash = relayer === undefined ? undefined : await submitPermit(relayer, { router, signedPermit });
  return { ...signedPermit, hash };
}
