import type { Address, PublicClient } from "viem";

import { readBatch, type ReadCall, type ReadResult } from "./batch-read.js";
import { AllowanceRouterError } from "../errors.js";

/** A handle to one planned call's result, available after `run`. */
export type ReadHandle = () => ReadResult;

/**
 * Collects reads from several places (approvals, token metadata) so that they go out in one
 * batch, and hands each place back a handle to its own result.
 */
export function createReadPlan() {
  const calls: ReadCall[] = [];
  let results: ReadResult[] | null = null;
  return {
    add(call: ReadCall): ReadHandle {
      const index = calls.push(call) - 1;
      return () => {
        if (results === null) throw new AllowanceRouterError("read plan used before run()");
        return results[index]!;
      };
    },
    get size() {
      return calls.length;
    },
    async run(client: PublicClient, options: { blockNumber: bigint; multicallAddress: Address | null }): Promise<void> {
      results = await readBatch(client, calls, options);
    },
  };
}

export type ReadPlan = ReturnType<typeof createReadPlan>;

/** The value of a successful read, or null. */
export function valueOf<T>(handle: ReadHandle): T | null {
  const result = handle();
  return result.ok ? (result.value as T) : null;
}
