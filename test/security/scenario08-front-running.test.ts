// Scenario 8 — front-running a revocation. The compromised spender watches the mempool, sees
// the owner's lockdown pending and spends first in the same block. Ordering is simulated with
// automine off and a manual evm_mine. What is lost is exactly the live grant at that moment;
// nothing moves afterwards.
import assert from "node:assert/strict";

import { decodeFunctionData, parseGwei } from "viem";

import { deploySecurityFixture, GRANT_LIFETIME_SECONDS, type SecurityFixture } from "./fixture.js";

const GRANT = 400n * 10n ** 18n;
// Explicit gas: with automine off, estimating against the pending block would already see the
// lockdown and make the attacker's estimate fail.
const TX_GAS = 300_000n;
const MAX_FEE = parseGwei("100");
const OWNER_TIP = parseGwei("1");
const ATTACKER_TIP = parseGwei("50");

async function grantThenStopMining(fixture: SecurityFixture) {
  const { router, token, drainer, alice, networkHelpers, connection } = fixture;
  const expiration = BigInt(await networkHelpers.time.latest()) + GRANT_LIFETIME_SECONDS;
  await router.write.approve([token.address, drainer.address, GRANT, Number(expiration)], { account: alice });
  await connection.provider.request({ method: "evm_setAutomine", params: [false] });
}

async function sendOwnerLockdown(fixture: SecurityFixture) {
  const { router, token, drainer, alice } = fixture;
  return router.write.lockdown([[{ token: token.address, spender: drainer.address }]], {
    account: alice,
    gas: TX_GAS,
    maxFeePerGas: MAX_FEE,
    maxPriorityFeePerGas: OWNER_TIP,
  });
}

/// The attacker's mempool watcher: a pending lockdown of this spender's grant.
async function findPendingLockdown(fixture: SecurityFixture) {
  const { publicClient, router, drainer } = fixture;
  const pending = await publicClient.getBlock({ blockTag: "pending", includeTransactions: true });
  return pending.transactions.find((tx) => {
    if (tx.to?.toLowerCase() !== router.address.toLowerCase()) return false;
    const call = decodeFunctionData({ abi: router.abi, data: tx.input });
    return (
      call.functionName === "lockdown" &&
      call.args[0].some((pair) => pair.spender.toLowerCase() === drainer.address.toLowerCase())
    );
  });
}

describe("Scenario 08 — front-running a revocation (manual mining)", () => {
  it("S08: the spender front-runs the pending lockdown in the same block: loses exactly the live grant, nothing after", async () => {
    const fixture = await deploySecurityFixture();
    const { router, token, drainer, alice, attacker, publicClient, networkHelpers, connection, viem } = fixture;
    await grantThenStopMining(fixture);
    const balanceBefore = await token.read.balanceOf([alice.address]);

    const lockdownHash = await sendOwnerLockdown(fixture);
    const seen = await findPendingLockdown(fixture);
    assert.equal(seen?.hash, lockdownHash, "the attacker sees the lockdown pending");
    const [liveGrant] = await router.read.allowance([alice.address, token.address, drainer.address]);
    const attackHash = await drainer.write.pullFromRouter([router.address, token.address, alice.address, liveGrant], {
      account: attacker,
      gas: TX_GAS,
      maxFeePerGas: MAX_FEE,
      maxPriorityFeePerGas: ATTACKER_TIP,
    });
    await networkHelpers.mine();

    const attack = await publicClient.getTransactionReceipt({ hash: attackHash });
    const lockdown = await publicClient.getTransactionReceipt({ hash: lockdownHash });
    assert.equal(attack.blockNumber, lockdown.blockNumber, "same block");
    assert.ok(attack.transactionIndex < lockdown.transactionIndex, "the attack was ordered first");
    assert.equal(attack.status, "success");
    assert.equal(lockdown.status, "success");
    const lost = balanceBefore - (await token.read.balanceOf([alice.address]));
    assert.equal(lost, GRANT, "the front-run took exactly the live grant");

    // After the block: the grant is zero and every further attempt moves nothing.
    await connection.provider.request({ method: "evm_setAutomine", params: [true] });
    await viem.assertions.revertWithCustomErrorWithArgs(
      drainer.write.pullFromRouter([router.address, token.address, alice.address, 1n], { account: attacker }),
      router,
      "InsufficientAllowance",
      [0n],
    );
    await drainer.write.drainRouter([router.address, token.address, alice.address], { account: attacker });
    assert.equal(balanceBefore - (await token.read.balanceOf([alice.address])), GRANT, "nothing more after the lockdown");
  });

  it("S08: a lockdown ordered ahead of the attack in the same block: nothing moves", async () => {
    const fixture = await deploySecurityFixture();
    const { router, token, drainer, alice, attacker, publicClient, networkHelpers } = fixture;
    await grantThenStopMining(fixture);
    const balanceBefore = await token.read.balanceOf([alice.address]);

    const lockdownHash = await sendOwnerLockdown(fixture);
    // The attacker is outbid (or late): its transaction lands after the lockdown.
    const attackHash = await drainer.write.pullFromRouter([router.address, token.address, alice.address, GRANT], {
      account: attacker,
      gas: TX_GAS,
      maxFeePerGas: MAX_FEE,
      maxPriorityFeePerGas: OWNER_TIP / 2n,
    });
    await networkHelpers.mine();

    const attack = await publicClient.getTransactionReceipt({ hash: attackHash });
    const lockdown = await publicClient.getTransactionReceipt({ hash: lockdownHash });
    assert.equal(attack.blockNumber, lockdown.blockNumber, "same block");
    assert.ok(lockdown.transactionIndex < attack.transactionIndex, "the lockdown was ordered first");
    assert.equal(lockdown.status, "success");
    assert.equal(attack.status, "reverted", "the late attack is refused");
    assert.equal(await token.read.balanceOf([alice.address]), balanceBefore, "nothing moved");
  });
});
