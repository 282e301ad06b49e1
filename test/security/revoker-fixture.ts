// The TypeScript BatchRevoker scenarios start from the security fixture plus a BatchRevoker
// deployment and victims that hold their own private keys: only a local key can sign an EIP-7702
// authorization (JSON-RPC accounts cannot), so these victims send real type-4 transactions.
import assert from "node:assert/strict";

import { parseEther, parseEventLogs, type Address, type Hash } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { deploySecurityFixture, type SecurityFixture } from "./fixture.js";

/// Enough ETH for a victim's setup and revocation transactions.
const GAS_MONEY = parseEther("1");

export async function deployRevokerFixture() {
  const fixture = await deploySecurityFixture();
  const revoker = await fixture.viem.deployContract("BatchRevoker");
  return { ...fixture, revoker };
}

export type RevokerFixture = Awaited<ReturnType<typeof deployRevokerFixture>>;

/// A victim whose key is local (viem privateKeyToAccount), funded with gas money, and its wallet.
export async function localKeyVictim({ viem, networkHelpers }: SecurityFixture) {
  const account = privateKeyToAccount(generatePrivateKey());
  await networkHelpers.setBalance(account.address, GAS_MONEY);
  const wallet = await viem.getWalletClient(account.address, { account });
  return { address: account.address, account, wallet };
}

export type LocalKeyVictim = Awaited<ReturnType<typeof localKeyVictim>>;

/// Waits for `hash` and insists it succeeded.
export async function mined({ publicClient }: SecurityFixture, hash: Promise<Hash> | Hash) {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  assert.equal(receipt.status, "success", `transaction ${receipt.transactionHash} reverted`);
  return receipt;
}

/// What the Drainer reported taking from `victim` in the sweep `hash`: the amount of each
/// successful path, as the Drainer's own Drained events say (the tests measure balances as well).
export async function drainedFrom(fixture: SecurityFixture, hash: Hash, victim: Address): Promise<bigint[]> {
  const receipt = await mined(fixture, hash);
  const events = parseEventLogs({ abi: fixture.drainer.abi, eventName: "Drained", logs: receipt.logs });
  return events
    .filter((event) => event.args.victim.toLowerCase() === victim.toLowerCase() && event.args.amount !== 0n)
    .map((event) => event.args.amount);
}
