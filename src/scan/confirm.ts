import { getAddress, zeroAddress, type Address, type PublicClient } from "viem";

import { erc20ReadAbi, nftReadAbi, routerReadAbi } from "./abis.js";
import { candidateKey, type Candidate } from "./candidates.js";
import type { RawLog } from "../cache/types.js";
import { createReadPlan, valueOf, type ReadHandle } from "./read-plan.js";
import {
  collectionInfo,
  decodeBytes32Symbol,
  fungibleTokenInfo,
  planBytes32Symbol,
  planCollectionReads,
  planFungibleReads,
  type CollectionReads,
  type FungibleReads,
} from "./tokens.js";
import type { ApprovalKind, RevocationTarget, TokenInfo, TokenWarning } from "./types.js";

/** An approval confirmed live on-chain, before timestamps, usage and spender facts are added. */
export interface ConfirmedApproval {
  id: string;
  kind: ApprovalKind;
  token: TokenInfo;
  spender: Address;
  router: Address | null;
  tokenId: bigint | null;
  amount: bigint | null;
  expiresAt: number | null;
  nonce: number | null;
  balance: bigint | null;
  valueAtRisk: bigint | null;
  lastSet: RawLog;
  revocation: RevocationTarget;
}

const min = (...values: bigint[]) => values.reduce((a, b) => (a < b ? a : b));
const lower = (address: string) => address.toLowerCase();

/**
 * Reads the current value of every candidate, and the metadata and balance of every token they
 * touch, in one batch at `blockNumber` (a second, small batch only for bytes32 symbols).
 * Returns the candidates still live: a non-zero ERC-20 allowance, an NFT approval whose token
 * the owner still holds, an operator still approved, a router grant with an amount left and
 * an expiration not yet passed at `now`.
 */
export async function confirmCandidates(
  client: PublicClient,
  params: {
    owner: Address;
    candidates: readonly Candidate[];
    blockNumber: bigint;
    now: number;
    multicallAddress: Address | null;
  },
): Promise<{ approvals: ConfirmedApproval[]; warnings: TokenWarning[] }> {
  const { owner, candidates } = params;
  const plan = createReadPlan();
  const fungibles = new Map<string, FungibleReads>();
  const collections = new Map<string, CollectionReads>();
  const routerTokenAllowances = new Map<string, ReadHandle>();

  const fungible = (token: Address) => {
    if (!fungibles.has(lower(token))) fungibles.set(lower(token), planFungibleReads(plan, token, owner));
  };
  const collection = (token: Address) => {
    if (!collections.has(lower(token))) collections.set(lower(token), planCollectionReads(plan, token, owner));
  };

  const planned = candidates.map((candidate) => {
    switch (candidate.kind) {
      case "erc20":
        fungible(candidate.token);
        return {
          candidate,
          reads: [plan.add({ address: candidate.token, abi: erc20ReadAbi, functionName: "allowance", args: [owner, candidate.spender] } as never)],
        };
      case "erc721":
        collection(candidate.token);
        return {
          candidate,
          reads: [
            plan.add({ address: candidate.token, abi: nftReadAbi, functionName: "getApproved", args: [candidate.tokenId] } as never),
            plan.add({ address: candidate.token, abi: nftReadAbi, functionName: "ownerOf", args: [candidate.tokenId] } as never),
          ],
        };
      case "operator":
        collection(candidate.token);
        return {
          candidate,
          reads: [
            plan.add({ address: candidate.token, abi: nftReadAbi, functionName: "isApprovedForAll", args: [owner, candidate.operator] } as never),
          ],
        };
      case "router": {
        fungible(candidate.token);
        const pair = `${lower(candidate.token)}:${lower(candidate.router)}`;
        if (!routerTokenAllowances.has(pair)) {
          routerTokenAllowances.set(
            pair,
            plan.add({ address: candidate.token, abi: erc20ReadAbi, functionName: "allowance", args: [owner, candidate.router] } as never),
          );
        }
        return {
          candidate,
          reads: [
            plan.add({
              address: candidate.router,
              abi: routerReadAbi,
              functionName: "allowance",
              args: [owner, candidate.token, candidate.spender],
            } as never),
          ],
        };
      }
    }
  });

  const readOptions = { blockNumber: params.blockNumber, multicallAddress: params.multicallAddress };
  await plan.run(client, readOptions);

  // MKR-style tokens answer symbol() with bytes32, which the string read cannot decode.
  const symbolPlan = createReadPlan();
  const bytes32Symbols = new Map<string, ReadHandle>();
  for (const reads of [...fungibles.values(), ...collections.values()]) {
    if (!reads.symbol().ok) bytes32Symbols.set(lower(reads.address), planBytes32Symbol(symbolPlan, reads.address));
  }
  if (symbolPlan.size > 0) await symbolPlan.run(client, readOptions);
  const bytes32Symbol = (token: Address) => {
    const handle = bytes32Symbols.get(lower(token));
    return handle === undefined ? null : decodeBytes32Symbol(valueOf(handle));
  };

  const tokens = new Map<string, { info: TokenInfo; balance: bigint | null }>();
  for (const [key, reads] of fungibles) tokens.set(`fungible:${key}`, fungibleTokenInfo(reads, bytes32Symbol(reads.address)));
  for (const [key, reads] of collections) tokens.set(`collection:${key}`, collectionInfo(reads, bytes32Symbol(reads.address)));

  const warnings: TokenWarning[] = [];
  for (const { info } of tokens.values()) {
    if (info.metadataError !== null) warnings.push({ token: info.address, message: info.metadataError });
  }

  const approvals: ConfirmedApproval[] = [];
  for (const { candidate, reads } of planned) {
    const confirmed = confirmOne(candidate, reads, tokens, routerTokenAllowances, params.now, owner);
    if ("warning" in confirmed) warnings.push(confirmed.warning);
    else if (confirmed.approval !== null) approvals.push(confirmed.approval);
  }
  return { approvals, warnings };
}

