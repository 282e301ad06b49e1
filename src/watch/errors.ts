import { AllowanceRouterError } from "../errors.js";

/** Errors the watch service raises on purpose; the short message says what to fix. */
export class WatchError extends AllowanceRouterError {
  override name = "WatchError";

  constructor(message: string, options: { cause?: unknown; isInputError?: boolean } = {}) {
    super(message, { cause: options.cause, isInputError: options.isInputError ?? true });
  }
}

/** A bad setting, owners file, denylist file or option: names the source and what is wrong. */
export class WatchConfigError extends WatchError {
  override name = "WatchConfigError";

  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`, { isInputError: true });
  }
}
