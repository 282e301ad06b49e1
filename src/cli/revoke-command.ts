import { Readable } from "node:stream";

import { Command, InvalidArgumentError, Option } from "commander";
import { isAddressEqual, type Address } from "viem";

import { BATCH_REVOKER_ADDRESS } from "../router/deployments.js";
import { ActionInputError } from "../actions/errors.js";
import { assertCanPay } from "../actions/funds.js";
import { planRevocations } from "../actions/plan.js";
import { selectApprovals, type ApprovalSelector } from "../actions/select.js";
import { sendRevocations } from "../actions/send.js";
import { formatGas as gas, plural } from "../actions/text.js";
import type { PlannedRevocations, RevocationReport, RevocationVia } from "../actions/types.js";
import { defaultCachePath } from "../node/sqlite-cache.js";
import { parseAddress } from "../router/validate.js";
import { DEFAULT_RISK_THRESHOLDS } from "../risk/weights.js";
import { DEFAULT_RECENT_DAYS } from "../scan/constants.js";
import { createRpcClient } from "../scan/client.js";
import { scanApprovals } from "../scan/scan.js";
import { openCliCache } from "./cache.js";
import { connect } from "./chain.js";
import { CommandExit, type ActionIo } from "./io.js";
import { accountFrom, OWNER_KEY_VARIABLE, ownerAccountFrom, RELAYER_KEY_VARIABLE } from "../node/keys.js";
import { createProgressBar } from "./progress.js";
import { confirm } from "./prompt.js";
import { buildReport, REPORT_LAYOUT, reportRows, type ReportEntry } from "./report.js";
import { outputWidth, renderTable, wrapText } from "./table.js";
import { required, withExamples } from "./help.js";
import { blockNumber, positiveInteger, ROUTER_OPTION_HELP } from "./options.js";

/** Exit code when the owner declines, or some approvals stay live. */
const EXIT_NOT_DONE = 1;

/** The ways the CLI offers: its keys are local, so 5792 (a wallet's batching) is left to `auto`. */
const CLI_VIAS = ["auto", "7702", "permit", "lockdown", "tx"] as const;

interface RevokeCommandOptions {
  rpc: string;
  select: ApprovalSelector;
  via: (typeof CLI_VIAS)[number];
  dryRun?: boolean;
  yes?: boolean;
  revoker: Address;
  router?: Address[];
  chain?: number;
  fromBlock?: bigint;
  cache: string | false;
  staleDays: number;
}

const RISKY_DEFINITION =
  "risky: the scan recommends revoking it (a denylisted spender, never used since granted over 7 days ago, " +
  "or unused for --stale-days) or grades it high or critical";

function addressArgument(value: string): Address {
  try {
    return parseAddress("address", value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message.replace(/^address /, "") + ".");
  }
}

function selector(value: string): ApprovalSelector {
  if (value === "risky" || value === "all") return { kind: value };
  const match = /^(spender|token):(.*)$/.exec(value);
  if (match === null) throw new InvalidArgumentError("expected risky, all, spender:<address> or token:<address>.");
  return { kind: match[1] as "spender" | "token", address: addressArgument(match[2]!) };
}

const collectAddress = (value: string, previous: Address[] = []) => [...previous, addressArgument(value)];

function describeSelector(select: ApprovalSelector): string {
  return select.kind === "risky" || select.kind === "all" ? select.kind : `of ${select.kind} ${select.address}`;
}

/** Columns of the scan report shown for each selected approval. */
const SELECTED_COLUMNS = ["token", "spender", "kind", "amount", "value at risk", "risk", "recommendation"];

/** For each selected approval, its scan report cells under SELECTED_COLUMNS. */
function selectedCells(entries: readonly ReportEntry[], report: ReturnType<typeof buildReport>): string[][] {
  const { header, rows } = reportRows({ ...report, entries: [...entries] });
  const columns = SELECTED_COLUMNS.map((title) => header.indexOf(title));
  return rows.map((row) => columns.map((column) => row[column]!));
}

const numbered = (cells: readonly string[][]) => cells.map((row, index) => [String(index + 1), ...row]);

