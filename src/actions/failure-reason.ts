import { decodeFunctionResult, type Address, type PublicClient } from "viem";

import { revocationAbi, revocationCalls } from "../revoke/fallbacks.js";
import type { RevocationItem } from "../revoke/items.js";
import { errorSummary } from "./text.js";

/**
 * Why one revocation failed inside a BatchRevoker batch, which reports only "failed": the same
 * call replayed alone from the owner (eth_call, nothing sent) shows whether the token reverts
 * (with its reason: paused, a custom error, ...), returns false, or accepts it on its own.
 */
export async function failureReason(publicClient: PublicClient, owner: Address, item: RevocationItem): Promise<string> {
  const [call] = revocationCalls([item]);
  let returned;
  try {
    returned = await publicClient.call({ account: owner, to: call!.to, data: call!.data });
  } catch (error) {
    return `the token reverted: ${errorSummary(error)}`;
  }
  if (item.kind === "erc20" && returned.data !== undefined && returned.data !== "0x") {
    try {
      const accepted = decodeFunctionResult({ abi: revocationAbi, functionName: "approve", data: returned.data });
      if (!accepted) return "the token returned false (it refuses the approval, as tokens that fail without reverting do)";
    } catch {
      return `the token answered approve with ${returned.data.length > 66 ? `${returned.data.slice(0, 66)}…` : returned.data}, not a bool`;
    }
  }
  return "the token accepts the call on its own: inside the batch it failed within the per-item gas stipend; retry with --via tx";
}
