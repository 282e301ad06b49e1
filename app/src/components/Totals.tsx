import { RISK_LEVEL_ORDER, type GradedApproval } from "allowance-router";

/** How many approvals there are at each risk level, and how many the filters show. */
export function Totals({ entries, shown }: { entries: readonly GradedApproval[]; shown: number }) {
  const levels = [...RISK_LEVEL_ORDER].reverse();
  return (
    <section className="totals" data-testid="totals" aria-label="Totals by risk level">
      <span className="total">
        <strong>{entries.length}</strong> live approvals{shown !== entries.length ? ` (${shown} shown)` : ""}
      </span>
      {levels.map((level) => (
        <span key={level} className={`total risk-${level}`} data-level={level}>
          <strong>{entries.filter((entry) => entry.risk.level === level).length}</strong> {level}
        </span>
      ))}
    </section>
  );
}
