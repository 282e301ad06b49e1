import { createPublicClient, custom, http, type EIP1193RequestFn, type PublicClient } from "viem";

import { classifyRpcFailure, describeRpcFailure, retryAfterMs } from "./rpc-errors.js";

export interface RetryPolicy {
  /** Retries after the first attempt of a request that failed transiently. */
  retries: number;
  /** First backoff; each retry doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * How long one request may take before it counts as timed out (REQUEST_TIMEOUT_MS by default): no
   * retry starts that could time out past the deadline. The client's transport enforces it: give
   * `createRpcClient` the same `requestTimeoutMs`.
   */
  requestTimeoutMs?: number;
  /** No retry starts after this long since a request's first attempt (REQUEST_DEADLINE_MS by default). */
  deadlineMs?: number;
}

/** One request that gets no answer fails after this long, and a node that never answers within a minute. */
export const REQUEST_TIMEOUT_MS = 10_000;
export const REQUEST_DEADLINE_MS = 60_000;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 6,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  deadlineMs: REQUEST_DEADLINE_MS,
};

/** What a retry is told: which attempt failed, why, and how long until the next. */
export type RetryNotice = { method: string; attempt: number; retries: number; reason: string; waitMs: number; deadlineMs: number };

/** Requests per JSON-RPC batch: large enough to save round trips, small enough for public RPCs. */
const JSON_RPC_BATCH_SIZE = 100;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type RequestArgs = { method: string; params?: unknown };
type RawRequest = (args: RequestArgs) => Promise<unknown>;

/**
 * Wraps a request function so that transient failures (HTTP 429/5xx, timeouts, dropped
 * connections) are retried with exponential backoff, honouring Retry-After, while range
 * refusals and fatal errors surface at once (the log fetcher splits on the former); no retry is
 * started that could end after `deadlineMs` from the first attempt, and `onRetry` hears of each.
 */
export function withRetries(
  request: RawRequest,
  policy: RetryPolicy,
  wait: (ms: number) => Promise<void> = sleep,
  onRetry: (notice: RetryNotice) => void = () => {},
  now: () => number = Date.now,
): RawRequest {
  const deadlineMs = policy.deadlineMs ?? REQUEST_DEADLINE_MS;
  const requestTimeoutMs = policy.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  return async (args) => {
    const started = now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(args);
      } catch (error) {
        if (attempt >= policy.retries || classifyRpcFailure(error, args.method) !== "transient") throw error;
        const backoff = Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
        const waitMs = Math.min(retryAfterMs(error) ?? backoff, policy.maxDelayMs);
        // A retry that could time out only after the deadline is not started.
        if (now() - started + waitMs + requestTimeoutMs > deadlineMs) throw error;
        onRetry({ method: args.method, attempt: attempt + 1, retries: policy.retries, reason: describeRpcFailure(error), waitMs, deadlineMs });
        await wait(waitMs);
      }
    }
  };
}

/**
 * A public client whose every request goes through `withRetries`. From a URL it uses HTTP with
 * JSON-RPC batching and viem's own retries off (they would retry range refusals too); from a
 * caller's client it wraps that client's request function.
 */
export function createScanClient(
  source: { rpcUrl: string } | { client: PublicClient },
  policy: RetryPolicy,
  onRetry?: (notice: RetryNotice) => void,
): PublicClient {
  const timeout = policy.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const base: RawRequest =
    "rpcUrl" in source
      ? http(source.rpcUrl, { batch: { batchSize: JSON_RPC_BATCH_SIZE }, retryCount: 0, timeout })({
          retryCount: 0,
        }).request
      : (args) => source.client.request(args as Parameters<PublicClient["request"]>[0]);
  const request = withRetries(base, policy, sleep, onRetry);
  return createPublicClient({
    chain: "client" in source ? source.client.chain : undefined,
    transport: custom({ request: request as EIP1193RequestFn }, { retryCount: 0 }),
  });
}

export type CreateRpcClientParameters = {
  rpcUrl: string;
  /** How long one HTTP request may take (REQUEST_TIMEOUT_MS by default). */
  requestTimeoutMs?: number;
};

export type CreateRpcClientReturnType = PublicClient;

/**
 * A public client for `scanApprovals` from an RPC URL: HTTP with JSON-RPC batching, viem's own
 * retries off (the scan retries transient failures itself, and must not retry range refusals).
 */
export function createRpcClient({ rpcUrl, requestTimeoutMs }: CreateRpcClientParameters): CreateRpcClientReturnType {
  return createPublicClient({
    transport: http(rpcUrl, { batch: { batchSize: JSON_RPC_BATCH_SIZE }, retryCount: 0, timeout: requestTimeoutMs ?? REQUEST_TIMEOUT_MS }),
  });
}
