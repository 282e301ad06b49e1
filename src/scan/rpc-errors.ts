/**
 * Sorting a failed JSON-RPC request into what to do next:
 * - `range`: the node refuses this eth_getLogs range or its result size; ask for a smaller range;
 * - `transient`: rate limit (HTTP 429), server error (5xx), timeout or dropped connection; retry later;
 * - `fatal`: anything else (bad parameters, reverted call, missing history); retrying changes nothing.
 */
export type RpcFailureKind = "range" | "transient" | "fatal";

// Phrases nodes and providers use when an eth_getLogs range or its result is too large
// (geth/Infura "query returned more than 10000 results", Alchemy "Log response size exceeded",
// QuickNode "eth_getLogs is limited to a 10000 range", BSC "exceed maximum block range", ...).
const RANGE_REFUSAL =
  /block range|range (is )?too (large|wide|big)|limited to a? ?\d+|more than \d+ (results|logs)|too many (results|logs|blocks)|response size|exceeds? (the )?max(imum)?|max(imum)? (block )?range|query timeout|result window/i;
const RATE_LIMIT = /rate limit|too many requests|request limit|requests? per second|capacity|throttl|exceeded .*quota/i;

const NO_SERVER = /ECONNREFUSED|ENOTFOUND|bad port/;
const TLS_TO_PLAIN_HTTP = /ERR_SSL_WRONG_VERSION_NUMBER|ERR_SSL_PACKET_LENGTH_TOO_LONG|wrong version number|packet length too long|EPROTO/i;

const LIMIT_EXCEEDED_CODE = -32005;
const TRANSIENT_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set([429, -32007]);

interface ErrorFacts {
  statuses: number[];
  codes: number[];
  text: string;
  timedOut: boolean;
  /** An HTTP request that failed without a status: connection refused, reset or dropped. */
  networkFailure: boolean;
  tooLarge: boolean;
  /** The server answered, but its body is not JSON (a web page, a proxy's error page). */
  notJson: boolean;
  /** TLS spoken to a server that answers in plain HTTP (an https:// URL for an http:// node). */
  tlsToPlainHttp: boolean;
}

/** Collects status codes, JSON-RPC codes and messages along the error's cause chain. */
function factsOf(error: unknown): ErrorFacts {
  const facts: ErrorFacts = {
    statuses: [],
    codes: [],
    text: "",
    timedOut: false,
    networkFailure: false,
    tooLarge: false,
    notJson: false,
    tlsToPlainHttp: false,
  };
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const record = current as Error & { status?: unknown; code?: unknown; details?: unknown; shortMessage?: unknown };
    if (typeof record.status === "number") facts.statuses.push(record.status);
    if (typeof record.code === "number") facts.codes.push(record.code);
    facts.text += ` ${record.message} ${typeof record.details === "string" ? record.details : ""}`;
    if (record.name === "TimeoutError") facts.timedOut = true;
    if (record.name === "ResponseBodyTooLargeError") facts.tooLarge = true;
    if (record.name === "HttpRequestError" && record.status === undefined) facts.networkFailure = true;
    if (record.name === "SyntaxError") facts.notJson = true;
    if (typeof record.code === "string" && TLS_TO_PLAIN_HTTP.test(record.code)) facts.tlsToPlainHttp = true;
    if (TLS_TO_PLAIN_HTTP.test(record.message)) facts.tlsToPlainHttp = true;
    current = record.cause;
  }
  return facts;
}

export function classifyRpcFailure(error: unknown, method: string): RpcFailureKind {
  const facts = factsOf(error);
  const isLogs = method === "eth_getLogs";
  if (isLogs && (facts.tooLarge || facts.statuses.includes(413) || RANGE_REFUSAL.test(facts.text))) return "range";
  if (facts.statuses.some((status) => TRANSIENT_STATUSES.has(status))) return "transient";
  if (facts.codes.some((code) => TRANSIENT_CODES.has(code))) return "transient";
  if (RATE_LIMIT.test(facts.text)) return "transient";
  // -32005 "limit exceeded" without a rate-limit phrase is a result-size limit on eth_getLogs.
  if (facts.codes.includes(LIMIT_EXCEEDED_CODE)) return isLogs ? "range" : "transient";
  // Nothing listening, no such host, a port fetch refuses: a wrong URL, not a blip. A reset or
  // dropped connection is one.
  if (NO_SERVER.test(facts.text)) return "fatal";
  // It answered, in something else than JSON-RPC: asking again gets the same page.
  if (facts.notJson || facts.tlsToPlainHttp) return "fatal";
  if (facts.timedOut || facts.networkFailure) return "transient";
  return "fatal";
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date), if the error carries one. */
export function retryAfterMs(error: unknown): number | null {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const headers = (current as { headers?: unknown }).headers;
    if (headers instanceof Headers) {
      const value = headers.get("retry-after");
      if (value !== null) {
        const seconds = Number(value);
        if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
        const date = Date.parse(value);
        if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** A short human reason for an RPC failure, for one-line error messages. */
export function describeRpcFailure(error: unknown): string {
  const facts = factsOf(error);
  if (facts.tlsToPlainHttp) return "TLS to a server that speaks plain HTTP";
  if (facts.statuses.length > 0) return `HTTP ${facts.statuses[0]}`;
  if (facts.timedOut) return "timed out";
  const network = ["ECONNREFUSED", "ENOTFOUND", "bad port", "EAI_AGAIN", "ECONNRESET", "other side closed", "fetch failed"].find((reason) =>
    facts.text.includes(reason),
  );
  if (network !== undefined) return network;
  const firstLine = facts.text.trim().split("\n")[0] ?? "unknown error";
  return firstLine.length > 120 ? `${firstLine.slice(0, 117)}...` : firstLine;
}

/** What a failed first request says about the endpoint: it answered, but not as a JSON-RPC node would. */
export function notJsonRpcReason(error: unknown): string | null {
  const facts = factsOf(error);
  if (facts.tlsToPlainHttp) return "it speaks plain HTTP, not TLS: use http:// instead of https://";
  if (!facts.notJson) return null;
  const parse = /(Unexpected token[^\n]*?is not valid JSON|Unexpected (end|non-whitespace)[^\n]*)/.exec(facts.text)?.[0];
  return `its answer is not JSON${parse === undefined ? "" : ` (${parse.length > 80 ? `${parse.slice(0, 77)}...` : parse})`}`;
}

/** The URL schemes a JSON-RPC endpoint is reached by here. */
const HTTP_SCHEMES = new Set(["http:", "https:"]);

/** Why `url` cannot be an RPC URL for this client (not a URL, or not http(s)), or null if it can. */
export function rpcUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "not a URL";
  }
  if (!HTTP_SCHEMES.has(parsed.protocol)) {
    return `${parsed.protocol.replace(/:$/, "")}:// is not supported, only JSON-RPC over http:// or https://`;
  }
  return null;
}
