import { createConfig, http, injected } from "wagmi";
import { defineChain, type Chain } from "viem";

import { demoWallet } from "./demo-connector.js";
import type { ChainSettings, RuntimeConfig } from "./runtime-config.js";

export function chainFor({ rpcUrl, chainId }: ChainSettings, demo: boolean): Chain {
  return defineChain({
    id: chainId,
    name: demo ? "Demo chain" : `Chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/** wagmi on one chain: the demo wallet when served with one, and any injected EIP-1193 wallet. */
export function createWagmiConfig(config: RuntimeConfig, chain: Chain) {
  const connectors = [
    ...(config.demo === null ? [] : [demoWallet({ privateKey: config.demo.privateKey, chain })]),
    injected({ shimDisconnect: true }),
  ];
  return createConfig({
    chains: [chain],
    connectors,
    transports: { [chain.id]: http(chain.rpcUrls.default.http[0], { batch: true }) },
    multiInjectedProviderDiscovery: false,
    pollingInterval: 1_000,
  });
}
