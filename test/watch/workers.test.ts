import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect } from "chai";
import pg from "pg";
import { getAddress, maxUint256, type Address } from "viem";

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
    writeFileSync(join(dir, "watch.json"), JSON.stringify({ partitions: PARTITIONS, pollIntervalMs: 200, leaseSeconds: 3, routers: [chain.router.address] }));
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
});
