/** Errors the watch service raises for bad input or configuration; the message says what to fix. */
export class WatchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class WatchConfigError extends WatchError {
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
  }
}
