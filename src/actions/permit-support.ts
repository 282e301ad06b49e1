import { domainSeparator, keccak256, toHex, type Address, type Hex, type PublicClient } from "viem";
import { getEip712Domain } from "viem/actions";

import { erc20ReadAbi, permitMetadataAbi } from "../abi/tokens.js";
import type { AnyWalletClient } from "../revoke/delegation.js";
import { signDaiZeroPermit, signZeroPermit, type PermitRevocation } from "../revoke/permits.js";

/** DAI's permit type: `allowed = false` zeroes the allowance. */
export const DAI_PERMIT_TYPEHASH: Hex = keccak256(
  toHex("Permit(address holder,address spender,uint256 nonce,uint256 expiry,bool allowed)"),
);

/** How to sign a zero permit for one token: its permit style and the name/version of its EIP-712 domain. */
export type PermitSupport = { style: "eip2612" | "dai"; domain: { name: string; version: string } };

const permitProbeAbi = [...erc20ReadAbi, ...permitMetadataAbi] as const;

/** A token without `version()` signs with version "1" (OpenZeppelin's ERC20Permit default). */
const DEFAULT_DOMAIN_VERSION = "1";

/**
 * Whether a zero permit for `token` can be signed, and how. The domain is the token's ERC-5267
 * `eip712Domain()` or its `name()` with `version()` (or "1"), and must hash to the token's own
 * `DOMAIN_SEPARATOR()`: a permit signed over any other domain would fail on-chain. DAI-style
 * permits are told apart by their `PERMIT_TYPEHASH()`.
 */
export async function permitSupportOf(
  publicClient: PublicClient,
  token: Address,
  chainId: number,
): Promise<PermitSupport | { unsupported: string }> {
  const read = <F extends "DOMAIN_SEPARATOR" | "PERMIT_TYPEHASH" | "name" | "version">(functionName: F) =>
    publicClient.readContract({ address: token, abi: permitProbeAbi, functionName }).catch(() => null);
  const [separator, typehash, name, version, announced] = await Promise.all([
    read("DOMAIN_SEPARATOR"),
    read("PERMIT_TYPEHASH"),
    read("name"),
    read("version"),
    getEip712Domain(publicClient, { address: token }).then(
      ({ domain }) => domain,
      () => null,
    ),
  ]);
  if (separator === null) return { unsupported: "it has no DOMAIN_SEPARATOR()" };
  const candidates: { name: string; version: string }[] = [];
  if (announced?.name !== undefined) candidates.push({ name: announced.name, version: announced.version ?? DEFAULT_DOMAIN_VERSION });
  if (name !== null) candidates.push({ name, version: version ?? DEFAULT_DOMAIN_VERSION });
  const domain = candidates.find(
    (candidate) => domainSeparator({ domain: { ...candidate, chainId, verifyingContract: token } }) === separator,
  );
  if (domain === undefined) return { unsupported: "its DOMAIN_SEPARATOR() matches no (name, version, chain, address) domain" };
  return { style: typehash === DAI_PERMIT_TYPEHASH ? "dai" : "eip2612", domain };
}

/** The owner's zero permit for `spender` on `token`, valid until `deadline`. */
export function signPermitRevocation(
  walletClient: AnyWalletClient,
  publicClient: PublicClient,
  options: { token: Address; spender: Address; deadline: bigint; support: PermitSupport },
): Promise<PermitRevocation> {
  const { token, spender, deadline, support } = options;
  return support.style === "dai"
    ? signDaiZeroPermit(walletClient, publicClient, { token, spender, expiry: deadline })
    : signZeroPermit(walletClient, publicClient, { token, spender, deadline, domain: support.domain });
}
