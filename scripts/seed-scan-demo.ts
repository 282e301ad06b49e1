// A local chain to try the scanner on: seeds the scanner tests' world (several owners, 200
// tokens, plain, router, Permit2 and NFT approvals, pulls over ~150 days) into an in-process
// Hardhat network, serves it over HTTP JSON-RPC and waits; stop it with Ctrl-C.
//
//   npx hardhat run scripts/seed-scan-demo.ts            # port 8546, or SCAN_DEMO_PORT
//   npx allowance scan <owner> --rpc http://127.0.0.1:8546 --router <router> ...
import { network } from "hardhat";

import { seedScanWorld } from "../test/fixtures/scan-world.js";
import { demoPort, runDemoChainScript, serveDemoChain } from "./demo-chain.js";

const DEFAULT_PORT = 8546;
const PORT_VARIABLE = "SCAN_DEMO_PORT";

await runDemoChainScript(async () => {
  const port = demoPort(PORT_VARIABLE, DEFAULT_PORT);
  const connection = await network.create();
  // Listening first: a taken port fails before the seeding's minute.
  const { url } = await serveDemoChain(connection.provider, port, PORT_VARIABLE);
  const world = await seedScanWorld(connection as never);
  const routers = `--router ${world.routers.allowanceRouter} --router ${world.routers.permit2Compatible}`;
  console.log(`Scan demo chain at ${url} (chain 31337). Keep this terminal open and, in another one, try:\n`);
  for (const [name, owner] of Object.entries(world.owners)) {
    console.log(`  npx allowance scan ${owner} --rpc ${url} ${routers}   # ${name}`);
  }
  console.log("\nCtrl-C to stop.");
  await new Promise(() => {});
});
