// The blast-radius simulation (scripts/simulate-drain.ts) against the attacker itself: on the
// seeded demo chain, what the report says each owner could lose right now must be exactly what
// the Drainer's full sweep takes, before and after the recommended revocations, whichever way
// they are sent: one transaction per revocation (impersonated owners) or one EIP-7702
// BatchRevoker batch per owner (owners whose keys are local).
import assert from "node:assert/strict";

import { network } from "hardhat";
import type { Address } from "viem";

import { applyRevocations } from "../../scripts/simulate-drain/apply.js";
import { findExposures, type Exposure } from "../../scripts/simulate-drain/exposures.js";
import { localAccountsOf } from "../../scripts/simulate-drain/keys.js";
import { planRevocations } from "../../scripts/simulate-drain/revocations.js";
import { seedDemo, type DemoDeployment } from "../../scripts/simulate-drain/seed.js";

const ATTACKER_ACCOUNT_INDEX = 6;
const NFT_IDS = [1n, 2n];
const ITEM_ID = 7n;
const UNITS = 10n ** 18n;
const USDT_UNITS = 10n ** 6n;

type Connection = Awaited<ReturnType<typeof network.create<"l1">>>;

const key = (owner: Address, token: Address) => `${owner.toLowerCase()}:${token.toLowerCase()}`;

function reportedAtRisk(exposures: Exposure[]): Map<string, bigint> {
  const atRisk = new Map<string, bigint>();
  for (const e of exposures) atRisk.set(key(e.owner, e.token), (atRisk.get(key(e.owner, e.token)) ?? 0n) + e.valueAtRisk);
  return atRisk;
}

/// Every (owner, token) holding of the demo, read now: fungible units, NFTs owned, item units.
async function holdings(connection: Connection, demo: DemoDeployment): Promise<Map<string, bigint>> {
  const { viem } = connection;
  const result = new Map<string, bigint>();
  const fungibles = [demo.tokens.stable, demo.tokens.weth, demo.tokens.usdtLike, demo.tokens.bnbLike];
  const nft = await viem.getContractAt("TestERC721", demo.tokens.nft);
  const items = await viem.getContractAt("TestERC1155", demo.tokens.items);
  for (const owner of demo.owners) {
    for (const address of fungibles) {
      const token = await viem.getContractAt("TestToken", address);
      result.set(key(owner, address), await token.read.balanceOf([owner]));
    }
    result.set(key(owner, demo.tokens.nft), await nft.read.balanceOf([owner]));
    result.set(key(owner, demo.tokens.items), await items.read.balanceOf([owner, ITEM_ID]));
  }
  return result;
}

/// What the Drainer's sweep of every path actually takes from each (owner, token); the chain
/// is restored afterwards.
async function actualDrain(connection: Connection, demo: DemoDeployment): Promise<Map<string, bigint>> {
  const { viem, networkHelpers } = connection;
  const snapshot = await networkHelpers.takeSnapshot();
  const wallets = await viem.getWalletClients();
  const drainer = await viem.getContractAt("Drainer", demo.spender);
  const before = await holdings(connection, demo);
  await drainer.write.drainEverything(
    [
      {
        victims: demo.owners,
        erc20s: [demo.tokens.stable, demo.tokens.weth, demo.tokens.usdtLike, demo.tokens.bnbLike],
        erc721s: [{ collection: demo.tokens.nft, tokenIds: NFT_IDS }],
        erc1155s: [{ collection: demo.tokens.items, ids: [ITEM_ID] }],
        router: demo.router,
        routerTokens: [demo.tokens.stable, demo.tokens.weth],
      },
    ],
    { account: wallets[ATTACKER_ACCOUNT_INDEX].account },
  );
  const after = await holdings(connection, demo);
  await snapshot.restore();
  const losses = new Map<string, bigint>();
  for (const [holding, amount] of before) {
    const lost = amount - (after.get(holding) ?? 0n);
    if (lost !== 0n) losses.set(holding, lost);
  }
  return losses;
}

