import { AllowanceRouterError } from "../errors.js";
import { describeRpcFailure, notJsonRpcReason } from "./rpc-errors.js";

/**
 * Errors the scanner raises on purpose. Each message says what went wrong and what to do,
 * in one line, so the CLI can print it as is. `isInputError` marks the ones caused by what the
 * caller passed (a bad address, an RPC that cannot be reached or serves another chain, a token
 * that does not exist): the CLI exits with code 2 on those.
 */
export class ScanError extends AllowanceRouterError {
  constructor(message: string, options: { isInputError: boolean; cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class RpcUnreachableError extends ScanError {
  constructor(url: string, reason: string, cause?: unknown) {
    super(`cannot reach the RPC at ${url} (${reason}): check the URL and that the node is running`, {
      isInputError: true,
      cause,
    });
  }
}

/** The URL answered, but not as a JSON-RPC node: a web page, a TLS mismatch. Retrying would change nothing. */
export class NotJsonRpcError extends ScanError {
  constructor(url: string, reason: string, cause?: unknown) {
    super(`${url} answered, but is not a JSON-RPC endpoint (${reason}): pass the node's JSON-RPC URL`, { isInputError: true, cause });
  }
}

/** A URL this client cannot speak JSON-RPC to: not a URL, or not http(s). */
export class UnsupportedRpcUrlError extends ScanError {
  constructor(url: string, reason: string) {
    super(`cannot use the RPC URL ${url} (${reason}): pass the node's http:// or https:// JSON-RPC URL`, { isInputError: true });
  }
}

export class WrongChainError extends ScanError {
  constructor(expected: number, actual: number) {
    super(`the RPC serves chain ${actual}, not chain ${expected}: use an RPC URL for chain ${expected} or pass --chain ${actual}`, {
      isInputError: true,
    });
  }
}

export class UnknownTokenError extends ScanError {
  constructor(token: string, chainId: number) {
    super(`no contract at ${token} on chain ${chainId}: pass the address of a token deployed on this chain`, {
      isInputError: true,
    });
  }
}

export class InvalidBlockRangeError extends ScanError {
  constructor(what: "fromBlock" | "toBlock", value: bigint, limit: bigint) {
    super(`${what} ${value} is after the chain's last block ${limit}: pass a ${what} at or below ${limit}`, {
      isInputError: true,
    });
  }
}

/** The node refuses eth_getLogs even for one block: nothing smaller can be asked for. */
export class LogRangeUnsplittableError extends ScanError {
  constructor(block: bigint, cause: unknown) {
    super(`the RPC refuses the logs of block ${block} even alone: use a node with higher eth_getLogs limits`, {
      isInputError: false,
      cause,
    });
  }
}

/** The error for a node's failed first answer: it is no JSON-RPC endpoint, or it cannot be reached. */
export function rpcFailureError(url: string, error: unknown): ScanError {
  const notRpc = notJsonRpcReason(error);
  return notRpc !== null ? new NotJsonRpcError(url, notRpc, error) : new RpcUnreachableError(url, describeRpcFailure(error), error);
}
