/** Where Debian's `chromium` package puts its launcher. */
export declare const DEBIAN_CHROMIUM: string;
/** The flags every launch passes (--no-sandbox for root in a container). */
export declare const CHROMIUM_ARGS: readonly string[];

export declare class ChromiumUnavailableError extends Error {}

/** What decides whether and where Chromium is found or installed. */
export interface Machine {
  isDebian(): boolean;
  isRoot(): boolean;
  /** Paths tried, in order, after CHROMIUM_PATH. */
  candidates: string[];
  /** Runs apt-get with these arguments; throws ChromiumUnavailableError when it fails. */
  aptGet(args: string[]): void;
}

/** This machine. */
export declare const THIS_MACHINE: Machine;

export interface EnsureChromiumOptions {
  /** Where progress lines go (default: stderr). */
  log?: (line: string) => void;
  environment?: NodeJS.ProcessEnv;
  machine?: Machine;
}

/** The Chromium binary already on this machine (CHROMIUM_PATH first, then `candidates`), or null. */
export declare function findChromium(environment?: NodeJS.ProcessEnv, candidates?: string[]): string | null;

/**
 * The path of Chromium; on a Debian machine without it, running as root, installs Debian's
 * `chromium` with apt-get first. Otherwise throws ChromiumUnavailableError with a one-line message
 * saying how to install it.
 */
export declare function ensureChromium(options?: EnsureChromiumOptions): string;

/** playwright-core `chromium.launch(...)` options: this machine's Chromium, headless, --no-sandbox. */
export declare function chromiumLaunchOptions(options?: EnsureChromiumOptions): {
  executablePath: string;
  headless: true;
  args: string[];
};
