import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { getAddress, maxUint160, maxUint256, parseEther, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { createRpcClient } from "../../src/scan/client.js";
import { scanApprovals } from "../../src/scan/scan.js";
import { DEFAULT_WATCH_SETTINGS, parseOwnersFile, parseWatchSettings, type WatchSettings } from "../../src/watch/config.js";
import { WatchConfigError } from "../../src/watch/errors.js";
import { startWatchService, type WatchService } from "../../src/watch/service.js";
import { openSqliteWatchStore } from "../../src/watch/sqlite-store.js";
import type { WatchAlert } from "../../src/watch/types.js";
import { runInProcess } from "../fixtures/cli-world.js";
import { startFaultProxy, type FaultProxy } from "../fixtures/fault-proxy.js";
import {
  FAST_BACKOFF,
  FAST_RETRY,
  labelled,
  manualDriver,
  startWatchChain,
  startWebhookReceiver,
  waitFor,
  WEBHOOK_SECRET,
  type WatchChain,
  type WebhookReceiver,
} from "./world.js";

const DAY = 86_400;
/** The guardian's key: a fixed test key, funded by the test, not one of Hardhat's accounts. */
const GUARDIAN_KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

describe("allowance watch: the embedded service (SQLite) against a node over HTTP", function () {
  let chain: WatchChain;
  let proxy: FaultProxy;
  let webhook: WebhookReceiver;
  let dir: string;
  let service: WatchService;
  let lines: string[];
  let owners: Address[];
  const contractSpender = () => chain.router.address; // any contract: the router has code
  const eoaSpender = labelled("an EOA spender");
  const exploited = labelled("a spender about to be exploited");
  let denylistFile: string;
  let settings: WatchSettings;
  let storePath: string;

  const alertsOf = (rule: string) => lines.map((line) => JSON.parse(line) as WatchAlert).filter((alert) => alert.rule === rule);
  const approve = async (wallet: number, spender: Address, amount: bigint) => {
    await chain.token.write.approve([spender, amount], { account: chain.wallets[wallet]!.account });
  };
  const start = async (extra: Partial<Parameters<typeof startWatchService>[0]> = {}) =>
    startWatchService({
      rpcUrl: proxy.url,
      store: openSqliteWatchStore(storePath),
      settings,
      webhook: { url: webhook.url, secret: WEBHOOK_SECRET },
      deliveryBackoff: FAST_BACKOFF,
      apiPort: 0,
      retry: FAST_RETRY,
      driver: manualDriver(),
      output: (line) => lines.push(line),
      guardian: privateKeyToAccount(GUARDIAN_KEY),
      ...extra,
    });

  before(async function () {
    chain = await startWatchChain();
    proxy = await startFaultProxy(chain.node.url);
    webhook = await startWebhookReceiver();
    dir = mkdtempSync(join(tmpdir(), "watch-"));
    storePath = join(dir, "watch.sqlite");
    denylistFile = join(dir, "denylist.json");
    writeFileSync(denylistFile, "[]");
    lines = [];
    owners = chain.wallets.slice(1, 4).map((wallet) => getAddress(wallet.account.address));
    for (const owner of owners) await chain.token.write.mint([owner, parseEther("1000")]);
    // Before the service starts: what the owners' full scans must find.
    await approve(1, eoaSpender, parseEther("5"));
    await approve(2, contractSpender(), maxUint256);
    await chain.mine(2);
    settings = { ...DEFAULT_WATCH_SETTINGS, routers: [chain.router.address], denylistFile, ownersPerRequest: 2 };
    service = await start({ owners: owners.map((address) => ({ address })) });
  });

  after(async function () {
    await service?.stop();
    await proxy?.close();
    await webhook?.close();
    await chain?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("full-scans new owners first: a risky existing approval alerts, an existing unlimited one is not 'new'", async function () {
    await service.step();
    const risky = alertsOf("risky-spender");
    expect(risky).to.have.length(1);
    expect(risky[0]!.owner).to.equal(owners[0]);
    expect(risky[0]!.approval!.spender).to.equal(eoaSpender);
    expect(risky[0]!.reasons.join()).to.match(/EOA/);
    expect(alertsOf("new-unlimited-approval")).to.deep.equal([]);
  });

  it("follows many owners per eth_getLogs, and raises a new unlimited approval only after N confirmations", async function () {
    await approve(3, contractSpender(), maxUint256);
    proxy.resetStats();
    await service.step(); // the approval's block has 0 blocks on top
    await chain.mine(1);
    await service.step(); // 1 on top
    expect(alertsOf("new-unlimited-approval")).to.deep.equal([]);
    await chain.mine(1);
    await service.step(); // 2 on top: processed
    const alerts = alertsOf("new-unlimited-approval");
    expect(alerts).to.have.length(1);
    expect(alerts[0]!.owner).to.equal(owners[2]);
    // Three owners, two per request: two eth_getLogs for each of the three steps, never one per owner.
    expect(proxy.stats.byMethod.eth_getLogs).to.equal(6);
  });

  it("delivers every alert to the webhook, HMAC-signed, the alert id as idempotency key", async function () {
    await service.idle();
    await waitFor("deliveries", () => webhook.ids().size === lines.length);
    for (const delivery of webhook.deliveries) {
      expect(delivery.signatureValid, delivery.id).to.equal(true);
      expect(delivery.idempotencyKey).to.equal(delivery.id);
    }
    expect([...webhook.ids()].sort()).to.deep.equal(lines.map((line) => (JSON.parse(line) as WatchAlert).id).sort());
  });

  it("undoes a reorged block: the alert it raised is retracted by a correction, the approval dropped", async function () {
    const snapshot = await chain.request("evm_snapshot");
    await approve(1, contractSpender(), maxUint256);
    await chain.mine(3);
    await service.step();
    const raised = alertsOf("new-unlimited-approval").filter((alert) => alert.owner === owners[0]);
    expect(raised).to.have.length(1);
    await chain.request("evm_revert", [snapshot]);
    await chain.mine(6); // a longer chain without the approval
    await service.step();
    const corrections = alertsOf("correction");
    expect(corrections.map((alert) => alert.retracts)).to.deep.equal([raised[0]!.id]);
    const stored = await openSqliteWatchStore(storePath).approvals([owners[0]!]);
    expect(stored.find((approval) => approval.spender === contractSpender())?.live ?? false).to.equal(false);
  });

  it("alerts on a router grant beyond the duration cap (30 days by default, an owner's own cap wins)", async function () {
    const block = await chain.publicClient.getBlock();
    await chain.router.write.approve([chain.token.address, labelled("a dapp"), parseEther("1"), Number(block.timestamp) + 90 * DAY], {
      account: chain.wallets[2]!.account,
    });
    await chain.mine(2);
    await service.step();
    const capped = alertsOf("grant-beyond-duration-cap");
    expect(capped).to.have.length(1);
    expect(capped[0]!.message).to.match(/lasts 90\.0 days, beyond the cap of 30\.0/);
  });

  it("POST /exploits lists a spender and alerts on every live approval to it before the next block", async function () {
    await approve(1, exploited, parseEther("7"));
    await approve(2, exploited, parseEther("8"));
    await chain.mine(2);
    await service.step();
    const headBefore = await chain.publicClient.getBlockNumber();
    const response = await fetch(`${service.apiUrl}/exploits`, { method: "POST", body: JSON.stringify({ spenders: [exploited] }) });
    expect(response.status).to.equal(200);
    const report = (await response.json()) as { approvals: number; alerts: string[] };
    expect(report.approvals).to.equal(2);
    expect(await chain.publicClient.getBlockNumber()).to.equal(headBefore);
    expect(alertsOf("spender-exploited").map((alert) => alert.owner).sort()).to.deep.equal([owners[0], owners[1]].sort());
    // Reported again: the same ids, nothing new.
    await fetch(`${service.apiUrl}/exploits`, { method: "POST", body: JSON.stringify({ spenders: [exploited] }) });
    expect(alertsOf("spender-exploited")).to.have.length(2);
  });

  it("reloads the denylist file when it changes and re-evaluates live approvals to the new entries", async function () {
    const later = labelled("listed later in the file");
    await approve(3, later, parseEther("3"));
    await chain.mine(2);
    await service.step();
    writeFileSync(denylistFile, JSON.stringify([later]));
    await waitFor("the reloaded denylist's alert", () => alertsOf("spender-exploited").some((alert) => alert.approval!.spender === later));
  });

  it("keeps undelivered alerts while the webhook is down and across a restart, then delivers each", async function () {
    await service.idle();
    webhook.down = true;
    await approve(1, labelled("while the webhook is down"), maxUint256);
    await chain.mine(2);
    await service.step();
    await waitFor("a failed attempt", () => webhook.attemptsWhileDown > 0);
    await service.stop();
    const pending = lines.length;
    webhook.down = false;
    service = await start();
    await service.idle();
    await waitFor("every alert delivered", () => webhook.ids().size === pending);
    expect([...webhook.ids()].sort()).to.deep.equal(lines.map((line) => (JSON.parse(line) as WatchAlert).id).sort());
  });

  it("rides out 429s and dropped connections with backoff, leaving no gap", async function () {
    proxy.setPlan({ rateLimitEvery: 3, dropEvery: 7 });
    const spenders = [labelled("busy 1"), labelled("busy 2"), labelled("busy 3")];
    for (const [index, spender] of spenders.entries()) await approve(index + 1, spender, maxUint256);
    await chain.mine(2);
    await service.step();
    proxy.setPlan({});
    expect(proxy.stats.rateLimited + proxy.stats.dropped).to.be.greaterThan(0);
    const seen = alertsOf("new-unlimited-approval").map((alert) => alert.approval!.spender);
    for (const spender of spenders) expect(seen).to.include(spender);
  });

  it("sends a stale-approvals digest once per period", async function () {
    await chain.connection.networkHelpers.time.increase(200 * DAY);
    await chain.mine(3);
    await service.step();
    const digests = alertsOf("stale-approvals-digest");
    expect(digests.map((alert) => alert.owner).sort()).to.deep.equal([...owners].sort());
    expect(digests.find((alert) => alert.owner === owners[0])!.items!.map((item) => item.spender)).to.include(eoaSpender);
    await chain.mine(1);
    await service.step();
    expect(alertsOf("stale-approvals-digest")).to.have.length(3);
  });

  it("auto-revokes as guardian: the denylist gains a spender, lockdownFor is mined, the scan shows the grant gone", async function () {
    const guardian = privateKeyToAccount(GUARDIAN_KEY);
    await chain.connection.networkHelpers.setBalance(guardian.address, parseEther("1"));
    const owner = chain.wallets[2]!.account;
    const drainer = labelled("a spender drained next");
    await chain.router.write.setGuardian([guardian.address], { account: owner });
    await chain.token.write.approve([chain.router.address, maxUint256], { account: owner });
    const block = await chain.publicClient.getBlock();
    await chain.router.write.approve([chain.token.address, drainer, maxUint160, Number(block.timestamp) + DAY], { account: owner });
    await chain.mine(2);
    await service.step();
    const scan = () => scanApprovals(createRpcClient({ rpcUrl: chain.node.url }), { owner: owner.address, routers: [chain.router.address] });
    expect((await scan()).approvals.some((approval) => approval.kind === "router" && approval.spender === drainer)).to.equal(true);

    writeFileSync(denylistFile, JSON.stringify([labelled("listed later in the file"), drainer]));
    await waitFor("the guardian revocation", () => alertsOf("auto-revoked").length > 0);
    const [revoked] = alertsOf("auto-revoked");
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: revoked!.transactionHash! });
    expect(receipt.status).to.equal("success");
    expect(receipt.from.toLowerCase()).to.equal(guardian.address.toLowerCase());
    expect((await scan()).approvals.some((approval) => approval.kind === "router" && approval.spender === drainer)).to.equal(false);
  });

  it("control API: add an owner while running (full scan, then live), remove one, health and metrics", async function () {
    const late = { ...chain.wallets[5]!.account, address: getAddress(chain.wallets[5]!.account.address) };
    await chain.token.write.mint([late.address, parseEther("1")]);
    await chain.token.write.approve([eoaSpender, 1n], { account: late });
    const add = await fetch(`${service.apiUrl}/owners`, { method: "POST", body: JSON.stringify({ owners: [late.address] }) });
    expect(await add.json()).to.deep.equal({ added: [late.address] });
    await chain.mine(2);
    await service.step();
    expect(alertsOf("risky-spender").some((alert) => alert.owner === late.address)).to.equal(true);
    const bad = await fetch(`${service.apiUrl}/owners`, { method: "POST", body: JSON.stringify({ owners: ["0x1234"] }) });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: string }).error).to.match(/"0x1234" in "owners" is not an address/);
    expect((await fetch(`${service.apiUrl}/owners/${late.address}`, { method: "DELETE" })).status).to.equal(200);
    expect((await fetch(`${service.apiUrl}/owners/${late.address}`, { method: "DELETE" })).status).to.equal(404);
    const health = (await (await fetch(`${service.apiUrl}/health`)).json()) as { ok: boolean; owners: number };
    expect(health).to.include({ ok: true, owners: 3 });
    const metrics = await (await fetch(`${service.apiUrl}/metrics`)).text();
    expect(metrics).to.match(/allowance_watch_alerts_total\{rule="risky-spender"\} \d+/);
    expect(metrics).to.match(/allowance_watch_owners 3/);
    const alerts = (await (await fetch(`${service.apiUrl}/alerts?rule=correction`)).json()) as { alerts: WatchAlert[] };
    expect(alerts.alerts).to.have.length(1);
  });
});

