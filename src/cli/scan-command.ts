import { Command, Option } from "commander";

import { defaultCachePath } from "../node/sqlite-cache.js";
import { DEFAULT_RISK_THRESHOLDS, RISK_LEVEL_ORDER, type RiskLevel } from "../risk/weights.js";
import { DEFAULT_RECENT_DAYS } from "../scan/constants.js";
import { scanApprovals } from "../scan/scan.js";
import { openCliCache } from "./cache.js";
import { createProgressBar, type ProgressStream } from "./progress.js";
import { buildReport, renderTable, renderTotals, reportJson, reportRows } from "./report.js";
import { blockNumber, positiveInteger } from "./options.js";

/** Where the CLI writes: the process's streams, or a test's. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
}

interface ScanCommandOptions {
  rpc: string;
  json?: boolean;
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
  return new Command("scan")
    .description("Find every live approval of a wallet, grade its risk and recommend what to do with it.")
    .argument("<owner>", "wallet address to scan (0x...)")
    .addOption(new Option("--rpc <url>", "JSON-RPC endpoint of the chain to scan").env("ALLOWANCE_RPC_URL").makeOptionMandatory())
    .option("--json", "print the full result as JSON (for machines)")
    .addOption(new Option("--min-risk <level>", "only show approvals at this risk level or above").choices([...RISK_LEVEL_ORDER]).default("low"))
    .option("--chain <id>", "fail unless the RPC serves this chain id", positiveInteger)
    .option("--token <address>", "only approvals of this token or collection (repeatable)", collect)
    .option("--router <address>", "also scan grants of this Permit2-compatible router (repeatable; Permit2 is always scanned)", collect)
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
        result = await scanApprovals({
          rpcUrl: options.rpc,
          owner,
          chainId: options.chain,
          tokens: options.token,
          routers: options.router,
          fromBlock: options.fromBlock,
          cache,
          recentDays: options.recentDays,
          onProgress: (update) => progress.update(update),
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
      const { header, rows } = reportRows(report);
      io.stdout.write(`${rows.length > 0 ? `${renderTable(header, rows)}\n\n` : ""}${renderTotals(report)}\n`);
    });
}
