// The signature forgeries the signature-attack scenario tries on router permits (signed with
// the SDK's signPermitSingle).
import type { Hex } from "viem";
import { concat, hexToBigInt, numberToHex, size, slice } from "viem";

/// The secp256k1 group order: s and n - s both verify under plain ecrecover.
const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const SIGNATURE_LENGTH = 65;
const V_LOW = 27;
const V_HIGH = 28;
const WORD_BYTES = 32;

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
