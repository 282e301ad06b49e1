import { BaseError } from "viem";

const PACKAGE_VERSION = "allowance-router@0.1.0";

export type AllowanceRouterErrorParameters = {
  cause?: unknown;
  /** Lines after the short message: the values involved, what to try. */
  metaMessages?: string[];
  /** Extra detail, such as a node's own error text. */
  details?: string;
  /**
   * Caused by what the caller passed (a bad address, an RPC that cannot be reached, a token
   * that does not exist): nothing was signed or sent. The CLI exits with code 2 on those.
   */
  isInputError?: boolean;
};

export type AllowanceRouterErrorType = AllowanceRouterError & { name: "AllowanceRouterError" };

/**
 * The base of every error the SDK throws on purpose. Like viem's errors (which it extends),
 * `shortMessage` is one line that says what went wrong and what to do, `metaMessages` add
 * context, `cause` is the underlying error and `walk()` reaches it; `message` joins them all.
 */
export class AllowanceRouterError extends BaseError {
  override name = "AllowanceRouterError";
  readonly isInputError: boolean;

  constructor(shortMessage: string, parameters: AllowanceRouterErrorParameters = {}) {
    const cause = parameters.cause instanceof Error ? parameters.cause : undefined;
    super(shortMessage, { cause, metaMessages: parameters.metaMessages, details: parameters.details });
    this.isInputError = parameters.isInputError ?? false;
    this.version = PACKAGE_VERSION;
    // viem's message ends with viem's version; these errors are this package's.
    this.message = [
      shortMessage,
      ...(parameters.metaMessages === undefined ? [] : ["", ...parameters.metaMessages]),
      ...(this.details ? ["", `Details: ${this.details}`] : []),
      "",
      `Version: ${PACKAGE_VERSION}`,
    ].join("\n");
  }
}

/** A value that should be an address is not one (named apart from viem's own InvalidAddressError). */
export class NotAnAddressError extends AllowanceRouterError {
  override name = "NotAnAddressError";
  constructor(
    readonly field: string,
    readonly value: unknown,
  ) {
    super(`${field} "${String(value)}" is not an address: pass a 0x-prefixed 20-byte hex address`, { isInputError: true });
  }
}
