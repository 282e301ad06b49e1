// A local chain to try `allowance revoke` and `allowance grant` on: BatchRevoker and
// AllowanceRouter at their deterministic addresses, and an owner with one approval of every kind
// (the revoke tests' world), served over HTTP JSON-RPC until Ctrl-C.
//
//   npx hardhat run scripts/seed-revoke-demo.ts          # port 8547, or REVOKE_DEMO_PORT
import { network } from "hardhat";

import { OWNER_KEY, RELAYER_KEY, seedRevokeWorld } from "../test/fixtures/revoke-world.js";
import { demoPort, runDemoChainScript, serveDemoChain } from "./demo-chain.js";

const DEFAULT_PORT = 8547;
const PORT_VARIABLE = "REVOKE_DEMO_PORT";

await runDemoChainScript(async () => {
  const port = demoPort(PORT_VARIABLE, DEFAULT_PORT);
  const connection = await network.create();
  // Listening first: a taken port fails before the seeding's few seconds.
  const { url } = await serveDemoChain(connection.provider, port, PORT_VARIABLE);
  const world = await seedRevokeWorld(connection as never);
  console.log(`Revoke demo chain at ${url} (chain 31337). Keep this terminal open; run the commands in another one.`);
  console.log("The keys below are public test keys: never send real funds to their accounts.\n");
  console.log(`  export ALLOWANCE_PRIVATE_KEY=${OWNER_KEY}           # owner ${world.owner.address}`);
  console.log(`  export ALLOWANCE_RELAYER_PRIVATE_KEY=${RELAYER_KEY}   # relayer ${world.relayer.address}`);
  console.log(`  npx allowance scan ${world.owner.address} --rpc ${url}`);
  console.log(`  npx allowance revoke ${world.owner.address} --rpc ${url} --router ${world.otherRouter} --select risky --via auto`);
  console.log(`  npx allowance grant ${world.tokens.permitB} ${world.spenders.busy} 250 --for 7d --rpc ${url} --approve-router`);
  console.log("\nCtrl-C to stop.");
  await new Promise(() => {});
});
