import { useState, type FormEvent } from "react";
import { useReadContract } from "wagmi";
import { erc20Abi, isAddress, parseUnits, zeroAddress, type Address, type Hash, type WalletClient } from "viem";

import {
  ALLOWANCE_ROUTER_ADDRESS,
  grant,
  grantByPermit,
  setGuardianCall,
  setMaxDurationCall,
  type ApprovalCall,
} from "allowance-router";
import { allowanceRouterAbi } from "allowance-router/abi";

import { explainError, type Explained } from "../errors.js";
import { shortAddress } from "../format.js";

type Props = {
  owner: Address;
  walletClient: WalletClient | undefined;
  /** Waits for a transaction's receipt; throws if it reverted. */
  waitFor: (hash: Hash) => Promise<unknown>;
  canAct: boolean;
  sendCall: (call: ApprovalCall) => Promise<unknown>;
  onError: (explained: Explained) => void;
  onNotice: (text: string) => void;
  onChanged: () => void;
};

const DAY = 86_400;

/** The owner's AllowanceRouter settings (duration cap, guardian) and a form for an expiring grant. */
export function RouterPanel({ owner, walletClient, waitFor, canAct, sendCall, onError, onNotice, onChanged }: Props) {
  const settings = useReadContract({ address: ALLOWANCE_ROUTER_ADDRESS, abi: allowanceRouterAbi, functionName: "settingsOf", args: [owner] });
  const [capDays, setCapDays] = useState("");
  const [guardian, setGuardian] = useState("");
  const [form, setForm] = useState({ token: "", spender: "", amount: "", days: "7", by: "tx" as "tx" | "permit" });
  const [busy, setBusy] = useState(false);
  const decimals = useReadContract({
    address: isAddress(form.token) ? form.token : undefined,
    abi: erc20Abi,
    functionName: "decimals",
    query: { enabled: isAddress(form.token) },
  });

  const [currentGuardian, maxDuration] = (settings.data as readonly [Address, number] | undefined) ?? [undefined, undefined];

  const act = async (what: string, work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      onNotice(done);
      await settings.refetch();
      onChanged();
    } catch (error) {
      onError(explainError(error, what));
    } finally {
      setBusy(false);
    }
  };

  const setCap = (event: FormEvent) => {
    event.preventDefault();
    void act("set the duration cap", () => sendCall(setMaxDurationCall({ router: ALLOWANCE_ROUTER_ADDRESS, seconds: Math.round(Number(capDays) * DAY) })), `Duration cap set to ${capDays} days.`);
  };
  const appoint = (event: FormEvent) => {
    event.preventDefault();
    void act("set the guardian", () => sendCall(setGuardianCall({ router: ALLOWANCE_ROUTER_ADDRESS, guardian: guardian.trim() })), `Guardian set to ${guardian.trim()}.`);
  };
  const submitGrant = (event: FormEvent) => {
    event.preventDefault();
    void act(
      form.by === "tx" ? "grant by transaction" : "grant by signed permit",
      async () => {
        if (walletClient === undefined) throw new Error("connect the owner's wallet first");
        if (!isAddress(form.token) || !isAddress(form.spender)) throw new Error("token and spender must be 0x-prefixed 20-byte addresses");
        if (!/^\d+(\.\d+)?$/.test(form.amount.trim())) throw new Error(`"${form.amount}" is not an amount: type a number like 100 or 0.5`);
        const amount = parseUnits(form.amount.trim(), decimals.data ?? 18);
        const parameters = { router: ALLOWANCE_ROUTER_ADDRESS, token: form.token as Address, spender: form.spender as Address, amount, expiresIn: Math.round(Number(form.days) * DAY) };
        if (form.by === "tx") {
          const { hash } = await grant(walletClient, parameters);
          await waitFor(hash);
        } else {
          const { hash } = await grantByPermit(walletClient, { ...parameters, relayer: walletClient });
          if (hash !== undefined) await waitFor(hash);
        }
      },
      `Granted ${shortAddress(form.spender)} up to ${form.amount} for ${form.days} days (${form.by === "tx" ? "by transaction" : "by signed permit"}).`,
    );
  };

  return (
    <section className="router-panel" data-testid="router-panel" aria-labelledby="router-title">
      <h2 id="router-title">AllowanceRouter {shortAddress(ALLOWANCE_ROUTER_ADDRESS)}</h2>
      <dl>
        <dt>Duration cap</dt>
        <dd data-testid="router-cap">{maxDuration === undefined ? "…" : maxDuration === 0 ? "none" : `${maxDuration / DAY} days (${maxDuration} s)`}</dd>
        <dt>Guardian</dt>
        <dd data-testid="router-guardian">{currentGuardian === undefined ? "…" : currentGuardian === zeroAddress ? "none" : currentGuardian}</dd>
      </dl>
      {settings.error ? <p className="muted">Cannot read the router's settings: {settings.error.message.split("\n")[0]}</p> : null}
      <form onSubmit={setCap} aria-label="Duration cap">
        <label>
          Cap every later grant at (days, 0 = none)
          <input inputMode="decimal" required value={capDays} onChange={(event) => setCapDays(event.target.value)} data-testid="cap-days" />
        </label>
        <button type="submit" disabled={!canAct || busy}>Set cap</button>
      </form>
      <form onSubmit={appoint} aria-label="Guardian">
        <label>
          Guardian (can only revoke)
          <input required value={guardian} placeholder="0x…" onChange={(event) => setGuardian(event.target.value)} data-testid="guardian-address" />
        </label>
        <button type="submit" disabled={!canAct || busy}>Set guardian</button>
        <button
          type="button"
          disabled={!canAct || busy || currentGuardian === undefined || currentGuardian === zeroAddress}
          onClick={() => void act("clear the guardian", () => sendCall(setGuardianCall({ router: ALLOWANCE_ROUTER_ADDRESS, guardian: zeroAddress })), "Guardian cleared.")}
        >
          Clear guardian
        </button>
      </form>
      <form onSubmit={submitGrant} aria-label="Grant with an expiry" className="grant">
        <h3>Grant with an expiry</h3>
        <label>
          Token
          <input required placeholder="0x…" value={form.token} onChange={(event) => setForm({ ...form, token: event.target.value })} data-testid="grant-token" />
        </label>
        <label>
          Spender
          <input required placeholder="0x…" value={form.spender} onChange={(event) => setForm({ ...form, spender: event.target.value })} data-testid="grant-spender" />
        </label>
        <label>
          Amount{decimals.data !== undefined ? ` (${decimals.data} decimals)` : ""}
          <input required inputMode="decimal" value={form.amount} onChange={(event) => setForm({ ...form, amount: event.target.value })} data-testid="grant-amount" />
        </label>
        <label>
          For (days)
          <input required inputMode="decimal" value={form.days} onChange={(event) => setForm({ ...form, days: event.target.value })} data-testid="grant-days" />
        </label>
        <fieldset>
          <legend>How</legend>
          <label className="check">
            <input type="radio" name="grant-by" checked={form.by === "tx"} onChange={() => setForm({ ...form, by: "tx" })} /> by transaction
          </label>
          <label className="check">
            <input type="radio" name="grant-by" checked={form.by === "permit"} onChange={() => setForm({ ...form, by: "permit" })} /> by signed permit
          </label>
        </fieldset>
        <button type="submit" disabled={!canAct || busy} data-testid="grant-submit">
          Grant
        </button>
      </form>
    </section>
  );
}
