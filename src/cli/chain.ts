import { createPublicClient, createWalletClient, defineChain, http, type Chain, type PublicClient, type Transport, type WalletClient } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";

import { REQUEST_TIMEOUT_MS } from "../scan/client.js";
import { rpcFailureError, UnsupportedRpcUrlError, WrongChainError } from "../scan/errors.js";
import { rpcUrlProblem } from "../scan/rpc-errors.js";

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
  const problem = rpcUrlProblem(rpcUrl);
  if (problem !== null) throw new UnsupportedRpcUrlError(rpcUrl, problem);
  const transport = http(rpcUrl, { batch: true, retryCount: 0, timeout: REQUEST_TIMEOUT_MS });
  let chainId: number;
  try {
    chainId = await createPublicClient({ transport }).getChainId();
  } catch (error) {
    throw rpcFailureError(rpcUrl, error);
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
