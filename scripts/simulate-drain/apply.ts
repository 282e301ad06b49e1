// Sends a revocation plan from each owner's own address on a simulated network (in-process or
// a fork). An owner whose key is local sends all of its revocations in one EIP-7702 transaction
// to itself, delegated to BatchRevoker (src/revoke revokeWithDelegation); any other owner is
// impersonated and sends one transaction per revocation. On a live network nothing is sent: the
// owners must sign their own revocations.
import type { NetworkConnection } from "hardhat/types/network";
import { parseEther, type Address, type Hash, type LocalAccount } from "viem";

import { revokeWithDelegation, type ItemOutcome } from "../../src/revoke/index.js";
import { localAccountFor } from "./keys.js";
import type { Revocation } from "./revocations.js";

/// Enough ETH for an owner to pay for its revocations.
const GAS_MONEY = parseEther("1");

export type RevocationMethod = "eip7702-batch" | "transaction-each";

/// What one owner sent: its transactions and, for a BatchRevoker batch, each item's outcome.
export type AppliedRevocations = {
  owner: Address;
  method: RevocationMethod;
  hashes: Hash[];
  outcomes?: ItemOutcome[];
};

export function canImpersonate(connection: NetworkConnection<"l1">): boolean {
  return connection.networkConfig.type === "edr-simulated";
}

export function revocationMethodOf(localAccounts: Map<string, LocalAccount>, owner: Address): RevocationMethod {
  return localAccountFor(localAccounts, owner) === undefined ? "transaction-each" : "eip7702-batch";
}

/// The plan's revocations grouped by owner, owners in first-seen order.
function byOwner(plan: Revocation[]): Map<Address, Revocation[]> {
  const groups = new Map<Address, Revocation[]>();
  for (const revocation of plan) groups.set(revocation.owner, [...(groups.get(revocation.owner) ?? []), revocation]);
  return groups;
}

export async function applyRevocations(
  connection: NetworkConnection<"l1">,
  plan: Revocation[],
  localAccounts: Map<string, LocalAccount>,
): Promise<AppliedRevocations[]> {
  if (!canImpersonate(connection)) {
    throw new Error(`network "${connection.networkName}" is not simulated: owners must send their own revocations; fork it to simulate them`);
  }
  const { viem, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  // Deployed on first use: the simulation needs a BatchRevoker only if some owner's key is local.
  let revoker: Address | undefined;
  const applied: AppliedRevocations[] = [];
  for (const [owner, revocations] of byOwner(plan)) {
    if ((await publicClient.getBalance({ address: owner })) < GAS_MONEY) await networkHelpers.setBalance(owner, GAS_MONEY);
    const account = localAccountFor(localAccounts, owner);
    if (account !== undefined) {
      revoker ??= (await viem.deployContract("BatchRevoker")).address;
      const wallet = await viem.getWalletClient(owner, { account });
      const items = revocations.flatMap((revocation) => revocation.items);
      const { hash, outcomes } = await revokeWithDelegation(wallet, publicClient, { revoker, items });
      applied.push({ owner, method: "eip7702-batch", hashes: [hash], outcomes });
      continue;
    }
    await networkHelpers.impersonateAccount(owner);
    const wallet = await viem.getWalletClient(owner);
    const hashes: Hash[] = [];
    for (const { target, data } of revocations) {
      const hash = await wallet.sendTransaction({ account: owner, to: target, data, chain: wallet.chain });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`revocation by ${owner} on ${target} reverted (tx ${hash})`);
      hashes.push(hash);
    }
    applied.push({ owner, method: "transaction-each", hashes });
  }
  return applied;
}
