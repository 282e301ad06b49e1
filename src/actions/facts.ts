import { isAddressEqual, type Address, type PublicClient } from "viem";
import { getCapabilities, getDelegation } from "viem/actions";

import type { AnyWalletClient } from "../revoke/delegation.js";
import { errorSummary } from "./text.js";

/** What the chain and the wallet say, before any way of revoking is tried. */
export type PlanningFacts = {
  chainId: number;
  /** The latest block's time: signatures' deadlines count from it. */
  chainTime: bigint;
  owner: Address;
  /** A local private key: it can sign EIP-7702 authorizations. */
  local: boolean;
  account: { kind: "eoa" } | { kind: "delegated"; delegate: Address } | { kind: "contract" };
  revoker: Address;
  revokerDeployed: boolean;
  /** A relayer other than the owner, or null. */
  relayer: AnyWalletClient | null;
  /** null when the wallet answers EIP-5792 wallet_getCapabilities; otherwise why it cannot batch calls. */
  walletCallsUnsupported: string | null;
};

export async function gatherFacts(options: {
  publicClient: PublicClient;
  walletClient: AnyWalletClient;
  revoker: Address;
  relayer: AnyWalletClient | undefined;
  checkWalletCalls: boolean;
}): Promise<PlanningFacts> {
  const { publicClient, walletClient, revoker } = options;
  const owner = walletClient.account.address;
  const [chainId, block, ownerCode, delegate, revokerCode] = await Promise.all([
    publicClient.getChainId(),
    publicClient.getBlock({ blockTag: "latest" }),
    publicClient.getCode({ address: owner }),
    getDelegation(publicClient, { address: owner }),
    publicClient.getCode({ address: revoker }),
  ]);
  const account: PlanningFacts["account"] =
    delegate !== undefined
      ? { kind: "delegated", delegate }
      : ownerCode === undefined || ownerCode === "0x"
        ? { kind: "eoa" }
        : { kind: "contract" };
  const relayer = options.relayer;
  return {
    chainId,
    chainTime: block.timestamp,
    owner,
    local: walletClient.account.type === "local",
    account,
    revoker,
    revokerDeployed: revokerCode !== undefined && revokerCode !== "0x",
    relayer: relayer !== undefined && !isAddressEqual(relayer.account.address, owner) ? relayer : null,
    walletCallsUnsupported: options.checkWalletCalls ? await walletCallsSupport(walletClient, chainId) : "not asked",
  };
}

async function walletCallsSupport(walletClient: AnyWalletClient, chainId: number): Promise<string | null> {
  try {
    await getCapabilities(walletClient, { account: walletClient.account, chainId });
    return null;
  } catch (error) {
    return `the wallet does not support EIP-5792: wallet_getCapabilities failed with "${errorSummary(error)}"`;
  }
}
