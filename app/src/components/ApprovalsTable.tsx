import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
} from "@tanstack/react-table";
import { Fragment, useLayoutEffect, useRef, useState, type ReactNode } from "react";

import type { DenylistEntry, GradedApproval, SpenderProfile } from "allowance-router";

import {
  amountText,
  expiryText,
  isoTime,
  kindLabel,
  lastUsedText,
  quantityNumber,
  quantityText,
  recommendationText,
  shortAddress,
  tokenName,
} from "../format.js";
import { RISK_RANK } from "../filters.js";
import { SpenderCell } from "./SpenderCell.js";

const column = createColumnHelper<GradedApproval>();
const NEVER = Number.MAX_SAFE_INTEGER;

export type TableProps = {
  entries: GradedApproval[];
  now: number;
  spenders: Record<string, SpenderProfile>;
  /** Extra denylist entries for this chain (config.json). */
  denylist: readonly DenylistEntry[];
  state: "loading" | "scanning" | "complete" | "error";
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  selectable: boolean;
  /** The buttons of one row. */
  actions: (entry: GradedApproval) => ReactNode;
  /** The expanded details of one row (reasons, forms). */
  details: (entry: GradedApproval) => ReactNode;
  /** A row's last outcome (revoked, reduced, failed …), shown beside its actions. */
  outcomes: ReadonlyMap<string, string>;
};

export function ApprovalsTable(props: TableProps) {
  const { entries, now, spenders } = props;
  const [sorting, setSorting] = useState<SortingState>([]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const sortStarted = useRef<number | null>(null);

  const columns = [
    column.accessor((entry) => tokenName(entry.approval).toLowerCase(), {
      id: "token",
      header: "Token",
      cell: ({ row: { original } }) => (
        <div className="token">
          <strong>{tokenName(original.approval)}</strong>
          {original.approval.token.symbol !== null ? <code title={original.approval.token.address}>{shortAddress(original.approval.token.address)}</code> : null}
        </div>
      ),
    }),
    column.accessor((entry) => kindLabel(entry.approval), { id: "kind", header: "Kind" }),
    column.accessor((entry) => (spenders[entry.approval.spender.toLowerCase()]?.label ?? "~") + entry.approval.spender.toLowerCase(), {
      id: "spender",
      header: "Spender",
      cell: ({ row: { original } }) => (
        <SpenderCell approval={original.approval} profile={spenders[original.approval.spender.toLowerCase()]} denylist={props.denylist} />
      ),
    }),
    column.accessor((entry) => (amountText(entry.approval) === "unlimited" || amountText(entry.approval) === "all" ? Infinity : quantityNumber(entry.approval.amount ?? 1n, entry.approval.token.decimals)), {
      id: "amount",
      header: "Amount",
      cell: ({ row: { original } }) => amountText(original.approval),
    }),
    column.accessor((entry) => quantityNumber(entry.approval.balance, entry.approval.token.decimals), {
      id: "balance",
      header: "Balance",
      cell: ({ row: { original } }) => quantityText(original.approval.balance, original.approval),
    }),
    column.accessor((entry) => quantityNumber(entry.approval.valueAtRisk, entry.approval.token.decimals), {
      id: "valueAtRisk",
      header: "Value at risk",
      cell: ({ row: { original } }) => quantityText(original.approval.valueAtRisk, original.approval),
    }),
    column.accessor((entry) => entry.approval.expiresAt ?? NEVER, {
      id: "expiry",
      header: "Expiry",
      cell: ({ row: { original } }) => (
        <span title={original.approval.expiresAt === null ? "no expiry" : isoTime(original.approval.expiresAt)}>{expiryText(original.approval, now)}</span>
      ),
    }),
    column.accessor((entry) => entry.approval.lastUsedAt ?? -1, {
      id: "lastUsed",
      header: "Last used",
      cell: ({ row: { original } }) => lastUsedText(original.approval, now),
    }),
    column.accessor((entry) => RISK_RANK[entry.risk.level] * 1000 + entry.risk.score, {
      id: "risk",
      header: "Risk",
      cell: ({ row: { original } }) => (
        <span className={`risk risk-${original.risk.level}`}>
          {original.risk.level} {original.risk.score}
        </span>
      ),
    }),
    column.accessor((entry) => recommendationText(entry.recommendation, entry.approval), {
      id: "recommendation",
      header: "Recommendation",
      cell: ({ row: { original } }) => <span title={original.recommendation.reason}>{recommendationText(original.recommendation, original.approval)}</span>,
    }),
  ];

  const table = useReactTable({
    data: entries,
    columns,
    state: { sorting },
    onSortingChange: (updater) => {
      sortStarted.current = performance.now();
      setSorting(updater);
    },
    getRowId: (entry) => entry.approval.id,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    sortDescFirst: false,
  });

  useLayoutEffect(() => {
    if (sortStarted.current === null) return;
    performance.measure("dashboard:sort", { start: sortStarted.current, end: performance.now() });
    sortStarted.current = null;
  }, [sorting]);

  const toggleDetails = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const rows = table.getRowModel().rows;
  const columnCount = columns.length + 2;
  return (
    <div className="table-wrap">
      <table data-testid="approvals-table" data-state={props.state} data-row-count={rows.length} aria-describedby="table-caption">
        <caption id="table-caption">
          Live approvals: {rows.length} shown. Sort with the column buttons; open a row's details for its reasons and more actions.
        </caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              <th scope="col" className="select-col">
                <span className="sr-only">Select</span>
              </th>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th key={header.id} scope="col" aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}>
                    <button type="button" className="sort" data-sort={header.column.id} onClick={header.column.getToggleSortingHandler()}>
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      <span aria-hidden="true" className="sort-mark">
                        {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                      </span>
                    </button>
                  </th>
                );
              })}
              <th scope="col" className="actions-col">Actions</th>
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columnCount} className="empty">
                {props.state === "complete" ? "No live approvals match." : "Scanning…"}
              </td>
            </tr>
          ) : null}
          {rows.map((row) => {
            const entry = row.original;
            const id = entry.approval.id;
            const open = expanded.has(id);
            const name = `${tokenName(entry.approval)} for ${shortAddress(entry.approval.spender)}`;
            return (
              <Fragment key={id}>
                <tr data-testid="approval-row" data-approval-id={id} data-risk={entry.risk.level} className={props.selected.has(id) ? "selected" : undefined}>
                  <td className="select-col" data-label="Select">
                    <input
                      type="checkbox"
                      data-testid="row-select"
                      aria-label={`Select ${name}`}
                      checked={props.selected.has(id)}
                      disabled={!props.selectable}
                      onChange={() => props.onToggle(id)}
                    />
                  </td>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} data-col={cell.column.id} data-label={String(cell.column.columnDef.header)}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                  <td className="actions" data-label="Actions">
                    <div className="actions-inner">
                    {props.actions(entry)}
                    <button type="button" className="link" aria-expanded={open} aria-controls={`details-${id}`} onClick={() => toggleDetails(id)}>
                      {open ? "Hide" : "Details"}
                      <span className="sr-only"> of {name}</span>
                    </button>
                    {props.outcomes.has(id) ? (
                      <span className="outcome" data-testid="row-outcome" role="status">
                        {props.outcomes.get(id)}
                      </span>
                    ) : null}
                    </div>
                  </td>
                </tr>
                {open ? (
                  <tr className="details" id={`details-${id}`} data-testid="approval-details">
                    <td colSpan={columnCount}>{props.details(entry)}</td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
