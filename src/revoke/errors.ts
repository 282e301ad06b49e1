import { AllowanceRouterError, type AllowanceRouterErrorParameters } from "../errors.js";

/** Base class of every error the revocation SDK throws. */
export class RevocationError extends AllowanceRouterError {
  constructor(message: string, parameters: AllowanceRouterErrorParameters = {}) {
    super(message, parameters);
    this.name = new.target.name;
  }
}

/** Bad input: thrown before anything is signed or sent. */
export class RevocationInputError extends RevocationError {
  constructor(message: string) {
    super(message, { isInputError: true });
  }
}

/** The list of approvals to revoke is empty. */
export class EmptyRevocationError extends RevocationInputError {
  constructor() {
    super("Nothing to revoke: pass at least one approval.");
  }
}

/** An item names a kind the revoker does not know. */
export class UnknownRevocationKindError extends RevocationInputError {
  constructor(
    readonly index: number,
    readonly kind: unknown,
    knownKinds: readonly string[],
  ) {
    super(`Item ${index} has kind ${JSON.stringify(kind)}; use one of: ${knownKinds.join(", ")}.`);
  }
}

/** An address field is the zero address. */
export class RevocationZeroAddressError extends RevocationInputError {
  constructor(
    readonly index: number,
    readonly field: string,
  ) {
    super(`Item ${index}: ${field} is the zero address; pass the contract or account it names.`);
  }
}

/** An address field is missing or not a 20-byte hex address. */
export class RevocationAddressError extends RevocationInputError {
  constructor(
    readonly index: number,
    readonly field: string,
    readonly value: unknown,
    reason = "is not an address; pass a 0x-prefixed 20-byte hex string",
  ) {
    super(`Item ${index}: ${field} (${String(value)}) ${reason}.`);
  }
}

/** An ERC-721 token id is not an integer in [0, 2^256). */
export class RevocationTokenIdError extends RevocationInputError {
  constructor(
    readonly index: number,
    readonly value: unknown,
  ) {
    super(`Item ${index}: tokenId ${String(value)} is not a uint256; pass a bigint in [0, 2^256).`);
  }
}

/** EIP-7702 authorizations must be signed by a private key held locally. */
export class LocalAccountRequiredError extends RevocationError {
  constructor(readonly address: string | undefined) {
    super(
      `Account ${address ?? "(none)"} cannot sign an EIP-7702 authorization: JSON-RPC accounts cannot. ` +
        "Use a wallet client with a local account (viem privateKeyToAccount / mnemonicToAccount), " +
        "or revoke through the fallbacks: revocationCalls / walletSendCallsRequest / sendRevocationTransactions.",
    );
  }
}

/** The account is delegated to another contract (a smart-account implementation, say). */
export class ForeignDelegationError extends RevocationError {
  constructor(
    readonly account: string,
    readonly currentDelegate: string,
  ) {
    super(
      `Account ${account} is delegated to ${currentDelegate}; delegating it to BatchRevoker would replace that ` +
        "smart account. Revoke through the wallet instead (walletSendCallsRequest), or pass replaceDelegation: true.",
    );
  }
}

/** The revocation transaction was mined but reverted. */
export class RevocationRevertedError extends RevocationError {
  constructor(readonly hash: string) {
    super(`Revocation transaction ${hash} reverted; simulate it (previewRevocation) to see why.`);
  }
}

/** A guardian revocation was asked of an account without code: it never delegated to BatchRevoker, or undelegated. */
export class NotDelegatedError extends RevocationError {
  constructor(readonly account: string) {
    super(
      `Account ${account} has no code, so it has no BatchRevoker guardian: its owner must delegate it to ` +
        "BatchRevoker and appoint the guardian (setRevokeGuardian) first.",
    );
  }
}
