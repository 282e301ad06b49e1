// EIP-712 signing of router permits exactly as a wallet does it (viem signTypedData over the
// router's domain: name, chainId, verifyingContract; Permit2's type strings), plus the
// signature forgeries the signature-attack scenario tries.
import type { Address, Hex, WalletClient } from "viem";
import { concat, hexToBigInt, numberToHex, size, slice } from "viem";

/// The secp256k1 group order: s and n - s both verify under plain ecrecover.
const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const SIGNATURE_LENGTH = 65;
const V_LOW = 27;
const V_HIGH = 28;
const WORD_BYTES = 32;

export const PERMIT_TYPES = {
  PermitDetails: [
    { name: "token", type: "address" },
    { name: "amount", type: "uint160" },
    { name: "expiration", type: "uint48" },
    { name: "nonce", type: "uint48" },
  ],
  PermitSingle: [
    { name: "details", type: "PermitDetails" },
    { name: "spender", type: "address" },
    { name: "sigDeadline", type: "uint256" },
  ],
} as const;

export type PermitSingle = {
  details: { token: Address; amount: bigint; expiration: number; nonce: number };
  spender: Address;
  sigDeadline: bigint;
};

export async function signPermitSingle(
  wallet: WalletClient,
  signer: Address,
  router: { address: Address; chainId: number },
  permit: PermitSingle,
): Promise<Hex> {
  return wallet.signTypedData({
    account: signer,
    domain: { name: "AllowanceRouter", chainId: router.chainId, verifyingContract: router.address },
    types: PERMIT_TYPES,
    primaryType: "PermitSingle",
    message: permit,
  });
}

/// The same signature with s replaced by n - s and the parity flipped: still a valid ECDSA
/// signature of the same signer over the same digest, but a different byte string.
export function malleateToHighS(signature: Hex): Hex {
  if (size(signature) !== SIGNATURE_LENGTH) throw new Error("expected a 65-byte r || s || v signature");
  const r = slice(signature, 0, WORD_BYTES);
  const s = hexToBigInt(slice(signature, WORD_BYTES, 2 * WORD_BYTES));
  const v = Number(hexToBigInt(slice(signature, 2 * WORD_BYTES)));
  const highS = SECP256K1_ORDER - s;
  const flippedV = v === V_LOW ? V_HIGH : V_LOW;
  return concat([r, numberToHex(highS, { size: WORD_BYTES }), numberToHex(flippedV, { size: 1 })]);
}
