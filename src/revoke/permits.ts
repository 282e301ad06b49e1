import {
  encodeFunctionData,
  parseSignature,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import { getEip712Domain } from "viem/actions";

import { batchRevokerAbi } from "../abi/batchRevoker.js";
import { erc20ReadAbi, permitMetadataAbi } from "../abi/tokens.js";
import type { AnyWalletClient } from "./delegation.js";
import { RevocationRevertedError } from "./errors.js";
import { outcomesFromReceipt, type RevocationOutcome } from "./outcomes.js";

/** A zero-value permit, as `revokeWithPermits` takes it. */
export type PermitRevocation = {
  style: "eip2612" | "dai";
  token: Address;
  owner: Address;
  spender: Address;
  /** EIP-2612 deadline, or DAI expiry (0 = none). */
  deadline: bigint;
  /** DAI only: the holder's permit nonce. */
  nonce: bigint;
  v: number;
  r: Hex;
  s: Hex;
};

export type PermitOutcome = { permit: PermitRevocation; outcome: RevocationOutcome };

const permitTokenAbi = [...erc20ReadAbi, ...permitMetadataAbi] as const;

/** EIP-2612 `Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)`. */
export const eip2612Types = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

const daiTypes = {
  Permit: [
    { name: "holder", type: "address" },
    { name: "spender", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint256" },
    { name: "allowed", type: "bool" },
  ],
} as const;

/**
 * The owner signs an EIP-2612 permit of value 0 for `spender` on `token`. The token's domain comes
 * from its ERC-5267 eip712Domain(); pass `domain` for a token without it.
 */
export async function signZeroPermit(
  walletClient: AnyWalletClient,
  publicClient: PublicClient,
  options: { token: Address; spender: Address; deadline: bigint; domain?: { name: string; version: string } },
): Promise<PermitRevocation> {
  const owner = walletClient.account.address;
  const chainId = await publicClient.getChainId();
  const named = options.domain ?? (await getEip712Domain(publicClient, { address: options.token })).domain;
  const nonce = await publicClient.readContract({
    address: options.token,
    abi: permitTokenAbi,
    functionName: "nonces",
    args: [owner],
  });
  const signature = await walletClient.signTypedData({
    account: walletClient.account,
    domain: { name: named.name, version: named.version, chainId, verifyingContract: options.token },
    types: eip2612Types,
    primaryType: "Permit",
    message: { owner, spender: options.spender, value: 0n, nonce, deadline: options.deadline },
  });
  const { token, spender, deadline } = options;
  return { style: "eip2612", token, owner, spender, deadline, nonce: 0n, ...vrs(signature) };
}

/** The holder signs a DAI-style permit with `allowed = false` (DAI's domain: name() and version()). */
export async function signDaiZeroPermit(
  walletClient: AnyWalletClient,
  publicClient: PublicClient,
  options: { token: Address; spender: Address; expiry: bigint },
): Promise<PermitRevocation> {
  const holder = walletClient.account.address;
  const read = <F extends "name" | "version">(functionName: F) =>
    publicClient.readContract({ address: options.token, abi: permitTokenAbi, functionName });
  const [name, version, nonce, chainId] = await Promise.all([
    read("name"),
    read("version"),
    publicClient.readContract({ address: options.token, abi: permitTokenAbi, functionName: "nonces", args: [holder] }),
    publicClient.getChainId(),
  ]);
  const signature = await walletClient.signTypedData({
    account: walletClient.account,
    domain: { name, version, chainId, verifyingContract: options.token },
    types: daiTypes,
    primaryType: "Permit",
    message: { holder, spender: options.spender, nonce, expiry: options.expiry, allowed: false },
  });
  const { token, spender, expiry } = options;
  return { style: "dai", token, owner: holder, spender, deadline: expiry, nonce, ...vrs(signature) };
}

/**
 * Anyone relays zero-value permits through the BatchRevoker deployment. Each permit is tried on
 * its own and each allowance read back: a permit already used (front-run) still counts as revoked
 * if the allowance is zero, and a token whose permit silently does nothing counts as failed.
 */
export async function revokeWithPermits(
  relayerClient: AnyWalletClient,
  publicClient: PublicClient,
  options: { revoker: Address; permits: readonly PermitRevocation[] },
): Promise<{ hash: Hash; receipt: TransactionReceipt; outcomes: PermitOutcome[] }> {
  const hash = await relayerClient.sendTransaction({
    account: relayerClient.account,
    chain: relayerClient.chain,
    to: options.revoker,
    data: encodeFunctionData({
      abi: batchRevokerAbi,
      functionName: "revokeWithPermits",
      args: [options.permits.map(toContractPermit)],
    }),
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new RevocationRevertedError(hash);
  // One outcome per permit, in order: the event index is the permit's index.
  const order = options.permits.map((_, index) => index);
  const outcomes = outcomesFromReceipt(options.permits, order, receipt, options.revoker);
  return { hash, receipt, outcomes: outcomes.map(({ item, outcome }) => ({ permit: item, outcome })) };
}

function toContractPermit(permit: PermitRevocation) {
  return {
    style: permit.style === "dai" ? 1 : 0,
    token: permit.token,
    owner: permit.owner,
    spender: permit.spender,
    deadline: permit.deadline,
    nonce: permit.nonce,
    v: permit.v,
    r: permit.r,
    s: permit.s,
  };
}

function vrs(signature: Hex): { v: number; r: Hex; s: Hex } {
  const { r, s, v, yParity } = parseSignature(signature);
  return { v: v === undefined ? 27 + yParity : Number(v), r, s };
}
