// Scenario 6 with a real EIP-7702 type-4 transaction. Carol holds her own key. She has left
// every kind of approval with the spender: an unlimited ERC-20 approval, an ERC-721 operator
// approval and a single-token approval, an ERC-1155 operator approval, and a live router grant.
// She revokes all of them in one type-4 transaction to herself through the SDK
// (revokeWithDelegation); then the spender is compromised and sweeps every path. Nothing moves
// from her. Bob has the same approvals and revokes nothing: the same sweep takes everything his
// approvals reach, so the sweep is known to be live.
import assert from "node:assert/strict";

import { getAddress, zeroAddress, type Account, type Address, type Hash } from "viem";
import { getDelegation } from "viem/actions";

import { revokeWithDelegation, type RevocationItem } from "../../src/revoke/index.js";
import { GRANT_LIFETIME_SECONDS, UNLIMITED_TOKEN_APPROVAL, VICTIM_BALANCE } from "./fixture.js";
import { deployRevokerFixture, drainedFrom, localKeyVictim, mined } from "./revoker-fixture.js";

const ROUTER_GRANT = 250n * 10n ** 18n;
const ITEM_ID = 7n;
const ITEM_AMOUNT = 500n;
const CAROL_NFTS = [1n, 2n] as const;
const BOB_NFTS = [3n, 4n] as const;

async function deployScenario() {
  const fixture = await deployRevokerFixture();
  const { viem } = fixture;
  const routerToken = await viem.deployContract("TestToken", ["Router Token", "RTK"]);
  const nft = await viem.deployContract("TestERC721");
  const items = await viem.deployContract("TestERC1155");
  const carol = await localKeyVictim(fixture);
  return { ...fixture, routerToken, nft, items, carol };
}

type Scenario = Awaited<ReturnType<typeof deployScenario>>;

/// Every approval kind to the spender; the single-token approval is on the second NFT.
async function expose(scenario: Scenario, account: Account, nftIds: readonly [bigint, bigint]) {
  const { token, routerToken, nft, items, router, drainer, networkHelpers } = scenario;
  const victim = account.address;
  const as = { account };
  const expiration = BigInt(await networkHelpers.time.latest()) + GRANT_LIFETIME_SECONDS;
  const done = (hash: Promise<Hash>) => mined(scenario, hash);
  // The fixture funds alice and bob with the standard token already.
  if ((await token.read.balanceOf([victim])) === 0n) await done(token.write.mint([victim, VICTIM_BALANCE]));
  await done(routerToken.write.mint([victim, VICTIM_BALANCE]));
  for (const id of nftIds) await done(nft.write.mint([victim, id]));
  await done(items.write.mint([victim, ITEM_ID, ITEM_AMOUNT]));
  await done(token.write.approve([drainer.address, UNLIMITED_TOKEN_APPROVAL], as));
  await done(nft.write.setApprovalForAll([drainer.address, true], as));
  await done(nft.write.approve([drainer.address, nftIds[1]], as));
  await done(items.write.setApprovalForAll([drainer.address, true], as));
  await done(routerToken.write.approve([router.address, UNLIMITED_TOKEN_APPROVAL], as));
  await done(router.write.approve([routerToken.address, drainer.address, ROUTER_GRANT, Number(expiration)], as));
}

async function holdings({ token, routerToken, nft, items }: Scenario, victim: Address) {
  return {
    tokens: await token.read.balanceOf([victim]),
    routerTokens: await routerToken.read.balanceOf([victim]),
    nfts: await nft.read.balanceOf([victim]),
    itemUnits: await items.read.balanceOf([victim, ITEM_ID]),
  };
}

/// What each holding of `victim` fell by since `before`: the actual balance changes.
async function losses(scenario: Scenario, victim: Address, before: Awaited<ReturnType<typeof holdings>>) {
  const now = await holdings(scenario, victim);
  return {
    tokens: before.tokens - now.tokens,
    routerTokens: before.routerTokens - now.routerTokens,
    nfts: before.nfts - now.nfts,
    itemUnits: before.itemUnits - now.itemUnits,
  };
}

