// A local chain to try `allowance revoke` and `allowance grant` on: BatchRevoker and
// AllowanceRouter at their deterministic addresses, and an owner with one approval of every kind
// (the revoke tests' world), served over HTTP JSON-RPC until Ctrl-C.
//
//   npx hardhat run scripts/seed-revoke-demo.ts          # port 8547, or REVOKE_DEMO_PORT
import { createServer } from "node:http";

import { network } from "hardhat";

import { OWNER_KEY, seedRevokeWorld } from "../test/fixtures/revoke-world.js";
import { serveProviderOn } from "../test/fixtures/rpc-server.js";

const DEFAULT_PORT = 8547;

const port = Number(process.env.REVOKE_DEMO_PORT ?? DEFAULT_PORT);
const connection = await network.create();
const world = await seedRevokeWorld(connection as never);
const { url } = await serveProviderOn(connection.provider, createServer(), port);
console.log(`Revoke demo chain at ${url} (chain 31337). The owner's key is a test key: never fund it anywhere else.\n`);
console.log(`  export ALLOWANCE_PRIVATE_KEY=${OWNER_KEY}`);
console.log(`  npx allowance revoke ${world.owner.address} --rpc ${url} --router ${world.otherRouter} --select risky --via auto`);
console.log(`  npx allowance grant ${world.tokens.permitB} ${world.spenders.busy} 250 --for 7d --rpc ${url} --approve-router`);
console.log("\nCtrl-C to stop.");
await new Promise(() => {});
