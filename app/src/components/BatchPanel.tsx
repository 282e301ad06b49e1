import { useRef, useState } from "react";

import {
  planRouteOptions,
  sendQueuedTransaction,
  sendRevocations,
  type GradedApproval,
  type RevocationResult,
  type RevocationVia,
  type RouteOption,
} from "allowance-router";

import { explainError, type Explained } from "../errors.js";
import { shortAddress, tokenName } from "../format.js";
import type { OwnerContext } from "../hooks/useWallet.js";

const VIA_LABELS: Record<RevocationVia, string> = {
  "7702": "EIP-7702 batch through BatchRevoker (one transaction)",
  "5792": "Wallet batch (EIP-5792 wallet_sendCalls)",
  permit: "Relayed zero-value permits (one signature per permit token) + transactions for the rest",
  lockdown: "One router/Permit2 lockdown per router (grant rows only)",
  tx: "Queue of single transactions (pause and resume)",
};

export type BatchOutcome = { id: string; label: string; outcome: RevocationResult["outcome"]; error: string | null };

type Props = {
  selected: GradedApproval[];
  context: OwnerContext | undefined;
  /** The demo wallet's local key can sign EIP-7702 authorizations and permits without prompts. */
  localKey: boolean;
  onOutcomes: (outcomes: BatchOutcome[]) => void;
  onError: (explained: Explained) => void;
  onDone: () => void;
};

const gas = (value: bigint) => value.toLocaleString("en-US");

/**
 * Batch revocation: compares every way of revoking the selection (estimated gas and wallet
 * prompts, from the SDK's planner), sends the chosen one, and reports each row's outcome. The
 * queue of single transactions shows progress and can be paused and resumed.
 */
