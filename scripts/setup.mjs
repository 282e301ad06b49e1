// Installs the project's dependencies before `npm start`, `npm test` and
// `npm run bench`, so a fresh clone needs nothing but those commands.
//
// Hardhat 3 runs on Node >= 22.13. The project pins Node 22 as a dev
// dependency (npm package `node`); npm puts node_modules/.bin first on PATH
// for every script, so all scripts run on that Node whatever the system has.
// npm running on an older Node skips engine-gated optional packages, among
// them Hardhat's native EDR binary; a second `npm install` run by the pinned
// Node adds exactly those. Only Node built-ins may be used here: this runs
// before anything is installed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const REQUIRED_NODE = [22, 13];
const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
const lockfile = join(root, "package-lock.json");
const stamp = join(root, "node_modules", ".allowance-router-setup");
const pinnedNode = join(root, "node_modules", ".bin", "node");

// The browser tests (npm test) and the dashboard bench (npm run bench) drive Debian's Chromium:
// find it, or install it with apt-get where that is possible (scripts/chromium.mjs).
const BROWSER_SCRIPTS = new Set(["pretest", "prebench"]);
async function ensureBrowser() {
  if (!BROWSER_SCRIPTS.has(process.env.npm_lifecycle_event ?? "")) return;
  const { ensureChromium, ChromiumUnavailableError } = await import("./chromium.mjs");
  try {
    ensureChromium({ log: (line) => console.error(`setup: ${line}`) });
  } catch (error) {
    if (!(error instanceof ChromiumUnavailableError)) throw error;
    console.error(`setup: ${error.message}`);
    process.exit(1);
  }
}

const lockHash = createHash("sha256").update(readFileSync(lockfile)).digest("hex");
if (existsSync(stamp) && readFileSync(stamp, "utf8") === lockHash && existsSync(pinnedNode)) {
  await ensureBrowser();
  process.exit(0);
}
// No package may fetch a browser build of its own while installing.
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";

// npm exports its own entry point to the scripts it runs. Run directly
// (`node scripts/setup.mjs`), find the npm CLI installed beside this Node: npm
// must run *on* the given Node, or the pinned-Node pass would again skip EDR.
const npmCli = process.env.npm_execpath ?? findNpmCli();
function findNpmCli() {
  const candidate = join(dirname(realpathSync(process.execPath)), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js");
  return existsSync(candidate) ? candidate : undefined;
}
const npm = (node, args) => {
  const [cmd, cmdArgs] = npmCli ? [node, [npmCli, ...args]] : ["npm", args];
  const result = spawnSync(cmd, cmdArgs, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`setup: \`npm ${args.join(" ")}\` failed; fix the error above and run the command again.`);
    process.exit(result.status ?? 1);
  }
};

const quiet = ["--no-audit", "--no-fund", "--loglevel=error"];
console.error("setup: installing dependencies (npm ci)...");
npm(process.execPath, ["ci", ...quiet]);

const [major, minor] = process.versions.node.split(".").map(Number);
const systemNodeIsOld = major < REQUIRED_NODE[0] || (major === REQUIRED_NODE[0] && minor < REQUIRED_NODE[1]);
if (systemNodeIsOld) {
  console.error(`setup: Node ${process.versions.node} is older than Hardhat needs; adding the native packages it skipped, using the pinned Node...`);
  npm(pinnedNode, ["install", ...quiet]);
}
writeFileSync(stamp, lockHash);
await ensureBrowser();
