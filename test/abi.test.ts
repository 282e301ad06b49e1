import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { expect } from "chai";
import { artifacts } from "hardhat";

import { buildAbiModules, projectRoot } from "../scripts/abi-modules.js";
import { allowanceRouterAbi } from "../src/abi/allowanceRouter.js";

const REGENERATE = "run `npx hardhat compile && npx tsx scripts/export-abis.ts` and commit src/abi";

describe("src/abi", function () {
  it("each committed ABI module is exactly what scripts/export-abis.ts writes from the current artifacts", async function () {
    for (const { path, source } of await buildAbiModules()) {
      const committed = await readFile(join(projectRoot, path), "utf8").catch(() => undefined);
      expect(committed, `${path} is missing: ${REGENERATE}`).to.not.equal(undefined);
      expect(committed === source, `${path} is out of date with its artifact: ${REGENERATE}`).to.equal(true);
    }
  });

  it("allowanceRouterAbi is the compiled AllowanceRouter ABI", async function () {
    const artifact = await artifacts.readArtifact("AllowanceRouter");
    expect(allowanceRouterAbi).to.deep.equal(artifact.abi);
  });
});