function confirmOne(
  candidate: Candidate,
  reads: ReadHandle[],
  tokens: Map<string, { info: TokenInfo; balance: bigint | null }>,
  routerTokenAllowances: Map<string, ReadHandle>,
  now: number,
  owner: Address,
): { approval: ConfirmedApproval | null } | { warning: TokenWarning } {
  const id = candidateKey(candidate);
  const [first, second] = reads.map((read) => read());
  // getApproved reverts for a burned token: nothing left to approve.
  if (candidate.kind === "erc721" && !first!.ok) return { approval: null };
  if (!first!.ok) return { warning: { token: candidate.token, message: `cannot read the approval (${id}): ${first!.reason}` } };

  switch (candidate.kind) {
    case "erc20": {
      const amount = first!.value as bigint;
      if (amount === 0n) return { approval: null };
      const { info, balance } = tokens.get(`fungible:${lower(candidate.token)}`)!;
      return {
        approval: {
          id,
          kind: "erc20",
          token: info,
          spender: candidate.spender,
          router: null,
          tokenId: null,
          amount,
          expiresAt: null,
          nonce: null,
          balance,
          valueAtRisk: balance === null ? null : min(amount, balance),
          lastSet: candidate.lastSet,
          revocation: { kind: "erc20", token: candidate.token, spender: candidate.spender },
        },
      };
    }
    case "erc721": {
      const approved = first!.value as Address;
      const holder = second!.ok ? (second!.value as Address) : null;
      if (approved === zeroAddress || holder === null || lower(holder) !== lower(owner)) return { approval: null };
      const { info, balance } = tokens.get(`collection:${lower(candidate.token)}`)!;
      return {
        approval: {
          id,
          kind: "erc721",
          token: info,
          spender: getAddress(approved),
          router: null,
          tokenId: candidate.tokenId,
          amount: null,
          expiresAt: null,
          nonce: null,
          balance,
          valueAtRisk: 1n,
          lastSet: candidate.lastSet,
          revocation: { kind: "erc721", token: candidate.token, tokenId: candidate.tokenId },
        },
      };
    }
    case "operator": {
      if (first!.value !== true) return { approval: null };
      const { info, balance } = tokens.get(`collection:${lower(candidate.token)}`)!;
      const kind = info.standard === "erc1155" ? "erc1155-operator" : "erc721-operator";
      return {
        approval: {
          id,
          kind,
          token: info,
          spender: candidate.operator,
          router: null,
          tokenId: null,
          amount: null,
          expiresAt: null,
          nonce: null,
          balance,
          valueAtRisk: balance,
          lastSet: candidate.lastSet,
          revocation: { kind, token: candidate.token, operator: candidate.operator },
        },
      };
    }
    case "router": {
      const [amount, expiration, nonce] = first!.value as readonly [bigint, number, number];
      if (amount === 0n || expiration < now) return { approval: null };
      const { info, balance } = tokens.get(`fungible:${lower(candidate.token)}`)!;
      const routerAllowance = valueOf<bigint>(routerTokenAllowances.get(`${lower(candidate.token)}:${lower(candidate.router)}`)!);
      return {
        approval: {
          id,
          kind: "router",
          token: info,
          spender: candidate.spender,
          router: candidate.router,
          tokenId: null,
          amount,
          expiresAt: expiration,
          nonce,
          balance,
          // The router can only move what the token lets it: its own ERC-20 allowance caps the grant.
          valueAtRisk: balance === null || routerAllowance === null ? null : min(amount, balance, routerAllowance),
          lastSet: candidate.lastSet,
          revocation: { kind: "router", router: candidate.router, token: candidate.token, spender: candidate.spender },
        },
      };
    }
  }
}
