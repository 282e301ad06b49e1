import type { Address, Hex, PublicClient, SignedAuthorization } from "viem";

import { revocationCalls, type RevocationCall } from "../revoke/fallbacks.js";
import type { RevocationItem } from "../revoke/items.js";
import { errorSummary, shortAddress } from "./text.js";
import type { PlannedTransaction } from "./types.js";

/** One owner call and the items it revokes. */
export type GroupedCall = { call: RevocationCall; itemIndexes: number[] };

/**
 * The owner's own calls for `indexes` of `items`: one per approval, except that the grants of
 * one router share one `lockdown`, placed where that router's first grant is.
 */
export function groupedCalls(items: readonly RevocationItem[], indexes: readonly number[]): GroupedCall[] {
  const groups: number[][] = [];
  const byRouter = new Map<Address, number[]>();
  for (const index of indexes) {
    const item = items[index]!;
    if (item.kind !== "router") {
      groups.push([index]);
      continue;
    }
    const group = byRouter.get(item.router);
    if (group !== undefined) group.push(index);
    else {
      const created = [index];
      byRouter.set(item.router, created);
      groups.push(created);
    }
  }
  return groups.map((itemIndexes) => ({
    itemIndexes,
    // One item, or the grants of one router: exactly one call.
    call: revocationCalls(itemIndexes.map((index) => items[index]!))[0]!,
  }));
}

/** What one owner call does, for people. */
export function describeCall(items: readonly RevocationItem[], itemIndexes: readonly number[]): string {
  const item = items[itemIndexes[0]!]!;
  switch (item.kind) {
    case "erc20":
      return `${shortAddress(item.token)}.approve(${shortAddress(item.spender)}, 0)`;
    case "erc721":
      return `${shortAddress(item.token)}.approve(0x0, #${item.tokenId})`;
    case "erc721-operator":
    case "erc1155-operator":
      return `${shortAddress(item.token)}.setApprovalForAll(${shortAddress(item.operator)}, false)`;
    case "router":
      return `${shortAddress(item.router)}.lockdown(${itemIndexes.length} grant${itemIndexes.length === 1 ? "" : "s"})`;
  }
}

/** A transaction as planned, with its gas estimate (or why the estimate reverts). */
export async function estimatedTransaction(
  publicClient: PublicClient,
  request: {
    description: string;
    from: Address;
    to: Address;
    data: Hex;
    itemIndexes: number[];
    authorizationList?: SignedAuthorization[];
  },
): Promise<PlannedTransaction> {
  const { authorizationList, ...planned } = request;
  try {
    const estimatedGas = await publicClient.estimateGas({
      account: request.from,
      to: request.to,
      data: request.data,
      authorizationList,
    });
    return { ...planned, estimatedGas, failure: null };
  } catch (error) {
    return { ...planned, estimatedGas: null, failure: errorSummary(error) };
  }
}

/** The owner's calls for `indexes`, each estimated as a transaction from the owner. */
export function estimatedOwnerCalls(
  publicClient: PublicClient,
  owner: Address,
  items: readonly RevocationItem[],
  indexes: readonly number[],
): Promise<PlannedTransaction[]> {
  return Promise.all(
    groupedCalls(items, indexes).map(({ call, itemIndexes }) =>
      estimatedTransaction(publicClient, {
        description: describeCall(items, itemIndexes),
        from: owner,
        to: call.to,
        data: call.data,
        itemIndexes,
      }),
    ),
  );
}
