import { getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from "@tanstack/react-table";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";

import type { DenylistEntry, GradedApproval, SpenderProfile } from "allowance-router";

import { markFirstRow, markTableComplete } from "../timing.js";
import { shortAddress, tokenName } from "../format.js";
import { APPROVAL_COLUMNS, type CellContext } from "./approval-columns.js";

/**
 * Above this many rows only the rows near the viewport are in the DOM (plus spacers of the
 * others' height), so that sorting or clearing a filter over 1,000 approvals commits a few dozen
 * rows, not 1,000. Below it every row is rendered: the browser's find-in-page sees them all.
 * `?virtualizeAbove=N` lowers it (the browser tests use it on the small demo wallet).
 */
const VIRTUALIZE_ABOVE = 100;
/** Rows rendered beyond each edge of the viewport, so that fast scrolling shows no blank. */
const OVERSCAN_ROWS = 8;
/** First guess of one approval's height before it is measured (desktop row; a phone card is taller). */
const ESTIMATED_ROW_PX = 64;
const ESTIMATED_CARD_PX = 330;
const NARROW = "(max-width: 760px)";

function virtualizeAbove(): number {
  const asked = Number(new URLSearchParams(location.search).get("virtualizeAbove"));
  return Number.isInteger(asked) && asked > 0 ? asked : VIRTUALIZE_ABOVE;
}

export type TableProps = {
  /** Every approval of the scan: sorted once per scan and sort order, not once per filter change. */
  entries: GradedApproval[];
  /** The ids the filters let through, or null for all. */
  visibleIds: ReadonlySet<string> | null;
  now: number;
  spenders: Record<string, SpenderProfile>;
  /** Extra denylist entries for this chain (config.json). */
  denylist: readonly DenylistEntry[];
  state: "loading" | "scanning" | "complete" | "error";
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  selectable: boolean;
  /** Rows with an action in flight (their buttons say so). */
  busy: ReadonlySet<string>;
  /** The buttons of one row. */
  actions: (entry: GradedApproval) => ReactNode;
  /** The expanded details of one row (reasons, forms). */
  details: (entry: GradedApproval) => ReactNode;
  /** A row's last outcome (revoked, reduced, failed …), shown beside its actions. */
  outcomes: ReadonlyMap<string, string>;
};

type RowProps = {
  entry: GradedApproval;
  index: number;
  context: CellContext;
  selected: boolean;
  selectable: boolean;
  busy: boolean;
  open: boolean;
  outcome: string | undefined;
  columnCount: number;
  onToggle: (id: string) => void;
  onToggleDetails: (id: string) => void;
  actions: (entry: GradedApproval) => ReactNode;
  details: (entry: GradedApproval) => ReactNode;
  measure: ((element: Element | null) => void) | undefined;
};

/**
 * One approval: its row and, when open, its details row, in a <tbody> of their own (a table may
 * have many) so that the virtualizer measures both as one item. Memoised: a sort or filter only
 * moves these, re-rendering none whose approval, selection, outcome or busy state is unchanged.
 */
const ApprovalRow = memo(function ApprovalRow(props: RowProps) {
  const { entry, context } = props;
  const id = entry.approval.id;
  const name = `${tokenName(entry.approval)} for ${shortAddress(entry.approval.spender)}`;
  return (
    <tbody ref={props.measure} data-index={props.index}>
      <tr data-testid="approval-row" data-approval-id={id} data-risk={entry.risk.level} aria-rowindex={props.index + 2} className={props.selected ? "selected" : undefined}>
        <td className="select-col" data-label="Select">
          <input
            type="checkbox"
            data-testid="row-select"
            aria-label={`Select ${name}`}
            checked={props.selected}
            disabled={!props.selectable}
            onChange={() => props.onToggle(id)}
          />
        </td>
        {APPROVAL_COLUMNS.map((column) => (
          <td key={column.id} data-col={column.id} data-label={column.header}>
            {column.cell(entry, context)}
          </td>
        ))}
        <td className="actions" data-label="Actions">
          <div className="actions-inner">
            {props.actions(entry)}
            <button type="button" className="link" aria-expanded={props.open} aria-controls={`details-${id}`} onClick={() => props.onToggleDetails(id)}>
              {props.open ? "Hide" : "Details"}
              <span className="sr-only"> of {name}</span>
            </button>
            {props.outcome !== undefined ? (
              <span className="outcome" data-testid="row-outcome" role="status">
                {props.outcome}
              </span>
            ) : null}
          </div>
        </td>
      </tr>
      {props.open ? (
        <tr className="details" id={`details-${id}`} data-testid="approval-details">
          <td colSpan={props.columnCount}>{props.details(entry)}</td>
        </tr>
      ) : null}
    </tbody>
  );
});

function Spacer({ height, columnCount }: { height: number; columnCount: number }) {
  if (height <= 0) return null;
  return (
    <tbody aria-hidden="true" className="spacer">
      <tr>
        <td colSpan={columnCount} style={{ height }} />
      </tr>
    </tbody>
  );
}

export function ApprovalsTable(props: TableProps) {
  const { entries, now, spenders, denylist } = props;
  const [sorting, setSorting] = useState<SortingState>([]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const sortStarted = useRef<number | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  // The rows get stable callbacks that call the latest props, so that a parent re-render alone re-renders no row.
  const latest = useRef(props);
  latest.current = props;
  const onToggle = useCallback((id: string) => latest.current.onToggle(id), []);
  const actions = useCallback((entry: GradedApproval) => latest.current.actions(entry), []);
  const details = useCallback((entry: GradedApproval) => latest.current.details(entry), []);
  const onToggleDetails = useCallback(
    (id: string) =>
      setExpanded((current) => {
        const next = new Set(current);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );

  const context = useMemo<CellContext>(() => ({ now, spenders, denylist }), [now, spenders, denylist]);
  const columns = useMemo<ColumnDef<GradedApproval, string | number>[]>(
    // "basic" (<, >) on the precomputed values: TanStack's default for strings, "alphanumeric", splits both strings with a regex on every comparison.
    () =>
      APPROVAL_COLUMNS.map((column) => ({ id: column.id, header: column.header, sortingFn: "basic" as const, accessorFn: (entry: GradedApproval) => column.sortValue(entry, context) })),
    [context],
  );

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
  // The sorted model is memoised by TanStack on (data, sorting); a filter only picks from it.
  const sortedRows = table.getRowModel().rows;
  const { visibleIds } = props;
  const rows = useMemo(() => (visibleIds === null ? sortedRows : sortedRows.filter((row) => visibleIds.has(row.id))), [sortedRows, visibleIds]);
  const columnCount = APPROVAL_COLUMNS.length + 2;

  const threshold = useMemo(virtualizeAbove, []);
  const virtualized = rows.length > threshold;
  const narrow = useMemo(() => matchMedia(NARROW).matches, []);
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    enabled: virtualized,
    estimateSize: () => (narrow ? ESTIMATED_CARD_PX : ESTIMATED_ROW_PX),
    overscan: OVERSCAN_ROWS,
    getItemKey: (index) => rows[index]!.id,
    scrollMargin: tableRef.current?.offsetTop ?? 0,
  });
  const items = virtualized ? virtualizer.getVirtualItems() : null;
  const first = items?.[0];
  const last = items?.at(-1);
  const before = first === undefined ? 0 : first.start - virtualizer.options.scrollMargin;
  const after = last === undefined ? 0 : virtualizer.getTotalSize() - (last.end - virtualizer.options.scrollMargin);
  const shownIndexes = items === null ? rows.map((_, index) => index) : items.map((item) => item.index);

  useLayoutEffect(() => {
    if (sortStarted.current === null) return;
    performance.measure("dashboard:sort", { start: sortStarted.current, end: performance.now() });
    sortStarted.current = null;
  }, [sorting]);
  // The marks are set once the rows are in the DOM (a layout effect runs after React commits them).
  useLayoutEffect(() => {
    if (rows.length > 0) markFirstRow();
    if (props.state === "complete") markTableComplete();
  }, [rows.length, props.state]);

  return (
    <div className="table-wrap">
      <table
        ref={tableRef}
        data-testid="approvals-table"
        data-state={props.state}
        data-row-count={rows.length}
        data-virtualized={virtualized}
        aria-rowcount={rows.length + 1}
        aria-describedby="table-caption"
      >
        <caption id="table-caption">
          Live approvals: {rows.length} shown. Sort with the column buttons; open a row's details for its reasons and more actions.
          {virtualized ? " Rows load as you scroll." : ""}
        </caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              <th scope="col" className="select-col">
                <span className="sr-only">Select</span>
              </th>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th key={header.id} scope="col" aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}>
                    <button type="button" className="sort" data-sort={header.column.id} onClick={header.column.getToggleSortingHandler()}>
                      <span className="sort-by">Sort by </span>
                      {String(header.column.columnDef.header)}
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
        {rows.length === 0 ? (
          <tbody>
            <tr>
              <td colSpan={columnCount} className="empty">
                {props.state === "complete" ? "No live approvals match." : props.state === "error" ? "No scan to show: it failed (see the message above)." : "Scanning…"}
              </td>
            </tr>
          </tbody>
        ) : null}
        <Spacer height={before} columnCount={columnCount} />
        {shownIndexes.map((index) => {
          const entry = rows[index]!.original;
          const id = entry.approval.id;
          return (
            <ApprovalRow
              key={id}
              entry={entry}
              index={index}
              context={context}
              selected={props.selected.has(id)}
              selectable={props.selectable}
              busy={props.busy.has(id)}
              open={expanded.has(id)}
              outcome={props.outcomes.get(id)}
              columnCount={columnCount}
              onToggle={onToggle}
              onToggleDetails={onToggleDetails}
              actions={actions}
              details={details}
              measure={virtualized ? virtualizer.measureElement : undefined}
            />
          );
        })}
        <Spacer height={after} columnCount={columnCount} />
      </table>
    </div>
  );
}
