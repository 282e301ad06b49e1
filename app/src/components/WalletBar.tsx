import { useState, type FormEvent } from "react";
import { useConnect, useConnectors, useDisconnect, useSwitchChain } from "wagmi";
import { isAddress, type Address } from "viem";

import { DEMO_CONNECTOR_ID } from "../demo-connector.js";
import { saveChainSettings, type ChainSettings, type RuntimeConfig } from "../runtime-config.js";
import { explainError, type Explained } from "../errors.js";

type Props = {
  runtime: RuntimeConfig;
  chain: ChainSettings;
  connected: Address | undefined;
  connectorName: string | undefined;
  isDemo: boolean;
  wrongChain: boolean;
  viewing: Address | undefined;
  onView: (address: Address | undefined) => void;
  onError: (explained: Explained) => void;
};

/** Who the page is looking at and acting as: the connected wallet, or any address read-only; and the chain settings. */
export function WalletBar({ runtime, chain, connected, connectorName, isDemo, wrongChain, viewing, onView, onError }: Props) {
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const switchChain = useSwitchChain();
  const [address, setAddress] = useState(viewing ?? "");
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [rpcUrl, setRpcUrl] = useState(chain.rpcUrl);
  const [chainId, setChainId] = useState(String(chain.chainId));
  const [addressError, setAddressError] = useState<string | null>(null);

  const demo = connectors.find((connector) => connector.id === DEMO_CONNECTOR_ID);
  const injected = connectors.find((connector) => connector.id !== DEMO_CONNECTOR_ID);

  const view = (event: FormEvent) => {
    event.preventDefault();
    const value = address.trim();
    if (value === "") return onView(undefined);
    if (!isAddress(value, { strict: false })) {
      setAddressError(`"${value}" is not an address: paste a 0x-prefixed 20-byte hex address.`);
      return;
    }
    setAddressError(null);
    onView(value as Address);
  };

  const saveSettings = (event: FormEvent) => {
    event.preventDefault();
    const id = Number(chainId);
    try {
      new URL(rpcUrl);
    } catch {
      onError({ what: `"${rpcUrl}" is not a URL.`, todo: "Type the RPC URL, like http://127.0.0.1:8545." });
      return;
    }
    if (!Number.isSafeInteger(id) || id <= 0) {
      onError({ what: `"${chainId}" is not a chain id.`, todo: "Type the chain's number, like 1 or 31337." });
      return;
    }
    saveChainSettings({ rpcUrl, chainId: id });
    location.reload();
  };

  const run = (what: string, promise: Promise<unknown>) => promise.catch((error) => onError(explainError(error, what)));

  return (
    <header className="wallet-bar">
      <h1>Approvals dashboard</h1>
      <div className="wallet" aria-live="polite">
        {connected ? (
          <>
            <span data-testid="connected-as">
              {isDemo ? <span className="badge demo">Demo wallet</span> : <span className="badge">{connectorName}</span>} <code>{connected}</code>
            </span>
            <button type="button" onClick={() => disconnect.mutate()}>
              Disconnect
            </button>
          </>
        ) : (
          <>
            {demo ? (
              <button type="button" data-testid="connect-demo" onClick={() => void run("connect the demo wallet", connect.mutateAsync({ connector: demo }))}>
                Connect demo wallet (local test key)
              </button>
            ) : null}
            {injected ? (
              <button type="button" data-testid="connect-injected" onClick={() => void run("connect your wallet", connect.mutateAsync({ connector: injected }))}>
                Connect browser wallet
              </button>
            ) : null}
          </>
        )}
        {wrongChain ? (
          <span className="warn" role="alert">
            Your wallet is on another chain.{" "}
            <button type="button" onClick={() => void run("switch chain", switchChain.mutateAsync({ chainId: chain.chainId }))}>
              Switch to chain {chain.chainId}
            </button>
          </span>
        ) : null}
      </div>
      <form className="view" onSubmit={view} aria-label="View any address read-only">
        <label>
          View address (read-only)
          <input data-testid="view-address" value={address} placeholder="0x…" onChange={(event) => setAddress(event.target.value)} aria-invalid={addressError !== null} aria-describedby="view-error" />
        </label>
        <button type="submit" data-testid="view-submit">View</button>
        {viewing ? (
          <button type="button" onClick={() => { setAddress(""); onView(undefined); }}>
            Back to my wallet
          </button>
        ) : null}
        <span id="view-error" className="field-error" role={addressError ? "alert" : undefined}>
          {addressError}
        </span>
      </form>
      <div className="chain">
        <span data-testid="chain-info">
          {runtime.demo ? "Demo chain" : `Chain ${chain.chainId}`} · <code>{chain.rpcUrl}</code>
        </span>
        {runtime.demo === null ? (
          <button type="button" aria-expanded={settingsOpen} onClick={() => setSettingsOpen(!settingsOpen)} data-testid="settings-toggle">
            Settings
          </button>
        ) : null}
      </div>
      {settingsOpen ? (
        <form className="settings" onSubmit={saveSettings} aria-label="Chain settings" data-testid="settings">
          <label>
            RPC URL
            <input value={rpcUrl} onChange={(event) => setRpcUrl(event.target.value)} data-testid="settings-rpc" />
          </label>
          <label>
            Chain id
            <input inputMode="numeric" value={chainId} onChange={(event) => setChainId(event.target.value)} data-testid="settings-chain" />
          </label>
          <button type="submit" data-testid="settings-save">Save and reload</button>
          <button type="button" onClick={() => { saveChainSettings(null); location.reload(); }}>
            Reset to the server's
          </button>
        </form>
      ) : null}
    </header>
  );
}
