#!/usr/bin/env node
// The `allowance` CLI. It is TypeScript run through tsx (already a Hardhat dependency), on
// Node >= 22.13 for node:sqlite; started by an older node, it re-runs itself on the project's
// pinned Node (the `node` dev dependency).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const EXIT_BAD_INPUT = 2;
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  const pinned = fileURLToPath(new URL("../node_modules/.bin/node", import.meta.url));
  if (!existsSync(pinned)) {
    console.error(`error: allowance needs Node >= 22.13, this is ${process.versions.node}: run npm install, then npx allowance`);
    process.exit(EXIT_BAD_INPUT);
  }
  const child = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(child.status ?? 1);
}

const { register } = await import("tsx/esm/api");
register();
await import("../src/cli/entry.ts");
