import { decodeFunctionResult, encodeFunctionData, hexToBytes, isAddressEqual, type Address, type PublicClient } from "viem";

import { batchRevokerAbi } from "../abi/batchRevoker.js";
import type { AnyWalletClient } from "../revoke/delegation.js";
import type { RevocationItem } from "../revoke/items.js";
import type { PermitRevocation } from "../revoke/permits.js";
import { encodeRevocations } from "../revoke/plan.js";
import { previewRevocation } from "../revoke/selfRevoke.js";
import { signRevocation } from "../revoke/signed.js";
import { estimatedOwnerCalls, estimatedTransaction } from "./calls.js";
import type { PlanningFacts } from "./facts.js";
import { permitSupportOf, signPermitRevocation, type PermitSupport } from "./permit-support.js";
import { plural, shortAddress } from "./text.js";
import type { PlannedTransaction, RevocableApproval, Route, RouteCosts, RevocationVia, UnavailableRoute } from "./types.js";

/** How long signed permits and relayed revocations stay valid after the latest block. */
export const SIGNATURE_LIFETIME_SECONDS = 3_600n;

/** BatchRevoker's Outcome.Failed. */
const OUTCOME_FAILED = 2;

export type RouteInput = {
  publicClient: PublicClient;
  walletClient: AnyWalletClient;
  facts: PlanningFacts;
  approvals: readonly RevocableApproval[];
  items: readonly RevocationItem[];
};

const unavailable = (via: RevocationVia, reason: string): UnavailableRoute => ({ via, available: false, reason });
const allIndexes = (items: readonly unknown[]) => items.map((_, index) => index);

function costsOf(
  transactions: readonly PlannedTransaction[],
  owner: Address,
  extra: { ownerRequests?: number; expectedFailures?: number } = {},
): RouteCosts {
  const sumGas = (list: readonly PlannedTransaction[]) => list.reduce((sum, tx) => sum + (tx.estimatedGas ?? 0n), 0n);
  const fromOwner = transactions.filter((tx) => isAddressEqual(tx.from, owner));
  const reverting = transactions.filter((tx) => tx.estimatedGas === null).reduce((sum, tx) => sum + tx.itemIndexes.length, 0);
  return {
    ownerGas: sumGas(fromOwner),
    totalGas: sumGas(transactions),
    ownerRequests: extra.ownerRequests ?? fromOwner.length,
    expectedFailures: reverting + (extra.expectedFailures ?? 0),
  };
}

/**
 * 7702: the owner's EOA, delegated to BatchRevoker (in the same type-4 transaction unless it is
 * already), revokes everything in one call to itself; with a relayer, the owner signs the
 * revocation and the authorization and the relayer sends them.
 */
export async function assess7702({ publicClient, walletClient, facts, items }: RouteInput): Promise<Route | UnavailableRoute> {
  const { owner, revoker, account } = facts;
  if (!facts.local) return unavailable("7702", "only a local private key can sign an EIP-7702 authorization, and this account is a JSON-RPC one");
  if (!facts.revokerDeployed) return unavailable("7702", `BatchRevoker is not deployed at ${revoker} on chain ${facts.chainId}`);
  if (account.kind === "contract") return unavailable("7702", `${owner} is a contract, not an EOA`);
  const delegated = account.kind === "delegated" && isAddressEqual(account.delegate, revoker);
  if (account.kind === "delegated" && !delegated) {
    return unavailable("7702", `${owner} is delegated to ${account.delegate}; delegating it to BatchRevoker would replace that smart account`);
  }
  const itemIndexes = allIndexes(items);
  let transaction: PlannedTransaction;
  let signed = null;
  if (facts.relayer !== null) {
    signed = await signRevocation(walletClient, publicClient, {
      revoker,
      items,
      deadline: facts.chainTime + SIGNATURE_LIFETIME_SECONDS,
    });
    transaction = await estimatedTransaction(publicClient, {
      description: `relay the owner's signed revocation of ${plural(items.length, "approval")} to ${shortAddress(owner)} (EIP-7702${signed.authorization === undefined ? "" : ", with its delegation"})`,
      from: facts.relayer.account.address,
      to: owner,
      data: encodeFunctionData({
        abi: batchRevokerAbi,
        functionName: "revokeWithSignature",
        args: [signed.plan.encoded, signed.atomic, signed.deadline, signed.signature],
      }),
      itemIndexes,
      authorizationList: signed.authorization === undefined ? undefined : [signed.authorization],
    });
  } else {
    const authorizationList = delegated
      ? undefined
      : [await walletClient.signAuthorization({ account: walletClient.account, contractAddress: revoker, executor: "self" })];
    transaction = await estimatedTransaction(publicClient, {
      description: `${shortAddress(owner)}.revoke(${plural(items.length, "approval")}) as BatchRevoker (EIP-7702${delegated ? "" : ", delegating in the same transaction"})`,
      from: owner,
      to: owner,
      data: encodeFunctionData({ abi: batchRevokerAbi, functionName: "revoke", args: [encodeRevocations(items).encoded, false] }),
      itemIndexes,
      authorizationList,
    });
  }
  if (transaction.estimatedGas === null) return unavailable("7702", `the node would not run the EIP-7702 transaction (${transaction.failure})`);
  const preview = await previewRevocation(publicClient, { account: owner, revoker, items }).then(
    (outcomes) => outcomes.map(({ outcome }) => outcome),
    () => null,
  );
  const expectedFailures = preview?.filter((outcome) => outcome === "failed").length ?? 0;
  return {
    via: "7702",
    available: true,
    transactions: [transaction],
    costs: costsOf([transaction], owner, { expectedFailures }),
    authorizes: signed === null ? !delegated : signed.authorization !== undefined,
    signed,
    preview,
  };
}

