import { createPublicClient, createWalletClient, defineChain, http, type Chain, type PublicClient, type Transport, type WalletClient } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";

import { RpcUnreachableError, WrongChainError } from "../scan/errors.js";
import { describeRpcFailure } from "../scan/rpc-errors.js";

/** How often to poll for receipts: fine on a local node, cheap on a live one. */
const POLLING_INTERVAL_MS = 500;

export type Connection = {
  chainId: number;
  chain: Chain;
  publicClient: PublicClient;
  walletFor(account: PrivateKeyAccount): WalletClient<Transport, Chain, PrivateKeyAccount>;
};

/**
 * Clients for the node at `rpcUrl`, once it has answered eth_chainId (and, with `expectedChainId`,
 * answered with that chain): an unreachable node or the wrong chain is bad input.
 */
export async function connect(rpcUrl: string, expectedChainId: number | undefined): Promise<Connection> {
  try {
    new URL(rpcUrl);
  } catch {
    throw new RpcUnreachableError(rpcUrl, "not a URL");
  }
  const transport = http(rpcUrl, { batch: true, retryCount: 0 });
  let chainId: number;
  try {
    chainId = await createPublicClient({ transport }).getChainId();
  } catch (error) {
    throw new RpcUnreachableError(rpcUrl, describeRpcFailure(error), error);
  }
  if (expectedChainId !== undefined && expectedChainId !== chainId) throw new WrongChainError(expectedChainId, chainId);
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  return {
    chainId,
    chain,
    publicClient: createPublicClient({ chain, transport, pollingInterval: POLLING_INTERVAL_MS }),
    walletFor: (account) => createWalletClient({ account, chain, transport, pollingInterval: POLLING_INTERVAL_MS }),
  };
}
