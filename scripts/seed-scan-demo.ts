// A local chain to try the scanner on: seeds the scanner tests' world (several owners, 200
// tokens, plain, router, Permit2 and NFT approvals, pulls over ~150 days) into an in-process
// Hardhat network, serves it over HTTP JSON-RPC and waits; stop it with Ctrl-C.
//
//   npx hardhat run scripts/seed-scan-demo.ts            # port 8546, or SCAN_DEMO_PORT
//   npx allowance scan <owner> --rpc http://127.0.0.1:8546 --router <router> ...
import { createServer } from "node:http";

import { network } from "hardhat";

import { serveProviderOn } from "../test/fixtures/rpc-server.js";
import { seedScanWorld } from "../test/fixtures/scan-world.js";

const DEFAULT_PORT = 8546;

const port = Number(process.env.SCAN_DEMO_PORT ?? DEFAULT_PORT);
const connection = await network.create();
const world = await seedScanWorld(connection as never);
const { url } = await serveProviderOn(connection.provider, createServer(), port);
const routers = `--router ${world.routers.allowanceRouter} --router ${world.routers.permit2Compatible}`;
console.log(`Scan demo chain at ${url} (chain 31337). Try:\n`);
for (const [name, owner] of Object.entries(world.owners)) {
  console.log(`  npx allowance scan ${owner} --rpc ${url} ${routers}   # ${name}`);
}
console.log("\nCtrl-C to stop.");
await new Promise(() => {});
