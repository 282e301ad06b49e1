// Scenario 9 — signature attacks on router permits. An attacker holding a captured permit
// signature tries it again on the same chain, on another chain (a second network instance
// with another chain id and the router at the same address), after the owner invalidated
// the nonce, after the signature deadline, malleated to high s,
// and re-pointed at itself. Every attempt fails with its specific error and changes nothing.
import assert from "node:assert/strict";

import { deploySecurityFixture, GRANT_LIFETIME_SECONDS, type SecurityFixture } from "./fixture.js";
import { signPermitSingle, type PermitSingle } from "../../src/router/typedData.js";
import { malleateToHighS } from "./permit-signing.js";

const GRANT = 400n * 10n ** 18n;
const SIGNATURE_LIFETIME_SECONDS = 60n * 60n;
const OTHER_CHAIN_ID = 31_338;

async function alicePermit(fixture: SecurityFixture, overrides: Partial<PermitSingle> = {}) {
  const { viem, networkHelpers, router, token, drainer, alice, publicClient } = fixture;
  const now = BigInt(await networkHelpers.time.latest());
  const [, , nonce] = await router.read.allowance([alice.address, token.address, drainer.address]);
  const permit: PermitSingle = {
    details: { token: token.address, amount: GRANT, expiration: Number(now + GRANT_LIFETIME_SECONDS), nonce },
    spender: drainer.address,
    sigDeadline: now + SIGNATURE_LIFETIME_SECONDS,
    ...overrides,
  };
  const wallet = await viem.getWalletClient(alice.address);
  const chainId = await publicClient.getChainId();
  const signature = await signPermitSingle({ signer: wallet, chainId, router: router.address, permit });
  return { permit, signature };
}

/// The victim's exposure to the drainer: its grant and its balance, to compare before and after.
async function exposure(fixture: SecurityFixture) {
  const { router, token, drainer, alice } = fixture;
  const [amount, expiration, nonce] = await router.read.allowance([alice.address, token.address, drainer.address]);
  const balance = await token.read.balanceOf([alice.address]);
  return { amount, expiration, nonce, balance };
}

