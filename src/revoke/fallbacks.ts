import {
  encodeFunctionData,
  numberToHex,
  parseAbi,
  zeroAddress,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
  type WalletSendCallsParameters,
} from "viem";

import type { AnyWalletClient } from "./delegation.js";
import { tokenApprovalAbi } from "../abi/tokens.js";
import type { RevocationItem, RouterRevocation } from "./items.js";
import { validateRevocationItems } from "./validate.js";

/** The approval functions the owner calls directly when no delegate does it. */
export const revocationAbi = [
  ...tokenApprovalAbi,
  ...parseAbi(["function lockdown((address token, address spender)[] approvals)"]),
] as const;

/** One call the owner's account makes. */
export type RevocationCall = { to: Address; data: Hex; value: 0n };

/**
 * The same revocations as calls the owner's account makes itself: one per item, except that all
 * router grants of one router share one `lockdown`. For EIP-5792 `wallet_sendCalls` (a smart
 * wallet batches them) or as plain transactions, one each, as the last resort.
 */
export function revocationCalls(input: readonly RevocationItem[]): RevocationCall[] {
  const items = validateRevocationItems(input);
  const pairsByRouter = new Map<Address, { token: Address; spender: Address }[]>();
  for (const item of items) {
    if (item.kind !== "router") continue;
    const pairs = pairsByRouter.get(item.router) ?? [];
    pairs.push({ token: item.token, spender: item.spender });
    pairsByRouter.set(item.router, pairs);
  }
  const calls: RevocationCall[] = [];
  for (const item of items) {
    if (item.kind !== "router") {
      calls.push({ to: item.token, data: callData(item), value: 0n });
      continue;
    }
    // A router's one lockdown takes the place of its first item.
    const pairs = pairsByRouter.get(item.router);
    if (pairs === undefined) continue;
    pairsByRouter.delete(item.router);
    calls.push({
      to: item.router,
      data: encodeFunctionData({ abi: revocationAbi, functionName: "lockdown", args: [pairs] }),
      value: 0n,
    });
  }
  return calls;
}

/**
 * The EIP-5792 `wallet_sendCalls` request for the revocations: hand it to the wallet's provider
 * (`provider.request(...)`). `atomicRequired` asks the wallet to run all or none.
 */
export function walletSendCallsRequest(options: {
  items: readonly RevocationItem[];
  from: Address;
  chainId: number;
  atomicRequired?: boolean;
}): { method: "wallet_sendCalls"; params: WalletSendCallsParameters } {
  return {
    method: "wallet_sendCalls",
    params: [
      {
        version: "2.0.0",
        chainId: numberToHex(options.chainId),
        from: options.from,
        atomicRequired: options.atomicRequired ?? false,
        calls: revocationCalls(options.items).map(({ to, data }) => ({ to, data, value: "0x0" })),
      },
    ],
  };
}

/** How one plain revocation transaction went. */
export type RevocationTransactionResult =
  | { call: RevocationCall; status: "success" | "reverted"; hash: Hash }
  | { call: RevocationCall; status: "not-sent"; error: Error };

/**
 * The last resort: one plain transaction per call, sent in order by the owner and each awaited.
 * A call that reverts, or that the node refuses to send (its gas estimate reverts), is reported
 * and the rest still go out.
 */
export async function sendRevocationTransactions(
  walletClient: AnyWalletClient,
  publicClient: PublicClient,
  items: readonly RevocationItem[],
): Promise<RevocationTransactionResult[]> {
  const results: RevocationTransactionResult[] = [];
  for (const call of revocationCalls(items)) {
    let hash: Hash;
    try {
      hash = await walletClient.sendTransaction({
        account: walletClient.account,
        chain: walletClient.chain,
        to: call.to,
        data: call.data,
      });
    } catch (error) {
      results.push({ call, status: "not-sent", error: error as Error });
      continue;
    }
    const { status } = await publicClient.waitForTransactionReceipt({ hash });
    results.push({ call, status, hash });
  }
  return results;
}

function callData(item: Exclude<RevocationItem, RouterRevocation>): Hex {
  switch (item.kind) {
    case "erc20":
      return encodeFunctionData({ abi: revocationAbi, functionName: "approve", args: [item.spender, 0n] });
    case "erc721":
      return encodeFunctionData({ abi: revocationAbi, functionName: "approve", args: [zeroAddress, item.tokenId] });
    case "erc721-operator":
    case "erc1155-operator":
      return encodeFunctionData({
        abi: revocationAbi,
        functionName: "setApprovalForAll",
        args: [item.operator, false],
      });
  }
}
