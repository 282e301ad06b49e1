import type { ScanProgress, ScanResult } from "allowance-router";

const PHASES: Record<ScanProgress["phase"], string> = {
  logs: "Reading approval logs",
  confirm: "Confirming current values on-chain",
  usage: "Attributing transfers to spenders",
  spenders: "Checking spender contracts",
};

/** The scan's progress bar (blocks done / total) and, when done, what the last scan read. */
export function ScanStatus({ progress, result, fetching }: { progress: ScanProgress | null; result: ScanResult | undefined; fetching: boolean }) {
  const logs = progress?.phase === "logs" ? progress : null;
  const max = logs ? Number(logs.total) : 1;
  const value = logs ? Number(logs.done) : fetching ? 0 : 1;
  return (
    <section className="scan-status" aria-label="Scan">
      <div
        data-testid="scan-progress"
        role="progressbar"
        aria-label="Scan progress, blocks read"
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        className={`progress ${fetching ? "busy" : ""}`}
      >
        <div className="bar" style={{ width: `${max === 0 ? 100 : Math.round((value / max) * 100)}%` }} />
      </div>
      <p data-testid="scan-status" aria-live="polite">
        {fetching && progress
          ? `${PHASES[progress.phase]}: ${progress.done} / ${progress.total}${progress.phase === "logs" ? " blocks" : ""}`
          : fetching
            ? "Starting the scan…"
            : result
              ? `Blocks ${result.fromBlock}–${result.toBlock}: ${result.stats.blocksScanned} read now, the rest from the cache; ${result.stats.logRequests} log requests, ${result.stats.logsFetched} logs.`
              : "Not scanned yet."}
      </p>
    </section>
  );
}
