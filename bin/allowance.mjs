#!/usr/bin/env node
// The `allowance` CLI: the package's built JavaScript (dist/, `npm run build`). It runs on any
// Node the package supports; the SQLite scan cache and Hardhat's keystore need Node >= 22.13
// and say so in one line. Inside this repository, an older Node re-runs it on the pinned Node
// (the `node` dev dependency), which has both.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const EXIT_FAILURE = 1;
const [major, minor] = process.versions.node.split(".").map(Number);
const pinned = fileURLToPath(new URL("../node_modules/.bin/node", import.meta.url));
if ((major < 22 || (major === 22 && minor < 13)) && existsSync(pinned)) {
  const child = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(child.status ?? EXIT_FAILURE);
}

const entry = new URL("../dist/cli/entry.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("error: the CLI is not built: run `npm run build` in the allowance-router package");
  process.exit(EXIT_FAILURE);
}
await import(entry.href);
