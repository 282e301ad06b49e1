// Blast radius of a compromised spender: every owner and token exposed to it, what each could
// lose right now, the project's recommended revocations, and the same table after them.
//
//   npx hardhat run scripts/simulate-drain.ts
//     in-process chain: seeds demo owners with legacy, router and already-revoked approvals to
//     a Drainer, then simulates the revocations. The demo owners' keys are the chain's own HD
//     accounts, so each owner revokes everything in one EIP-7702 transaction through
//     BatchRevoker; an owner whose key is not local (on a fork) is impersonated and sends one
//     transaction per revocation.
//   DRAIN_SPENDER=0x… [DRAIN_FROM_BLOCK=n] npx hardhat run --network target scripts/simulate-drain.ts
//     a configured network: lists the exposure and the plan; revocations are simulated only on
//     a simulated network (in-process or a fork), never sent to a live one.
//
// Exposures come from logs filtered by the spender topic (ERC-20 Approval, ERC-721/1155
// ApprovalForAll, router/Permit2 Approval and Permit), each confirmed by a current read.
import { network } from "hardhat";
import { getAddress, isAddress, type Address } from "viem";

import { applyRevocations, canImpersonate, revocationMethodOf } from "./simulate-drain/apply.js";
import { findExposures } from "./simulate-drain/exposures.js";
import { localAccountsOf } from "./simulate-drain/keys.js";
import { appliedTable, exposureTable, planTable, totalsTable } from "./simulate-drain/report.js";
import { planRevocations } from "./simulate-drain/revocations.js";
import { seedDemo } from "./simulate-drain/seed.js";

const connection = await network.create<"l1">({ chainType: "l1" });
const publicClient = await connection.viem.getPublicClient();

async function resolveSpender(): Promise<Address> {
  const requested = process.env.DRAIN_SPENDER;
  if (requested !== undefined) {
    if (!isAddress(requested)) throw new Error(`DRAIN_SPENDER is not an address: "${requested}"`);
    return getAddress(requested);
  }
  if (!canImpersonate(connection)) {
    throw new Error(`set DRAIN_SPENDER to the compromised spender's address to scan network "${connection.networkName}"`);
  }
  const demo = await seedDemo(connection);
  console.log(`Demo chain seeded: ${demo.owners.length} owners, router ${demo.router}.`);
  return demo.spender;
}

const spender = await resolveSpender();
const fromBlock = BigInt(process.env.DRAIN_FROM_BLOCK ?? "0");
const now = async () => (await publicClient.getBlock()).timestamp;

console.log(`\nCompromised spender ${spender} on ${connection.networkName} (chain ${await publicClient.getChainId()})`);
const before = await findExposures(publicClient, spender, fromBlock);
console.log("Expired router grants and approvals already revoked are not exposures and are not listed.");
console.log("\nExposed right now\n");
console.log(exposureTable(before, await now()));
console.log("\nTotal at risk per token\n");
console.log(totalsTable(before));

const plan = await planRevocations(publicClient, spender, before);
const localAccounts = await localAccountsOf(connection);
console.log("\nRecommended revocations, sent by each owner\n");
console.log(planTable(plan, (owner) => revocationMethodOf(localAccounts, owner)));

if (canImpersonate(connection)) {
  const applied = await applyRevocations(connection, plan, localAccounts);
  console.log("\nSent\n");
  console.log(appliedTable(applied));
  const after = await findExposures(publicClient, spender, fromBlock);
  console.log("\nExposed after the recommended revocations\n");
  console.log(exposureTable(after, await now()));
  console.log("\nTotal at risk per token after\n");
  console.log(totalsTable(after));
} else {
  console.log("\nNot a simulated network: nothing was sent. Fork it (an edr-simulated network with forking) to see the after table.");
}
