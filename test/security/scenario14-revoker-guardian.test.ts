// Scenarios 12 and 14 through the SDK with real EIP-7702 type-4 transactions. Carol holds her own
// key. She appoints a security team's key as her BatchRevoker guardian (setRevokeGuardian: one
// type-4 self-call that delegates and appoints), leaves an unlimited ERC-20 approval and a router
// grant with the spender, and a signed router permit for it leaks. The guardian revokes both
// (revokeAsGuardian, paid by the guardian, without Carol's key); the router item voids her
// signed permits by default. Then the spender is compromised: the leaked permit is refused with
// InvalidNonce and the sweep takes nothing. Bob, with the same approvals and no guardian, is in the
// same sweep and loses what they reach.
import assert from "node:assert/strict";

import { BaseError, ContractFunctionRevertedError, getAddress, parseEventLogs, zeroAddress, type Hash } from "viem";

import { batchRevokerAbi } from "../../src/abi/batchRevoker.js";
import {
  getRevokeGuardian,
  NotDelegatedError,
  outcomesFromReceipt,
  revokeAsGuardian,
  setRevokeGuardian,
  type RevocationItem,
} from "../../src/revoke/index.js";
import { signPermitSingle } from "../../src/router/typedData.js";
import { GRANT_LIFETIME_SECONDS, UNLIMITED_TOKEN_APPROVAL, VICTIM_BALANCE } from "./fixture.js";
import { deployRevokerFixture, localKeyVictim, mined } from "./revoker-fixture.js";

const ROUTER_GRANT = 250n * 10n ** 18n;
const LEAKED_AMOUNT = 200n * 10n ** 18n;

describe("Scenarios 12 and 14 (SDK, real EIP-7702): the guardian revokes plain approvals and voids a leaked permit", function () {
  it("S14: guardian revocation through the SDK; S12: the leaked permit is refused with InvalidNonce; bob unrevoked is drained", async function () {
    const fixture = await deployRevokerFixture();
    const { viem, publicClient, token, router, drainer, revoker, bob, attacker, networkHelpers } = fixture;
    const carol = await localKeyVictim(fixture);
    const [, , , , guardianWallet] = await viem.getWalletClients();
    const chainId = await publicClient.getChainId();
    const done = (hash: Promise<Hash> | Hash) => mined(fixture, hash);
    const expiration = Number(BigInt(await networkHelpers.time.latest()) + GRANT_LIFETIME_SECONDS);

    // Before delegating, the SDK refuses a guardian revocation rather than sending a doomed call.
    await assert.rejects(
      revokeAsGuardian(guardianWallet, { account: carol.address, items: [{ kind: "erc20", token: token.address, spender: drainer.address }] }),
      NotDelegatedError,
    );

    const appointed = await setRevokeGuardian(carol.wallet, { revoker: revoker.address, guardian: guardianWallet.account.address });
    assert.equal(appointed.authorized, true, "one type-4 transaction delegates and appoints");
    const appointReceipt = await done(appointed.hash);
    const [changed] = parseEventLogs({ abi: batchRevokerAbi, eventName: "GuardianChanged", logs: appointReceipt.logs });
    assert.deepEqual(changed?.args, { previousGuardian: zeroAddress, newGuardian: getAddress(guardianWallet.account.address) });
    assert.equal(await getRevokeGuardian(publicClient, { account: carol.address }), getAddress(guardianWallet.account.address));

    const leaked = {
      details: { token: token.address, amount: LEAKED_AMOUNT, expiration, nonce: 0 },
      spender: drainer.address,
      sigDeadline: BigInt(expiration),
    };
    const leaks: Record<string, `0x${string}`> = {};
    for (const [name, account, wallet] of [
      ["carol", carol.account, carol.wallet],
      ["bob", bob, undefined],
    ] as const) {
      const as = { account };
      await done(token.write.mint([account.address, VICTIM_BALANCE]));
      await done(token.write.approve([drainer.address, UNLIMITED_TOKEN_APPROVAL], as));
      await done(token.write.approve([router.address, UNLIMITED_TOKEN_APPROVAL], as));
      await done(router.write.approve([token.address, drainer.address, ROUTER_GRANT, expiration], as));
      leaks[name] = await signPermitSingle({
        signer: wallet ?? (await viem.getWalletClient(bob.address)),
        chainId,
        router: router.address,
        permit: leaked,
      });
    }

    const items: RevocationItem[] = [
      { kind: "erc20", token: token.address, spender: drainer.address },
      { kind: "router", router: router.address, token: token.address, spender: drainer.address },
    ];
    const { hash, plan } = await revokeAsGuardian(guardianWallet, { account: carol.address, items });
    const receipt = await done(hash);
    assert.equal(getAddress(receipt.from), getAddress(guardianWallet.account.address), "the guardian sent and paid");
    assert.deepEqual(
      outcomesFromReceipt(plan.items, plan.order, receipt, carol.address).map(({ outcome }) => outcome),
      ["revoked", "revoked"],
    );
    const [revocation] = parseEventLogs({ abi: batchRevokerAbi, eventName: "GuardianRevocation", logs: receipt.logs });
    assert.deepEqual(revocation?.args, { guardian: getAddress(guardianWallet.account.address), itemCount: 2n });
    assert.equal((await router.read.allowance([carol.address, token.address, drainer.address]))[2], 1, "carol's nonce moved on");

    // The spender is compromised.
    const carolBefore = await token.read.balanceOf([carol.address]);
    const bobBefore = await token.read.balanceOf([bob.address]);
    const as = { account: attacker };
    // The Drainer bubbles the router's error; decode it with the router's errors.
    const withRouterErrors = [...drainer.abi, ...router.abi.filter((entry) => entry.type === "error")];
    await assert.rejects(
      publicClient.simulateContract({
        address: drainer.address,
        abi: withRouterErrors,
        functionName: "replayPermit",
        args: [router.address, carol.address, leaked, leaks.carol!],
        account: attacker,
      }),
      (error: unknown) => {
        const reverted = error instanceof BaseError ? error.walk((cause) => cause instanceof ContractFunctionRevertedError) : null;
        return reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName === "InvalidNonce";
      },
    );
    await done(drainer.write.replayPermit([router.address, bob.address, leaked, leaks.bob!], as));
    await done(drainer.write.drainRouter([router.address, token.address, carol.address], as));
    await done(drainer.write.drainRouter([router.address, token.address, bob.address], as));
    assert.equal(bobBefore - (await token.read.balanceOf([bob.address])), LEAKED_AMOUNT, "bob's leaked permit restored his grant");
    await done(drainer.write.drainErc20([token.address, carol.address], as));
    await done(drainer.write.drainErc20([token.address, bob.address], as));

    assert.equal(await token.read.balanceOf([carol.address]), carolBefore, "carol lost nothing");
    assert.equal(bobBefore - (await token.read.balanceOf([bob.address])), bobBefore, "bob lost his whole balance");
  });
});
