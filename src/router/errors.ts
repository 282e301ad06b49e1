import { AllowanceRouterError } from "../errors.js";

/**
 * Base class of the errors the router SDK throws for bad input. When one is thrown, nothing
 * was signed and nothing was sent.
 */
export class RouterInputError extends AllowanceRouterError {
  constructor(message: string) {
    super(message, { isInputError: true });
    this.name = new.target.name;
  }
}

export class ZeroAddressError extends RouterInputError {
  constructor(readonly field: string) {
    super(`${field} is the zero address: pass the real ${field} address.`);
  }
}

export class OutOfRangeError extends RouterInputError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly min: bigint,
    readonly max: bigint,
  ) {
    super(`${field} must be a whole number from ${min} to ${max}, got ${String(value)}.`);
  }
}

export class ExpiryChoiceError extends RouterInputError {
  constructor() {
    super("Pass exactly one of expiresIn (seconds from now) or expiresAt (unix time in seconds).");
  }
}

export class ExpirationInPastError extends RouterInputError {
  constructor(
    readonly expiresAt: bigint,
    readonly chainTime: bigint,
  ) {
    super(
      `expiresAt ${expiresAt} is not after the latest block's time ${chainTime}: ` +
        "pass a later expiresAt, or a positive expiresIn.",
    );
  }
}

export class MissingAccountError extends RouterInputError {
  constructor() {
    super("The wallet client has no account: create it with one, e.g. createWalletClient({ account, ... }).");
  }
}

export class SignatureLengthError extends RouterInputError {
  constructor(
    readonly byteLength: number,
    readonly expectedByteLength: number,
  ) {
    super(`The signature is ${byteLength} bytes, expected ${expectedByteLength}: pass an r‖s‖v ECDSA signature.`);
  }
}

export class EmptyBatchError extends RouterInputError {
  constructor() {
    super("The PermitBatch has no details: add a PermitDetails for each token to grant.");
  }
}
