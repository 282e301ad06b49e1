// Scenario 8 for the BatchRevoker: front-running a pending EIP-7702 revocation. Carol sends her
// type-4 revocation through the SDK (revokeWithDelegation); the compromised spender watches the
// mempool, recognises her self-call to BatchRevoker.revoke naming it, and sweeps first in the
// same block with a higher tip. Ordering is simulated with automine off and a manual mine.
//
// What is lost is exactly what her approvals reached at that moment: the live ERC-20 allowance
// (not her whole balance, the allowance is limited), the router grant, and the NFT under the
// operator approval. Her revocation still lands in the same block, every item revoked, and
// nothing moves afterwards. Ordered the other way round, nothing moves at all.
import assert from "node:assert/strict";

import { decodeFunctionData, encodeFunctionData, parseGwei, type Hash } from "viem";

import { batchRevokerAbi, encodeRevocations, revokeWithDelegation, type RevocationItem } from "../../src/revoke/index.js";
import { GRANT_LIFETIME_SECONDS, UNLIMITED_TOKEN_APPROVAL, VICTIM_BALANCE } from "./fixture.js";
import { deployRevokerFixture, localKeyVictim, mined } from "./revoker-fixture.js";

const LIVE_ALLOWANCE = 400n * 10n ** 18n;
const ROUTER_GRANT = 250n * 10n ** 18n;
const NFT_ID = 1n;
const LATER_NFT_ID = 2n;
// Explicit gas for the attacker: with automine off, estimating against the pending block would
// already see the revocation.
const SWEEP_GAS = 1_000_000n;
const MAX_FEE = parseGwei("100");
const ATTACKER_TIP = parseGwei("50");
const POLL_ATTEMPTS = 50;
const POLL_INTERVAL_MS = 20;

async function exposedCarol() {
  const fixture = await deployRevokerFixture();
  const { viem, networkHelpers, token, router, drainer } = fixture;
  const routerToken = await viem.deployContract("TestToken", ["Router Token", "RTK"]);
  const nft = await viem.deployContract("TestERC721");
  const carol = await localKeyVictim(fixture);
  const as = { account: carol.account };
  const expiration = BigInt(await networkHelpers.time.latest()) + GRANT_LIFETIME_SECONDS;
  await mined(fixture, token.write.mint([carol.address, VICTIM_BALANCE]));
  await mined(fixture, routerToken.write.mint([carol.address, VICTIM_BALANCE]));
  await mined(fixture, nft.write.mint([carol.address, NFT_ID]));
  await mined(fixture, token.write.approve([drainer.address, LIVE_ALLOWANCE], as));
  await mined(fixture, nft.write.setApprovalForAll([drainer.address, true], as));
  await mined(fixture, routerToken.write.approve([router.address, UNLIMITED_TOKEN_APPROVAL], as));
  await mined(fixture, router.write.approve([routerToken.address, drainer.address, ROUTER_GRANT, Number(expiration)], as));
  const revocations: RevocationItem[] = [
    { kind: "erc20", token: token.address, spender: drainer.address },
    { kind: "erc721-operator", token: nft.address, operator: drainer.address },
    { kind: "router", router: router.address, token: routerToken.address, spender: drainer.address },
  ];
  const holdings = async () => ({
    tokens: await token.read.balanceOf([carol.address]),
    routerTokens: await routerToken.read.balanceOf([carol.address]),
    nfts: await nft.read.balanceOf([carol.address]),
  });
  const sweepTargets = {
    victims: [carol.address],
    erc20s: [token.address],
    erc1155s: [],
    router: router.address,
    routerTokens: [routerToken.address],
  };
  return { ...fixture, routerToken, nft, carol, revocations, holdings, sweepTargets };
}

type Scenario = Awaited<ReturnType<typeof exposedCarol>>;

/// The calldata of carol's self-call as the SDK builds it: what the attacker reads in the mempool.
function revokeCalldata(revocations: readonly RevocationItem[]) {
  return encodeFunctionData({ abi: batchRevokerAbi, functionName: "revoke", args: [encodeRevocations(revocations).encoded, false] });
}

/// Carol's revocation, sent through the SDK but not awaited: with automine off it stays pending.
function sendRevocationWithoutMining(scenario: Scenario) {
  const { connection, carol, publicClient, revoker, revocations } = scenario;
  return connection.provider
    .request({ method: "evm_setAutomine", params: [false] })
    .then(() => revokeWithDelegation(carol.wallet, publicClient, { revoker: revoker.address, items: revocations }));
}