const ROUTE_TITLES: Record<RevocationVia, string> = {
  "7702": "one EIP-7702 transaction of the account to itself, delegated to BatchRevoker",
  "5792": "one EIP-5792 wallet_sendCalls request",
  permit: "zero-value permits relayed through BatchRevoker, one transaction each for the rest",
  lockdown: "one lockdown per router",
  tx: "one transaction each (router grants: one lockdown per router)",
};

const REDUCED_REASON = "the token refuses approve(0): lowered to 1, its smallest allowance";

const PLAN_LAYOUT = { call: { min: 24 }, approvals: { min: 12 }, "estimated gas": { min: 16 } } as const;
const OUTCOME_LAYOUT = { why: { min: 24 }, kind: { min: 11 } } as const;
const TRANSACTIONS_LAYOUT = { hash: { min: 19, middle: true } } as const;

function planText(plan: PlannedRevocations, width: number): string {
  const { route, owner } = plan;
  const who = (from: Address) => (isAddressEqual(from, owner) ? "owner" : "relayer");
  const rows = route.transactions.map((transaction, index) => [
    String(index + 1),
    transaction.description,
    transaction.itemIndexes.map((itemIndex) => `#${itemIndex + 1}`).join(" "),
    who(transaction.from),
    transaction.estimatedGas === null ? `reverts: ${transaction.failure}` : gas(transaction.estimatedGas),
  ]);
  const lines = [
    `Plan: via ${route.via} — ${ROUTE_TITLES[route.via]}; BatchRevoker ${plan.revoker}.`,
    renderTable(["tx", "call", "approvals", "from", "estimated gas"], rows, width, PLAN_LAYOUT),
  ];
  if (route.via === "7702" && route.preview !== null) {
    const reduced = route.preview.flatMap((outcome, index) => (outcome === "reduced" ? [`#${index + 1}`] : []));
    const failed = route.preview.flatMap((outcome, index) => (outcome === "failed" ? [`#${index + 1}`] : []));
    if (reduced.length > 0) lines.push(`Simulated: ${reduced.join(" ")} only reduced to 1 (the token refuses approve(0)).`);
    if (failed.length > 0) lines.push(`Simulated: ${failed.join(" ")} would stay live (the token's call fails).`);
  }
  if (route.via === "permit") {
    lines.push(`Permits signed by the owner: ${route.permits.map(({ itemIndex }) => `#${itemIndex + 1}`).join(" ")}.`);
    if (route.refusals.length > 0) lines.push(`No permit, so one transaction each instead: ${route.refusals.join("; ")}.`);
  }
  const { ownerGas, totalGas } = route.costs;
  const relayed = totalGas > ownerGas ? `, ${gas(totalGas - ownerGas)} for the relayer` : "";
  lines.push(`Estimated gas: ${gas(ownerGas)} for the owner${relayed}.`, `Why: ${plan.why}`);
  return lines.map((line) => wrapText(line, width)).join("\n");
}

function outcomeText(plan: PlannedRevocations, report: RevocationReport, cells: readonly string[][], width: number): string {
  const [token, spender, kind] = ["token", "spender", "kind"].map((title) => SELECTED_COLUMNS.indexOf(title));
  const rows = report.results.map((result, index) => {
    const sentIn = report.transactions.findIndex(({ hash }) => hash === result.transaction);
    const row = cells[index]!;
    return [
      result.outcome,
      `#${index + 1}`,
      row[token!]!,
      row[spender!]!,
      row[kind!]!,
      sentIn >= 0 ? String(sentIn + 1) : "—",
      result.error ?? (result.outcome === "reduced" ? REDUCED_REASON : ""),
    ];
  });
  const transactions = report.transactions.map((transaction, index) => [
    String(index + 1),
    transaction.hash,
    isAddressEqual(transaction.from, plan.owner) ? "owner" : "relayer",
    transaction.status,
    gas(transaction.gasUsed),
  ]);
  const count = (outcome: string) => report.results.filter((result) => result.outcome === outcome).length;
  const used = report.transactions.reduce((sum, transaction) => sum + transaction.gasUsed, 0n);
  const lines = [
    renderTable(["outcome", "#", "token", "spender", "kind", "tx", "why"], rows, width, OUTCOME_LAYOUT),
    "",
    renderTable(["tx", "hash", "from", "status", "gas used"], transactions, width, TRANSACTIONS_LAYOUT),
    "",
    `${plural(report.results.length, "approval")}: ${count("revoked")} revoked, ${count("reduced")} reduced to 1, ` +
      `${count("failed")} still live, ${count("not-sent")} not sent; ${plural(report.transactions.length, "transaction")}, ${gas(used)} gas used.`,
  ];
  if (report.via === "7702") {
    lines.push(`${plan.owner} stays delegated to BatchRevoker ${plan.revoker}, which can only revoke; the next revocation needs no new delegation.`);
  }
  return lines.map((line) => wrapText(line, width)).join("\n");
}

/**
 * `allowance revoke <owner> --rpc <url>`: scans the owner's approvals, selects some, plans the
 * cheapest way to revoke them that works here, shows the plan and its estimated gas, asks, sends
 * and prints what became of each.
 */
export function revokeCommand(io: ActionIo): Command {
  const command = new Command("revoke")
    .description(
      "Revoke a wallet's approvals: scan them, select, plan the cheapest way that works (EIP-7702 batch, relayed permits, " +
        "router lockdown, or one transaction each), show the plan and its gas, ask, send, and print each outcome. " +
        `The owner's key comes from ${OWNER_KEY_VARIABLE} or Hardhat's keystore, never from the command line; ` +
        `${RELAYER_KEY_VARIABLE}, if set, submits permits and signed revocations and pays for them. ` +
        "Exit code: 0 done, 1 declined or some approvals still live, 2 bad input (nothing sent).",
    )
    .argument("<owner>", "the wallet whose approvals to revoke (0x...); the key must be its own")
    .addOption(required(new Option("--rpc <url>", "JSON-RPC endpoint of the chain").env("ALLOWANCE_RPC_URL")))
    .addOption(
      new Option("--select <which>", `which approvals: risky, all, spender:<address> or token:<address>; ${RISKY_DEFINITION}`)
        .argParser(selector)
        .default({ kind: "risky" }, "risky"),
    )
    .addOption(
      new Option("--via <way>", "auto picks the cheapest way that works for this account and these tokens, and says why")
        .choices([...CLI_VIAS])
        .default("auto"),
    )
    .option("--dry-run", "scan, plan and estimate, then stop: nothing is sent")
    .option("-y, --yes", "send without asking")
    .option("--revoker <address>", "the BatchRevoker deployment", addressArgument, BATCH_REVOKER_ADDRESS)
    .option("--router <address>", ROUTER_OPTION_HELP, collectAddress)
    .option("--chain <id>", "fail unless the RPC serves this chain id", positiveInteger)
    .option("--from-block <n>", "first block to scan (default 0)", blockNumber)
    .option("--cache <path>", "SQLite cache of scanned logs (shared with allowance scan)", defaultCachePath())
    .option("--no-cache", "keep nothing between runs")
    .option("--stale-days <n>", "days without a pull after which an approval is stale", positiveInteger, DEFAULT_RISK_THRESHOLDS.staleDays)
    .action(async (ownerText: string, options: RevokeCommandOptions) => {
      const env = io.env ?? process.env;
      const owner = parseAddress("owner", ownerText);
      const account = await ownerAccountFrom(env);
      if (!isAddressEqual(account.address, owner)) {
        throw new ActionInputError(`${OWNER_KEY_VARIABLE} holds the key of ${account.address}, not of ${owner}: set it to the owner's key`);
      }
      const relayerAccount = await accountFrom(RELAYER_KEY_VARIABLE, env);
      const connection = await connect(options.rpc, options.chain);

      const cache = openCliCache(options.cache, io.stderr);
      const progress = createProgressBar(io.stderr);
      let result;
      try {
        result = await scanApprovals(createRpcClient({ rpcUrl: options.rpc }), {
          owner,
          chainId: connection.chainId,
          tokens: options.select.kind === "token" ? [options.select.address] : undefined,
          routers: options.router,
          fromBlock: options.fromBlock,
          cache,
          onProgress: (update) => progress.update(update),
          onNotice: (message) => io.stderr.write(`note: ${message}\n`),
        });
      } finally {
        progress.finish();
        await cache.close();
      }
      const report = buildReport(result, {
        minRisk: "low",
        thresholds: { ...DEFAULT_RISK_THRESHOLDS, staleDays: options.staleDays },
        recentDays: DEFAULT_RECENT_DAYS,
      });
      const selected = selectApprovals(report.entries, options.select);
      if (selected.length === 0) {
        io.stdout.write(
          report.entries.length === 0
            ? `Nothing to revoke: ${owner} has no live approval.\n`
            : `Nothing to revoke: none of the ${plural(report.entries.length, "live approval")} of ${owner} is ${describeSelector(options.select)}.\n`,
        );
        return;
      }
      const wallet = connection.walletFor(account);
      const relayer = relayerAccount === undefined ? undefined : connection.walletFor(relayerAccount);
      const plan = await planRevocations(wallet, {
        publicClient: connection.publicClient,
        approvals: selected.map(({ approval }) => approval),
        via: options.via,
        revoker: options.revoker,
        relayer,
      });
      const { ownerGas, totalGas } = plan.route.costs;
      await assertCanPay(connection.publicClient, {
        account: owner,
        gas: ownerGas,
        chainId: connection.chainId,
        remedy:
          relayerAccount === undefined
            ? `send it some ETH, or set ${RELAYER_KEY_VARIABLE} to a funded key so a relayer sends and pays (--via 7702 or permit)`
            : "send it some ETH",
      });
      if (relayerAccount !== undefined && totalGas > ownerGas) {
        await assertCanPay(connection.publicClient, { account: relayerAccount.address, gas: totalGas - ownerGas, chainId: connection.chainId, remedy: "send the relayer some ETH" });
      }
      const cells = selectedCells(selected, report);
      const width = outputWidth(io.stdout);
      // Printed once the plan stands: input it rejects ends with its one-line error alone.
      io.stdout.write(
        `${selected.length} of ${plural(report.entries.length, "live approval")} of ${owner} selected (${describeSelector(options.select)}):\n\n` +
          `${renderTable(["#", ...SELECTED_COLUMNS], numbered(cells), width, REPORT_LAYOUT)}\n\n${planText(plan, width)}\n`,
      );
      if (options.dryRun) {
        io.stdout.write("\nDry run: nothing sent.\n");
        return;
      }
      const sends = plural(plan.route.via === "5792" ? 1 : plan.route.transactions.length, plan.route.via === "5792" ? "wallet request" : "transaction");
      const question = `\nRevoke ${plural(plan.items.length, "approval")} with ${sends}?`;
      if (!options.yes && !(await confirm(question, io.stdin ?? Readable.from([]), io.stderr))) {
        throw new CommandExit(EXIT_NOT_DONE, "Nothing sent.");
      }
      const sent = await sendRevocations(wallet, { publicClient: connection.publicClient, plan, relayer });
      io.stdout.write(`\n${outcomeText(plan, sent, cells, width)}\n`);
      const live = sent.results.filter((item) => item.outcome === "failed" || item.outcome === "not-sent").length;
      if (live > 0) throw new CommandExit(EXIT_NOT_DONE, `${plural(live, "approval")} may still be live: see above.`);
    });
  return withExamples(command, [
    ["what would be revoked on the revoke demo chain, and how, without sending anything", "npx allowance revoke 0x3258bCC93bc187369D82fbF07ea511f69E856f61 --rpc http://127.0.0.1:8547 --dry-run"],
    [
      "everything one spender may take, one transaction each, without asking",
      "npx allowance revoke 0x3258bCC93bc187369D82fbF07ea511f69E856f61 --rpc http://127.0.0.1:8547 --select spender:0xA51c1fc2f0D1a1b8494Ed1FE312d7C3a78Ed91C0 --via tx --yes",
    ],
  ]);
}
