import type { Address, Hash, Hex, PublicClient } from "viem";

import type { AnyWalletClient } from "../revoke/delegation.js";
import type { RevocationItem } from "../revoke/items.js";
import type { RevocationOutcome } from "../revoke/outcomes.js";
import type { PermitRevocation } from "../revoke/permits.js";
import type { SignedRevocation } from "../revoke/signed.js";

/**
 * One approval to revoke. The scanner's `Approval` is one: its `revocation` is the revocation
 * SDK's item shape and its `token.supportsPermit` says whether a relayed permit can zero it.
 */
export type RevocableApproval = {
  revocation: RevocationItem;
  token: { supportsPermit: boolean };
  /** The approving account, when known: it must be the wallet's own. */
  owner?: Address;
};

/**
 * Ways to revoke:
 * - `7702`: one EIP-7702 (type-4) transaction of the owner's EOA to itself, delegated to BatchRevoker;
 *   with a relayer, the owner only signs and the relayer sends it;
 * - `5792`: one EIP-5792 `wallet_sendCalls` request to a wallet that batches calls;
 * - `permit`: zero-value EIP-2612/DAI permits relayed through BatchRevoker, one transaction each for the rest;
 * - `lockdown`: router and Permit2 grants only, one `lockdown` per router;
 * - `tx`: one plain transaction each (router grants: one `lockdown` per router).
 */
export const revocationVias = ["7702", "5792", "permit", "lockdown", "tx"] as const;
export type RevocationVia = (typeof revocationVias)[number];
export type ViaChoice = RevocationVia | "auto";

/**
 * Who does what besides the owner's wallet (the client every revocation action takes first: a
 * local key, all ways, or a JSON-RPC account, no 7702): a node, the BatchRevoker deployment, an
 * optional relayer.
 */
export type RevocationContext = {
  /** Reads the chain and estimates gas. */
  publicClient: PublicClient;
  /** The BatchRevoker deployment; BATCH_REVOKER_ADDRESS by default. */
  revoker?: Address;
  /** Sends relayed permits and signed 7702 revocations and pays their gas; without one the owner does. */
  relayer?: AnyWalletClient;
};

export type PlanRevocationsParameters = RevocationContext & {
  approvals: readonly RevocableApproval[];
  /** The way to revoke; `auto` (the default) weighs them all. */
  via?: ViaChoice;
};

export type PlanRevocationsReturnType = PlannedRevocations;

/** The plan from `planRevocations`, sent with the same node and relayer it was made with. */
export type SendRevocationsParameters = Omit<RevocationContext, "revoker"> & { plan: PlannedRevocations };

export type SendRevocationsReturnType = RevocationReport;

/** One transaction (or one call of a wallet_sendCalls batch) a route sends. */
export type PlannedTransaction = {
  /** What it does, for people. */
  description: string;
  /** Who sends it and pays its gas. */
  from: Address;
  to: Address;
  data: Hex;
  /** Indexes into the plan's items of the approvals it revokes. */
  itemIndexes: number[];
  /** eth_estimateGas (a type-4 estimate carries the authorization); null when it reverts. */
  estimatedGas: bigint | null;
  /** Why the estimate reverted: the transaction would fail. */
  failure: string | null;
};

export type RouteCosts = {
  /** Estimated gas of what the owner sends. */
  ownerGas: bigint;
  /** Estimated gas of everything sent, by the owner and the relayer. */
  totalGas: bigint;
  /** Requests the owner's wallet approves: its transactions, or one wallet_sendCalls. */
  ownerRequests: number;
  /** Items the route is expected to leave live (reverting estimates, simulated failures). */
  expectedFailures: number;
};

type RouteBase = { available: true; transactions: PlannedTransaction[]; costs: RouteCosts };

/** A way that works here, ready to send. */
export type Route =
  | (RouteBase & {
      via: "7702";
      /** Whether the transaction carries the delegation (false when the EOA is delegated to BatchRevoker already). */
      authorizes: boolean;
      /** The owner's signed revocation when a relayer sends it; null when the owner sends it. */
      signed: SignedRevocation | null;
      /** Outcome per item from simulating the call (eth_call with the delegation as a code override); null if the node cannot. */
      preview: RevocationOutcome[] | null;
    })
  | (RouteBase & {
      via: "permit";
      permits: { itemIndex: number; permit: PermitRevocation }[];
      /** Permit tokens no permit could be signed for, and why: their approvals go as the owner's own transactions. */
      refusals: string[];
    })
  | (RouteBase & { via: "5792" | "lockdown" | "tx" });

/** A way that does not work here, and why. */
export type UnavailableRoute = { via: RevocationVia; available: false; reason: string };

export type RouteAssessment = Route | UnavailableRoute;

/** What `sendRevocations` will do: the way chosen, its transactions and gas, and the ways compared. */
export type PlannedRevocations = {
  chainId: number;
  owner: Address;
  revoker: Address;
  /** The approvals' revocation items, validated (checksummed), in the caller's order. */
  items: RevocationItem[];
  requested: ViaChoice;
  route: Route;
  /** Every way assessed, available or not. */
  candidates: RouteAssessment[];
  /** Why this way, in words. */
  why: string;
};

/** A transaction sent, with its receipt's facts. */
export type SentTransaction = {
  hash: Hash;
  from: Address;
  status: "success" | "reverted";
  gasUsed: bigint;
  itemIndexes: number[];
};

/** What became of one approval. `not-sent`: its transaction was refused before sending (it would revert). */
export type RevocationResult = {
  item: RevocationItem;
  outcome: RevocationOutcome | "not-sent";
  transaction: Hash | null;
  /** Why it was not sent, or why it failed (the token reverted with …, returned false, …). */
  error: string | null;
};

export type RevocationReport = {
  via: RevocationVia;
  transactions: SentTransaction[];
  /** One per plan item, in the plan's order. */
  results: RevocationResult[];
};
