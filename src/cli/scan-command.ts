import { Command, Option } from "commander";

import { defaultCachePath } from "../node/sqlite-cache.js";
import { DEFAULT_RISK_THRESHOLDS, RISK_LEVEL_ORDER, type RiskLevel } from "../risk/weights.js";
import { DEFAULT_RECENT_DAYS } from "../scan/constants.js";
import { createRpcClient } from "../scan/client.js";
import { scanApprovals } from "../scan/scan.js";
import { openCliCache } from "./cache.js";
import { createProgressBar, type ProgressStream } from "./progress.js";
import { buildReport, REPORT_LAYOUT, renderTotals, reportCsv, reportJson, reportRows } from "./report.js";
import { outputWidth, renderTable } from "./table.js";
import { required, withExamples } from "./help.js";
import { blockNumber, positiveInteger, ROUTER_OPTION_HELP } from "./options.js";

/** Where the CLI writes: the process's streams, or a test's. */
export interface CliIo {
  /** A terminal (isTTY, columns) gets tables fitted to its width. */
  stdout: { isTTY?: boolean; columns?: number; write(text: string): unknown };
  stderr: ProgressStream;
}

interface ScanCommandOptions {
  rpc: string;
  json?: boolean;
  csv?: boolean;
  minRisk: RiskLevel;
  chain?: number;
  token?: string[];
  router?: string[];
  fromBlock?: bigint;
  cache: string | false;
  staleDays: number;
  recentDays: number;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `allowance scan <owner> --rpc <url>`: every live approval of a wallet, graded, with recommendations. */
export function scanCommand(io: CliIo): Command {
  const command = new Command("scan")
    .description("Find every live approval of a wallet, grade its risk and recommend what to do with it.")
    .argument("<owner>", "wallet address to scan (0x...)")
    .addOption(required(new Option("--rpc <url>", "JSON-RPC endpoint of the chain to scan").env("ALLOWANCE_RPC_URL")))
    .addOption(new Option("--json", "print the full result as JSON (for machines)").conflicts("csv"))
    .option("--csv", "print one CSV row per approval, every field, full addresses (for spreadsheets)")
    .addOption(new Option("--min-risk <level>", "only show approvals at this risk level or above").choices([...RISK_LEVEL_ORDER]).default("low"))
    .option("--chain <id>", "fail unless the RPC serves this chain id", positiveInteger)
    .option("--token <address>", "only approvals of this token or collection (repeatable)", collect)
    .option("--router <address>", ROUTER_OPTION_HELP, collect)
    .option("--from-block <n>", "first block to scan (default 0)", blockNumber)
    .option("--cache <path>", "SQLite cache of scanned logs, so a rescan reads only new blocks", defaultCachePath())
    .option("--no-cache", "keep nothing between runs")
    .option("--stale-days <n>", "days without a pull after which an approval is stale", positiveInteger, DEFAULT_RISK_THRESHOLDS.staleDays)
    .option("--recent-days <n>", "window for 'recently deployed or upgraded spender'", positiveInteger, DEFAULT_RECENT_DAYS)
    .action(async (owner: string, options: ScanCommandOptions) => {
      const cache = openCliCache(options.cache, io.stderr);
      const progress = createProgressBar(io.stderr);
      let result;
      try {
        result = await scanApprovals(createRpcClient({ rpcUrl: options.rpc }), {
          owner,
          chainId: options.chain,
          tokens: options.token,
          routers: options.router,
          fromBlock: options.fromBlock,
          cache,
          recentDays: options.recentDays,
          onProgress: (update) => progress.update(update),
          onNotice: (message) => io.stderr.write(`note: ${message}\n`),
        });
      } finally {
        progress.finish();
        await cache.close();
      }
      const report = buildReport(result, {
        minRisk: options.minRisk,
        thresholds: { ...DEFAULT_RISK_THRESHOLDS, staleDays: options.staleDays },
        recentDays: options.recentDays,
      });
      if (options.json) {
        io.stdout.write(`${JSON.stringify(reportJson(report), null, 2)}\n`);
        return;
      }
      if (options.csv) {
        io.stdout.write(reportCsv(report));
        return;
      }
      const { header, rows } = reportRows(report);
      const width = outputWidth(io.stdout);
      io.stdout.write(`${rows.length > 0 ? `${renderTable(header, rows, width, REPORT_LAYOUT)}\n\n` : ""}${renderTotals(report, width)}\n`);
    });
  return withExamples(command, [
    ["every live approval of the revoke demo chain's owner, riskiest first", "npx allowance scan 0x3258bCC93bc187369D82fbF07ea511f69E856f61 --rpc http://127.0.0.1:8547"],
    [
      "only the high and critical ones, as CSV for a spreadsheet",
      "npx allowance scan 0x3258bCC93bc187369D82fbF07ea511f69E856f61 --rpc http://127.0.0.1:8547 --min-risk high --csv > approvals.csv",
    ],
  ]);
}
