// The starting point of the TypeScript security scenarios: a fresh in-process chain with the
// router, a standard token, the compromised spender (Drainer) and named actors. Each call
// creates its own network instance, so scenarios cannot leak state into each other.
import { network } from "hardhat";
import type { NetworkConnectionParams } from "hardhat/types/network";

export const VICTIM_BALANCE = 1_000_000n * 10n ** 18n;
export const GRANT_LIFETIME_SECONDS = 24n * 60n * 60n;
export const UNLIMITED_TOKEN_APPROVAL = 2n ** 256n - 1n;

export async function deploySecurityFixture(params?: NetworkConnectionParams<"l1">) {
  const connection = await network.create<"l1">({ chainType: "l1", ...params });
  const { viem, networkHelpers } = connection;
  const [deployerWallet, aliceWallet, bobWallet, attackerWallet, guardianWallet] = await viem.getWalletClients();
  const alice = aliceWallet.account;
  const bob = bobWallet.account;
  const attacker = attackerWallet.account;
  const guardian = guardianWallet.account;

  const router = await viem.deployContract("AllowanceRouter", [], { client: { wallet: deployerWallet } });
  const token = await viem.deployContract("TestToken", ["Standard Token", "STD"], { client: { wallet: deployerWallet } });
  const drainer = await viem.deployContract("Drainer", [attacker.address], { client: { wallet: deployerWallet } });
  const publicClient = await viem.getPublicClient();

  for (const victim of [alice, bob]) {
    await token.write.mint([victim.address, VICTIM_BALANCE]);
    await token.write.approve([router.address, UNLIMITED_TOKEN_APPROVAL], { account: victim });
  }

  return { connection, viem, networkHelpers, publicClient, router, token, drainer, alice, bob, attacker, guardian };
}

export type SecurityFixture = Awaited<ReturnType<typeof deploySecurityFixture>>;
