import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useConnect, useConnectors } from "wagmi";
import { getAddress, type Address, type Chain, type WalletClient } from "viem";

import { isRiskyApproval, type ApprovalCall, type GradedApproval } from "allowance-router";

import { ApprovalsTable } from "./components/ApprovalsTable.js";
import { BatchPanel, type BatchOutcome } from "./components/BatchPanel.js";
import { FilterBar } from "./components/FilterBar.js";
import { RouterPanel } from "./components/RouterPanel.js";
import { RowActions, RowDetails, type RowAction, type RunAction } from "./components/RowActions.js";
import { ScanStatus } from "./components/ScanStatus.js";
import { Totals } from "./components/Totals.js";
import { WalletBar } from "./components/WalletBar.js";
import { DEMO_CONNECTOR_ID } from "./demo-connector.js";
import { explainError, type Explained } from "./errors.js";
import { download, exportCsv, exportJson } from "./export.js";
import { applyFilters, NO_FILTERS, type Filters } from "./filters.js";
import { useScan } from "./hooks/useScan.js";
import { useWallet } from "./hooks/useWallet.js";
import type { RuntimeConfig } from "./runtime-config.js";

const DONE: Record<RowAction, string> = {
  revoke: "revoked",
  reduce: "reduced",
  "set-expiry": "expiry set",
  "void-permits": "signed permits voided",
};

/** One empty list, so that "no scan yet" is the same value on every render. */
const NO_ENTRIES: GradedApproval[] = [];

function addressFromUrl(): Address | undefined {
  const value = new URLSearchParams(location.search).get("address");
  try {
    return value ? getAddress(value) : undefined;
  } catch {
    return undefined;
  }
}