describe("Scenario 06 — batch revocation through EIP-7702 (real type-4 transaction)", () => {
  it("S06: one type-4 transaction revokes ERC-20, ERC-721, ERC-1155 approvals and a router grant; the sweep then takes nothing from her", async () => {
    const scenario = await deployScenario();
    const { carol, bob, attacker, drainer, router, revoker, token, routerToken, nft, items, publicClient } = scenario;
    await expose(scenario, carol.account, CAROL_NFTS);
    await expose(scenario, bob, BOB_NFTS);
    const revocations: RevocationItem[] = [
      { kind: "erc20", token: token.address, spender: drainer.address },
      { kind: "erc721", token: nft.address, tokenId: CAROL_NFTS[1] },
      { kind: "erc721-operator", token: nft.address, operator: drainer.address },
      { kind: "erc1155-operator", token: items.address, operator: drainer.address },
      { kind: "router", router: router.address, token: routerToken.address, spender: drainer.address },
    ];

    const result = await revokeWithDelegation(carol.wallet, publicClient, { revoker: revoker.address, items: revocations });

    assert.equal(result.receipt.type, "eip7702", "a type-4 transaction");
    assert.equal(result.authorized, true, "it carried carol's authorization");
    assert.equal(result.receipt.from, carol.address.toLowerCase());
    assert.equal(result.receipt.to, carol.address.toLowerCase(), "sent by carol to herself");
    assert.equal(await getDelegation(publicClient, { address: carol.address }), getAddress(revoker.address));
    assert.deepEqual(
      result.outcomes.map(({ outcome }) => outcome),
      revocations.map(() => "revoked"),
    );
    assert.equal(await token.read.allowance([carol.address, drainer.address]), 0n);
    assert.equal(await nft.read.getApproved([CAROL_NFTS[1]]), zeroAddress);
    assert.equal(await nft.read.isApprovedForAll([carol.address, drainer.address]), false);
    assert.equal(await items.read.isApprovedForAll([carol.address, drainer.address]), false);
    assert.equal((await router.read.allowance([carol.address, routerToken.address, drainer.address]))[0], 0n);

    const carolBefore = await holdings(scenario, carol.address);
    const bobBefore = await holdings(scenario, bob.address);
    const sweep = await drainer.write.drainEverything(
      [
        {
          victims: [carol.address, bob.address],
          erc20s: [token.address],
          erc721s: [{ collection: nft.address, tokenIds: [...CAROL_NFTS, ...BOB_NFTS] }],
          erc1155s: [{ collection: items.address, ids: [ITEM_ID] }],
          router: router.address,
          routerTokens: [routerToken.address],
        },
      ],
      { account: attacker },
    );

    assert.deepEqual(await drainedFrom(scenario, sweep, carol.address), [], "no path moved anything from carol");
    assert.deepEqual(await losses(scenario, carol.address, carolBefore), { tokens: 0n, routerTokens: 0n, nfts: 0n, itemUnits: 0n });
    for (const id of CAROL_NFTS) assert.equal((await nft.read.ownerOf([id])).toLowerCase(), carol.address.toLowerCase());
    assert.deepEqual(
      await losses(scenario, bob.address, bobBefore),
      { tokens: VICTIM_BALANCE, routerTokens: ROUTER_GRANT, nfts: 2n, itemUnits: ITEM_AMOUNT },
      "bob, who revoked nothing, lost everything his approvals reached",
    );
    assert.equal(await token.read.balanceOf([attacker.address]), VICTIM_BALANCE, "the attacker holds bob's tokens only");
    assert.equal(await routerToken.read.balanceOf([attacker.address]), ROUTER_GRANT, "and bob's router grant only");
  });
});
