import { AllowanceRouterError } from "../errors.js";

/**
 * Bad input to the revoke and grant actions: thrown before anything is signed or sent. The
 * message says what is wrong and what to do, in one line, so the CLI prints it as is.
 */
export class ActionInputError extends AllowanceRouterError {
  constructor(message: string) {
    super(message, { isInputError: true });
    this.name = new.target.name;
  }
}

/** The way of revoking asked for cannot revoke these approvals from this account on this chain. */
export class ViaUnsupportedError extends ActionInputError {
  constructor(
    readonly via: string,
    readonly reason: string,
  ) {
    super(`cannot revoke via ${via}: ${reason}; choose another way (auto picks one that works)`);
  }
}

/** An approval to revoke belongs to another account than the wallet's. */
export class OwnerMismatchError extends ActionInputError {
  constructor(
    readonly owner: string,
    readonly account: string,
  ) {
    super(`the approval belongs to ${owner}, but the wallet's account is ${account}: revoke with the owner's own key`);
  }
}

/** No contract where a deployment was expected. */
export class NotDeployedError extends ActionInputError {
  constructor(what: string, address: string, chainId: number, remedy: string) {
    super(`no ${what} at ${address} on chain ${chainId}: ${remedy}`);
  }
}
