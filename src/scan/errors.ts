import { AllowanceRouterError } from "../errors.js";

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
