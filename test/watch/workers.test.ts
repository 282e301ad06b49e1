import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect } from "chai";
import pg from "pg";
import { getAddress, maxUint256, parseEther, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { setRevokeGuardian } from "../../src/revoke/guardian.js";
import { openPostgresWatchStore, type PostgresWatchStore } from "../../src/watch/postgres-store.js";
import { partitionOf } from "../../src/watch/rows.js";
import { ensurePackageBuilt } from "../fixtures/built-package.js";
import { startFaultProxy, type FaultProxy } from "../fixtures/fault-proxy.js";
import { startTestPostgres, type TestPostgres } from "../fixtures/postgres.js";
import { labelled, startWatchChain, startWebhookReceiver, waitFor, WEBHOOK_SECRET, type WatchChain, type WebhookReceiver } from "./world.js";

const BIN = fileURLToPath(new URL("../../bin/allowance.mjs", import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PARTITIONS = 4;
const OWNERS = 8;
/** A throw-away guardian key, so the workers need no keystore. */
const GUARDIAN_KEY = "0x6c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

interface Worker {
  child: ChildProcess;
  stderr: string;
  stdout: string;
}

describe("allowance watch at scale: PostgreSQL + pg-boss workers (real PostgreSQL 15)", function () {
  this.timeout(180_000);
  let postgres: TestPostgres;
  let chain: WatchChain;
  let proxy: FaultProxy;
  let webhook: WebhookReceiver;
  let dir: string;
  let store: PostgresWatchStore;
  let db: pg.Pool;
  let owners: Address[];
  let revoker: Address;
  const workers: Worker[] = [];

  const startWorker = (): Worker => {
    const child = spawn(
      process.execPath,
      [BIN, "watch", "--rpc", proxy.url, "--owners", join(dir, "owners.txt"), "--store", postgres.url, "--webhook", webhook.url, "--config", join(dir, "watch.json"), "--api-port", "0"],
      { cwd: PROJECT_ROOT, env: { ...process.env, ALLOWANCE_WEBHOOK_SECRET: WEBHOOK_SECRET, ALLOWANCE_GUARDIAN_PRIVATE_KEY: GUARDIAN_KEY } },
    );
    const worker: Worker = { child, stderr: "", stdout: "" };
    child.stdout!.on("data", (chunk: Buffer) => (worker.stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (worker.stderr += chunk.toString()));
    workers.push(worker);
    return worker;
  };
  const storedAlertIds = async (rule?: string) =>
    new Set(
      (await db.query(`SELECT id FROM allowance_watch.alerts ${rule === undefined ? "" : "WHERE rule = $1"}`, rule === undefined ? [] : [rule])).rows.map(
        (row) => row.id as string,
      ),
    );
  const cursors = async () => (await db.query("SELECT cursor FROM allowance_watch.owners")).rows.map((row) => (row.cursor === null ? null : BigInt(row.cursor)));
  const approveAll = async (spender: Address) => {
    for (let index = 0; index < OWNERS; index++) {
      await chain.token.write.approve([spender, maxUint256], { account: chain.wallets[index + 1]!.account });
    }
    await chain.mine(2);
  };

  before(async function () {
    ensurePackageBuilt(); // the workers run the built CLI (bin/allowance.mjs -> dist/)
    [postgres, chain] = await Promise.all([startTestPostgres(), startWatchChain()]);
    // The node answers every 5th HTTP request with a 429: the workers back off and leave no gap.
    proxy = await startFaultProxy(chain.node.url, { rateLimitEvery: 5 });
    webhook = await startWebhookReceiver();
    dir = mkdtempSync(join(tmpdir(), "watch-workers-"));
    owners = chain.wallets.slice(1, OWNERS + 1).map((wallet) => getAddress(wallet.account.address));
    writeFileSync(join(dir, "owners.txt"), owners.join("\n"));
    revoker = (await chain.connection.viem.deployContract("BatchRevoker")).address;
    writeFileSync(join(dir, "denylist.json"), "[]");
    writeFileSync(
      join(dir, "watch.json"),
      JSON.stringify({ partitions: PARTITIONS, pollIntervalMs: 200, leaseSeconds: 3, routers: [chain.router.address], revoker, denylistFile: join(dir, "denylist.json") }),
    );
    db = new pg.Pool({ connectionString: postgres.url, max: 2 });
    store = await openPostgresWatchStore(postgres.url);
    startWorker();
    startWorker();
    await waitFor("every owner's full scan", async () => (await cursors()).length === OWNERS && (await cursors()).every((cursor) => cursor !== null), 60_000);
  });

  after(async function () {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
    await store?.close();
    await db?.end();
    await proxy?.close();
    await webhook?.close();
    await chain?.close();
    await postgres?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("never runs one partition in two workers: a held partition lock stops its owners, the rest go on", async function () {
    const held = partitionOf(owners[0]!, PARTITIONS);
    const heldOwners = owners.filter((owner) => partitionOf(owner, PARTITIONS) === held);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding: Promise<boolean> | null = null;
    // A worker may hold the lock for a moment (its step): try until the test holds it.
    await waitFor("the partition lock", async () => {
      let locked!: () => void;
      const isLocked = new Promise<boolean>((resolve) => (locked = () => resolve(true)));
      const attempt = store.withPartitionLock(held, async () => {
        locked();
        await released;
      });
      if (await Promise.race([isLocked, attempt])) {
        holding = attempt;
        return true;
      }
      return false;
    });
    const before = new Map((await store.owners()).map((owner) => [owner.address, owner.cursor]));
    await chain.mine(3);
    await waitFor("the free partitions to advance", async () =>
      (await store.owners()).filter((owner) => !heldOwners.includes(owner.address)).every((owner) => owner.cursor! > before.get(owner.address)!),
    );
    for (const owner of await store.owners()) if (heldOwners.includes(owner.address)) expect(owner.cursor).to.equal(before.get(owner.address));
    release();
    expect(await holding!).to.equal(true);
    await waitFor("the released partition to advance", async () =>
      (await store.owners()).filter((owner) => heldOwners.includes(owner.address)).every((owner) => owner.cursor! > before.get(owner.address)!),
    );
  });

  it("a worker SIGKILLed mid-run: its partitions are taken over, no alert lost, none delivered under two ids", async function () {
    await approveAll(labelled("wave 1"));
    await waitFor("wave 1 alerts", async () => (await storedAlertIds("new-unlimited-approval")).size === OWNERS, 60_000);
    // Kill one worker while the next wave is being processed.
    await approveAll(labelled("wave 2"));
    workers[0]!.child.kill("SIGKILL");
    await approveAll(labelled("wave 3"));
    await waitFor("all three waves stored", async () => (await storedAlertIds("new-unlimited-approval")).size === 3 * OWNERS, 90_000);
    const stored = await storedAlertIds();
    await waitFor("every stored alert delivered", () => [...stored].every((id) => webhook.ids().has(id)), 60_000);
    const deliveredIds = webhook.deliveries.map((delivery) => delivery.id);
    for (const id of deliveredIds) expect(stored.has(id), `delivered ${id} is a stored alert`).to.equal(true);
    expect(webhook.ids().size).to.equal(stored.size);
    for (const delivery of webhook.deliveries) expect(delivery.signatureValid).to.equal(true);
    expect(proxy.stats.rateLimited).to.be.greaterThan(0);
    // Three waves, each owner's alerts in every wave, whatever worker stored them.
    const perOwner = new Map<string, number>();
    for (const delivery of webhook.deliveries.filter((d) => d.alert.rule === "new-unlimited-approval")) {
      perOwner.set(delivery.alert.owner, (perOwner.get(delivery.alert.owner) ?? 0) + 1);
    }
    for (const owner of owners) expect(perOwner.get(owner) ?? 0, owner).to.be.at.least(3);
    this.test!.title += ` (${deliveredIds.length - webhook.ids().size} redelivered under the same id)`;
  });

  it("the webhook down for a while: deliveries retried with backoff, all delivered after it returns", async function () {
    webhook.down = true;
    await approveAll(labelled("while the webhook is down"));
    await waitFor("alerts stored", async () => (await storedAlertIds("new-unlimited-approval")).size === 4 * OWNERS, 60_000);
    await waitFor("failed attempts", () => webhook.attemptsWhileDown >= OWNERS, 30_000);
    webhook.down = false;
    const stored = await storedAlertIds();
    await waitFor("every alert delivered", () => [...stored].every((id) => webhook.ids().has(id)), 60_000);
    expect(webhook.ids().size).to.equal(stored.size);
  });

  it("two workers reload the same denylist: a delegated owner's approval is revoked through its BatchRevoker guardian once", async function () {
    startWorker(); // beside the survivor of the SIGKILL test: two live workers race for the same exploit
    const live = workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null);
    expect(live).to.have.length(2);
    const guardian = privateKeyToAccount(GUARDIAN_KEY);
    await chain.connection.networkHelpers.setBalance(guardian.address, parseEther("1"));
    const carolAccount = privateKeyToAccount(generatePrivateKey());
    await chain.connection.networkHelpers.setBalance(carolAccount.address, parseEther("1"));
    const carol = await chain.connection.viem.getWalletClient(carolAccount.address, { account: carolAccount });
    const exploited = labelled("exploited while two workers run");
    await chain.publicClient.waitForTransactionReceipt({ hash: (await setRevokeGuardian(carol, { revoker, guardian: guardian.address })).hash });
    await chain.token.write.mint([carolAccount.address, 1000n]);
    await chain.token.write.approve([exploited, maxUint256], { account: carolAccount });
    await chain.mine(2);
    const nonceBefore = await chain.publicClient.getTransactionCount({ address: guardian.address });
    await store.addOwners([{ address: carolAccount.address }], PARTITIONS);
    const carolsApproval = async () =>
      (await db.query("SELECT live FROM allowance_watch.approvals WHERE owner = $1 AND spender = $2", [carolAccount.address.toLowerCase(), exploited])).rows;
    await waitFor("carol's full scan", async () => (await carolsApproval()).length === 1, 60_000);
    await waitFor("the new worker running", () => live[1]!.stderr.includes("store postgres"), 60_000);

    writeFileSync(join(dir, "denylist.json"), JSON.stringify([exploited]));
    await waitFor("both workers reloaded the denylist", () => live.every((worker) => /denylist lists 1 new spender/.test(worker.stderr)), 30_000);
    await waitFor("the approval revoked on-chain", async () => (await chain.token.read.allowance([carolAccount.address, exploited])) === 0n, 60_000);
    await waitFor("the revocation settled", async () => (await db.query("SELECT 1 FROM allowance_watch.revocations WHERE status = 'pending'")).rows.length === 0, 30_000);
    // Let the slower worker finish its own check (it waits for the guardian lock, then re-reads the chain).
    await waitFor("both workers' exploit alerts stored", async () => (await storedAlertIds("spender-exploited")).size >= 1, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    expect(await chain.publicClient.getTransactionCount({ address: guardian.address })).to.equal(nonceBefore + 1);
    const revocations = (await db.query("SELECT owner, status FROM allowance_watch.revocations")).rows;
    expect(revocations).to.deep.equal([{ owner: carolAccount.address.toLowerCase(), status: "success" }]);
    const revoked = (await db.query("SELECT body FROM allowance_watch.alerts WHERE rule = 'auto-revoked'")).rows.map((row) => row.body);
    expect(revoked).to.have.length(1);
    expect(revoked[0].items.map((item: { outcome: string }) => item.outcome)).to.deep.equal(["revoked"]);
    expect((await carolsApproval())[0].live).to.equal(0);
  });
});
