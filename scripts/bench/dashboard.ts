// Dashboard benchmark: the demo owner with 1,000 live approvals on the local demo chain, the
// built page (app/dist) in Debian's Chromium through playwright-core. Measured: time to the
// first row and to the full table (the page's own User Timing marks, from navigation start),
// with a cold cache (a fresh browser profile: empty IndexedDB) and a warm one (a reload);
// sort and filter over the 1,000 rows (the page's measures, input event to table committed);
// the gzip size of the page's JavaScript. Beside them in the same run: the targets, and the
// scanner alone in Node over the same HTTP node (what the page adds on top of the scan), and the
// page before this change: DASHBOARD_BASELINE_DIST=<a built app/dist of the old page> serves it
// on the same chain and measures it the same way (without it, yesterday's figures are printed,
// labelled as such).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { chromium, type Browser, type Page } from "playwright-core";

import { ALLOWANCE_ROUTER_ADDRESS } from "../../src/router/deployments.js";
import { createRpcClient } from "../../src/scan/client.js";
import { scanApprovals } from "../../src/scan/scan.js";
import { chromiumLaunchOptions } from "../chromium.mjs";
import { serveDashboard } from "../../src/cli/dashboard-server.js";
import { dashboardBuildReason, ensureDashboardBuilt } from "../dashboard/build.js";
import { startDemoWorld, type DemoWorld } from "../dashboard/demo-world.js";
import { markdownTable } from "./table.js";

const APPROVALS = 1_000;
const RUNS = 3;
const TABLE_TIMEOUT_MS = 120_000;
const MEASURE_TIMEOUT_MS = 10_000;
const DIST = fileURLToPath(new URL("../../app/dist", import.meta.url));

/** The targets. */
const TARGETS = {
  firstRowWarmMs: 1_000,
  fullTableColdMs: 3_000,
  sortFilterMs: 50,
  javascriptGzipBytes: 350 * 1024,
};

/** Columns sorted, each twice (ascending, then descending): the selectors are app's (STATUS-app.md). */
const SORTED_COLUMNS = ["token", "kind", "spender", "amount", "valueAtRisk", "expiry", "lastUsed", "risk"];
/** Searches typed into the filter box, and the risk levels picked. */
const SEARCHES = ["BULK1", "DUSD", "0x", "zzz-no-match", ""];
const RISK_LEVELS = ["critical", "high", "medium", "low", "all"];

