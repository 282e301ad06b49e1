import { encodeFunctionData, getAddress, isAddress, maxUint160, maxUint48, type Address, type Hex } from "viem";

import { allowanceRouterAbi } from "../abi/allowanceRouter.js";
import { revocationAbi, revocationCalls } from "../revoke/fallbacks.js";
import type { Approval } from "../scan/types.js";
import { ActionInputError } from "./errors.js";
import { describeCall } from "./calls.js";
import { shortAddress } from "./text.js";

/**
 * One call the owner's wallet sends to change one approval: what a dashboard's per-row buttons
 * hand to `sendTransaction`. `description` says what it does, for the confirm step.
 */
export type ApprovalCall = { to: Address; data: Hex; value: 0n; description: string };

/** The parts of a scanned approval the call builders read. */
export type ApprovalTarget = Pick<Approval, "kind" | "revocation" | "token" | "spender" | "router" | "amount" | "expiresAt" | "nonce">;

/** The largest nonce step `invalidateNonces` accepts (Permit2's ExcessiveInvalidation bound). */
const MAX_NONCE_STEP = 2n ** 16n - 1n;

const call = (to: Address, data: Hex, description: string): ApprovalCall => ({ to, data, value: 0n, description });

function routerOf(approval: ApprovalTarget, what: string): Address {
  if (approval.kind !== "router" || approval.router === null) {
    throw new ActionInputError(`${what} applies to router and Permit2 grants only, not a ${approval.kind} approval: revoke it instead`);
  }
  return approval.router;
}

/** Revokes one approval: `approve(spender, 0)`, `approve(0, id)`, `setApprovalForAll(op, false)` or a one-pair `lockdown`. */
export function revokeApprovalCall(approval: Pick<Approval, "revocation">): ApprovalCall {
  const [revocation] = revocationCalls([approval.revocation]);
  return call(revocation!.to, revocation!.data, `revoke: ${describeCall([approval.revocation], [0])}`);
}

/**
 * Lowers an ERC-20 allowance (`approve(spender, amount)`) or a router/Permit2 grant (`approve(token,
 * spender, amount, expiration)`, keeping its expiry) to `amount`. Throws ActionInputError for NFT
 * approvals and for an amount that is not below the current one.
 */
export function reduceApprovalCall(approval: ApprovalTarget, amount: bigint): ApprovalCall {
  if (approval.kind !== "erc20" && approval.kind !== "router") {
    throw new ActionInputError(`a ${approval.kind} approval has no amount to reduce: revoke it instead`);
  }
  if (amount < 0n) throw new ActionInputError(`cannot reduce an allowance to ${amount}: give an amount of 0 or more`);
  if (approval.amount !== null && amount >= approval.amount) {
    throw new ActionInputError(`${amount} is not below the current allowance ${approval.amount}: give a smaller amount`);
  }
  const target = `${shortAddress(approval.token.address)} for ${shortAddress(approval.spender)} to ${amount}`;
  if (approval.kind === "erc20") {
    return call(
      approval.token.address,
      encodeFunctionData({ abi: revocationAbi, functionName: "approve", args: [approval.spender, amount] }),
      `reduce ${target}`,
    );
  }
  const router = routerOf(approval, "reduce");
  return call(
    router,
    encodeFunctionData({
      abi: allowanceRouterAbi,
      functionName: "approve",
      args: [approval.token.address, approval.spender, amount, approval.expiresAt ?? 0],
    }),
    `reduce the grant of ${target} on ${shortAddress(router)}`,
  );
}

/**
 * Moves a router/Permit2 grant's expiry to `expiresAt` (unix seconds), keeping its amount. The
 * owner's duration cap, if any, still clamps it on-chain. Throws ActionInputError for other kinds
 * and for an expiry outside uint48 or not after `now` (when given).
 */
export function setExpiryCall(approval: ApprovalTarget, expiresAt: number, now?: number): ApprovalCall {
  const router = routerOf(approval, "set expiry");
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= 0 || BigInt(expiresAt) > maxUint48) {
    throw new ActionInputError(`expiry ${expiresAt} is not a unix time in seconds: give a future time`);
  }
  if (now !== undefined && expiresAt <= now) {
    throw new ActionInputError(`expiry ${new Date(expiresAt * 1000).toISOString()} is not in the future: pick a later time, or revoke`);
  }
  return call(
    router,
    encodeFunctionData({
      abi: allowanceRouterAbi,
      functionName: "approve",
      args: [approval.token.address, approval.spender, approval.amount ?? maxUint160, expiresAt],
    }),
    `set the expiry of the grant of ${shortAddress(approval.token.address)} for ${shortAddress(approval.spender)} on ${shortAddress(router)}`,
  );
}

/**
 * Voids every permit the owner has signed but nobody has used yet for this grant: moves the
 * grant's nonce one past the current one (`invalidateNonces`). The grant itself stays.
 */
export function voidSignedPermitsCall(approval: ApprovalTarget, step = 1n): ApprovalCall {
  const router = routerOf(approval, "void signed permits");
  if (approval.nonce === null) throw new ActionInputError("the grant's nonce is unknown: rescan, then try again");
  if (step < 1n || step > MAX_NONCE_STEP) throw new ActionInputError(`a nonce step of ${step} is outside 1..${MAX_NONCE_STEP}`);
  return call(
    router,
    encodeFunctionData({
      abi: allowanceRouterAbi,
      functionName: "invalidateNonces",
      args: [approval.token.address, approval.spender, Number(BigInt(approval.nonce) + step)],
    }),
    `void the signed permits of the grant of ${shortAddress(approval.token.address)} for ${shortAddress(approval.spender)}`,
  );
}

/** The owner's cap on every later grant on `router` (seconds; 0 = no cap). */
export function setMaxDurationCall({ router, seconds }: { router: Address; seconds: number }): ApprovalCall {
  if (!Number.isSafeInteger(seconds) || seconds < 0 || BigInt(seconds) > maxUint48) {
    throw new ActionInputError(`duration cap ${seconds} is not a number of seconds: give 0 (no cap) or more`);
  }
  return call(
    router,
    encodeFunctionData({ abi: allowanceRouterAbi, functionName: "setMaxDuration", args: [seconds] }),
    seconds === 0 ? "remove the duration cap" : `cap every later grant at ${seconds} s`,
  );
}

/** Appoints (or, with the zero address, clears) the owner's revoke-only guardian on `router`. */
export function setGuardianCall({ router, guardian }: { router: Address; guardian: string }): ApprovalCall {
  if (!isAddress(guardian, { strict: false })) throw new ActionInputError(`guardian "${guardian}" is not an address: give a 0x-prefixed 20-byte hex address`);
  const address = getAddress(guardian);
  return call(
    router,
    encodeFunctionData({ abi: allowanceRouterAbi, functionName: "setGuardian", args: [address] }),
    /^0x0{40}$/.test(address) ? "clear the guardian" : `appoint ${shortAddress(address)} as guardian`,
  );
}
