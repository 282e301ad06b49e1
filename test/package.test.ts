// The package as a user gets it: `npm pack`, installed from the tarball into a scratch project
// by the system's Node and npm (not the repository's pinned Node), imported there, type-checked
// against the shipped .d.ts, bundled for a browser, and its CLI run from node_modules/.bin.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

import { expect } from "chai";
import { build, type Metafile } from "esbuild";

import { ALLOWANCE_ROUTER_ADDRESS } from "../src/router/deployments.js";
import { BUILD_TIMEOUT_MS, ensurePackageBuilt, PACKAGE_ROOT } from "./fixtures/built-package.js";

const INSTALL_TIMEOUT_MS = 300_000;
const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { name: string; version: string };
const viemVersion = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "node_modules", "viem", "package.json"), "utf8")) as { version: string })
  .version;

/** The TypeScript blocks of the README's "Install and use the SDK" section. */
const readmeSection = readFileSync(join(PACKAGE_ROOT, "README.md"), "utf8").split("\n## Install and use the SDK\n")[1]!.split("\n## ")[0]!;
const readmeExamples = [...readmeSection.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);

/** PATH without any node_modules/.bin: what a user's shell has, so `node` is the system's. */
const systemPath = (process.env.PATH ?? "")
  .split(delimiter)
  .filter((dir) => dir !== "" && !dir.includes("node_modules"))
  .join(delimiter);

function onSystemPath(name: string): string {
  for (const dir of systemPath.split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this one
    }
  }
  throw new Error(`no ${name} on the system PATH (${systemPath}): install Node and npm`);
}

function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, PATH: systemPath }, ...options });
  if (result.status !== 0) {
    throw new Error(`\`${command} ${args.join(" ")}\` exited with ${result.status}:\n${String(result.stdout)}${String(result.stderr)}`);
  }
  return String(result.stdout);
}

/** Node's own modules, by the names a bundle can import them by. */
const NODE_BUILTINS = new Set((await import("node:module")).builtinModules.flatMap((name) => [name, `node:${name}`]));

const browserBundle = (scratch: string, contents: string) =>
  build({
    stdin: { contents, resolveDir: scratch, loader: "js" },
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
  });

const inputsFromPackage = (metafile: Metafile) =>
  Object.entries(Object.values(metafile.outputs)[0]!.inputs)
    .filter(([path]) => path.includes(`node_modules/${manifest.name}/`))
    .map(([path, { bytesInOutput }]) => ({ path: path.slice(path.indexOf(`${manifest.name}/`) + manifest.name.length + 1), bytesInOutput }));

