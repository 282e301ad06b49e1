import { isAddressEqual } from "viem";

import type { AnyWalletClient } from "../revoke/delegation.js";
import { validateRevocationItems } from "../revoke/validate.js";
import { BATCH_REVOKER_ADDRESS } from "../router/deployments.js";
import { ActionInputError, OwnerMismatchError, ViaUnsupportedError } from "./errors.js";
import { gatherFacts } from "./facts.js";
import { assess7702, assessOwnerCalls, assessPermit, type RouteInput } from "./routes.js";
import { formatGas, plural } from "./text.js";
import {
  revocationVias,
  type PlanRevocationsParameters,
  type PlanRevocationsReturnType,
  type RevocationVia,
  type Route,
  type RouteAssessment,
  type ViaChoice,
} from "./types.js";

/** The ways `auto` weighs, in order of preference when they cost the same. */
const AUTO_CANDIDATES = ["7702", "5792", "permit", "tx"] as const satisfies readonly RevocationVia[];

/**
 * Plans how to revoke `approvals` from `walletClient`'s account (the owner's), and estimates its gas, without
 * sending anything (permits, revocations and authorizations may be signed: they are needed to
 * estimate, can only ever revoke, and are sent only by `sendRevocations`).
 *
 * `via` picks the way; `auto` (the default) weighs every way that works here — 7702 (a local key,
 * an EOA, BatchRevoker deployed), 5792 (a wallet that answers wallet_getCapabilities), permit
 * (permit tokens, BatchRevoker deployed) and tx (always) — and takes the one expected to leave
 * the fewest approvals live, then costing the owner the least gas, then asking the owner's wallet
 * for the fewest requests, then costing the least gas in all. With a JSON-RPC wallet that batches
 * calls, `auto` does not try permits: each would ask the user for a signature.
 *
 * Throws ActionInputError (ViaUnsupportedError when the way asked for cannot work here, saying
 * why) or RevocationInputError for bad input.
 */
export async function planRevocations(
  walletClient: AnyWalletClient,
  options: PlanRevocationsParameters,
): Promise<PlanRevocationsReturnType> {
  const requested = options.via ?? "auto";
  if (requested !== "auto" && !revocationVias.includes(requested)) {
    throw new ActionInputError(`unknown way of revoking "${String(requested)}": use auto, ${revocationVias.join(", ")}`);
  }
  const { publicClient, approvals } = options;
  const items = validateRevocationItems(approvals.map((approval) => approval.revocation));
  const owner = walletClient.account.address;
  const stranger = approvals.find((approval) => approval.owner !== undefined && !isAddressEqual(approval.owner, owner));
  if (stranger !== undefined) throw new OwnerMismatchError(stranger.owner!, owner);

  const candidates: readonly RevocationVia[] = requested === "auto" ? AUTO_CANDIDATES : [requested];
  const facts = await gatherFacts({
    publicClient,
    walletClient,
    revoker: options.revoker ?? BATCH_REVOKER_ADDRESS,
    relayer: options.relayer,
    checkWalletCalls: candidates.includes("5792"),
  });
  const input: RouteInput = { publicClient, walletClient, facts, approvals, items };
  const assessed: RouteAssessment[] = [];
  // One after the other: a JSON-RPC wallet may ask its user to sign along the way.
  for (const via of candidates) {
    if (via === "permit" && requested === "auto" && !facts.local && facts.walletCallsUnsupported === null) {
      assessed.push({ via, available: false, reason: "not tried: the wallet batches calls, and permits would ask for a signature per token" });
      continue;
    }
    assessed.push(
      via === "7702"
        ? await assess7702(input)
        : via === "permit"
          ? await assessPermit(input)
          : await assessOwnerCalls(via, input),
    );
  }

  const routes = assessed.filter((candidate): candidate is Route => candidate.available).sort(byPreference(candidates));
  const route = routes[0];
  if (route === undefined) {
    const [only] = assessed as [Extract<RouteAssessment, { available: false }>];
    throw new ViaUnsupportedError(only.via, only.reason);
  }
  return {
    chainId: facts.chainId,
    owner,
    revoker: facts.revoker,
    items,
    requested,
    route,
    candidates: assessed,
    why: requested === "auto" ? explainChoice(route, routes[1], assessed) : `${route.via} was asked for`,
  };
}

function byPreference(order: readonly RevocationVia[]) {
  return (a: Route, b: Route): number => {
    const [x, y] = [a.costs, b.costs];
    if (x.expectedFailures !== y.expectedFailures) return x.expectedFailures - y.expectedFailures;
    if (x.ownerGas !== y.ownerGas) return x.ownerGas < y.ownerGas ? -1 : 1;
    if (x.ownerRequests !== y.ownerRequests) return x.ownerRequests - y.ownerRequests;
    if (x.totalGas !== y.totalGas) return x.totalGas < y.totalGas ? -1 : 1;
    return order.indexOf(a.via) - order.indexOf(b.via);
  };
}

/** Why `auto` took `chosen` over the runner-up, then what every way would cost or why it cannot work. */
function explainChoice(chosen: Route, runnerUp: Route | undefined, assessed: readonly RouteAssessment[]): string {
  const [x, y] = [chosen.costs, runnerUp?.costs];
  const reason =
    y === undefined
      ? "the only way that works here"
      : x.expectedFailures < y.expectedFailures
        ? `it leaves fewer approvals live (${runnerUp!.via} would leave ${y.expectedFailures})`
        : x.ownerGas < y.ownerGas
          ? "it costs the owner the least gas"
          : x.ownerRequests < y.ownerRequests
            ? `it costs the owner as little gas as ${runnerUp!.via} in fewer wallet requests`
            : x.totalGas < y.totalGas
              ? "it costs the least gas in all"
              : `it costs the same as ${runnerUp!.via} and comes first`;
  const compared = assessed.map((candidate) => {
    if (!candidate.available) return `${candidate.via}: not available — ${candidate.reason}`;
    const { ownerGas, totalGas, ownerRequests } = candidate.costs;
    const relayed = totalGas > ownerGas ? ` + ${formatGas(totalGas - ownerGas)} paid by the relayer` : "";
    return `${candidate.via}: ${formatGas(ownerGas)} gas for the owner${relayed}, ${plural(ownerRequests, "wallet request")}`;
  });
  return `auto chose ${chosen.via}: ${reason}. Compared: ${compared.join("; ")}.`;
}