export function BatchPanel({ selected, context, localKey, onOutcomes, onError, onDone }: Props) {
  const [options, setOptions] = useState<RouteOption[] | null>(null);
  const [planning, setPlanning] = useState(false);
  const [via, setVia] = useState<RevocationVia | null>(null);
  const [includePermits, setIncludePermits] = useState(false);
  const [sending, setSending] = useState(false);
  const [queue, setQueue] = useState<{ done: number; total: number; paused: boolean } | null>(null);
  const [results, setResults] = useState<BatchOutcome[]>([]);
  const pauseRequested = useRef(false);
  const resumeFrom = useRef<{ plan: Extract<RouteOption, { available: true }>["plan"]; next: number; ids: string[] } | null>(null);
  const selectionKey = selected.map((entry) => entry.approval.id).join("|");
  const plannedFor = useRef<string>("");

  if (options !== null && plannedFor.current !== selectionKey && !sending) {
    // The selection changed since the comparison: it no longer applies.
    setOptions(null);
    setVia(null);
  }

  const compare = async () => {
    if (context === undefined) return;
    setPlanning(true);
    try {
      const vias: RevocationVia[] = localKey
        ? ["7702", "5792", "permit", "lockdown", "tx"]
        : includePermits
          ? ["5792", "permit", "lockdown", "tx"]
          : ["5792", "lockdown", "tx"];
      const { walletClient, ...rest } = context;
      const planned = await planRouteOptions(walletClient, { ...rest, approvals: selected.map((entry) => entry.approval), vias });
      plannedFor.current = selectionKey;
      setOptions(planned);
      const best = planned
        .filter((option): option is Extract<RouteOption, { available: true }> => option.available)
        .sort((a, b) => a.plan.route.costs.expectedFailures - b.plan.route.costs.expectedFailures || a.plan.route.costs.ownerRequests - b.plan.route.costs.ownerRequests)[0];
      setVia(best?.via ?? null);
    } catch (error) {
      onError(explainError(error, "plan the batch"));
    } finally {
      setPlanning(false);
    }
  };

  const finish = (outcomes: BatchOutcome[]) => {
    setResults(outcomes);
    onOutcomes(outcomes);
    onDone();
  };

  const toOutcomes = (ids: string[], list: RevocationResult[], offset = 0): BatchOutcome[] =>
    list.map((result, index) => {
      const entry = selected.find((candidate) => candidate.approval.id === ids[index + offset]);
      return {
        id: ids[index + offset]!,
        label: entry ? `${tokenName(entry.approval)} → ${shortAddress(entry.approval.spender)}` : ids[index + offset]!,
        outcome: result.outcome,
        error: result.error,
      };
    });

  const runQueue = async (plan: Extract<RouteOption, { available: true }>["plan"], start: number, ids: string[], sofar: BatchOutcome[]) => {
    const total = plan.route.transactions.length;
    const outcomes = [...sofar];
    for (let index = start; index < total; index++) {
      if (pauseRequested.current) {
        resumeFrom.current = { plan, next: index, ids };
        setQueue({ done: index, total, paused: true });
        setResults(outcomes);
        onOutcomes(outcomes);
        return;
      }
      setQueue({ done: index, total, paused: false });
      const transaction = plan.route.transactions[index]!;
      let report;
      try {
        report = await sendQueuedTransaction(context!.walletClient, { publicClient: context!.publicClient, plan, index });
      } catch (error) {
        pauseRequested.current = true;
        onError(explainError(error, `send transaction ${index + 1} of ${total}`));
        index--;
        continue;
      }
      if (report.results.some((result) => result.outcome === "not-sent" && /reject|denied/i.test(result.error ?? ""))) {
        // The user said no in the wallet: pause here; Resume asks for this transaction again.
        pauseRequested.current = true;
        onError({ what: `You rejected transaction ${index + 1} of ${total} in your wallet; nothing was sent.`, todo: "Resume the queue when you are ready, or pick another way." });
        index--;
        continue;
      }
      const itemIds = transaction.itemIndexes.map((itemIndex) => ids[itemIndex]!);
      outcomes.push(...toOutcomes(itemIds, report.results));
    }
    resumeFrom.current = null;
    setQueue({ done: total, total, paused: false });
    finish(outcomes);
  };

  const send = async () => {
    const option = options?.find((candidate) => candidate.via === via);
    if (context === undefined || option === undefined || !option.available) return;
    const ids = selected.map((entry) => entry.approval.id);
    setSending(true);
    setResults([]);
    try {
      if (option.via === "tx" || option.via === "lockdown") {
        pauseRequested.current = false;
        await runQueue(option.plan, 0, ids, []);
      } else {
        const report = await sendRevocations(context.walletClient, { publicClient: context.publicClient, relayer: context.relayer, plan: option.plan });
        finish(toOutcomes(ids, report.results));
      }
    } catch (error) {
      onError(explainError(error, `revoke ${ids.length} approvals via ${option.via}`));
    } finally {
      setSending(false);
    }
  };

  const resume = async () => {
    const from = resumeFrom.current;
    if (from === null) return;
    pauseRequested.current = false;
    setSending(true);
    try {
      await runQueue(from.plan, from.next, from.ids, results);
    } finally {
      setSending(false);
    }
  };

  const chosen = options?.find((option) => option.via === via);
  return (
    <section className="batch" data-testid="batch-panel" aria-labelledby="batch-title">
      <h2 id="batch-title">Batch revoke: {selected.length} selected</h2>
      {context === undefined ? <p className="muted">Connect the owner's wallet to revoke.</p> : null}
      {!localKey ? (
        <label className="check">
          <input type="checkbox" checked={includePermits} onChange={(event) => setIncludePermits(event.target.checked)} data-testid="include-permits" />
          Also estimate relayed permits (your wallet asks for one signature per permit token while estimating)
        </label>
      ) : null}
      <button type="button" data-testid="batch-compare" disabled={context === undefined || selected.length === 0 || planning || sending} onClick={() => void compare()}>
        {planning ? "Estimating every way…" : "Compare ways to revoke"}
      </button>
      {options !== null ? (
        <fieldset className="routes">
          <legend>Ways to revoke (estimated before sending)</legend>
          {options.map((option) => (
            <label key={option.via} className={`route ${option.available ? "" : "unavailable"}`} data-testid="route-option" data-via={option.via} data-available={option.available}>
              <input type="radio" name="via" value={option.via} disabled={!option.available || sending} checked={via === option.via} onChange={() => setVia(option.via)} />
              <span className="route-name">{VIA_LABELS[option.via]}</span>
              {option.available ? (
                <span className="route-cost" data-testid="route-cost">
                  ≈ {gas(option.plan.route.costs.ownerGas)} gas
                  {option.plan.route.costs.totalGas > option.plan.route.costs.ownerGas ? ` (+${gas(option.plan.route.costs.totalGas - option.plan.route.costs.ownerGas)} relayed)` : ""},{" "}
                  {option.plan.route.costs.ownerRequests} wallet prompt{option.plan.route.costs.ownerRequests === 1 ? "" : "s"}
                  {option.plan.route.costs.expectedFailures > 0 ? `, ${option.plan.route.costs.expectedFailures} expected to stay live` : ""}
                </span>
              ) : (
                <span className="route-cost">not available: {option.reason}</span>
              )}
            </label>
          ))}
        </fieldset>
      ) : null}
      {chosen?.available ? (
        <button type="button" className="danger" data-testid="batch-send" disabled={sending || context === undefined} onClick={() => void send()}>
          {sending ? "Revoking…" : `Revoke ${selected.length} approvals via ${chosen.via}`}
        </button>
      ) : null}
      {queue !== null ? (
        <div className="queue" data-testid="queue">
          <progress max={queue.total} value={queue.done} aria-label="Transactions sent" />
          <span>
            {queue.done} / {queue.total} transactions {queue.paused ? "— paused" : ""}
          </span>
          {sending && !queue.paused ? (
            <button type="button" data-testid="queue-pause" onClick={() => (pauseRequested.current = true)}>
              Pause
            </button>
          ) : null}
          {queue.paused ? (
            <button type="button" data-testid="queue-resume" onClick={() => void resume()}>
              Resume
            </button>
          ) : null}
        </div>
      ) : null}
      {results.length > 0 ? (
        <ul className="results" data-testid="batch-results" aria-live="polite">
          {results.map((result) => (
            <li key={result.id} data-testid="batch-outcome" data-approval-id={result.id} data-outcome={result.outcome}>
              <strong>{result.outcome}</strong> {result.label}
              {result.error ? `: ${result.error}` : ""}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
