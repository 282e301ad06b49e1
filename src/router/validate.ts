// Input checks shared by the signing and grant helpers; each throws a RouterInputError
// subclass naming the field, before anything is signed or sent.
import { type Account, type Address, type WalletClient, getAddress, isAddress, maxUint48, maxUint160, maxUint256, zeroAddress } from "viem";

import { NotAnAddressError } from "../errors.js";
import { AddressChecksumError, MissingAccountError, OutOfRangeError, ZeroAddressError } from "./errors.js";

export const UINT48_RANGE = { min: 0n, max: maxUint48 } as const;
export const UINT160_RANGE = { min: 0n, max: maxUint160 } as const;
export const UINT256_RANGE = { min: 0n, max: maxUint256 } as const;

/**
 * The checksummed form of `value`, a 20-byte hex address. Mixed case must pass EIP-55 (a one-letter
 * case typo would otherwise name another account); all-lowercase or all-uppercase hex carries no
 * checksum and is accepted as is.
 */
export function parseAddress(field: string, value: unknown): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) throw new NotAnAddressError(field, value);
  if (failsChecksum(value)) throw new AddressChecksumError(field, value);
  return getAddress(value);
}

/** Whether a well-formed hex address is in mixed case that does not match its EIP-55 checksum. */
export function failsChecksum(address: string): boolean {
  const hex = address.slice(2);
  const mixedCase = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
  return mixedCase && getAddress(address) !== address;
}

/** Rejects anything but a non-zero 20-byte address whose mixed case, if any, passes EIP-55. */
export function assertAddress(field: string, value: unknown): asserts value is Address {
  parseAddress(field, value);
  if ((value as string).toLowerCase() === zeroAddress) throw new ZeroAddressError(field);
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
