// Scenario 7 through the SDK: carol, who holds no ETH, signs zero-value permits with her wallet
// (signZeroPermit for EIP-2612, signDaiZeroPermit for DAI-style `allowed = false`) and a relayer
// submits them in one revokeWithPermits transaction. A wallet that wrongly believes WETH has a
// permit adds one for the WETH-like token too: its fallback swallows the call, and the revoker,
// reading the allowance back, reports it failed. Then the spender is compromised and sweeps:
// nothing of the permit tokens moves, and exactly the reported WETH-like exposure is taken.
import assert from "node:assert/strict";

import { parseEther } from "viem";

import { revokeWithPermits, signDaiZeroPermit, signZeroPermit, type PermitRevocation } from "../../src/revoke/index.js";
import { UNLIMITED_TOKEN_APPROVAL, VICTIM_BALANCE } from "./fixture.js";
import { deployRevokerFixture, localKeyVictim, mined } from "./revoker-fixture.js";

const PERMIT_VALIDITY_SECONDS = 3_600n;
const WETH_HELD = parseEther("10");
/// Less than carol holds, so the WETH-like exposure is this allowance.
const WETH_ALLOWANCE = parseEther("3");
const GAS_MONEY = parseEther("1");

describe("Scenario 07 — relayed permit revocation through the SDK", () => {
  it("S07: a relayer revokes EIP-2612 and DAI approvals for a victim with no ETH; the sweep takes nothing of them and exactly the reported WETH-like exposure", async () => {
    const fixture = await deployRevokerFixture();
    const { viem, networkHelpers, publicClient, token, drainer, revoker, router, attacker } = fixture;
    const [relayer] = await viem.getWalletClients();
    const dai = await viem.deployContract("DaiPermitToken");
    const weth = await viem.deployContract("WethLikeToken");
    const carol = await localKeyVictim(fixture);
    const as = { account: carol.account };
    await networkHelpers.setBalance(carol.address, WETH_HELD + GAS_MONEY);
    await mined(fixture, token.write.mint([carol.address, VICTIM_BALANCE]));
    await mined(fixture, dai.write.mint([carol.address, VICTIM_BALANCE]));
    await mined(fixture, weth.write.deposit({ ...as, value: WETH_HELD }));
    await mined(fixture, token.write.approve([drainer.address, UNLIMITED_TOKEN_APPROVAL], as));
    await mined(fixture, dai.write.approve([drainer.address, UNLIMITED_TOKEN_APPROVAL], as));
    await mined(fixture, weth.write.approve([drainer.address, WETH_ALLOWANCE], as));
    await networkHelpers.setBalance(carol.address, 0n);
    const deadline = BigInt(await networkHelpers.time.latest()) + PERMIT_VALIDITY_SECONDS;

    const tokenPermit = await signZeroPermit(carol.wallet, publicClient, { token: token.address, spender: drainer.address, deadline });
    const daiPermit = await signDaiZeroPermit(carol.wallet, publicClient, { token: dai.address, spender: drainer.address, expiry: deadline });
    // WETH has neither permit nor eip712Domain(): the wallet re-points a permit at it.
    const phantomPermit: PermitRevocation = { ...tokenPermit, token: weth.address };
    const result = await revokeWithPermits(relayer, publicClient, {
      revoker: revoker.address,
      permits: [tokenPermit, daiPermit, phantomPermit],
    });

    assert.deepEqual(
      result.outcomes.map(({ outcome }) => outcome),
      ["revoked", "revoked", "failed"],
      "the phantom permit is reported not revoked",
    );
    assert.equal(result.receipt.from, relayer.account.address.toLowerCase(), "the relayer sent and paid for it");
    assert.equal(await publicClient.getBalance({ address: carol.address }), 0n, "carol spent nothing: she has nothing");
    assert.equal(await token.read.allowance([carol.address, drainer.address]), 0n);
    assert.equal(await dai.read.allowance([carol.address, drainer.address]), 0n);
    const wethExposure = await weth.read.allowance([carol.address, drainer.address]);
    assert.equal(wethExposure, WETH_ALLOWANCE, "the WETH-like approval is untouched");

    const before = {
      token: await token.read.balanceOf([carol.address]),
      dai: await dai.read.balanceOf([carol.address]),
      weth: await weth.read.balanceOf([carol.address]),
    };
    await mined(
      fixture,
      drainer.write.drainEverything(
        [
          {
            victims: [carol.address],
            erc20s: [token.address, dai.address, weth.address],
            erc721s: [],
            erc1155s: [],
            router: router.address,
            routerTokens: [],
          },
        ],
        { account: attacker },
      ),
    );

    assert.equal(before.token - (await token.read.balanceOf([carol.address])), 0n, "EIP-2612 token: nothing moved");
    assert.equal(before.dai - (await dai.read.balanceOf([carol.address])), 0n, "DAI-like token: nothing moved");
    assert.equal(before.weth - (await weth.read.balanceOf([carol.address])), wethExposure, "WETH-like: exactly the reported exposure");
    assert.equal(await weth.read.balanceOf([attacker.address]), wethExposure);
  });
});
