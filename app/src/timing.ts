// The page's User Timing marks, read by the bench (scripts/bench/dashboard.ts): each is set
// once per page load, when React has committed what it names.
let firstRow = false;
let tableComplete = false;

/** The first approval row is in the DOM (from the cached snapshot on a reload, else from the scan). */
export function markFirstRow(): void {
  if (firstRow) return;
  firstRow = true;
  performance.mark("dashboard:first-row");
}

/** The table shows the finished scan of the chain's head. */
export function markTableComplete(): void {
  if (tableComplete) return;
  tableComplete = true;
  performance.mark("dashboard:table-complete");
}