/// The attacker's mempool watcher: a pending type-4 self-call to BatchRevoker.revoke whose list
/// names this spender.
async function findPendingRevocation(scenario: Scenario) {
  const { publicClient, carol, drainer } = scenario;
  const spenderInList = drainer.address.slice(2).toLowerCase();
  for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
    const pending = await publicClient.getBlock({ blockTag: "pending", includeTransactions: true });
    const revocation = pending.transactions.find((tx) => {
      if (tx.type !== "eip7702" || tx.to?.toLowerCase() !== carol.address.toLowerCase()) return false;
      const call = decodeFunctionData({ abi: batchRevokerAbi, data: tx.input });
      return call.functionName === "revoke" && call.args[0].toLowerCase().includes(spenderInList);
    });
    if (revocation !== undefined) return revocation;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error("carol's revocation never showed up in the pending block");
}

/// The attacker's sweep of every path; `nftIds` are the NFTs it tries (each must exist).
function sweep(scenario: Scenario, fees: { maxPriorityFeePerGas: bigint }, nftIds = [NFT_ID]): Promise<Hash> {
  const { drainer, attacker, sweepTargets, nft } = scenario;
  const targets = { ...sweepTargets, erc721s: [{ collection: nft.address, tokenIds: nftIds }] };
  return drainer.write.drainEverything([targets], {
    account: attacker,
    gas: SWEEP_GAS,
    maxFeePerGas: MAX_FEE,
    ...fees,
  });
}

describe("Scenario 08 — front-running a pending EIP-7702 revocation (manual mining)", () => {
  it("S08: the spender sweeps ahead of the pending type-4 revocation in the same block: loses exactly the live approvals, nothing after", async () => {
    const scenario = await exposedCarol();
    const { publicClient, networkHelpers, connection, holdings, revocations, nft, carol } = scenario;
    const before = await holdings();

    const revocation = sendRevocationWithoutMining(scenario);
    const seen = await findPendingRevocation(scenario);
    assert.equal(seen.input, revokeCalldata(revocations), "the attacker can read exactly what will be revoked");
    const attackHash = await sweep(scenario, { maxPriorityFeePerGas: ATTACKER_TIP });
    await networkHelpers.mine();
    const result = await revocation;

    const attack = await publicClient.getTransactionReceipt({ hash: attackHash });
    assert.equal(attack.status, "success");
    assert.equal(attack.blockNumber, result.receipt.blockNumber, "same block");
    assert.ok(attack.transactionIndex < result.receipt.transactionIndex, "the sweep was ordered first");
    assert.equal(result.hash, seen.hash, "the transaction the attacker saw");
    assert.deepEqual(
      result.outcomes.map(({ outcome }) => outcome),
      revocations.map(() => "revoked"),
      "the revocation still went through, every item",
    );
    const lost = await holdings();
    assert.deepEqual(
      { tokens: before.tokens - lost.tokens, routerTokens: before.routerTokens - lost.routerTokens, nfts: before.nfts - lost.nfts },
      { tokens: LIVE_ALLOWANCE, routerTokens: ROUTER_GRANT, nfts: 1n },
      "exactly the live ERC-20 allowance, the router grant and the NFT under the operator approval",
    );

    // After the block every approval is gone, for what carol holds and for what she receives
    // later (another NFT of the collection she had approved an operator for).
    await connection.provider.request({ method: "evm_setAutomine", params: [true] });
    await mined(scenario, nft.write.mint([carol.address, LATER_NFT_ID]));
    const afterBlock = await holdings();
    await mined(scenario, sweep(scenario, { maxPriorityFeePerGas: ATTACKER_TIP }, [NFT_ID, LATER_NFT_ID]));
    assert.deepEqual(await holdings(), afterBlock, "nothing more after the revocation");
    assert.equal((await nft.read.ownerOf([LATER_NFT_ID])).toLowerCase(), carol.address.toLowerCase());
  });

  it("S08: a revocation ordered ahead of the sweep in the same block: nothing moves", async () => {
    const scenario = await exposedCarol();
    const { publicClient, networkHelpers, holdings } = scenario;
    const before = await holdings();

    const revocation = sendRevocationWithoutMining(scenario);
    const seen = await findPendingRevocation(scenario);
    // The attacker is outbid (or late): its sweep lands after the revocation.
    const ownerTip = seen.maxPriorityFeePerGas ?? 0n;
    assert.ok(ownerTip > 0n, "carol's transaction pays a tip the attacker can undercut");
    const attackHash = await sweep(scenario, { maxPriorityFeePerGas: ownerTip / 2n });
    await networkHelpers.mine();
    const result = await revocation;

    const attack = await publicClient.getTransactionReceipt({ hash: attackHash });
    assert.equal(attack.blockNumber, result.receipt.blockNumber, "same block");
    assert.ok(result.receipt.transactionIndex < attack.transactionIndex, "the revocation was ordered first");
    assert.equal(attack.status, "success", "the sweep runs and finds nothing to take");
    assert.deepEqual(await holdings(), before, "nothing moved");
  });
});
