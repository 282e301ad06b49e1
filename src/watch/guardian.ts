import { getAddress, isAddressEqual, type Address, type Chain, type Hex, type PublicClient, type Transport, type WalletClient } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";

import { allowanceRouterAbi } from "../abi/allowanceRouter.js";
import type { WatchedApproval } from "./types.js";

/** The service's own key, appointed by owners as their revoke-only guardian. */
export interface GuardianSigner {
  account: PrivateKeyAccount;
  wallet: WalletClient<Transport, Chain | undefined, PrivateKeyAccount>;
}

export interface GuardianRevocation {
  owner: Address;
  router: Address;
  transactionHash: Hex;
  status: "success" | "reverted";
  approvals: WatchedApproval[];
}

const lower = (address: string) => address.toLowerCase();

/**
 * Revokes, as guardian, the router grants among `approvals` whose owner appointed `signer` on
 * that router (`settingsOf(owner).guardian`): one `lockdownFor(owner, pairs)` per owner and
 * router, which also voids the pairs' pending signed permits. Grants of owners who did not
 * appoint the key, and routers without a guardian (Permit2), are left alone. Returns the mined
 * transactions.
 */
export async function revokeRouterGrantsAsGuardian(
  client: PublicClient,
  signer: GuardianSigner,
  approvals: readonly WatchedApproval[],
): Promise<GuardianRevocation[]> {
  const groups = new Map<string, WatchedApproval[]>();
  for (const approval of approvals) {
    if (approval.kind !== "router" || approval.router === null || !approval.live) continue;
    const key = `${lower(approval.owner)}:${lower(approval.router)}`;
    const group = groups.get(key) ?? [];
    if (!group.some((known) => known.id === approval.id)) group.push(approval);
    groups.set(key, group);
  }
  const revocations: GuardianRevocation[] = [];
  for (const group of groups.values()) {
    const { owner, router } = group[0]! as WatchedApproval & { router: Address };
    const guardian = await client
      .readContract({ address: router, abi: allowanceRouterAbi, functionName: "settingsOf", args: [owner] })
      .then(([appointed]) => appointed as Address)
      .catch(() => null); // a router without guardians (Permit2)
    if (guardian === null || !isAddressEqual(guardian, signer.account.address)) continue;
    const pairs = group.map((approval) => ({ token: getAddress(approval.token), spender: getAddress(approval.spender) }));
    const transactionHash = await signer.wallet.writeContract({
      address: router,
      abi: allowanceRouterAbi,
      functionName: "lockdownFor",
      args: [owner, pairs],
      account: signer.account,
      chain: signer.wallet.chain,
    });
    const receipt = await client.waitForTransactionReceipt({ hash: transactionHash, pollingInterval: 100 });
    revocations.push({ owner, router, transactionHash, status: receipt.status, approvals: group });
  }
  return revocations;
}
