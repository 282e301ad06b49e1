// The contracts' first compile, announced: solc runs as WebAssembly (the npm `solc` package), which
// takes minutes on a small machine, and Hardhat prints nothing while it works when its output is
// piped (CI logs, `npm start | tee`). So setup says what is happening, then keeps saying it is
// still compiling until it is done. Only Node built-ins: this runs from scripts/setup.mjs.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** How often a piped log hears that the compile is still running. */
export const HEARTBEAT_MS = 20_000;

/** Whether Hardhat has compiled here before: without artifacts, the next Hardhat command compiles everything. */
export function needsFirstCompile(root) {
  return !existsSync(join(root, "artifacts")) || !existsSync(join(root, "cache", "compile-cache.json"));
}

/**
 * Runs `command args` (the compile) with its output passed through, announcing it on `log` and
 * writing a heartbeat line every `intervalMs` until it exits; resolves to its exit code.
 */
export function compileWithProgress({ root, command, args, log = (line) => console.error(line), intervalMs = HEARTBEAT_MS, now = Date.now }) {
  const started = now();
  const elapsed = () => `${Math.round((now() - started) / 1000)} s`;
  log("setup: compiling the contracts for the first time (solc 0.8.30 from npm, via-IR; a few minutes on 2 cores, later runs reuse the cache)...");
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit" });
    const heartbeat = setInterval(() => log(`setup: still compiling (${elapsed()})...`), intervalMs);
    child.on("close", (code) => {
      clearInterval(heartbeat);
      log(code === 0 ? `setup: compiled in ${elapsed()}.` : `setup: the compile failed (exit code ${code}); see the errors above.`);
      resolve(code ?? 1);
    });
  });
}
