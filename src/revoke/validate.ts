import { getAddress, isAddress, maxUint256, zeroAddress, type Address } from "viem";

import {
  EmptyRevocationError,
  RevocationAddressError,
  RevocationTokenIdError,
  UnknownRevocationKindError,
  RevocationZeroAddressError,
} from "./errors.js";
import { revocationKinds, type RevocationItem } from "./items.js";
import { failsChecksum } from "../router/validate.js";

const CHECKSUM_REASON = "its mixed case fails the EIP-55 checksum (most likely a typo): copy it again, or pass it in lowercase";

/**
 * Checks a list of revocations as received from a caller (possibly untyped JSON) and returns it with
 * checksummed addresses. Throws a RevocationInputError subclass naming the first bad item.
 */
export function validateRevocationItems(items: readonly unknown[]): RevocationItem[] {
  if (items.length === 0) throw new EmptyRevocationError();
  return items.map((item, index) => validateItem(item, index));
}

function validateItem(raw: unknown, index: number): RevocationItem {
  const item = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const address = (field: string): Address => readAddress(item[field], index, field);
  switch (item.kind) {
    case "erc20":
      return { kind: "erc20", token: address("token"), spender: address("spender") };
    case "erc721":
      return { kind: "erc721", token: address("token"), tokenId: readTokenId(item.tokenId, index) };
    case "erc721-operator":
      return { kind: "erc721-operator", token: address("token"), operator: address("operator") };
    case "erc1155-operator":
      return { kind: "erc1155-operator", token: address("token"), operator: address("operator") };
    case "router":
      return {
        kind: "router",
        router: address("router"),
        token: address("token"),
        spender: address("spender"),
        ...(item.keepPermits === true ? { keepPermits: true as const } : {}),
      };
    default:
      throw new UnknownRevocationKindError(index, item.kind, revocationKinds);
  }
}

function readAddress(value: unknown, index: number, field: string): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    throw new RevocationAddressError(index, field, value);
  }
  if (failsChecksum(value)) throw new RevocationAddressError(index, field, value, CHECKSUM_REASON);
  const address = getAddress(value);
  if (address === zeroAddress) throw new RevocationZeroAddressError(index, field);
  return address;
}

function readTokenId(value: unknown, index: number): bigint {
  if (typeof value !== "bigint" || value < 0n || value > maxUint256) throw new RevocationTokenIdError(index, value);
  return value;
}
