// The recommended response to a compromised spender, as one plan per exposure:
// - a lingering ERC-20 approval: the owner calls token.approve(spender, 0); a token that
//   refuses a zero approval (BNB-style) gets approve(spender, 1), the smallest it allows, and
//   the residual 1 is reported;
// - router grants: the owner calls router.lockdown with every (token, spender) pair it has
//   there, in one transaction;
// - ERC-721/1155 operator approvals: the owner calls setApprovalForAll(spender, false).
// Each revocation also carries the same change as BatchRevoker items (src/revoke), so that an
// owner whose key is at hand sends all of its revocations in one EIP-7702 transaction instead;
// BatchRevoker applies the same approve(spender, 1) fallback to a BNB-style token by itself.
// This is a deliberately simple rule (revoke everything this spender holds); the risk-graded
// recommendations of src/risk replace it once that library lands.
import type { Address, Hex, PublicClient } from "viem";
import { encodeFunctionData } from "viem";

import type { RevocationItem } from "../../src/revoke/index.js";
import { erc20Abi, operatorAbi, routerAbi } from "./abis.js";
import type { Exposure } from "./exposures.js";

/// The smallest allowance a token that rejects approve(_, 0) can be left with.
const SMALLEST_ALLOWANCE = 1n;

export type Revocation = {
  owner: Address;
  /// The contract the owner calls, sending the revocation as a transaction of its own.
  target: Address;
  data: Hex;
  /// The same revocation as BatchRevoker items: one per approval, one per pair a lockdown locks.
  items: RevocationItem[];
  /// What the call does, for the printed plan.
  action: string;
};

async function approveZeroIsAccepted(client: PublicClient, token: Address, owner: Address, spender: Address) {
  try {
    await client.simulateContract({ account: owner, address: token, abi: erc20Abi, functionName: "approve", args: [spender, 0n] });
    return true;
  } catch {
    return false;
  }
}

/// One revocation per legacy approval and operator approval, one lockdown per (owner, router).
export async function planRevocations(client: PublicClient, spender: Address, exposures: Exposure[]): Promise<Revocation[]> {
  const plan: Revocation[] = [];
  const lockdowns = new Map<string, { owner: Address; router: Address; pairs: { token: Address; spender: Address }[]; symbols: string[] }>();
  for (const exposure of exposures) {
    const { owner, token, symbol } = exposure;
    switch (exposure.kind) {
      case "erc20-approval": {
        const accepted = await approveZeroIsAccepted(client, token, owner, spender);
        const value = accepted ? 0n : SMALLEST_ALLOWANCE;
        plan.push({
          owner,
          target: token,
          data: encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [spender, value] }),
          items: [{ kind: "erc20", token, spender }],
          action: accepted ? `${symbol}.approve(spender, 0)` : `${symbol}.approve(spender, 1) (approve(0) reverts)`,
        });
        break;
      }
      case "router-grant": {
        const router = exposure.router as Address;
        const key = `${router.toLowerCase()}:${owner.toLowerCase()}`;
        const lockdown = lockdowns.get(key) ?? { owner, router, pairs: [], symbols: [] };
        lockdown.pairs.push({ token, spender });
        lockdown.symbols.push(symbol);
        lockdowns.set(key, lockdown);
        break;
      }
      case "erc721-operator":
      case "erc1155-operator":
        plan.push({
          owner,
          target: token,
          data: encodeFunctionData({ abi: operatorAbi, functionName: "setApprovalForAll", args: [spender, false] }),
          items: [{ kind: exposure.kind, token, operator: spender }],
          action: `${symbol}.setApprovalForAll(spender, false)`,
        });
        break;
    }
  }
  for (const { owner, router, pairs, symbols } of lockdowns.values()) {
    plan.push({
      owner,
      target: router,
      data: encodeFunctionData({ abi: routerAbi, functionName: "lockdown", args: [pairs] }),
      items: pairs.map((pair) => ({ kind: "router", router, ...pair })),
      action: `router.lockdown([${symbols.join(", ")}])`,
    });
  }
  return plan;
}