describe("watch configuration", function () {
  it("documents its defaults and names the setting that is wrong", function () {
    expect(DEFAULT_WATCH_SETTINGS.confirmations).to.equal(2);
    const settings = parseWatchSettings(JSON.stringify({ confirmations: 5, rules: { maxGrantDays: null, riskySpender: { eoa: false } } }), "w.json");
    expect(settings.confirmations).to.equal(5);
    expect(settings.rules.maxGrantDays).to.equal(null);
    expect(settings.rules.riskySpender).to.deep.equal({ denylisted: true, eoa: false, delegated: true });
    expect(() => parseWatchSettings(`{"confirmatons": 1}`, "w.json")).to.throw(WatchConfigError, /w.json: unknown setting "confirmatons"/);
    expect(() => parseWatchSettings(`{"rules": {"staleAfterDays": -1}}`, "w.json")).to.throw(WatchConfigError, /"rules.staleAfterDays" must be a number of days > 0/);
    expect(() => parseWatchSettings(`{`, "w.json")).to.throw(WatchConfigError, /w.json: not JSON/);
  });

  it("reads owners as lines or JSON, with per-owner caps", function () {
    const a = "0x00000000000000000000000000000000000000aa";
    expect(parseOwnersFile(`# team\n${a}\n`, "o.txt")).to.deep.equal([{ address: "0x00000000000000000000000000000000000000AA" }]);
    expect(parseOwnersFile(JSON.stringify([{ address: a, maxGrantDays: 2 }]), "o.json")[0]!.maxGrantSeconds).to.equal(2 * DAY);
    expect(() => parseOwnersFile("0xnope", "o.txt")).to.throw(WatchConfigError, /o.txt entry 1: "0xnope" is not an address/);
  });
});

