// Finds the Chromium the browser tests and the dashboard bench drive (Debian's `chromium`
// package), installing it with apt-get on a Debian machine when running as root. Playwright is
// never allowed to download a browser of its own. Only Node built-ins: scripts/setup.mjs runs
// this before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

/** Where Debian's `chromium` package puts its launcher. */
export const DEBIAN_CHROMIUM = "/usr/bin/chromium";
/** Other places a distribution's Chromium may be; CHROMIUM_PATH overrides them all. */
const OTHER_CANDIDATES = ["/usr/bin/chromium-browser"];
/** Headless in a container as root: Chromium's sandbox needs user namespaces it may not have. */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage"];

// Nothing in this process may fetch a browser build (playwright, playwright-core, @playwright/test).
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";

export class ChromiumUnavailableError extends Error {
  constructor(message) {
    super(message);
    this.name = "ChromiumUnavailableError";
  }
}

/** The Chromium binary already on this machine (CHROMIUM_PATH first, then `candidates`), or null. */
export function findChromium(environment = process.env, candidates = [DEBIAN_CHROMIUM, ...OTHER_CANDIDATES]) {
  const override = environment.CHROMIUM_PATH;
  if (override !== undefined && override !== "") {
    if (!existsSync(override)) throw new ChromiumUnavailableError(`CHROMIUM_PATH=${override} does not exist: point it at a Chromium binary or unset it`);
    return override;
  }
  return candidates.find((path) => existsSync(path)) ?? null;
}

/** What decides whether Chromium may be installed here; tests replace it. */
export const THIS_MACHINE = {
  isDebian: () => existsSync("/etc/debian_version") || /^ID(_LIKE)?=.*debian/m.test(readFileSafe("/etc/os-release")),
  isRoot: () => typeof process.getuid === "function" && process.getuid() === 0,
  candidates: [DEBIAN_CHROMIUM, ...OTHER_CANDIDATES],
  aptGet,
};

function readFileSafe(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function aptGet(args) {
  // apt's progress goes to stderr, so that a caller's stdout stays its own.
  const result = spawnSync("apt-get", args, {
    stdio: ["ignore", process.stderr, process.stderr],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.error !== undefined || result.status !== 0) {
    throw new ChromiumUnavailableError(`\`apt-get ${args.join(" ")}\` failed (output above): install Chromium with \`apt-get install -y chromium\`, or set CHROMIUM_PATH`);
  }
}

/**
 * The path of Chromium, installing Debian's `chromium` first when it is missing on a Debian
 * machine and this process is root; otherwise throws ChromiumUnavailableError whose one-line
 * message says how to install it.
 */
export function ensureChromium({ log = (line) => console.error(line), environment = process.env, machine = THIS_MACHINE } = {}) {
  const found = findChromium(environment, machine.candidates);
  if (found !== null) return found;
  if (!machine.isDebian() || !machine.isRoot()) {
    throw new ChromiumUnavailableError(
      `Chromium is not installed (looked for ${DEBIAN_CHROMIUM}): install it with \`sudo apt-get install -y chromium\` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary`,
    );
  }
  log("chromium: not installed; installing Debian's chromium package (apt-get update && apt-get install -y chromium)...");
  machine.aptGet(["update"]);
  machine.aptGet(["install", "-y", "--no-install-recommends", "chromium"]);
  const installed = findChromium(environment, machine.candidates);
  if (installed === null) throw new ChromiumUnavailableError(`apt-get installed chromium but ${DEBIAN_CHROMIUM} is missing: set CHROMIUM_PATH to its binary`);
  return installed;
}

/** What playwright-core's `chromium.launch(...)` takes to drive this machine's Chromium, headless. */
export function chromiumLaunchOptions(options = {}) {
  return { executablePath: ensureChromium(options), headless: true, args: [...CHROMIUM_ARGS] };
}