interface LoadTiming {
  firstRowMs: number;
  fullTableMs: number;
  rows: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ms = (value: number) => `${Math.round(value).toLocaleString("en-US")} ms`;
const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const spread = (values: number[], format: (value: number) => string) =>
  values.length === 1 ? format(values[0]!) : `${format(median(values))} (median of ${values.length}; ${format(Math.min(...values))}–${format(Math.max(...values))})`;
const verdict = (value: number, limit: number) => (value <= limit ? "yes" : "NO");

/** Everything measured of one build of the page. */
interface PageMeasures {
  cold: LoadTiming[];
  warm: LoadTiming[];
  sorts: number[];
  filters: number[];
  js: { files: number; raw: number; gzip: number };
}

/**
 * Yesterday's bench of the page before the performance work (STATUS-demo.md, 22:15 UTC, 2 cores
 * at load ~7): printed as the "before" column only when no baseline build is measured in this run.
 */
const YESTERDAY = {
  label: "before: yesterday's run (22:15 UTC, not this run)",
  firstRowWarm: "9,909 ms",
  fullTableCold: "7,404 ms",
  firstRowCold: "7,404 ms (= full table)",
  fullTableWarm: "—",
  sort: "665 ms median, 1,223 ms max",
  filter: "202 ms median, 372 ms max",
  js: "235.6 kB",
};

/** Waits for the full table and reads the page's marks for this navigation. */
async function loadTiming(page: Page, expectedRows: number): Promise<LoadTiming> {
  const table = page.locator('[data-testid="approvals-table"][data-state="complete"]');
  await table.waitFor({ timeout: TABLE_TIMEOUT_MS });
  await page.waitForFunction(() => performance.getEntriesByName("dashboard:table-complete").length > 0, undefined, { timeout: MEASURE_TIMEOUT_MS });
  const marks = await page.evaluate(() => ({
    firstRow: performance.getEntriesByName("dashboard:first-row")[0]?.startTime ?? null,
    fullTable: performance.getEntriesByName("dashboard:table-complete")[0]?.startTime ?? null,
  }));
  const rows = Number(await table.getAttribute("data-row-count"));
  if (marks.firstRow === null || marks.fullTable === null) throw new Error("the page set no dashboard:first-row / dashboard:table-complete mark");
  if (rows !== expectedRows) throw new Error(`the table shows ${rows} rows, the scanner finds ${expectedRows}`);
  return { firstRowMs: marks.firstRow, fullTableMs: marks.fullTable, rows };
}

/** Runs `act` and returns the duration of the next `name` measure the page records. */
async function nextMeasure(page: Page, name: string, act: () => Promise<void>): Promise<number> {
  const before = await page.evaluate((entry) => performance.getEntriesByName(entry).length, name);
  await act();
  await page.waitForFunction(
    ({ entry, count }) => performance.getEntriesByName(entry).length > count,
    { entry: name, count: before },
    { timeout: MEASURE_TIMEOUT_MS },
  );
  return page.evaluate((entry) => performance.getEntriesByName(entry).at(-1)!.duration, name);
}

async function sortTimes(page: Page): Promise<number[]> {
  const times: number[] = [];
  for (const column of SORTED_COLUMNS) {
    const button = page.locator(`th button[data-sort="${column}"]`);
    for (let direction = 0; direction < 2; direction++) times.push(await nextMeasure(page, "dashboard:sort", () => button.click()));
  }
  return times;
}

async function filterTimes(page: Page): Promise<number[]> {
  const times: number[] = [];
  const search = page.locator('[data-testid="search"]');
  for (const text of SEARCHES) times.push(await nextMeasure(page, "dashboard:filter", () => search.fill(text)));
  const risk = page.locator('[data-testid="filter-risk"]');
  for (const level of RISK_LEVELS) times.push(await nextMeasure(page, "dashboard:filter", () => risk.selectOption(level).then(() => {})));
  return times;
}

/** gzip (zlib's default level, as a server sends it) of every JavaScript file the build emits. */
function javascriptGzipBytes(dist: string): { files: number; raw: number; gzip: number } {
  const assets = join(dist, "assets");
  const files = readdirSync(assets).filter((name) => name.endsWith(".js"));
  let raw = 0;
  let gzip = 0;
  for (const name of files) {
    const content = readFileSync(join(assets, name));
    raw += content.length;
    gzip += gzipSync(content).length;
  }
  return { files: files.length, raw, gzip };
}

/** Cold and warm loads (RUNS each), then sorts and filters on the last page, of the page served at `url`. */
async function measurePage(browser: Browser, url: string, dist: string, expectedRows: number): Promise<PageMeasures> {
  const cold: LoadTiming[] = [];
  const warm: LoadTiming[] = [];
  let page: Page | null = null;
  for (let run = 0; run < RUNS; run++) {
    // A fresh context is a fresh profile: no IndexedDB, so the page scans from block 0.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    await page.goto(url);
    cold.push(await loadTiming(page, expectedRows));
    await page.reload();
    warm.push(await loadTiming(page, expectedRows));
    if (run < RUNS - 1) await context.close();
  }
  const sorts = await sortTimes(page!);
  const filters = await filterTimes(page!);
  await page!.context().close();
  return { cold, warm, sorts, filters, js: javascriptGzipBytes(dist) };
}

/** The result cells of one build: first row warm, full table cold, first row cold, full table warm, sort, filter, JS. */
function cells(measures: PageMeasures) {
  const { cold, warm, sorts, filters, js } = measures;
  return {
    firstRowWarm: spread(warm.map((t) => t.firstRowMs), ms),
    fullTableCold: spread(cold.map((t) => t.fullTableMs), ms),
    firstRowCold: spread(cold.map((t) => t.firstRowMs), ms),
    fullTableWarm: spread(warm.map((t) => t.fullTableMs), ms),
    sort: `${ms(median(sorts))} median, ${ms(Math.max(...sorts))} max`,
    filter: `${ms(median(filters))} median, ${ms(Math.max(...filters))} max`,
    js: `${kB(js.gzip)} (${js.files} files, ${kB(js.raw)} raw)`,
  };
}

export async function benchDashboard(): Promise<string> {
  ensureDashboardBuilt();
  const notBuilt = dashboardBuildReason();
  if (notBuilt !== null) return `Not measured: ${notBuilt} (npm run build:app builds it).`;
  const baselineDist = process.env.DASHBOARD_BASELINE_DIST;

  let world: DemoWorld | null = null;
  let browser: Browser | null = null;
  let baselineServer: Awaited<ReturnType<typeof serveDashboard>> | null = null;
  try {
    world = await startDemoWorld({ approvals: APPROVALS });
    const scanStarted = performance.now();
    const truth = await scanApprovals(createRpcClient({ rpcUrl: world.rpcUrl }), { owner: world.owner, routers: [ALLOWANCE_ROUTER_ADDRESS] });
    const scannerMs = performance.now() - scanStarted;
    browser = await chromium.launch(chromiumLaunchOptions());

    let before: ReturnType<typeof cells> & { label: string } = YESTERDAY;
    if (baselineDist !== undefined) {
      // The old page on the same chain, its own origin (port), so its IndexedDB is its own.
      baselineServer = await serveDashboard({ config: world.config, distDir: baselineDist, requireBuilt: true });
      before = { label: `before: ${baselineDist} (this run)`, ...cells(await measurePage(browser, baselineServer.url, baselineDist, truth.approvals.length)) };
    }
    const measures = await measurePage(browser, world.dashboardUrl, DIST, truth.approvals.length);
    const after = cells(measures);

    const firstRowWarm = median(measures.warm.map((timing) => timing.firstRowMs));
    const fullTableCold = median(measures.cold.map((timing) => timing.fullTableMs));
    const sortMax = Math.max(...measures.sorts);
    const filterMax = Math.max(...measures.filters);
    const count = APPROVALS.toLocaleString("en-US");
    const rows = [
      ["first row, warm cache (IndexedDB)", before.firstRowWarm, after.firstRowWarm, `≤ ${ms(TARGETS.firstRowWarmMs)}`, verdict(firstRowWarm, TARGETS.firstRowWarmMs)],
      ["full table, cold cache", before.fullTableCold, after.fullTableCold, `≤ ${ms(TARGETS.fullTableColdMs)}`, verdict(fullTableCold, TARGETS.fullTableColdMs)],
      ["first row, cold cache", before.firstRowCold, after.firstRowCold, "—", "—"],
      ["full table, warm cache", before.fullTableWarm, after.fullTableWarm, "—", "—"],
      ["the scanner alone in Node, cold, same node", "", ms(scannerMs), "—", "—"],
      [`sort ${count} rows (${measures.sorts.length} clicks, ${SORTED_COLUMNS.length} columns)`, before.sort, after.sort, `≤ ${ms(TARGETS.sortFilterMs)}`, verdict(sortMax, TARGETS.sortFilterMs)],
      [`filter ${count} rows (${measures.filters.length} changes: search, risk level)`, before.filter, after.filter, `≤ ${ms(TARGETS.sortFilterMs)}`, verdict(filterMax, TARGETS.sortFilterMs)],
      ["JavaScript, gzip", before.js, after.js, `≤ ${kB(TARGETS.javascriptGzipBytes)}`, verdict(measures.js.gzip, TARGETS.javascriptGzipBytes)],
    ];
    return [
      `### Dashboard: ${truth.approvals.length.toLocaleString("en-US")} live approvals of one wallet, Chromium ${browser.version()} headless, 1280×800`,
      "",
      markdownTable(
        [{ title: "measure" }, { title: before.label, align: "right" }, { title: "after: app/dist (this run)", align: "right" }, { title: "target", align: "right" }, { title: "within target" }],
        rows,
      ),
      "",
      "Times are the page's User Timing marks from navigation start (dashboard:first-row when the first row is",
      "committed, dashboard:table-complete when this load's scan of the head is) and measures from the input event",
      "to the committed table (dashboard:sort, dashboard:filter). Cold = a fresh browser profile (empty IndexedDB),",
      "warm = a reload of it. The demo chain is in this process, served over HTTP on loopback; the sort and filter",
      "maxima are what the verdict uses. Verdicts are of the \"after\" column.",
    ].join("\n");
  } finally {
    await baselineServer?.close();
    await browser?.close();
    await world?.stop();
  }
}
