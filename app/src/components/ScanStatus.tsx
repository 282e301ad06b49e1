import type { ScanProgress, ScanResult } from "allowance-router";

const PHASES: Record<ScanProgress["phase"], string> = {
  logs: "Reading approval logs",
  confirm: "Confirming current values on-chain",
  usage: "Attributing transfers to spenders",
  spenders: "Checking spender contracts",
};

/** The scan's progress bar (blocks done / total) and, when done, what the last scan read. */
export function ScanStatus({ progress, result, fetching }: { progress: ScanProgress | null; result: ScanResult | undefined; fetching: boolean }) {
  // Blocks read: while reading logs, done / total; past that phase, all of them. Idle, the bar is
  // full only over a finished scan: a failed first scan leaves it empty, not where it stopped.
  const logs = fetching && progress?.phase === "logs" ? progress : null;
  const max = logs ? Number(logs.total) : 1;
  const value = logs ? Number(logs.done) : (fetching ? progress !== null : result !== undefined) ? 1 : 0;
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
