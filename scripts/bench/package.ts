// Browser bundle size of the SDK's core entry: what a dapp ships when it imports
// `allowance-router`, bundled by esbuild for the browser (minified, ESM), raw and gzip, beside
// viem's own client code, which any viem dapp ships already.
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { build } from "esbuild";

import { ensurePackageBuilt, PACKAGE_ROOT } from "../../test/fixtures/built-package.js";
import { markdownTable } from "./table.js";

const CORE = join(PACKAGE_ROOT, "dist", "index.js");

async function bundleSize(contents: string, external: string[] = []): Promise<{ raw: number; gzip: number }> {
  const result = await build({
    stdin: { contents, resolveDir: PACKAGE_ROOT, loader: "js" },
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    external,
    logLevel: "silent",
  });
  const output = result.outputFiles[0]!.contents;
  return { raw: output.byteLength, gzip: gzipSync(output, { level: 9 }).byteLength };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export async function benchPackage(): Promise<string> {
  ensurePackageBuilt();
  const cases: [string, string, string[]?][] = [
    ["baseline: viem's clients alone (createPublicClient, createWalletClient, http)", `export { createPublicClient, createWalletClient, http } from "viem";`],
    ["`allowance-router` — every export, viem included", `export * from ${JSON.stringify(CORE)};`],
    ["`allowance-router` — every export, viem external (the SDK's own code)", `export * from ${JSON.stringify(CORE)};`, ["viem", "viem/*"]],
    ["dapp: `grant` + `createIndexedDbScanCache` + `scanApprovals`, viem included", `export { grant, createIndexedDbScanCache, scanApprovals } from ${JSON.stringify(CORE)};`],
  ];
  const rows: string[][] = [];
  for (const [what, contents, external] of cases) {
    const { raw, gzip } = await bundleSize(contents, external);
    rows.push([what, kib(raw), kib(gzip)]);
  }
  return markdownTable([{ title: "browser bundle (esbuild, minified ESM)" }, { title: "raw", align: "right" }, { title: "gzip", align: "right" }], rows);
}
