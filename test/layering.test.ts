import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// The SDK's layers, lowest first: a module may import its own layer or a lower one, never a
// higher one (abi → router/revoke → scan → risk → actions → cli, node, watch). The entry barrels
// (src/index.ts, src/node/index.ts) gather the layers and are left out.
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
const LAYERS: Record<string, number> = {
  "errors.ts": 0,
  abi: 0,
  data: 0,
  router: 1,
  revoke: 1,
  cache: 2,
  scan: 2,
  risk: 3,
  actions: 4,
  cli: 5,
  node: 5,
  watch: 5,
};
const ENTRIES = new Set(["index.ts", "node/index.ts"]);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(folder, entry.name)) : entry.name.endsWith(".ts") ? [join(folder, entry.name)] : [],
  );
}

function layerOf(file: string): number {
  const top = relative(SRC, file).split("/")[0]!;
  const layer = LAYERS[top];
  if (layer === undefined) throw new Error(`src/${top} has no layer: add it to LAYERS in test/layering.test.ts`);
  return layer;
}

/** Relative imports and re-exports of a file, resolved to the .ts files they name. */
export function importsOf(file: string, text = readFileSync(file, "utf8")): string[] {
  const specifiers = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"|import\(\s*"(\.[^"]+)"\s*\)/g)].map((match) => match[1] ?? match[2]!);
  return specifiers.map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
}

export function upwardImports(files: readonly string[], read: (file: string) => string = (file) => readFileSync(file, "utf8")): string[] {
  return files
    .filter((file) => !ENTRIES.has(relative(SRC, file)))
    .flatMap((file) =>
      importsOf(file, read(file))
        .filter((target) => target.startsWith(SRC) && layerOf(target) > layerOf(file))
        .map((target) => `src/${relative(SRC, file)} imports src/${relative(SRC, target)}`),
    );
}

describe("layering of src/", function () {
  it("has no module importing a higher layer", function () {
    expect(upwardImports(sourceFiles(SRC))).to.deep.equal([]);
  });

  it("catches an upward import (scan importing risk, a re-export of actions from risk)", function () {
    const scan = join(SRC, "scan/scan.ts");
    const risk = join(SRC, "risk/graded.ts");
    const texts: Record<string, string> = {
      [scan]: 'import { gradeRisk } from "../risk/grade.js";\n',
      [risk]: 'export { planRevocations } from "../actions/plan.js";\nimport type { Approval } from "../scan/types.js";\n',
    };
    expect(upwardImports([scan, risk], (file) => texts[file]!)).to.deep.equal([
      "src/scan/scan.ts imports src/risk/grade.ts",
      "src/risk/graded.ts imports src/actions/plan.ts",
    ]);
  });
});
