// EIP-712 signing of router permits. The type strings are Uniswap Permit2's, so the same
// messages sign for either contract; only the domain differs.
import {
  type AbiParameterToPrimitiveType,
  type Address,
  type Hex,
  type LocalAccount,
  type TypedDataDefinition,
  type WalletClient,
  parseSignature,
  serializeCompactSignature,
  signatureToCompactSignature,
  size,
} from "viem";
import { signTypedData } from "viem/actions";

import type { allowanceRouterAbi } from "../abi/allowanceRouter.js";
import { EmptyBatchError, SignatureLengthError } from "./errors.js";
import {
  UINT48_RANGE,
  UINT160_RANGE,
  UINT256_RANGE,
  assertAddress,
  requireAccount,
  toBoundedInteger,
} from "./validate.js";

/** The router's EIP-712 domain name; its domain has no version field, like Permit2's. */
export const ROUTER_DOMAIN_NAME = "AllowanceRouter";

const permitDetailsFields = [
  { name: "token", type: "address" },
  { name: "amount", type: "uint160" },
  { name: "expiration", type: "uint48" },
  { name: "nonce", type: "uint48" },
] as const;

/** `PermitSingle(PermitDetails details,address spender,uint256 sigDeadline)PermitDetails(...)` */
export const permitSingleTypes = {
  PermitSingle: [
    { name: "details", type: "PermitDetails" },
    { name: "spender", type: "address" },
    { name: "sigDeadline", type: "uint256" },
  ],
  PermitDetails: permitDetailsFields,
} as const;

/** `PermitBatch(PermitDetails[] details,address spender,uint256 sigDeadline)PermitDetails(...)` */
export const permitBatchTypes = {
  PermitBatch: [
    { name: "details", type: "PermitDetails[]" },
    { name: "spender", type: "address" },
    { name: "sigDeadline", type: "uint256" },
  ],
  PermitDetails: permitDetailsFields,
} as const;

// The message types come from the router's ABI, so a signed permit is exactly what `permit` takes.
type PermitInput<Struct extends string> = Extract<
  Extract<(typeof allowanceRouterAbi)[number], { type: "function"; name: "permit" }>["inputs"][1],
  { internalType: `struct IAllowanceTransfer.${Struct}` }
>;
export type PermitSingle = AbiParameterToPrimitiveType<PermitInput<"PermitSingle">>;
export type PermitBatch = AbiParameterToPrimitiveType<PermitInput<"PermitBatch">>;
export type PermitDetails = PermitSingle["details"];

export type RouterDomain = { name: typeof ROUTER_DOMAIN_NAME; chainId: number; verifyingContract: Address };

/** The domain of the router deployed at `verifyingContract` on chain `chainId`. */
export function routerDomain({ chainId, verifyingContract }: { chainId: number; verifyingContract: Address }): RouterDomain {
  assertAddress("verifyingContract", verifyingContract);
  toBoundedInteger("chainId", chainId, { min: 1n, max: BigInt(Number.MAX_SAFE_INTEGER) });
  return { name: ROUTER_DOMAIN_NAME, chainId, verifyingContract };
}

/**
 * Who signs: a wallet client with an account (JSON-RPC or local), or a local account.
 * For an EIP-1271 contract owner, this is the key its `isValidSignature` accepts.
 */
export type PermitSigner = WalletClient | LocalAccount;

export type SignPermitParameters<Permit> = {
  signer: PermitSigner;
  chainId: number;
  router: Address;
  permit: Permit;
};

function assertPermitDetails(details: PermitDetails, field: string): void {
  assertAddress(`${field}.token`, details.token);
  toBoundedInteger(`${field}.amount`, details.amount, UINT160_RANGE);
  toBoundedInteger(`${field}.expiration`, details.expiration, UINT48_RANGE);
  toBoundedInteger(`${field}.nonce`, details.nonce, UINT48_RANGE);
}

function assertPermitEnvelope(permit: { spender: Address; sigDeadline: bigint }): void {
  assertAddress("spender", permit.spender);
  toBoundedInteger("sigDeadline", permit.sigDeadline, UINT256_RANGE);
}

function isLocalAccount(signer: PermitSigner): signer is LocalAccount {
  return signer.type === "local";
}

/** Signs `typedData` with the signer's key; a wallet client without an account cannot sign. */
function signWith(signer: PermitSigner, typedData: TypedDataDefinition): Promise<Hex> {
  if (isLocalAccount(signer)) return signer.signTypedData(typedData);
  return signTypedData(signer, { ...typedData, account: requireAccount(signer) });
}

/** The owner's 65-byte (r‖s‖v) EIP-712 signature over a PermitSingle for the router. */
export async function signPermitSingle({ signer, chainId, router, permit }: SignPermitParameters<PermitSingle>): Promise<Hex> {
  assertPermitDetails(permit.details, "details");
  assertPermitEnvelope(permit);
  return signWith(signer, {
    domain: routerDomain({ chainId, verifyingContract: router }),
    types: permitSingleTypes,
    primaryType: "PermitSingle",
    message: permit,
  });
}

/** The owner's 65-byte (r‖s‖v) EIP-712 signature over a PermitBatch for the router. */
export async function signPermitBatch({ signer, chainId, router, permit }: SignPermitParameters<PermitBatch>): Promise<Hex> {
  if (permit.details.length === 0) throw new EmptyBatchError();
  permit.details.forEach((details, index) => assertPermitDetails(details, `details[${index}]`));
  assertPermitEnvelope(permit);
  return signWith(signer, {
    domain: routerDomain({ chainId, verifyingContract: router }),
    types: permitBatchTypes,
    primaryType: "PermitBatch",
    message: permit,
  });
}

const FULL_SIGNATURE_BYTES = 65;

/** The EIP-2098 compact (64-byte, r‖yParityAndS) form of a 65-byte signature; the router accepts both. */
export function toCompactSignature(signature: Hex): Hex {
  const byteLength = size(signature);
  if (byteLength !== FULL_SIGNATURE_BYTES) throw new SignatureLengthError(byteLength, FULL_SIGNATURE_BYTES);
  return serializeCompactSignature(signatureToCompactSignature(parseSignature(signature)));
}
