import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { WagmiProvider } from "wagmi";

import { App } from "./App.js";
import { effectiveChain, loadRuntimeConfig } from "./runtime-config.js";
import "./styles.css";
import { scanCache } from "./scan-cache.js";
import { chainFor, createWagmiConfig } from "./wagmi-config.js";

// Open IndexedDB (the scan cache) while config.json is on its way, not after.
void scanCache();
const { config, problem } = await loadRuntimeConfig();
const chainSettings = effectiveChain(config);
const chain = chainFor(chainSettings, config.demo !== null);
const askForChain = config.demo === null && !chainSettings.fromServer && config.rpcUrl === null;
const wagmiConfig = createWagmiConfig(config, chain);
// Scans are refreshed by new blocks, not by focus or a timer; failed ones are retried by the user.
const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false, retry: false, staleTime: Infinity } },
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <WagmiProvider config={wagmiConfig}>
      <QueryClientProvider client={queryClient}>
        <App runtime={config} chain={chain} configProblem={problem ?? (askForChain ? "No chain configured: open Settings and give the RPC URL and chain id of the chain to scan." : null)} />
      </QueryClientProvider>
    </WagmiProvider>
  </StrictMode>,
);
