import { denylistEntryFor, type Approval, type DenylistEntry, type SpenderProfile } from "allowance-router";

import { shortAddress } from "../format.js";

/** The spender: its label, address, and what the chain says about it (EOA, 7702-delegated, proxy, denylisted). */
export function SpenderCell({ approval, profile, denylist }: { approval: Approval; profile: SpenderProfile | undefined; denylist: readonly DenylistEntry[] }) {
  const denylisted = denylistEntryFor(approval, denylist);
  return (
    <div className="spender">
      {profile?.label ? <span className="label">{profile.label}</span> : null}
      <code title={approval.spender}>{shortAddress(approval.spender)}</code>
      <span className="badges">
        {profile?.codeKind === "eoa" ? <span className="badge warn" title="No code: whoever holds its key can pull">EOA</span> : null}
        {profile?.codeKind === "delegated-eoa" ? (
          <span className="badge warn" title={`EIP-7702 delegated to ${profile.delegatedTo ?? "?"}`}>7702-delegated</span>
        ) : null}
        {profile?.proxy ? (
          <span className="badge" title={`${profile.proxy.standard} proxy, implementation ${profile.proxy.implementation}`}>proxy</span>
        ) : null}
        {profile?.router ? <span className="badge ok">router</span> : null}
        {denylisted ? (
          <span className="badge danger" title={`${denylisted.incident} (${denylisted.date}); source: ${denylisted.sources[0] ?? "bundled list"}`}>
            denylisted
          </span>
        ) : null}
      </span>
      {denylisted ? (
        <span className="incident" title={denylisted.incident}>
          Drained {denylisted.date}.{" "}
          <a href={denylisted.sources[0]} target="_blank" rel="noreferrer">
            Incident source
          </a>
        </span>
      ) : null}
    </div>
  );
}
