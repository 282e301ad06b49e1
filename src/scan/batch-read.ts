import { encodeFunctionData, type Abi, type Address, type ContractFunctionParameters, type EncodeFunctionDataParameters, type PublicClient } from "viem";

import { MULTICALL3_ADDRESS } from "./constants.js";

export type ReadCall = ContractFunctionParameters<Abi>;

/** One call's outcome: its decoded value, or why the contract call failed (revert, bad return data). */
export type ReadResult = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Limits of one aggregate3 eth_call. A deployless multicall carries its calls inside creation
 * code, which EIP-3860 caps at 49,152 bytes (Multicall3's own code takes ~6 KB), and returns
 * its results as "deployed code", which EIP-170 caps at 24,576 bytes (~200 bytes per result):
 * hence small chunks. A deployed Multicall3 is bounded only by the node's eth_call gas cap.
 */
const CHUNK_LIMITS = {
  deployed: { bytes: 120_000, calls: 500 },
  deployless: { bytes: 36_000, calls: 80 },
} as const;
/** One Call3 in aggregate3's encoding: head offset, target, allowFailure, bytes offset, length. */
const CALL3_OVERHEAD_BYTES = 5 * 32;

function encodedSize(call: ReadCall): number {
  const data = encodeFunctionData(call as EncodeFunctionDataParameters);
  const dataBytes = (data.length - 2) / 2;
  return CALL3_OVERHEAD_BYTES + Math.ceil(dataBytes / 32) * 32;
}

/** Splits calls into aggregate3 chunks by encoded size and count (viem's own chunking counts raw calldata only). */
function chunk(calls: readonly ReadCall[], limits: { bytes: number; calls: number }): ReadCall[][] {
  const chunks: ReadCall[][] = [];
  let current: ReadCall[] = [];
  let size = 0;
  for (const call of calls) {
    const callSize = encodedSize(call);
    if (current.length > 0 && (size + callSize > limits.bytes || current.length >= limits.calls)) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(call);
    size += callSize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Where to send aggregate3: the chain's Multicall3 if deployed, else null for viem's
 * deployless multicall (Multicall3's creation code run inside eth_call), so that a chain
 * without Multicall3, such as a fresh local node, still gets batched reads.
 */
export async function findMulticall(client: PublicClient): Promise<Address | null> {
  const code = await client.getCode({ address: MULTICALL3_ADDRESS });
  return code !== undefined && code !== "0x" ? MULTICALL3_ADDRESS : null;
}

function failedAtTransport(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    if (current.name === "CallExecutionError") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Why one call failed, in a few words: the revert's error or reason, or what was wrong with the data. */
function reasonOf(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const revert = current as Error & { reason?: string; signature?: string; data?: { errorName?: string } };
    if (current.name === "ContractFunctionRevertedError") {
      if (revert.data?.errorName !== undefined) return `reverted with ${revert.data.errorName}`;
      if (revert.reason !== undefined) return `reverted: ${revert.reason}`;
      if (revert.signature !== undefined) return `reverted with error ${revert.signature}`;
      return "reverted";
    }
    if (current.name === "ContractFunctionZeroDataError" || current.name === "AbiDecodingZeroDataError") return "returned no data";
    if (current.name.startsWith("AbiDecoding") || current.name === "PositionOutOfBoundsError") return "returned malformed data";
    current = (current as { cause?: unknown }).cause;
  }
  const shortMessage = (error as { shortMessage?: unknown }).shortMessage;
  const text = typeof shortMessage === "string" ? shortMessage : error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? "call failed";
}

/**
 * Reads every call at `blockNumber` through Multicall3's aggregate3, a hundred or more per
 * eth_call. A call that reverts or returns malformed data is reported as failed; an eth_call
 * that fails as a whole (the node or the network) throws, so that nothing unread is mistaken
 * for a revert.
 */
export async function readBatch(
  client: PublicClient,
  calls: readonly ReadCall[],
  options: { blockNumber: bigint; multicallAddress: Address | null },
): Promise<ReadResult[]> {
  const limits = options.multicallAddress === null ? CHUNK_LIMITS.deployless : CHUNK_LIMITS.deployed;
  // Chunks go out together, so that a batching transport sends them in one HTTP request.
  const chunkResults = await Promise.all(
    chunk(calls, limits).map((contracts) =>
      client.multicall({
        contracts,
        allowFailure: true,
        blockNumber: options.blockNumber,
        batchSize: 0,
        ...(options.multicallAddress === null ? { deployless: true } : { multicallAddress: options.multicallAddress }),
      }),
    ),
  );
  return chunkResults.flat().map((result) => {
    if (result.status === "success") return { ok: true, value: result.result };
    if (failedAtTransport(result.error)) throw result.error;
    return { ok: false, reason: reasonOf(result.error) };
  });
}