describe("Scenario 09 — signature attacks on router permits", () => {
  it("S09: a used permit replayed on the same chain is refused with InvalidNonce; the loss stays at the grant", async () => {
    const fixture = await deploySecurityFixture();
    const { viem, router, token, drainer, alice, bob, attacker } = fixture;
    const { permit, signature } = await alicePermit(fixture);
    const balanceBefore = await token.read.balanceOf([alice.address]);
    await router.write.permit([alice.address, permit, signature], { account: bob });
    await drainer.write.pullFromRouter([router.address, token.address, alice.address, GRANT], { account: attacker });
    const afterSpend = await exposure(fixture);

    await viem.assertions.revertWithCustomError(
      drainer.write.replayPermit([router.address, alice.address, permit, signature], { account: attacker }),
      router,
      "InvalidNonce",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      drainer.write.pullFromRouter([router.address, token.address, alice.address, 1n], { account: attacker }),
      router,
      "InsufficientAllowance",
      [0n],
    );
    assert.deepEqual(await exposure(fixture), afterSpend, "the replay changed nothing");
    assert.equal(balanceBefore - afterSpend.balance, GRANT, "total loss is the one grant");
  });

  it("S09: a permit replayed on another chain id, same router address, is refused with InvalidSigner", async () => {
    const chainA = await deploySecurityFixture();
    const chainB = await deploySecurityFixture({ override: { chainId: OTHER_CHAIN_ID } });
    assert.equal(await chainB.publicClient.getChainId(), OTHER_CHAIN_ID);
    assert.equal(chainB.router.address, chainA.router.address, "same deployer and nonce: same router address");
    assert.equal(chainB.drainer.address, chainA.drainer.address);
    assert.equal(chainB.token.address, chainA.token.address);
    assert.notEqual(await chainB.router.read.DOMAIN_SEPARATOR(), await chainA.router.read.DOMAIN_SEPARATOR());
    const { permit, signature } = await alicePermit(chainA);
    await chainA.router.write.permit([chainA.alice.address, permit, signature]);
    const exposureOnB = await exposure(chainB);

    await chainB.viem.assertions.revertWithCustomError(
      chainB.drainer.write.replayPermit([chainB.router.address, chainB.alice.address, permit, signature], {
        account: chainB.attacker,
      }),
      chainB.router,
      "InvalidSigner",
    );
    assert.deepEqual(await exposure(chainB), exposureOnB, "nothing changed on the other chain");
    assert.equal(exposureOnB.amount, 0n, "no grant on the other chain");
  });

  it("S09: a leaked, unsubmitted permit after invalidateNonces is refused with InvalidNonce", async () => {
    const fixture = await deploySecurityFixture();
    const { viem, router, token, drainer, alice, attacker } = fixture;
    const { permit, signature } = await alicePermit(fixture);
    await router.write.invalidateNonces([token.address, drainer.address, permit.details.nonce + 1], { account: alice });
    const before = await exposure(fixture);

    await viem.assertions.revertWithCustomError(
      drainer.write.replayPermit([router.address, alice.address, permit, signature], { account: attacker }),
      router,
      "InvalidNonce",
    );
    assert.deepEqual(await exposure(fixture), before, "nothing changed");
    assert.equal(before.amount, 0n, "no grant was ever made");
  });

  it("S09: a permit is accepted up to its sigDeadline second and refused one second later with SignatureExpired(deadline)", async () => {
    const fixture = await deploySecurityFixture();
    const { viem, networkHelpers, router, alice, drainer, attacker } = fixture;
    const { permit, signature } = await alicePermit(fixture);

    const snapshot = await networkHelpers.takeSnapshot();
    await networkHelpers.time.setNextBlockTimestamp(permit.sigDeadline);
    await drainer.write.replayPermit([router.address, alice.address, permit, signature], { account: attacker });
    assert.equal((await exposure(fixture)).amount, GRANT, "live at the deadline second");
    await snapshot.restore();

    const before = await exposure(fixture);
    await networkHelpers.time.setNextBlockTimestamp(permit.sigDeadline + 1n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      drainer.write.replayPermit([router.address, alice.address, permit, signature], { account: attacker }),
      router,
      "SignatureExpired",
      [permit.sigDeadline],
    );
    assert.deepEqual(await exposure(fixture), before, "nothing changed");
  });

  // EIP-2098 compact signatures cannot carry a high s (its top bit is the parity), so the
  // malleation only exists in the 65-byte form.
  it("S09: a malleated high-s signature is refused with InvalidSignature", async () => {
    const fixture = await deploySecurityFixture();
    const { viem, router, alice, drainer, attacker } = fixture;
    const { permit, signature } = await alicePermit(fixture);
    const highS = malleateToHighS(signature);
    const before = await exposure(fixture);

    await viem.assertions.revertWithCustomError(
      drainer.write.replayPermit([router.address, alice.address, permit, highS], { account: attacker }),
      router,
      "InvalidSignature",
    );
    assert.deepEqual(await exposure(fixture), before, "nothing changed");

    // The untouched signature is valid: the refusal above was the malleation's doing.
    await drainer.write.replayPermit([router.address, alice.address, permit, signature], { account: attacker });
    assert.equal((await exposure(fixture)).amount, GRANT);
  });

  it("S09: a permit signed for another spender, re-pointed at the drainer, is refused with InvalidSigner", async () => {
    const fixture = await deploySecurityFixture();
    const { viem, router, alice, bob, drainer, attacker } = fixture;
    const legitimateDapp = bob.address;
    const { permit, signature } = await alicePermit(fixture, { spender: legitimateDapp });
    const before = await exposure(fixture);

    await viem.assertions.revertWithCustomError(
      drainer.write.replayPermit([router.address, alice.address, { ...permit, spender: drainer.address }, signature], {
        account: attacker,
      }),
      router,
      "InvalidSigner",
    );
    assert.deepEqual(await exposure(fixture), before, "nothing changed");
  });
});