/**
 * permit: the owner signs a zero permit per permit token (one per token: a second permit would
 * reuse the token's nonce), BatchRevoker relays them in one transaction and reads each allowance
 * back; everything else goes out as the owner's own transactions.
 */
export async function assessPermit({ publicClient, walletClient, facts, approvals, items }: RouteInput): Promise<Route | UnavailableRoute> {
  const { owner, revoker } = facts;
  if (!facts.revokerDeployed) return unavailable("permit", `BatchRevoker, which relays the permits, is not deployed at ${revoker} on chain ${facts.chainId}`);
  const supportByToken = new Map<string, Promise<PermitSupport | { unsupported: string }>>();
  const candidates: { index: number; item: Extract<RevocationItem, { kind: "erc20" }> }[] = [];
  for (const [index, item] of items.entries()) {
    if (item.kind !== "erc20" || !approvals[index]!.token.supportsPermit || supportByToken.has(item.token)) continue;
    supportByToken.set(item.token, permitSupportOf(publicClient, item.token, facts.chainId));
    candidates.push({ index, item });
  }
  if (candidates.length === 0) {
    return unavailable("permit", `none of the ${plural(items.length, "approval")} is an ERC-20 allowance of a token with a permit`);
  }
  const deadline = facts.chainTime + SIGNATURE_LIFETIME_SECONDS;
  const permits: { itemIndex: number; permit: PermitRevocation }[] = [];
  const refusals: string[] = [];
  // One at a time: a JSON-RPC wallet asks its user for each signature.
  for (const { index, item } of candidates) {
    const support = await supportByToken.get(item.token)!;
    if ("unsupported" in support) {
      refusals.push(`${shortAddress(item.token)}: ${support.unsupported}`);
      continue;
    }
    permits.push({
      itemIndex: index,
      permit: await signPermitRevocation(walletClient, publicClient, { token: item.token, spender: item.spender, deadline, support }),
    });
  }
  if (permits.length === 0) return unavailable("permit", `no permit can be signed (${refusals.join("; ")})`);

  const relayFrom = facts.relayer?.account.address ?? owner;
  const data = encodeFunctionData({
    abi: batchRevokerAbi,
    functionName: "revokeWithPermits",
    args: [permits.map(({ permit }) => ({ ...permit, style: permit.style === "dai" ? 1 : 0 }))],
  });
  const relay = await estimatedTransaction(publicClient, {
    description: `${shortAddress(revoker)}.revokeWithPermits(${plural(permits.length, "permit")})${facts.relayer === null ? "" : ", sent by the relayer"}`,
    from: relayFrom,
    to: revoker,
    data,
    itemIndexes: permits.map(({ itemIndex }) => itemIndex),
  });
  if (relay.estimatedGas === null) return unavailable("permit", `relaying the permits would revert (${relay.failure})`);
  const permitted = new Set(relay.itemIndexes);
  const rest = await estimatedOwnerCalls(
    publicClient,
    owner,
    items,
    allIndexes(items).filter((index) => !permitted.has(index)),
  );
  const transactions = [relay, ...rest];
  return {
    via: "permit",
    available: true,
    transactions,
    costs: costsOf(transactions, owner, { expectedFailures: await failingPermits(publicClient, relayFrom, relay) }),
    permits,
  };
}

/** Permits the relay would report Failed (a permit that does nothing, a refused signature), by eth_call. */
async function failingPermits(publicClient: PublicClient, from: Address, relay: PlannedTransaction): Promise<number> {
  try {
    const { data } = await publicClient.call({ account: from, to: relay.to, data: relay.data });
    const outcomes = decodeFunctionResult({ abi: batchRevokerAbi, functionName: "revokeWithPermits", data: data ?? "0x" });
    return hexToBytes(outcomes).filter((outcome) => outcome === OUTCOME_FAILED).length;
  } catch {
    return 0;
  }
}

/**
 * tx, lockdown and 5792: the owner's own calls, one per approval and one `lockdown` per router;
 * sent one transaction each, or handed to the wallet in one EIP-5792 request.
 */
export async function assessOwnerCalls(via: "tx" | "lockdown" | "5792", { publicClient, facts, items }: RouteInput): Promise<Route | UnavailableRoute> {
  if (via === "5792" && facts.walletCallsUnsupported !== null) return unavailable("5792", facts.walletCallsUnsupported);
  if (via === "lockdown") {
    const plain = items.filter((item) => item.kind !== "router").length;
    if (plain > 0) {
      return unavailable(
        "lockdown",
        `${plain} of the ${plural(items.length, "approval")} ${plain === 1 ? "is" : "are"} not router or Permit2 grants, and lockdown revokes only those`,
      );
    }
  }
  const transactions = await estimatedOwnerCalls(publicClient, facts.owner, items, allIndexes(items));
  return {
    via,
    available: true,
    transactions,
    costs: costsOf(transactions, facts.owner, via === "5792" ? { ownerRequests: 1 } : {}),
  };
}

