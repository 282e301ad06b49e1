import { hexToString, type Address, type Hex } from "viem";

import { bytes32SymbolAbi, erc20ReadAbi, nftReadAbi } from "./abis.js";
import { ERC1155_INTERFACE_ID, ERC721_INTERFACE_ID } from "./constants.js";
import { valueOf, type ReadHandle, type ReadPlan } from "./read-plan.js";
import type { TokenInfo, TokenStandard } from "./types.js";

/** Reads planned for one fungible token (ERC-20 approvals and router grants). */
export interface FungibleReads {
  address: Address;
  symbol: ReadHandle;
  decimals: ReadHandle;
  totalSupply: ReadHandle;
  balance: ReadHandle;
  nonces: ReadHandle;
  domainSeparator: ReadHandle;
}

/** Reads planned for one NFT collection (ERC-721 approvals and operators). */
export interface CollectionReads {
  address: Address;
  symbol: ReadHandle;
  balance: ReadHandle;
  supports721: ReadHandle;
  supports1155: ReadHandle;
}

export function planFungibleReads(plan: ReadPlan, token: Address, owner: Address): FungibleReads {
  const read = (functionName: string, args: readonly unknown[] = []) =>
    plan.add({ address: token, abi: erc20ReadAbi, functionName, args } as never);
  return {
    address: token,
    symbol: read("symbol"),
    decimals: read("decimals"),
    totalSupply: read("totalSupply"),
    balance: read("balanceOf", [owner]),
    nonces: read("nonces", [owner]),
    domainSeparator: read("DOMAIN_SEPARATOR"),
  };
}

export function planCollectionReads(plan: ReadPlan, collection: Address, owner: Address): CollectionReads {
  return {
    address: collection,
    symbol: plan.add({ address: collection, abi: erc20ReadAbi, functionName: "symbol" } as never),
    balance: plan.add({ address: collection, abi: erc20ReadAbi, functionName: "balanceOf", args: [owner] } as never),
    supports721: plan.add({ address: collection, abi: nftReadAbi, functionName: "supportsInterface", args: [ERC721_INTERFACE_ID] } as never),
    supports1155: plan.add({ address: collection, abi: nftReadAbi, functionName: "supportsInterface", args: [ERC1155_INTERFACE_ID] } as never),
  };
}

/** Plans the bytes32 symbol() read for a token whose string symbol() could not be read (MKR-style). */
export function planBytes32Symbol(plan: ReadPlan, token: Address): ReadHandle {
  return plan.add({ address: token, abi: bytes32SymbolAbi, functionName: "symbol" } as never);
}

/** A bytes32 symbol as text, if it is printable once its trailing zero bytes are cut. */
export function decodeBytes32Symbol(value: Hex | null): string | null {
  if (value === null) return null;
  const text = hexToString(value, { size: 32 }).replace(/\0+$/, "");
  return text.length > 0 && /^[\x20-\x7e]+$/.test(text) ? text : null;
}

const describeFailure = (name: string, handle: ReadHandle): string | null => {
  const result = handle();
  return result.ok ? null : `${name}: ${result.reason}`;
};

export function fungibleTokenInfo(reads: FungibleReads, bytes32Symbol: string | null): { info: TokenInfo; balance: bigint | null } {
  const stringSymbol = valueOf<string>(reads.symbol);
  const symbol = stringSymbol ?? bytes32Symbol;
  const failures = [
    symbol === null ? describeFailure("symbol()", reads.symbol) : null,
    describeFailure("decimals()", reads.decimals),
    describeFailure("totalSupply()", reads.totalSupply),
    describeFailure("balanceOf()", reads.balance),
  ].filter((failure): failure is string => failure !== null);
  const decimals = valueOf<number>(reads.decimals);
  return {
    info: {
      address: reads.address,
      standard: "erc20",
      symbol,
      decimals,
      totalSupply: valueOf<bigint>(reads.totalSupply),
      supportsPermit: valueOf<bigint>(reads.nonces) !== null && valueOf<Hex>(reads.domainSeparator) !== null,
      metadataError: failures.length > 0 ? failures.join("; ") : null,
    },
    balance: valueOf<bigint>(reads.balance),
  };
}

export function collectionInfo(reads: CollectionReads, bytes32Symbol: string | null): { info: TokenInfo; balance: bigint | null } {
  const standard: TokenStandard =
    valueOf<boolean>(reads.supports1155) === true ? "erc1155" : valueOf<boolean>(reads.supports721) === true ? "erc721" : "unknown";
  const symbol = valueOf<string>(reads.symbol) ?? bytes32Symbol;
  // ERC-1155 has no symbol() and no per-collection balance: their absence is not an error.
  const failures =
    standard === "erc1155"
      ? []
      : [symbol === null ? describeFailure("symbol()", reads.symbol) : null, describeFailure("balanceOf()", reads.balance)].filter(
          (failure): failure is string => failure !== null,
        );
  return {
    info: {
      address: reads.address,
      standard,
      symbol,
      decimals: null,
      totalSupply: null,
      supportsPermit: false,
      metadataError: failures.length > 0 ? failures.join("; ") : null,
    },
    balance: standard === "erc1155" ? null : valueOf<bigint>(reads.balance),
  };
}
