import { createPublicClient, custom, http, type EIP1193RequestFn, type PublicClient } from "viem";

import { classifyRpcFailure, retryAfterMs } from "./rpc-errors.js";

export interface RetryPolicy {
  /** Retries after the first attempt of a request that failed transiently. */
  retries: number;
  /** First backoff; each retry doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 6, baseDelayMs: 250, maxDelayMs: 8_000 };

/** Requests per JSON-RPC batch: large enough to save round trips, small enough for public RPCs. */
const JSON_RPC_BATCH_SIZE = 100;
const REQUEST_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type RequestArgs = { method: string; params?: unknown };
type RawRequest = (args: RequestArgs) => Promise<unknown>;

/**
 * Wraps a request function so that transient failures (HTTP 429/5xx, timeouts, dropped
 * connections) are retried with exponential backoff, honouring Retry-After, while range
 * refusals and fatal errors surface at once: the log fetcher splits on the former.
 */
export function withRetries(request: RawRequest, policy: RetryPolicy, wait: (ms: number) => Promise<void> = sleep): RawRequest {
  return async (args) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(args);
      } catch (error) {
        if (attempt >= policy.retries || classifyRpcFailure(error, args.method) !== "transient") throw error;
        const backoff = Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
        await wait(Math.min(retryAfterMs(error) ?? backoff, policy.maxDelayMs));
      }
    }
  };
}

/**
 * A public client whose every request goes through `withRetries`. From a URL it uses HTTP with
 * JSON-RPC batching and viem's own retries off (they would retry range refusals too); from a
 * caller's client it wraps that client's request function.
 */
export function createScanClient(source: { rpcUrl: string } | { client: PublicClient }, policy: RetryPolicy): PublicClient {
  const base: RawRequest =
    "rpcUrl" in source
      ? http(source.rpcUrl, { batch: { batchSize: JSON_RPC_BATCH_SIZE }, retryCount: 0, timeout: REQUEST_TIMEOUT_MS })({
          retryCount: 0,
        }).request
      : (args) => source.client.request(args as Parameters<PublicClient["request"]>[0]);
  const request = withRetries(base, policy);
  return createPublicClient({
    chain: "client" in source ? source.client.chain : undefined,
    transport: custom({ request: request as EIP1193RequestFn }, { retryCount: 0 }),
  });
}