describe("allowance watch: command-line input", function () {
  let chain: WatchChain;
  let dir: string;

  before(async function () {
    chain = await startWatchChain();
    dir = mkdtempSync(join(tmpdir(), "watch-cli-"));
  });

  after(async function () {
    await chain?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const run = (args: string[], env: Record<string, string> = {}) =>
    runInProcess(["watch", "--rpc", chain.node.url, "--store", join(dir, "w.sqlite"), "--api-port", "0", ...args], env);

  it("refuses bad input with one line and exit code 2, starting nothing", async function () {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [[], {}, /no owners: pass --owners <file> or --owner <address>/],
      [["--owner", "0x1234"], {}, /--owner: "0x1234" is not an address/],
      [["--owners", join(dir, "missing.txt")], {}, /cannot read --owners/],
      [["--owner", chain.wallets[1]!.account.address, "--webhook", "http://127.0.0.1:9/hook"], {}, /set ALLOWANCE_WEBHOOK_SECRET/],
      [["--owner", chain.wallets[1]!.account.address, "--confirmations", "two"], {}, /--confirmations/],
      [["--owner", chain.wallets[1]!.account.address], { ALLOWANCE_GUARDIAN_PRIVATE_KEY: "0x12" }, /ALLOWANCE_GUARDIAN_PRIVATE_KEY is not a private key/],
    ];
    for (const [args, env, message] of cases) {
      const result = await run(args, env);
      expect(result.code, args.join(" ")).to.equal(2);
      expect(result.stderr.trim().split("\n"), args.join(" ")).to.have.length(1);
      expect(result.stderr).to.match(message);
    }
  });
});
