import type { Address, Hex, PublicClient } from "viem";

import type { CachedTransaction, ScanCache } from "../cache/types.js";
import type { OutgoingTransfer } from "./candidates.js";
import type { ApprovalKind, Pull } from "./types.js";
import { AllowanceRouterError } from "../errors.js";

/** The fields of a live approval that attribution needs. */
export interface AttributableApproval {
  id: string;
  kind: ApprovalKind;
  token: { address: Address };
  spender: Address;
  router: Address | null;
}

const lower = (address: string) => address.toLowerCase();

/**
 * Tokens whose outgoing transfers could be pulls by a live approval's spender: only their
 * transactions need fetching.
 */
export function attributableTransfers(
  transfers: readonly OutgoingTransfer[],
  approvals: readonly AttributableApproval[],
): OutgoingTransfer[] {
  const tokens = new Set(approvals.filter((approval) => approval.kind !== "erc721").map((approval) => lower(approval.token.address)));
  return transfers.filter((transfer) => tokens.has(lower(transfer.token)));
}

/**
 * Sender and recipient of each transaction, from the cache or fetched (all at once, so that a
 * batching transport sends one JSON-RPC batch) and then cached.
 */
export async function transactionParties(
  client: PublicClient,
  cache: ScanCache,
  chainId: number,
  hashes: readonly Hex[],
): Promise<Map<Hex, CachedTransaction>> {
  const unique = [...new Set(hashes)];
  const found = await cache.transactions(chainId, unique);
  const missing = unique.filter((hash) => !found.has(hash));
  const fetched = await Promise.all(missing.map((hash) => client.getTransaction({ hash })));
  const transactions = fetched.map((tx) => ({
    hash: tx.hash,
    blockNumber: tx.blockNumber!,
    sender: tx.from,
    recipient: tx.to ?? null,
  }));
  await cache.putTransactions(chainId, transactions);
  for (const tx of transactions) found.set(tx.hash, tx);
  return found;
}

/** A (router, token, spender) grant the owner's events show, live or not: a route pulls can take. */
export interface RouterRoute {
  router: Address;
  token: Address;
  spender: Address;
}

/**
 * Attributes each transfer out of the owner to the live approval whose spender took part in
 * its transaction, as its sender (the spender pulling, or a keeper that is itself the spender)
 * or its recipient (the owner or anyone calling the spender contract). Without traces this is
 * the closest visible link; a pull through an intermediary contract that is not itself the
 * spender stays unattributed.
 *
 * A router grant's spender wins over a plain ERC-20 approval. A pull by the spender of any
 * router grant the events show (even one since consumed or revoked) also counts as use of the
 * owner's ERC-20 approval of that router. An operator gets the NFT transfers of its collection.
 */
export function attributePulls(
  transfers: readonly OutgoingTransfer[],
  approvals: readonly AttributableApproval[],
  routes: readonly RouterRoute[],
  parties: ReadonlyMap<Hex, CachedTransaction>,
  timestamps: ReadonlyMap<bigint, number>,
): Map<string, Pull[]> {
  const pulls = new Map<string, Pull[]>();
  const byToken = new Map<string, AttributableApproval[]>();
  for (const approval of approvals) {
    const list = byToken.get(lower(approval.token.address)) ?? [];
    list.push(approval);
    byToken.set(lower(approval.token.address), list);
  }
  const add = (id: string, pull: Pull) => {
    const list = pulls.get(id) ?? [];
    list.push(pull);
    pulls.set(id, list);
  };

  for (const transfer of transfers) {
    const tx = parties.get(transfer.log.transactionHash);
    const candidates = byToken.get(lower(transfer.token));
    if (tx === undefined || candidates === undefined) continue;
    const involved = new Set([lower(tx.sender), ...(tx.recipient === null ? [] : [lower(tx.recipient)])]);
    const timestamp = transfer.log.blockTimestamp ?? timestamps.get(transfer.log.blockNumber);
    if (timestamp === undefined) throw new AllowanceRouterError(`no timestamp for block ${transfer.log.blockNumber}: fetch it before attributing`);
    const pull: Pull = {
      amount: transfer.amount,
      tokenId: transfer.tokenId,
      recipient: transfer.recipient,
      sender: tx.sender,
      at: {
        blockNumber: transfer.log.blockNumber,
        timestamp,
        transactionHash: transfer.log.transactionHash,
      },
    };
    const isNft = transfer.tokenId !== null;
    const eligible = candidates.filter((approval) =>
      isNft ? approval.kind === "erc721-operator" || approval.kind === "erc1155-operator" : approval.kind === "erc20" || approval.kind === "router",
    );
    const route = isNft
      ? undefined
      : routes.find((candidate) => lower(candidate.token) === lower(transfer.token) && involved.has(lower(candidate.spender)));
    if (route !== undefined) {
      const grant = eligible.find(
        (approval) =>
          approval.kind === "router" && lower(approval.router!) === lower(route.router) && lower(approval.spender) === lower(route.spender),
      );
      if (grant !== undefined) add(grant.id, pull);
      const routerApproval = eligible.find((approval) => approval.kind === "erc20" && lower(approval.spender) === lower(route.router));
      if (routerApproval !== undefined) add(routerApproval.id, pull);
      continue;
    }
    const direct = eligible.find((approval) => approval.kind !== "router" && involved.has(lower(approval.spender)));
    if (direct !== undefined) add(direct.id, pull);
  }
  return pulls;
}
