import { planRevocations } from "./plan.js";
import { ViaUnsupportedError } from "./errors.js";
import type { AnyWalletClient } from "../revoke/delegation.js";
import type { PlannedRevocations, RevocableApproval, RevocationContext, RevocationVia } from "./types.js";

export type PlanRouteOptionsParameters = RevocationContext & {
  approvals: readonly RevocableApproval[];
  /** The ways to plan, in the order to report them. */
  vias: readonly RevocationVia[];
};

export type PlanRouteOptionsReturnType = RouteOption[];

/** One way of revoking a selection: its plan (gas, wallet prompts, transactions) or why it cannot work. */
export type RouteOption =
  | { via: RevocationVia; available: true; plan: PlannedRevocations }
  | { via: RevocationVia; available: false; reason: string };

/**
 * Plans the same approvals once per way in `vias`, so a user can compare each way's estimated gas
 * and wallet prompts (`plan.route.costs`) and pick one to hand to `sendRevocations`. A way that
 * cannot work here is reported with the reason. Ways are planned one after the other: planning
 * `permit` with a JSON-RPC wallet asks it for one signature per permit token, so leave it out
 * unless the user asked for it.
 */
export async function planRouteOptions(
  walletClient: AnyWalletClient,
  { vias, ...parameters }: PlanRouteOptionsParameters,
): Promise<PlanRouteOptionsReturnType> {
  const options: RouteOption[] = [];
  for (const via of vias) {
    try {
      options.push({ via, available: true, plan: await planRevocations(walletClient, { ...parameters, via }) });
    } catch (error) {
      if (!(error instanceof ViaUnsupportedError)) throw error;
      options.push({ via, available: false, reason: error.reason });
    }
  }
  return options;
}
