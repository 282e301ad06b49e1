// Builds the dashboard (`npm run build:app` → app/dist) when it is missing or older than its
// sources, so that `npm start` on a fresh clone or after an edit serves the current page.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const APP = join(ROOT, "app");
const BUILT_PAGE = join(APP, "dist", "index.html");
/** Not sources of the page: its own output, dependencies, test output. */
const SKIPPED = new Set(["dist", "node_modules", "test-results", "playwright-report", "test-output"]);

/** The newest modification time under `directory`, skipping build output and dependencies. */
function newestChange(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Why the page must be (re)built, or null when app/dist is current. */
export function dashboardBuildReason(): string | null {
  if (!existsSync(BUILT_PAGE)) return "app/dist is missing";
  return newestChange(APP) > statSync(BUILT_PAGE).mtimeMs ? "app/ changed since app/dist was built" : null;
}

/** Runs `npm run build:app` when needed; without that script (or app/), the server shows how to build. */
export function ensureDashboardBuilt(): void {
  const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
  if (scripts["build:app"] === undefined || !existsSync(APP)) return;
  const reason = dashboardBuildReason();
  if (reason === null) return;
  console.error(`${reason}: building the dashboard (npm run build:app)...`);
  // npm puts its own entry point in the scripts it runs; outside one, fall back to PATH's npm.
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli ? [process.execPath, [npmCli, "run", "build:app"]] : ["npm", ["run", "build:app"]];
  // The build's output goes to stderr: stdout carries the Dashboard/Chain/Wallet lines.
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ["ignore", process.stderr, process.stderr] });
  if (result.status !== 0) {
    console.error("error: `npm run build:app` failed (output above); fix it and run npm start again.");
    process.exit(1);
  }
}