describe("the npm package (pack, install, import, types, browser bundle, CLI)", function () {
  this.timeout(INSTALL_TIMEOUT_MS);
  const systemNode = onSystemPath("node");
  const systemNodeVersion = run(systemNode, ["--version"]).trim();
  let scratch: string;
  let packedFiles: string[];

  before(function () {
    this.timeout(BUILD_TIMEOUT_MS + INSTALL_TIMEOUT_MS);
    ensurePackageBuilt();
    scratch = mkdtempSync(join(tmpdir(), "allowance-router-consumer-"));
    // The build is fresh (above): pack it as is rather than rebuilding in `prepack`.
    const packed = JSON.parse(
      run(onSystemPath("npm"), ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], { cwd: PACKAGE_ROOT }),
    ) as { filename: string; files: { path: string }[] }[];
    packedFiles = packed[0]!.files.map((file) => file.path);
    writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    run(
      onSystemPath("npm"),
      ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", join(scratch, packed[0]!.filename), `viem@${viemVersion}`],
      { cwd: scratch },
    );
  });

  after(function () {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  it("ships the built JavaScript, its types, the bin and the built dashboard, and nothing else of the repository", function () {
    for (const file of ["package.json", "README.md", "bin/allowance.mjs", "dist/index.js", "dist/index.d.ts", "dist/node/index.js", "dist/node/index.d.ts", "dist/abi/index.js", "dist/abi/index.d.ts", "dist/cli/entry.js"]) {
      expect(packedFiles, file).to.include(file);
    }
    // app/dist is the built dashboard `allowance dashboard` serves, when it was built before packing.
    const foreign = packedFiles.filter((file) => !/^(dist|bin|app\/dist)\//.test(file) && !["package.json", "README.md", "LICENSE"].includes(file));
    expect(foreign, "files outside dist/, bin/ and app/dist/").to.deep.equal([]);
    expect(packedFiles.filter((file) => file.startsWith("dist/cli/") && file.endsWith(".d.ts")), "CLI internals' types").to.deep.equal([]);
  });

  it(`imports every entry on the system Node (${systemNodeVersion}), and no deep path`, function () {
    writeFileSync(
      join(scratch, "import.mjs"),
      `import * as core from "allowance-router";
import * as abi from "allowance-router/abi";
import * as node from "allowance-router/node";
let deep = "importable";
try { await import("allowance-router/dist/index.js"); } catch (error) { deep = error.code; }
console.log(JSON.stringify({
  core: [typeof core.scanApprovals, typeof core.createMemoryScanCache, core.ALLOWANCE_ROUTER_ADDRESS],
  abi: [Array.isArray(abi.allowanceRouterAbi), Array.isArray(abi.batchRevokerAbi)],
  node: [typeof node.createSqliteScanCache, typeof node.accountFrom],
  deep,
}));`,
    );
    const imported = JSON.parse(run(systemNode, ["import.mjs"], { cwd: scratch })) as Record<string, unknown>;
    expect(imported).to.deep.equal({
      core: ["function", "function", ALLOWANCE_ROUTER_ADDRESS],
      abi: [true, true],
      node: ["function", "function"],
      deep: "ERR_PACKAGE_PATH_NOT_EXPORTED",
    });
  });

  it("type-checks a consumer and the README's examples against the shipped .d.ts, and rejects a misuse", function () {
    writeFileSync(
      join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2023", "dom"], types: [], skipLibCheck: false },
        files: ["consumer.ts", "globals.d.ts", ...readmeExamples.map((_, index) => `readme-${index}.ts`)],
      }),
    );
    // The README's examples run in a page with an injected wallet.
    writeFileSync(join(scratch, "globals.d.ts"), `interface Window { ethereum: import("viem").EIP1193Provider }\n`);
    readmeExamples.forEach((example, index) => writeFileSync(join(scratch, `readme-${index}.ts`), example));
    expect(readmeExamples.length, "examples in the README's SDK section").to.equal(2);
    writeFileSync(
      join(scratch, "consumer.ts"),
      `import { ALLOWANCE_ROUTER_ADDRESS, createMemoryScanCache, createRpcClient, scanApprovals, type ScanCache, type ScanResult } from "allowance-router";
import { allowanceRouterAbi } from "allowance-router/abi";
import { createSqliteScanCache } from "allowance-router/node";
import type { Address } from "viem";

const cache: ScanCache = createMemoryScanCache();
export const router: Address = ALLOWANCE_ROUTER_ADDRESS;
export const scan: Promise<ScanResult> = scanApprovals(createRpcClient({ rpcUrl: "http://127.0.0.1:8545" }), { owner: router, cache });
export const fileCache: ScanCache = createSqliteScanCache({ path: "scan.sqlite" });
export const approve = allowanceRouterAbi.filter((item) => item.type === "function" && item.name === "approve");
// @ts-expect-error a path is not a cache
scanApprovals(createRpcClient({ rpcUrl: "http://127.0.0.1:8545" }), { owner: router, cache: "scan.sqlite" });
`,
    );
    run(systemNode, [join(PACKAGE_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: scratch });
  });

  it("bundles `.` for the browser without a single Node built-in", async function () {
    const result = await browserBundle(scratch, `export * from "allowance-router";`);
    const imported = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((entry) => entry.path));
    expect(imported.filter((path) => NODE_BUILTINS.has(path)), "Node built-ins imported").to.deep.equal([]);
    const fromPackage = inputsFromPackage(result.metafile);
    expect(fromPackage.length, "modules of the package in the bundle").to.be.greaterThan(40);
    expect(fromPackage.filter(({ path }) => path.startsWith("dist/node/") || path.startsWith("dist/cli/")), "./node or CLI code").to.deep.equal([]);
    // Browser code has no `process`: a reference would throw at run time, after bundling succeeded.
    const usesProcess = fromPackage.filter(({ path }) => /\bprocess\./.test(readFileSync(join(scratch, "node_modules", manifest.name, path), "utf8")));
    expect(usesProcess.map(({ path }) => path), "modules using process").to.deep.equal([]);
  });

  it("lets a bundler drop what a dapp does not import (sideEffects: false)", async function () {
    const result = await browserBundle(scratch, `import { createMemoryScanCache } from "allowance-router"; console.log(createMemoryScanCache());`);
    const kept = inputsFromPackage(result.metafile).filter(({ bytesInOutput }) => bytesInOutput > 0).map(({ path }) => path);
    expect(kept).to.include("dist/cache/memory.js");
    expect(kept).to.not.include("dist/abi/allowanceRouter.js");
    expect(kept).to.not.include("dist/scan/scan.js");
  });

  it("runs the installed CLI from node_modules/.bin on the system Node", function () {
    const bin = join(scratch, "node_modules", ".bin", "allowance");
    const env = { PATH: systemPath, HOME: scratch };
    expect(run(bin, ["--help"], { cwd: scratch, env })).to.match(/^Usage: allowance \[options\] \[command\]/);
    expect(run(bin, ["scan", "--help"], { cwd: scratch, env })).to.match(/Usage: allowance scan \[options\] <owner>/);
    expect(run(bin, ["--version"], { cwd: scratch, env }).trim()).to.equal(manifest.version);
  });
});
