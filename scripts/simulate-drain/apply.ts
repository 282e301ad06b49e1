// Sends a revocation plan from each owner's own address on a simulated network (in-process or
// a fork), impersonating owners whose keys are not configured. On a live network nothing is
// sent: the owners must sign their own revocations.
import type { NetworkConnection } from "hardhat/types/network";
import { parseEther } from "viem";

import type { Revocation } from "./revocations.js";

/// Enough ETH for an impersonated owner to pay for its revocations.
const GAS_MONEY = parseEther("1");

export function canImpersonate(connection: NetworkConnection<"l1">): boolean {
  return connection.networkConfig.type === "edr-simulated";
}

export async function applyRevocations(connection: NetworkConnection<"l1">, plan: Revocation[]): Promise<void> {
  if (!canImpersonate(connection)) {
    throw new Error(`network "${connection.networkName}" is not simulated: owners must send their own revocations; fork it to simulate them`);
  }
  const { viem, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  for (const { owner, target, data } of plan) {
    await networkHelpers.impersonateAccount(owner);
    if ((await publicClient.getBalance({ address: owner })) < GAS_MONEY) await networkHelpers.setBalance(owner, GAS_MONEY);
    const wallet = await viem.getWalletClient(owner);
    const hash = await wallet.sendTransaction({ account: owner, to: target, data, chain: wallet.chain });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`revocation by ${owner} on ${target} reverted (tx ${hash})`);
  }
}
