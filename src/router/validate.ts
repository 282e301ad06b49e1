// Input checks shared by the signing and grant helpers; each throws a RouterInputError
// subclass naming the field, before anything is signed or sent.
import { type Account, type Address, type WalletClient, isAddress, maxUint48, maxUint160, maxUint256, zeroAddress } from "viem";

import { NotAnAddressError } from "../errors.js";
import { MissingAccountError, OutOfRangeError, ZeroAddressError } from "./errors.js";

export const UINT48_RANGE = { min: 0n, max: maxUint48 } as const;
export const UINT160_RANGE = { min: 0n, max: maxUint160 } as const;
export const UINT256_RANGE = { min: 0n, max: maxUint256 } as const;

/** Rejects anything but a non-zero 20-byte address (any checksum casing is accepted). */
export function assertAddress(field: string, value: unknown): asserts value is Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) throw new NotAnAddressError(field, value);
  if (value.toLowerCase() === zeroAddress) throw new ZeroAddressError(field);
}

/** The value as a bigint, if it is a whole number within `range`. */
export function toBoundedInteger(
  field: string,
  value: unknown,
  range: { readonly min: bigint; readonly max: bigint },
): bigint {
  const integer =
    typeof value === "bigint" ? value : typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : null;
  if (integer === null || integer < range.min || integer > range.max) {
    throw new OutOfRangeError(field, value, range.min, range.max);
  }
  return integer;
}

/** The account a wallet client signs and sends with. */
export function requireAccount(walletClient: WalletClient): Account {
  if (walletClient.account === undefined) throw new MissingAccountError();
  return walletClient.account;
}
