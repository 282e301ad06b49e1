import { useState, type FormEvent } from "react";
import { parseUnits } from "viem";

import {
  formatTokenAmount,
  reduceApprovalCall,
  revokeApprovalCall,
  setExpiryCall,
  voidSignedPermitsCall,
  type ApprovalCall,
  type GradedApproval,
} from "allowance-router";

import { isoTime, shortAddress, tokenName } from "../format.js";

export type RowAction = "revoke" | "reduce" | "set-expiry" | "void-permits";
/** Runs one row action: `build` makes the SDK call (it may throw on bad input, shown as an error). */
export type RunAction = (entry: GradedApproval, action: RowAction, build: () => ApprovalCall) => void;

type Props = { entry: GradedApproval; now: number; disabled: boolean; busy: boolean; run: RunAction };

const rowName = (entry: GradedApproval) => `${tokenName(entry.approval)} for ${shortAddress(entry.approval.spender)}`;
const canReduce = (entry: GradedApproval) => entry.approval.kind === "erc20" || entry.approval.kind === "router";
const isGrant = (entry: GradedApproval) => entry.approval.kind === "router";
const DAY = 86_400;

/** The row's one-click buttons: Revoke, and the recommendation (Reduce to N / Set expiry) when it has one. */
export function RowActions({ entry, now, disabled, busy, run }: Props) {
  const { approval, recommendation } = entry;
  const name = rowName(entry);
  return (
    <div className="row-actions">
      <button type="button" className="danger" disabled={disabled || busy} onClick={() => run(entry, "revoke", () => revokeApprovalCall(approval))}>
        {busy ? "Working…" : "Revoke"}
        <span className="sr-only"> {name}</span>
      </button>
      {recommendation.action === "reduce" && canReduce(entry) ? (
        <button type="button" disabled={disabled || busy} onClick={() => run(entry, "reduce", () => reduceApprovalCall(approval, recommendation.amount))}>
          Reduce to {formatTokenAmount(recommendation.amount, approval.token.decimals, approval.token.symbol)}
          <span className="sr-only"> ({name})</span>
        </button>
      ) : null}
      {recommendation.action === "set-expiry" && isGrant(entry) ? (
        <button
          type="button"
          disabled={disabled || busy}
          onClick={() => run(entry, "set-expiry", () => setExpiryCall(approval, now + recommendation.expiresInSeconds, now))}
        >
          Set expiry in {Math.round(recommendation.expiresInSeconds / DAY)}d<span className="sr-only"> ({name})</span>
        </button>
      ) : null}
    </div>
  );
}

/** A row's details: every risk reason, the recommendation's reason, and the forms for other amounts and expiries. */
export function RowDetails({ entry, now, disabled, busy, run }: Props) {
  const { approval, risk, recommendation } = entry;
  const name = rowName(entry);
  const [amount, setAmount] = useState("");
  const [days, setDays] = useState("30");
  const reduce = (event: FormEvent) => {
    event.preventDefault();
    run(entry, "reduce", () => reduceApprovalCall(approval, parseUnits(amount.trim() || "x", approval.token.decimals ?? 0)));
  };
  const expire = (event: FormEvent) => {
    event.preventDefault();
    run(entry, "set-expiry", () => setExpiryCall(approval, now + Math.round(Number(days) * DAY), now));
  };
  return (
    <div className="row-details">
      <div>
        <h3>Why {risk.level} ({risk.score})</h3>
        <ul data-testid="risk-reasons">
          {risk.factors.map((factor) => (
            <li key={factor.name}>
              <strong>{factor.name}</strong> (+{factor.weight}): {factor.reason}
            </li>
          ))}
          {risk.factors.length === 0 ? <li>No risk factor applies.</li> : null}
        </ul>
        <p>
          <strong>Recommendation:</strong> {recommendation.reason}
        </p>
        <p className="muted">
          Granted in block {String(approval.grantedAt.blockNumber)} ({isoTime(approval.grantedAt.timestamp)}); {approval.pulls.length} pulls seen.
          {approval.router ? ` Held by ${approval.router}.` : ""}
          {approval.nonce !== null ? ` Permit nonce ${approval.nonce}.` : ""}
        </p>
      </div>
      <div className="forms">
        {canReduce(entry) ? (
          <form onSubmit={reduce} aria-label={`Reduce ${name}`}>
            <label>
              New amount ({approval.token.symbol ?? "units"})
              <input inputMode="decimal" required value={amount} onChange={(event) => setAmount(event.target.value)} data-testid="reduce-amount" />
            </label>
            <button type="submit" disabled={disabled || busy}>
              Reduce to this amount<span className="sr-only"> ({name})</span>
            </button>
          </form>
        ) : null}
        {isGrant(entry) ? (
          <>
            <form onSubmit={expire} aria-label={`Set expiry of ${name}`}>
              <label>
                Expire in (days)
                <input inputMode="decimal" required value={days} onChange={(event) => setDays(event.target.value)} data-testid="expiry-days" />
              </label>
              <button type="submit" disabled={disabled || busy}>
                Set expiry<span className="sr-only"> of {name}</span>
              </button>
            </form>
            <button type="button" disabled={disabled || busy} onClick={() => run(entry, "void-permits", () => voidSignedPermitsCall(approval))}>
              Void signed permits<span className="sr-only"> of {name}</span>
            </button>
          </>
        ) : null}
      </div>
    </div>
  );
}
