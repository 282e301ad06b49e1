import { BaseError } from "viem";

import { formatTokenAmount } from "../risk/amounts.js";

/** 0x1234…abcd */
export const shortAddress = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** Gas with thousands separators: 181,805. */
export const formatGas = (gas: bigint) => formatTokenAmount(gas, 0, null);

/** "1 approval", "12 approvals". */
export const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/**
 * The first line of what went wrong, without viem's docs links and request dumps: the node's own
 * words (a revert reason, say) where viem has them, which its generic short message hides.
 */
export function errorSummary(error: unknown): string {
  if (error instanceof BaseError) return (error.details || error.shortMessage).split("\n")[0]!;
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
}
