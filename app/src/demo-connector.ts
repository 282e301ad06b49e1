import { createConnector } from "wagmi";
import { createWalletClient, http, type Chain, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

export const DEMO_CONNECTOR_ID = "demo-wallet";

/**
 * The seeded demo chain's wallet: a local private key in the page, so it signs transactions,
 * permits and EIP-7702 authorizations itself. It exists only when the server says the chain is
 * the demo chain (config.json `demo`), and its key is a published test key.
 */
export function demoWallet({ privateKey, chain }: { privateKey: Hex; chain: Chain }) {
  const account = privateKeyToAccount(privateKey);
  const client = createWalletClient({ account, chain, transport: http(chain.rpcUrls.default.http[0], { batch: true }) });
  let connected = false;
  return createConnector((config) => ({
    id: DEMO_CONNECTOR_ID,
    name: "Demo wallet (local key, demo chain only)",
    type: "demo",
    async connect() {
      connected = true;
      return { accounts: [account.address], chainId: chain.id } as never;
    },
    async disconnect() {
      connected = false;
    },
    async getAccounts() {
      return connected ? [account.address] : [];
    },
    async getChainId() {
      return chain.id;
    },
    async getProvider() {
      return { request: client.request };
    },
    async getClient() {
      return client as never;
    },
    async isAuthorized() {
      return connected;
    },
    onAccountsChanged() {},
    onChainChanged() {},
    onDisconnect() {
      config.emitter.emit("disconnect");
    },
  }));
}
