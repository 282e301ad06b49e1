// Writes src/abi/<contract>.ts for every contract in EXPORTED_CONTRACTS from
// the Hardhat artifacts, so that the SDK needs no Hardhat at run time.
// Usage: npx hardhat compile && npx tsx scripts/export-abis.ts
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { buildAbiModules, projectRoot } from "./abi-modules.js";

for (const { path, source } of await buildAbiModules()) {
  await writeFile(join(projectRoot, path), source);
  console.log(`wrote ${path}`);
}
