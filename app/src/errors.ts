// What went wrong, in words a person can act on: what happened, and what to do.
import { BaseError, UserRejectedRequestError } from "viem";

export type Explained = { what: string; todo: string };

function chain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  let current = error;
  while (current !== undefined && current !== null && !seen.includes(current)) {
    seen.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return seen;
}

const named = (error: unknown, name: string) => chain(error).some((link) => (link as Error)?.name === name);

export function explainError(error: unknown, action: string): Explained {
  const links = chain(error);
  if (links.some((link) => link instanceof UserRejectedRequestError || (link as { code?: number })?.code === 4001)) {
    return { what: `You rejected ${action} in your wallet; nothing was sent.`, todo: "Try again when you are ready." };
  }
  if (named(error, "RpcUnreachableError") || named(error, "HttpRequestError") || /fetch failed|Failed to fetch|ECONNREFUSED/i.test(String((error as Error)?.message))) {
    return {
      what: `Cannot reach the chain's RPC while trying to ${action}.`,
      todo: "Check that the node is running and the RPC URL in Settings is right, then retry. Nothing on the page is lost: a table already shown stays.",
    };
  }
  if (named(error, "WrongChainError") || named(error, "ChainMismatchError")) {
    return { what: `The wallet or RPC is on another chain than the page (${action}).`, todo: "Switch the wallet to the page's chain, or change the chain in Settings." };
  }
  if (named(error, "ActionInputError") || named(error, "ViaUnsupportedError") || named(error, "InvalidAddressError")) {
    return { what: (error as Error).message, todo: "Change the input and try again." };
  }
  const message = error instanceof BaseError ? (error.details || error.shortMessage) : error instanceof Error ? error.message : String(error);
  return { what: `Could not ${action}: ${message.split("\n")[0]}`, todo: "Nothing else changed; you can retry, or pick another way." };
}