describe("Blast-radius simulation (scripts/simulate-drain.ts)", () => {
  it("reports exactly what the compromised spender could take, before and after the recommended revocations", async () => {
    const connection = await network.create<"l1">({ chainType: "l1" });
    const publicClient = await connection.viem.getPublicClient();
    const demo = await seedDemo(connection);
    const [owner1, owner2, owner3, owner4, owner5] = demo.owners;

    const before = await findExposures(publicClient, demo.spender);
    assert.deepEqual(
      before.map((e) => [e.owner, e.kind, e.token, e.valueAtRisk]).sort(),
      [
        [owner1, "erc20-approval", demo.tokens.stable, 10_000n * UNITS],
        [owner1, "erc721-operator", demo.tokens.nft, 2n],
        [owner2, "erc20-approval", demo.tokens.usdtLike, 2_000n * USDT_UNITS],
        [owner2, "router-grant", demo.tokens.stable, 500n * UNITS],
        [owner3, "router-grant", demo.tokens.stable, 10_000n * UNITS],
        [owner3, "erc1155-operator", demo.tokens.items, 25n],
        [owner5, "erc20-approval", demo.tokens.bnbLike, 10_000n * UNITS],
      ].sort(),
      "owner 3's expired grant and owner 4's revoked approvals are not exposures",
    );
    assert.ok(!before.some((e) => e.owner === owner4));
    assert.deepEqual(await actualDrain(connection, demo), reportedAtRisk(before), "the report matches the real drain");

    const plan = await planRevocations(publicClient, demo.spender, before);
    assert.deepEqual(
      plan.map((r) => r.action).sort(),
      [
        "STBL.approve(spender, 0)",
        "TNFT.setApprovalForAll(spender, false)",
        "NRT.approve(spender, 0)",
        "0xa513E6E4….setApprovalForAll(spender, false)",
        "BNBL.approve(spender, 1) (approve(0) reverts)",
        "router.lockdown([STBL])",
        "router.lockdown([STBL])",
      ].sort(),
    );

    // Both ways of sending the plan, from the same state: impersonated owners, one transaction
    // per revocation; then owners with their own keys, one EIP-7702 BatchRevoker batch each.
    const beforeRevocations = await connection.networkHelpers.takeSnapshot();
    const eachApplied = await applyRevocations(connection, plan, new Map());
    assert.deepEqual(
      eachApplied.map((a) => [a.owner, a.method, a.hashes.length]).sort(),
      [
        [owner1, "transaction-each", 2],
        [owner2, "transaction-each", 2],
        [owner3, "transaction-each", 2],
        [owner5, "transaction-each", 1],
      ].sort(),
    );
    await assertOnlyTheBnbResidualIsLeft(connection, demo);

    await beforeRevocations.restore();
    const localAccounts = await localAccountsOf(connection);
    const batched = await applyRevocations(connection, plan, localAccounts);
    assert.deepEqual(
      batched.map((a) => [a.owner, a.method, a.hashes.length, a.outcomes?.map(({ outcome }) => outcome)]).sort(),
      [
        [owner1, "eip7702-batch", 1, ["revoked", "revoked"]],
        [owner2, "eip7702-batch", 1, ["revoked", "revoked"]],
        [owner3, "eip7702-batch", 1, ["revoked", "revoked"]],
        [owner5, "eip7702-batch", 1, ["reduced"]],
      ].sort(),
      "four transactions instead of seven; the BNB-like approval is reported reduced, not revoked",
    );
    for (const { owner, hashes } of batched) {
      const receipt = await publicClient.getTransactionReceipt({ hash: hashes[0] });
      assert.equal(receipt.type, "eip7702", "a type-4 transaction");
      assert.equal(receipt.to, owner.toLowerCase(), "sent by the owner to itself");
    }
    await assertOnlyTheBnbResidualIsLeft(connection, demo);
  });
});

async function assertOnlyTheBnbResidualIsLeft(connection: Connection, demo: DemoDeployment) {
  const after = await findExposures(await connection.viem.getPublicClient(), demo.spender);
  assert.deepEqual(
    after.map((e) => [e.owner, e.kind, e.token, e.valueAtRisk]),
    [[demo.owners[4], "erc20-approval", demo.tokens.bnbLike, 1n]],
    "only the BNB-like token's smallest allowance is left",
  );
  assert.deepEqual(await actualDrain(connection, demo), reportedAtRisk(after), "the after report matches the real drain");
}
