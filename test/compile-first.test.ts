// The first compile before `npm start` / `npm test` (issue 9, point 15): setup says what is
// happening and keeps saying it while solc works, since Hardhat prints nothing when piped.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";

// @ts-expect-error -- a plain .mjs module of the setup script (Node built-ins only), without types
import { compileWithProgress, needsFirstCompile } from "../scripts/compile-first.mjs";

describe("first compile progress (issue 9, point 15)", function () {
  let root: string;

  beforeEach(function () {
    root = mkdtempSync(join(tmpdir(), "allowance-compile-"));
  });

  afterEach(function () {
    rmSync(root, { recursive: true, force: true });
  });

  it("knows a fresh clone has not compiled, and a compiled one has", function () {
    expect(needsFirstCompile(root)).to.equal(true);
    mkdirSync(join(root, "artifacts"));
    mkdirSync(join(root, "cache"));
    expect(needsFirstCompile(root)).to.equal(true);
    writeFileSync(join(root, "cache", "compile-cache.json"), "{}");
    expect(needsFirstCompile(root)).to.equal(false);
  });

  it("announces the compile, writes a heartbeat while it runs, and says when it is done or failed", async function () {
    const log: string[] = [];
    const slow = { root, command: process.execPath, args: ["-e", "setTimeout(() => {}, 450)"], log: (line: string) => log.push(line), intervalMs: 100 };
    expect(await compileWithProgress(slow)).to.equal(0);
    expect(log[0]).to.match(/^setup: compiling the contracts for the first time \(solc 0\.8\.30 from npm, via-IR; a few minutes/);
    const heartbeats = log.filter((line) => /^setup: still compiling \(\d+ s\)\.\.\.$/.test(line));
    expect(heartbeats.length).to.be.at.least(2);
    expect(log.at(-1)).to.match(/^setup: compiled in \d+ s\.$/);

    const failed: string[] = [];
    expect(await compileWithProgress({ ...slow, args: ["-e", "process.exit(3)"], log: (line: string) => failed.push(line) })).to.equal(3);
    expect(failed.at(-1)).to.equal("setup: the compile failed (exit code 3); see the errors above.");
  });
});
