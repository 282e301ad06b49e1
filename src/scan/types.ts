import type { Address, Hex } from "viem";
import type { RevocationItem } from "../revoke/items.js";

/**
 * What an approval lets its spender take:
 * - `erc20`: an ERC-20 allowance (`approve(spender, amount)`);
 * - `erc721`: one NFT (`approve(spender, tokenId)`);
 * - `erc721-operator` / `erc1155-operator`: a whole collection (`setApprovalForAll`);
 * - `router`: a Permit2-style grant held by Permit2 or an AllowanceRouter deployment.
 */
export type ApprovalKind = "erc20" | "erc721" | "erc721-operator" | "erc1155-operator" | "router";

export type TokenStandard = "erc20" | "erc721" | "erc1155" | "unknown";

export interface TokenInfo {
  address: Address;
  standard: TokenStandard;
  symbol: string | null;
  decimals: number | null;
  totalSupply: bigint | null;
  /** EIP-2612 `nonces` and `DOMAIN_SEPARATOR` answer: a revocation can be relayed by permit. */
  supportsPermit: boolean;
  /** Why metadata is missing (a reverting or malformed call); null when all of it was read. */
  metadataError: string | null;
}

/** A point on the chain: the block and transaction where something happened. */
export interface ChainPoint {
  blockNumber: bigint;
  /** Unix seconds (the block's timestamp). */
  timestamp: number;
  transactionHash: Hex;
}

/** One transfer out of the owner's wallet attributed to an approval's spender. */
export interface Pull {
  /** Token units for ERC-20; 1 for an NFT. */
  amount: bigint;
  tokenId: bigint | null;
  recipient: Address;
  /** The transaction's sender (the spender itself, a keeper, or the owner calling the spender). */
  sender: Address;
  at: ChainPoint;
}

/** Everything a revocation planner needs to remove one approval: BatchRevoker's item, per kind. */
export type RevocationTarget = RevocationItem;

/** One live approval of the owner, with its current values read on-chain. */
export interface Approval {
  /** Stable key: kind, contract(s) and spender or token id, lowercase. */
  id: string;
  chainId: number;
  owner: Address;
  kind: ApprovalKind;
  token: TokenInfo;
  /** Who can move the owner's tokens: the ERC-20 spender, approved address, operator or grant spender. */
  spender: Address;
  /** The contract holding a `router` grant (Permit2 or an AllowanceRouter); null otherwise. */
  router: Address | null;
  tokenId: bigint | null;
  /** Current allowance; null for NFT kinds, which cover a whole token or collection. */
  amount: bigint | null;
  /** Unix seconds after which the grant is void; null = never expires (plain approvals). */
  expiresAt: number | null;
  /** Permit2-style nonce of a router grant; null otherwise. */
  nonce: number | null;
  /** The owner's current balance (token units, or NFT count); null when unreadable or unknowable (ERC-1155). */
  balance: bigint | null;
  /** What the spender could take right now: min(allowance, balance[, router's own allowance]). */
  valueAtRisk: bigint | null;
  /** The latest event that set this approval. */
  grantedAt: ChainPoint;
  /** Transfers out of the owner attributed to this approval, oldest first. */
  pulls: Pull[];
  /** Timestamp of the latest pull; null if never used within the scanned blocks. */
  lastUsedAt: number | null;
  revocation: RevocationTarget;
}

export type ProxyStandard = "eip1967" | "eip1967-beacon" | "eip1822";

/** What the chain says about a spender's code, for risk grading. */
export interface SpenderProfile {
  address: Address;
  /** `eoa` has no code; `delegated-eoa` carries an EIP-7702 delegation; `contract` has code. */
  codeKind: "eoa" | "delegated-eoa" | "contract";
  delegatedTo: Address | null;
  proxy: { standard: ProxyStandard; implementation: Address } | null;
  /** Code absent or different at the start of the recent window; null when the node keeps no history. */
  deployedRecently: boolean | null;
  /** Implementation slot changed within the recent window; null when unknowable. */
  upgradedRecently: boolean | null;
  /** Human name when known (Permit2, a router passed in, a denylisted contract). */
  label: string | null;
  /**
   * Permit2 or a router passed to the scan: it moves tokens only inside its own grants, which
   * the scan lists as `router` approvals, so an ERC-20 approval of it is bounded by them.
   */
  router: boolean;
}

export interface TokenWarning {
  token: Address;
  message: string;
}

export interface ScanStats {
  /** Blocks read from the node in this scan (the rest came from the cache). */
  blocksScanned: bigint;
  logRequests: number;
  logsFetched: number;
  /** Lowest block whose cached data was dropped because its hash changed; null if no reorg. */
  reorgFrom: bigint | null;
}

export interface ScanResult {
  chainId: number;
  owner: Address;
  fromBlock: bigint;
  toBlock: bigint;
  /** Timestamp of `toBlock`: the "now" every expiry and staleness is measured against. */
  scannedAt: number;
  approvals: Approval[];
  /** Profiles keyed by lowercase spender address. */
  spenders: Record<string, SpenderProfile>;
  warnings: TokenWarning[];
  stats: ScanStats;
}
