import { RISK_LEVEL_ORDER } from "allowance-router";

import type { Filters } from "../filters.js";

const KINDS = ["ERC-20", "ERC-721 token", "ERC-721 operator", "ERC-1155 operator", "Router grant", "Permit2 grant"];

export function FilterBar({ filters, onChange }: { filters: Filters; onChange: (filters: Filters) => void }) {
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  return (
    <form className="filters" role="search" aria-label="Filter approvals" onSubmit={(event) => event.preventDefault()}>
      <label>
        Risk
        <select data-testid="filter-risk" value={filters.risk} onChange={(event) => set({ risk: event.target.value as Filters["risk"] })}>
          <option value="all">all</option>
          {[...RISK_LEVEL_ORDER].reverse().map((level) => (
            <option key={level} value={level}>
              {level}
            </option>
          ))}
        </select>
      </label>
      <label>
        Kind
        <select data-testid="filter-kind" value={filters.kind} onChange={(event) => set({ kind: event.target.value })}>
          <option value="all">all</option>
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input type="checkbox" data-testid="filter-unlimited" checked={filters.unlimitedOnly} onChange={(event) => set({ unlimitedOnly: event.target.checked })} />
        Unlimited only
      </label>
      <label className="check">
        <input type="checkbox" data-testid="filter-at-risk" checked={filters.atRiskOnly} onChange={(event) => set({ atRiskOnly: event.target.checked })} />
        Value at risk &gt; 0
      </label>
      <label className="search">
        Search
        <input
          type="search"
          data-testid="search"
          placeholder="token or spender"
          value={filters.search}
          onChange={(event) => set({ search: event.target.value })}
        />
      </label>
    </form>
  );
}
