import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect } from "chai";
import { network } from "hardhat";

import { runCli } from "../src/cli/main.js";
import { createProgressBar, progressLine } from "../src/cli/progress.js";
import { CSV_COLUMNS, distinctShortAddresses } from "../src/cli/report.js";
import { fitTable, truncate, wrapText } from "../src/cli/table.js";
import { RISK_LEVEL_ORDER } from "../src/risk/weights.js";
import { createRpcClient } from "../src/scan/client.js";
import { scanApprovals } from "../src/scan/scan.js";
import { BUILD_TIMEOUT_MS, ensurePackageBuilt } from "./fixtures/built-package.js";
import { serveProvider, type RunningServer } from "./fixtures/rpc-server.js";
import { seedScanWorld, type ScanWorld } from "./fixtures/scan-world.js";

const BIN = fileURLToPath(new URL("../bin/allowance.mjs", import.meta.url));

/** The address with the case of its first hex letter flipped: a one-letter typo that only EIP-55 catches. */
export function mistype(address: string): string {
  const at = address.slice(2).search(/[a-fA-F]/) + 2;
  const letter = address[at]!;
  return address.slice(0, at) + (letter === letter.toLowerCase() ? letter.toUpperCase() : letter.toLowerCase()) + address.slice(at + 1);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe("allowance CLI", function () {
  let world: ScanWorld;
  let node: RunningServer;
  let home: string;
  let savedEnv: NodeJS.ProcessEnv;

  /** The real executable, in a child process: asynchronous, as its node is served by this very process. */
  const spawnCli = (args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const { ALLOWANCE_RPC_URL: _unset, ...env } = process.env;
      execFile(process.execPath, [BIN, ...args], { env }, (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }),
      );
    });

  /** The same program in this process (no tsx start-up per case), with its output captured. */
  const run = async (args: string[]): Promise<Run> => {
    let stdout = "";
    let stderr = "";
    const code = await runCli(args, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { isTTY: false, write: (text: string) => (stderr += text) },
    });
    return { code, stdout, stderr };
  };

  const expectBadInput = (result: Run, message: RegExp) => {
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stdout).to.equal("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines, "one line").to.have.length(1);
    expect(lines[0]).to.match(/^error: /);
    expect(lines[0]).to.match(message);
  };

  // The bin runs the built package (dist/): build it if a source changed since.
  before(function () {
    this.timeout(BUILD_TIMEOUT_MS);
    ensurePackageBuilt();
  });

  before(async function () {
    const connection = await network.create();
    world = await seedScanWorld(connection as never);
    node = await serveProvider(connection.provider);
    home = mkdtempSync(join(tmpdir(), "allowance-cli-"));
    savedEnv = { ...process.env };
    process.env.XDG_CACHE_HOME = home;
    delete process.env.ALLOWANCE_RPC_URL;
  });

  after(async function () {
    process.env = savedEnv;
    await node?.close();
    if (home !== undefined) rmSync(home, { recursive: true, force: true });
  });

  it("runs as the package's bin on the pinned Node: help, a scan, and bad input's exit code", async function () {
    const help = await spawnCli(["scan", "--help"]);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/Usage: allowance scan \[options\] <owner>/);
    const scan = await spawnCli(["scan", world.owners.oddTokens, "--rpc", node.url, "--no-cache"]);
    expect(scan.code, scan.stderr).to.equal(0);
    expect(scan.stdout).to.match(/^token +spender/);
    // The token whose decimals() reverts shows raw units, and its metadata failure as a warning.
    expect(scan.stdout).to.match(/ 3,000,000,000,000,000,000 \(raw\) /);
    expect(scan.stdout).to.match(/\nwarning: 0x[0-9a-fA-F]{40}: symbol\(\): reverted with error 0x[0-9a-f]{8}; decimals\(\)/);
    // stderr is a pipe here, not a TTY: no progress bar, and no SQLite experimental warning.
    expect(scan.stderr).to.equal("");
    expectBadInput(await spawnCli(["scan", "0x12", "--rpc", node.url]), /owner "0x12" is not an address/);
  });

  it("prints help for the program and for scan, and exits 0", async function () {
    const root = await run(["--help"]);
    expect(root.code).to.equal(0);
    expect(root.stdout).to.match(/Usage: allowance \[options\] \[command\]/);
    expect(root.stdout).to.match(/scan \[options\] <owner>/);
    const scan = await run(["scan", "--help"]);
    expect(scan.code).to.equal(0);
    for (const option of ["--rpc <url>", "--json", "--min-risk <level>", "--chain <id>", "--token <address>", "--router <address>", "--no-cache"]) {
      expect(scan.stdout).to.include(option);
    }
  });

  it("prints a table of every live approval with its risk and recommendation, and totals; no progress bar off a TTY", async function () {
    const owner = world.owners.routerUser;
    const routerArgs = ["--router", world.routers.allowanceRouter, "--router", world.routers.permit2Compatible];
    const result = await run(["scan", owner, "--rpc", node.url, ...routerArgs]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.equal("");
    const lines = result.stdout.trimEnd().split("\n").filter((line) => !line.startsWith("warning: "));
    expect(lines[0]).to.match(/^token\s+spender\s+kind\s+amount\s+expiry\s+value at risk\s+last used\s+risk\s+reasons\s+recommendation$/);
    expect(lines[1]).to.match(/^-+( +-+){9}$/);
    const expected = await scanApprovals(createRpcClient({ rpcUrl: node.url }), { owner, routers: [world.routers.allowanceRouter, world.routers.permit2Compatible] });
    const rows = lines.slice(2, 2 + expected.approvals.length);
    expect(lines[2 + expected.approvals.length]).to.equal("");
    expect(rows.filter((row) => /\b(permit2|router 0x)/.test(row))).to.have.length(expected.approvals.filter((a) => a.kind === "router").length);
    expect(rows.some((row) => /^FAPE 0x[0-9a-fA-F]{4,}…[0-9a-fA-F]{4,} #1 /.test(row))).to.equal(true);
    expect(rows.some((row) => row.includes("Permit2 (0x0000…8BA3)"))).to.equal(true);
    const totals = lines[3 + expected.approvals.length]!;
    expect(totals).to.match(new RegExp(`^${expected.approvals.length} live approvals \\(\\d+ critical, \\d+ high, \\d+ medium, \\d+ low\\); \\d+ unlimited; \\d+ to revoke`));
    expect(lines.at(-1)).to.match(new RegExp(`^owner ${owner} on chain 31337, blocks 0-\\d+ \\(\\d+ read now, the rest from the cache\\)$`));
  });

  it("prints JSON for machines: every approval with its risk, reasons and recommendation", async function () {
    const owner = world.owners.heavy;
    const result = await run(["scan", owner, "--rpc", node.url, "--json", "--no-cache"]);
    expect(result.code, result.stderr).to.equal(0);
    const data = JSON.parse(result.stdout) as {
      chainId: number;
      approvals: { id: string; amount: string | null; risk: { level: string; score: number; factors: { name: string; reason: string }[] }; recommendation: { action: string } }[];
      totals: { approvals: number };
    };
    const library = await scanApprovals(createRpcClient({ rpcUrl: node.url }), { owner });
    expect(data.chainId).to.equal(31337);
    expect(data.approvals.map((a) => a.id).sort()).to.deep.equal(library.approvals.map((a) => a.id).sort());
    expect(data.totals.approvals).to.equal(library.approvals.length);
    const unlimited = data.approvals.find((a) => a.id === `erc20:${world.tokens.plain[0]}:${world.spenders.old}`.toLowerCase())!;
    expect(unlimited.amount).to.equal((2n ** 256n - 1n).toString());
    expect(unlimited.risk.factors.map((f) => f.name)).to.include("unlimited");
    // Token 17: 17 % 5 === 2 (50 tokens, never pulled), 17 % 4 === 1 (the proxy, upgraded 10 days ago).
    const neverPulled = data.approvals.find((a) => a.id === `erc20:${world.tokens.plain[17]}:${world.spenders.proxy}`.toLowerCase())!;
    expect(neverPulled.recommendation.action).to.equal("revoke");
    expect(neverPulled.risk.factors.map((f) => f.name)).to.include.members(["stale", "neverUsed", "upgradeableProxy", "recentSpender"]);
  });

  it("filters by --min-risk", async function () {
    const owner = world.owners.heavy;
    const all = JSON.parse((await run(["scan", owner, "--rpc", node.url, "--json", "--no-cache"])).stdout) as { approvals: { risk: { level: string } }[] };
    const high = JSON.parse((await run(["scan", owner, "--rpc", node.url, "--json", "--no-cache", "--min-risk", "high"])).stdout) as {
      approvals: { risk: { level: string } }[];
    };
    const atLeastHigh = all.approvals.filter((a) => RISK_LEVEL_ORDER.indexOf(a.risk.level as never) >= RISK_LEVEL_ORDER.indexOf("high"));
    expect(high.approvals).to.have.length(atLeastHigh.length);
    expect(high.approvals.length).to.be.greaterThan(0);
    expect(high.approvals.length).to.be.lessThan(all.approvals.length);
    for (const approval of high.approvals) expect(["high", "critical"]).to.include(approval.risk.level);
  });

  it("caches by default under XDG_CACHE_HOME, so a second run reads no block", async function () {
    const owner = world.owners.oddTokens;
    const first = await run(["scan", owner, "--rpc", node.url]);
    expect(first.code, first.stderr).to.equal(0);
    expect(existsSync(join(home, "allowance-router", "scan.sqlite"))).to.equal(true);
    const second = await run(["scan", owner, "--rpc", node.url]);
    expect(first.stdout).to.match(/\(\d{3,} read now, the rest from the cache\)/);
    expect(second.stdout).to.match(/\(0 read now, the rest from the cache\)/);
    const table = (output: string) => output.split("\n\n")[0];
    expect(table(second.stdout)).to.equal(table(first.stdout));
  });

  it("ends bad input with one line that says what to do, and exit code 2", async function () {
    expectBadInput(await run(["scan", "0x12", "--rpc", node.url]), /owner "0x12" is not an address: pass a 0x-prefixed 20-byte hex address/);
    expectBadInput(await run(["scan", world.owners.heavy]), /required option '--rpc <url>' not specified \(see --help\)/);
    expectBadInput(await run(["scan", world.owners.heavy, "--rpc", "http://127.0.0.1:59999", "--no-cache"]), /cannot reach the RPC at http:\/\/127\.0\.0\.1:59999 \(ECONNREFUSED\): check the URL/);
    expectBadInput(await run(["scan", world.owners.heavy, "--rpc", node.url, "--chain", "1"]), /serves chain 31337, not chain 1: use an RPC URL for chain 1 or pass --chain 31337/);
    expectBadInput(await run(["scan", world.owners.heavy, "--rpc", node.url, "--token", world.spenders.eoa]), /no contract at 0x[0-9a-fA-F]{40} on chain 31337: pass the address of a token/);
    expectBadInput(await run(["scan", world.owners.heavy, "--rpc", node.url, "--min-risk", "severe"]), /Allowed choices are low, medium, high, critical/);
    expectBadInput(await run(["scan", world.owners.heavy, "--rpc", node.url, "--stale-days", "-3"]), /expected a positive whole number/);
  });

  it("refuses a mixed-case address that fails its EIP-55 checksum, and accepts it all in lowercase (issue 9, point 4)", async function () {
    const owner = world.owners.heavy;
    const typo = mistype(owner);
    expectBadInput(await run(["scan", typo, "--rpc", node.url, "--no-cache"]), new RegExp(`owner "${typo}" fails its EIP-55 checksum.*most likely a typo`));
    expectBadInput(await run(["scan", owner, "--rpc", node.url, "--no-cache", "--token", mistype(world.tokens.uint96)]), /token "0x[0-9a-fA-F]{40}" fails its EIP-55 checksum/);
    const lower = await run(["scan", owner.toLowerCase(), "--rpc", node.url, "--no-cache", "--json"]);
    expect(lower.code, lower.stderr).to.equal(0);
    const checksummed = await run(["scan", owner, "--rpc", node.url, "--no-cache", "--json"]);
    expect((JSON.parse(lower.stdout) as { approvals: unknown[] }).approvals).to.have.length(
      (JSON.parse(checksummed.stdout) as { approvals: unknown[] }).approvals.length,
    );
  });

  it("fits a 120-column terminal, always showing enough of each token's address to tell tokens apart (issue 9, point 12)", async function () {
    const owner = world.owners.routerUser;
    const routerArgs = ["--router", world.routers.allowanceRouter, "--router", world.routers.permit2Compatible];
    let stdout = "";
    const code = await runCli(["scan", owner, "--rpc", node.url, "--no-cache", ...routerArgs], {
      stdout: { isTTY: true, columns: 120, write: (text: string) => (stdout += text) },
      stderr: { isTTY: false, write: () => true },
    });
    expect(code).to.equal(0);
    const lines = stdout.trimEnd().split("\n");
    for (const line of lines) expect(line.length, line).to.be.at.most(120);
    expect(lines[0]).to.match(/^token\s+spender\s+kind\s+amount\s.*risk\s.*recommendation$/);
    const full = await run(["scan", owner, "--rpc", node.url, "--no-cache", ...routerArgs]);
    expect(full.stdout.split("\n").some((line) => line.length > 120), "the unfitted table is wider").to.equal(true);
    // Every row names its token's address (shortened), and no two tokens share a short form.
    const data = JSON.parse((await run(["scan", owner, "--rpc", node.url, "--no-cache", "--json", ...routerArgs])).stdout) as {
      approvals: { token: { address: string } }[];
    };
    const rows = lines.slice(2, 2 + data.approvals.length);
    const shortForms = new Map<string, string>();
    rows.forEach((row, index) => {
      const form = /0x[0-9a-fA-F]{4,}…[0-9a-fA-F]{4,}/.exec(row.split(/\s{2,}/)[0]!)?.[0];
      expect(form, row).to.be.a("string");
      const address = data.approvals[index]!.token.address;
      const [head, tail] = form!.split("…") as [string, string];
      expect(address.startsWith(head) && address.endsWith(tail), `${form} is ${address}`).to.equal(true);
      expect(shortForms.get(form!) ?? address).to.equal(address);
      shortForms.set(form!, address);
    });
  });

  it("prints --csv: one row per approval with every field and full addresses (issue 9, point 12)", async function () {
    const owner = world.owners.heavy;
    const csv = await run(["scan", owner, "--rpc", node.url, "--no-cache", "--csv"]);
    expect(csv.code, csv.stderr).to.equal(0);
    const [header, ...rows] = csv.stdout.trimEnd().split("\r\n");
    expect(header!.split(",")).to.deep.equal([...CSV_COLUMNS]);
    const data = JSON.parse((await run(["scan", owner, "--rpc", node.url, "--no-cache", "--json"])).stdout) as {
      approvals: { token: { address: string }; spender: string; amount: string | null; risk: { score: number } }[];
    };
    expect(rows).to.have.length(data.approvals.length);
    rows.forEach((row, index) => {
      const cells = row.split(",");
      const approval = data.approvals[index]!;
      expect(cells[CSV_COLUMNS.indexOf("token")]).to.equal(approval.token.address);
      expect(cells[CSV_COLUMNS.indexOf("spender")]).to.equal(approval.spender);
      expect(cells[CSV_COLUMNS.indexOf("amount")]).to.equal(approval.amount ?? "");
      expect(Number(cells[CSV_COLUMNS.indexOf("risk_score")])).to.equal(approval.risk.score);
    });
    expectBadInput(await run(["scan", owner, "--rpc", node.url, "--csv", "--json"]), /option '--json' cannot be used with option '--csv'/);
  });

  it("rebuilds a corrupt cache with a note naming the file, and refuses an unusable --cache path in one line (issue 9, point 8)", async function () {
    const path = join(home, "corrupt.sqlite");
    writeFileSync(path, "garbage ".repeat(100));
    const rebuilt = await run(["scan", world.owners.oddTokens, "--rpc", node.url, "--cache", path]);
    expect(rebuilt.code, rebuilt.stderr).to.equal(0);
    expect(rebuilt.stderr).to.match(new RegExp(`^note: the scan cache at ${path} was not a readable database \\(file is not a database\\): moved it to ${path}\\.corrupt-[0-9TZ-]+ and started a new one\\n$`));
    const again = await run(["scan", world.owners.oddTokens, "--rpc", node.url, "--cache", path]);
    expect(again.stderr).to.equal("");
    expect(again.stdout).to.match(/\(0 read now, the rest from the cache\)/);
    expectBadInput(await run(["scan", world.owners.oddTokens, "--rpc", node.url, "--cache", "/proc/nope/x"]), /^error: the scan cache cannot be kept at \/proc\/nope\/x: the folder \/proc\/nope cannot be created \(ENOENT\); pass --cache with a file in a folder you can write, or --no-cache$/);
    expectBadInput(await run(["scan", world.owners.oddTokens, "--rpc", node.url, "--cache", "/etc/passwd/x"]), /^error: the scan cache cannot be kept at \/etc\/passwd\/x: \/etc\/passwd is a file, not a folder; /);
  });

  it("restricts the scan to --token", async function () {
    const result = await run(["scan", world.owners.oddTokens, "--rpc", node.url, "--json", "--no-cache", "--token", world.tokens.uint96]);
    const data = JSON.parse(result.stdout) as { approvals: { token: { address: string }; amount: string }[] };
    expect(data.approvals).to.have.length(1);
    expect(data.approvals[0]!.token.address).to.equal(world.tokens.uint96);
    expect(data.approvals[0]!.amount).to.equal(((1n << 96n) - 1n).toString());
  });
});

describe("terminal tables (issue 9, point 12)", function () {
  it("shortens addresses so that two of them never look the same", function () {
    const a = "0x1234aaaa00000000000000000000000000005678";
    const b = "0x1234bbbb00000000000000000000000000005678";
    const c = "0x9999000000000000000000000000000000001111";
    const forms = distinctShortAddresses([a, b, c, a]);
    expect(forms.get(a)).to.equal("0x1234a…05678");
    expect(forms.get(b)).to.equal("0x1234b…05678");
    // One length for all, so the column stays even.
    expect(forms.get(c)).to.equal("0x99990…01111");
  });

  it("shrinks shrinkable columns first, then drops the lowest-ranked, and cuts hashes in the middle", function () {
    const header = ["name", "notes", "extra"];
    const rows = [["alpha", "a long note that goes on and on", "x".repeat(20)]];
    const fitted = fitTable(header, rows, 40, { notes: { min: 10 }, extra: { dropRank: 1 } });
    expect(fitted.header).to.deep.equal(["name", "notes", "extra"]);
    expect(fitted.rows[0]).to.deep.equal(["alpha", "a long not…", "x".repeat(20)]);
    const narrower = fitTable(header, rows, 30, { notes: { min: 10 }, extra: { dropRank: 1 } });
    expect(narrower.header).to.deep.equal(["name", "notes"]);
    expect(narrower.rows[0]).to.deep.equal(["alpha", "a long note that goes…"]);
    expect(truncate(`0x${"ab".repeat(32)}`, 11, true)).to.equal("0xabab…abab");
    expect(wrapText("one two three four", 9)).to.equal("one two\nthree\nfour");
  });
});

describe("progress bar", function () {
  it("redraws one line in place on a terminal, throttled, and clears it at the end", function () {
    const written: string[] = [];
    let clock = 0;
    const bar = createProgressBar({ isTTY: true, columns: 100, write: (text: string) => written.push(text) }, () => clock);
    bar.update({ phase: "logs", done: 0n, total: 200_000n });
    clock += 10;
    bar.update({ phase: "logs", done: 50_000n, total: 200_000n }); // too soon: skipped
    clock += 100;
    bar.update({ phase: "logs", done: 100_000n, total: 200_000n });
    bar.update({ phase: "confirm", done: 0n, total: 1_234n });
    bar.finish();
    expect(written).to.deep.equal([
      `\r\x1b[K[${".".repeat(30)}] 0% blocks 0/200,000`,
      `\r\x1b[K[${"#".repeat(15)}${".".repeat(15)}] 50% blocks 100,000/200,000`,
      "\r\x1b[Kreading approvals on-chain (1,234)…",
      "\r\x1b[K",
    ]);
  });

  it("writes nothing when the stream is not a terminal", function () {
    const written: string[] = [];
    const bar = createProgressBar({ isTTY: false, write: (text: string) => written.push(text) });
    bar.update({ phase: "logs", done: 1n, total: 2n });
    bar.finish();
    expect(written).to.deep.equal([]);
    expect(progressLine({ phase: "spenders", done: 0n, total: 3n })).to.equal("checking spenders (3)…");
  });
});
