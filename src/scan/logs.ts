import { numberToHex, type Address, type Hex, type PublicClient } from "viem";

import type { RawLog } from "../cache/types.js";
import { LogRangeUnsplittableError } from "./errors.js";
import { classifyRpcFailure } from "./rpc-errors.js";

export interface LogRangeProgress {
  /** Last block whose logs are in. */
  scannedTo: bigint;
  fromBlock: bigint;
  toBlock: bigint;
  requests: number;
}

export interface FetchLogsOptions {
  topics: (Hex | Hex[] | null)[];
  fromBlock: bigint;
  toBlock: bigint;
  /** Blocks asked for in the first request; the span then adapts to what the node accepts. */
  initialSpan?: bigint;
  /** Called with each range's logs before the next is asked for; awaited, so it may store them. */
  onRange?: (logs: RawLog[], progress: LogRangeProgress) => void | Promise<void>;
}

// A span that returned fewer logs than this is doubled for the next request.
const GROW_BELOW_LOGS = 1_000;

interface RpcLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  blockTimestamp?: Hex;
  transactionHash: Hex;
  logIndex: Hex;
  removed?: boolean;
}

function toRawLog(log: RpcLog): RawLog {
  return {
    address: log.address,
    topics: log.topics,
    data: log.data,
    blockNumber: BigInt(log.blockNumber),
    blockHash: log.blockHash,
    blockTimestamp: log.blockTimestamp === undefined ? null : Number(BigInt(log.blockTimestamp)),
    transactionHash: log.transactionHash,
    logIndex: Number(BigInt(log.logIndex)),
  };
}

/**
 * All logs matching `topics` (from any contract) in [fromBlock, toBlock], in chain order.
 * When the node refuses a range or its result size, the range is halved and asked again;
 * after a success the span grows back while results stay small. Transient failures are the
 * transport's to retry (see `withRetries`).
 */
export async function fetchLogs(client: PublicClient, options: FetchLogsOptions): Promise<{ logs: RawLog[]; requests: number }> {
  const { topics, fromBlock, toBlock } = options;
  const logs: RawLog[] = [];
  let requests = 0;
  let span = options.initialSpan ?? toBlock - fromBlock + 1n;
  // The smallest span the node refused: growth stays below it, so a fixed node limit costs
  // one refusal rather than one per request.
  let refusedSpan: bigint | null = null;
  let cursor = fromBlock;
  while (cursor <= toBlock) {
    const end = cursor + span - 1n < toBlock ? cursor + span - 1n : toBlock;
    let batch: RpcLog[];
    try {
      requests++;
      batch = (await client.request({
        method: "eth_getLogs",
        params: [{ fromBlock: numberToHex(cursor), toBlock: numberToHex(end), topics }],
      } as never)) as RpcLog[];
    } catch (error) {
      if (classifyRpcFailure(error, "eth_getLogs") !== "range") throw error;
      if (end === cursor) throw new LogRangeUnsplittableError(cursor, error);
      refusedSpan = end - cursor + 1n;
      span = refusedSpan / 2n;
      continue;
    }
    const rangeLogs = batch.filter((log) => !log.removed).map(toRawLog);
    logs.push(...rangeLogs);
    await options.onRange?.(rangeLogs, { scannedTo: end, fromBlock, toBlock, requests });
    if (rangeLogs.length < GROW_BELOW_LOGS && (refusedSpan === null || span * 2n < refusedSpan)) span *= 2n;
    cursor = end + 1n;
  }
  return { logs, requests };
}