export function App({ runtime, chain, configProblem }: { runtime: RuntimeConfig; chain: Chain; configProblem: string | null }) {
  const [viewing, setViewing] = useState<Address | undefined>(addressFromUrl);
  const [error, setError] = useState<Explained | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [busyRows, setBusyRows] = useState<ReadonlySet<string>>(new Set());
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, string>>(new Map());
  const filterStarted = useRef<number | null>(null);

  // The demo chain opens already connected to its labelled demo wallet.
  const connectors = useConnectors();
  const connect = useConnect();
  const autoConnected = useRef(false);
  const preWallet = useWallet(undefined);
  useEffect(() => {
    const demo = connectors.find((connector) => connector.id === DEMO_CONNECTOR_ID);
    if (demo === undefined || autoConnected.current || preWallet.connection.isConnected) return;
    autoConnected.current = true;
    connect.mutate({ connector: demo });
  }, [connectors, connect, preWallet.connection.isConnected]);

  const owner = viewing ?? preWallet.connection.address;
  const wallet = useWallet(owner);
  const scan = useScan(owner, runtime.denylist);
  const entries = scan.data?.entries ?? NO_ENTRIES;
  const result = scan.data?.result;
  const now = result?.scannedAt ?? Math.floor(Date.now() / 1000);
  const labelOf = (spender: string) => result?.spenders[spender.toLowerCase()]?.label ?? null;
  const shown = useMemo(() => applyFilters(entries, filters, labelOf), [entries, filters, result]);
  const visibleIds = useMemo(() => (shown.length === entries.length ? null : new Set(shown.map((entry) => entry.approval.id))), [shown, entries]);

  // From the filter's change to the filtered table committed (a layout effect runs right after the commit).
  useLayoutEffect(() => {
    if (filterStarted.current === null) return;
    performance.measure("dashboard:filter", { start: filterStarted.current, end: performance.now() });
    filterStarted.current = null;
  }, [shown]);

  // Selections name approvals by id: ones that are gone after a rescan drop out, the rest stay.
  useEffect(() => {
    if (scan.data === undefined) return;
    const live = new Set(entries.map((entry) => entry.approval.id));
    setSelected((current) => {
      const kept = [...current].filter((id) => live.has(id));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [scan.data]);

  const reportError = (explained: Explained) => {
    setNotice(null);
    setError(explained);
  };

  const run: RunAction = (entry: GradedApproval, action: RowAction, build: () => ApprovalCall) => {
    const id = entry.approval.id;
    let call: ApprovalCall;
    try {
      call = build();
    } catch (problem) {
      reportError(explainError(problem, action));
      return;
    }
    setError(null);
    setBusyRows((current) => new Set(current).add(id));
    wallet
      .sendCall(call)
      .then(async () => {
        setOutcomes((current) => new Map(current).set(id, DONE[action]));
        setNotice(`Done: ${call.description}.`);
        await scan.refetch();
      })
      .catch((problem) => reportError(explainError(problem, call.description)))
      .finally(() =>
        setBusyRows((current) => {
          const next = new Set(current);
          next.delete(id);
          return next;
        }),
      );
  };

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const selectedEntries = entries.filter((entry) => selected.has(entry.approval.id));

  const onBatchOutcomes = (list: BatchOutcome[]) => {
    setOutcomes((current) => {
      const next = new Map(current);
      for (const item of list) next.set(item.id, item.error ? `${item.outcome}: ${item.error}` : item.outcome);
      return next;
    });
  };

  // A table shown from the cached snapshot is still "scanning": complete means this load's scan of the head.
  const tableState = scan.isError && scan.data === undefined ? "error" : !scan.fresh ? (scan.isFetching || scan.data !== undefined ? "scanning" : "loading") : "complete";
  const readOnly = owner !== undefined && !wallet.canAct;

  return (
    <div className="page">
      <WalletBar
        runtime={runtime}
        chain={{ rpcUrl: chain.rpcUrls.default.http[0]!, chainId: chain.id }}
        connected={wallet.connection.address}
        connectorName={wallet.connection.connector?.name}
        isDemo={wallet.isDemo}
        wrongChain={wallet.wrongChain}
        viewing={viewing}
        onView={(address) => {
          setViewing(address);
          setSelected(new Set());
          setOutcomes(new Map());
          history.replaceState(null, "", address ? `?address=${address}` : location.pathname);
        }}
        onError={reportError}
      />
      <main>
        {configProblem ? <p className="banner warn">{configProblem}</p> : null}
        {error ? (
          <div className="banner error" role="alert" data-testid="error-banner">
            <p>
              <strong>{error.what}</strong> {error.todo}
            </p>
            <button type="button" onClick={() => setError(null)}>
              Dismiss
            </button>
          </div>
        ) : null}
        {scan.isError ? (
          <div className="banner error" role="alert" data-testid="scan-error">
            <p>
              <strong>{explainError(scan.error, "scan").what}</strong> {explainError(scan.error, "scan").todo}
            </p>
            <button type="button" onClick={() => void scan.refetch()}>
              Retry the scan
            </button>
          </div>
        ) : null}
        {notice ? (
          <p className="banner ok" role="status" data-testid="notice">
            {notice}
          </p>
        ) : null}
        {owner === undefined ? (
          <p className="banner">Connect a wallet, or type any address above to view its approvals read-only.</p>
        ) : (
          <>
            <p className="owner" data-testid="owner">
              Approvals of <code>{owner}</code>
              {readOnly ? <span className="badge" data-testid="read-only">read-only{wallet.connection.isConnected ? " — not the connected wallet" : ""}</span> : null}
            </p>
            <ScanStatus progress={scan.progress} result={result} fetching={scan.isFetching} />
            <Totals entries={entries} shown={shown.length} />
            <div className="toolbar">
              <FilterBar
                filters={filters}
                onChange={(next) => {
                  filterStarted.current = performance.now();
                  setFilters(next);
                }}
              />
              <div className="toolbar-buttons">
                <button
                  type="button"
                  data-testid="select-risky"
                  disabled={!wallet.canAct}
                  onClick={() => setSelected(new Set(entries.filter(isRiskyApproval).map((entry) => entry.approval.id)))}
                >
                  Select all risky
                </button>
                <button type="button" disabled={selected.size === 0} onClick={() => setSelected(new Set())}>
                  Clear selection
                </button>
                <button type="button" data-testid="export-csv" disabled={result === undefined} onClick={() => download(`approvals-${owner}.csv`, "text/csv", exportCsv(entries))}>
                  Export CSV
                </button>
                <button
                  type="button"
                  data-testid="export-json"
                  disabled={result === undefined}
                  onClick={() => download(`approvals-${owner}.json`, "application/json", exportJson(result!, entries))}
                >
                  Export JSON
                </button>
              </div>
            </div>
            <ApprovalsTable
              entries={entries}
              visibleIds={visibleIds}
              now={now}
              spenders={result?.spenders ?? {}}
              denylist={runtime.denylist}
              state={tableState}
              selected={selected}
              selectable={wallet.canAct}
              onToggle={toggle}
              outcomes={outcomes}
              busy={busyRows}
              actions={(entry) => <RowActions entry={entry} now={now} disabled={!wallet.canAct} busy={busyRows.has(entry.approval.id)} run={run} />}
              details={(entry) => <RowDetails entry={entry} now={now} disabled={!wallet.canAct} busy={busyRows.has(entry.approval.id)} run={run} />}
            />
            {wallet.canAct ? (
              <>
                {/* Docked at the viewport's bottom while rows are selected, so the batch is in reach from anywhere in a long table. */}
                <div className={selected.size > 0 ? "batch-dock docked" : "batch-dock"}>
                  <BatchPanel
                    selected={selectedEntries}
                    context={wallet.context}
                    localKey={wallet.isDemo}
                    onOutcomes={onBatchOutcomes}
                    onError={reportError}
                    onDone={() => void scan.refetch()}
                  />
                </div>
                <div className="panels">
                  <RouterPanel
                    owner={owner}
                    walletClient={wallet.context?.walletClient as unknown as WalletClient | undefined}
                    waitFor={async (hash) => {
                      const receipt = await wallet.context!.publicClient.waitForTransactionReceipt({ hash });
                      if (receipt.status !== "success") throw new Error(`the transaction ${hash} reverted`);
                    }}
                    canAct={wallet.canAct}
                    sendCall={wallet.sendCall}
                    onError={reportError}
                    onNotice={(text) => {
                      setError(null);
                      setNotice(text);
                    }}
                    onChanged={() => void scan.refetch()}
                  />
                </div>
              </>
            ) : null}
          </>
        )}
      </main>
    </div>
  );
}
