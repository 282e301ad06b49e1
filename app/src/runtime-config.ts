import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";

import type { DenylistEntry } from "allowance-router";

/** What the server tells the page at GET /config.json. */
export type RuntimeConfig = {
  /** Null when the server leaves the chain to the user (`allowance dashboard` without --rpc): the page asks. */
  rpcUrl: string | null;
  chainId: number | null;
  /** The seeded demo chain's wallet: only then does the page offer the local-key demo connector. */
  demo: { address: Address; privateKey: Hex } | null;
  /** Spenders denylisted on this chain besides the bundled list (the demo chain's own). */
  denylist: DenylistEntry[];
};

/** The user's own RPC URL and chain (settings), remembered in localStorage; only used without a demo wallet. */
export type ChainSettings = { rpcUrl: string; chainId: number };

const SETTINGS_KEY = "allowance-router:chain-settings";
const DEFAULT_CHAIN: ChainSettings = { rpcUrl: "http://127.0.0.1:8545", chainId: 31337 };
const FALLBACK: RuntimeConfig = { ...DEFAULT_CHAIN, demo: null, denylist: [] };

export function parseRuntimeConfig(value: unknown): RuntimeConfig {
  const config = value as Partial<RuntimeConfig> | null;
  if (config === null || typeof config !== "object") throw new Error("/config.json is not a JSON object");
  const rpcUrl = config.rpcUrl ?? null;
  const chainId = config.chainId ?? null;
  if (rpcUrl !== null && typeof rpcUrl !== "string") throw new Error("/config.json has an rpcUrl that is not a string");
  if (chainId !== null && (!Number.isSafeInteger(chainId) || chainId <= 0)) throw new Error("/config.json has no valid chainId");
  const demo = config.demo ?? null;
  if (demo !== null && (!isAddress(demo.address, { strict: false }) || !isHex(demo.privateKey))) {
    throw new Error("/config.json has a demo wallet without a valid address and private key");
  }
  if (demo !== null && (rpcUrl === null || chainId === null)) throw new Error("/config.json has a demo wallet but no demo chain");
  return {
    rpcUrl,
    chainId,
    demo: demo === null ? null : { address: getAddress(demo.address), privateKey: demo.privateKey },
    denylist: Array.isArray(config.denylist) ? config.denylist : [],
  };
}

/** The server's config, or (no server config, e.g. under `vite dev`) a local node's defaults. */
export async function loadRuntimeConfig(): Promise<{ config: RuntimeConfig; problem: string | null }> {
  try {
    const response = await fetch("./config.json", { cache: "no-store" });
    if (!response.ok) throw new Error(`GET /config.json answered ${response.status}`);
    return { config: parseRuntimeConfig(await response.json()), problem: null };
  } catch (error) {
    return { config: FALLBACK, problem: `${(error as Error).message}; using ${FALLBACK.rpcUrl} (chain ${FALLBACK.chainId}) — change it in Settings.` };
  }
}

export function savedChainSettings(): ChainSettings | null {
  try {
    const saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "null") as ChainSettings | null;
    if (saved === null || typeof saved.rpcUrl !== "string" || !Number.isSafeInteger(saved.chainId)) return null;
    return saved;
  } catch {
    return null;
  }
}

export function saveChainSettings(settings: ChainSettings | null): void {
  if (settings === null) localStorage.removeItem(SETTINGS_KEY);
  else localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
}

/** The chain the page talks to: the demo chain as served, else the user's settings over the server's defaults. */
export function effectiveChain(config: RuntimeConfig): ChainSettings & { fromServer: boolean } {
  if (config.demo !== null) return { rpcUrl: config.rpcUrl!, chainId: config.chainId!, fromServer: true };
  const saved = savedChainSettings();
  if (saved !== null) return { ...saved, fromServer: false };
  if (config.rpcUrl !== null && config.chainId !== null) return { rpcUrl: config.rpcUrl, chainId: config.chainId, fromServer: true };
  return { ...DEFAULT_CHAIN, fromServer: false };
}
