import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { network } from "hardhat";
import pg from "pg";
import { encodeFunctionData, erc20Abi, maxUint256, numberToHex, parseEther, type Address } from "viem";

import { DEFAULT_WATCH_SETTINGS, type WatchSettings } from "../../src/watch/config.js";
import { openPostgresWatchStore } from "../../src/watch/postgres-store.js";
import { startWatchService } from "../../src/watch/service.js";
import { openSqliteWatchStore } from "../../src/watch/sqlite-store.js";
import { ensurePackageBuilt } from "../../test/fixtures/built-package.js";
import { startFaultProxy } from "../../test/fixtures/fault-proxy.js";
import { startTestPostgres } from "../../test/fixtures/postgres.js";
import { serveProvider } from "../../test/fixtures/rpc-server.js";
import { labelled, manualDriver, startWebhookReceiver, waitFor, WEBHOOK_SECRET, type WebhookReceiver } from "../../test/watch/world.js";
import { markdownTable } from "./table.js";

// Watch service benchmark, loopback only and bounded: 10,000 watched owners on a local Hardhat
// chain served over HTTP, a generator mining blocks of K approvals (each from another owner).
// 1. Owners per eth_getLogs: the same backlog followed with different batch sizes (embedded store).
// 2. Live latency, block mined -> webhook received (p50, p99), and throughput, with the embedded
//    store and with 1, 2 and 4 worker processes on PostgreSQL + pg-boss.
// Confirmations are 0 here so that latency is the pipeline's own; add N block times for N.

const OWNERS = 10_000;
const BACKLOG_BLOCKS = 10;
const APPROVALS_PER_BLOCK = 100; // K
const LIVE_BLOCKS = 8;
const LIVE_APPROVALS_PER_BLOCK = 25;
const BLOCK_INTERVAL_MS = 1_000;
const BATCH_SIZES = [100, 500, 1_000, 2_500];
const WORKER_COUNTS = [1, 2, 4];
const BIN = fileURLToPath(new URL("../../bin/allowance.mjs", import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

export async function benchWatch(): Promise<string> {
  ensurePackageBuilt(); // the workers run the built CLI
  const connection = await network.create();
  const provider = connection.provider;
  const request = (method: string, params: unknown[] = []) => provider.request({ method, params });
  const token = await connection.viem.deployContract("TestToken", ["Bench", "BNC"]);
  const node = await serveProvider(provider);
  const proxy = await startFaultProxy(node.url);
  const owners = Array.from({ length: OWNERS }, (_, index) => labelled(`bench owner ${index}`));
  const spender = labelled("bench spender");
  let nextOwner = 0;
  const mineTimes = new Map<bigint, number>();

  /** One block with `count` approvals, each from the next owner (impersonated); returns its number. */
  const mineApprovals = async (count: number): Promise<bigint> => {
    await request("evm_setAutomine", [false]);
    for (let index = 0; index < count; index++) {
      const owner = owners[nextOwner++ % OWNERS]!;
      await request("hardhat_impersonateAccount", [owner]);
      await request("hardhat_setBalance", [owner, numberToHex(parseEther("1"))]);
      await request("eth_sendTransaction", [
        { from: owner, to: token.address, data: encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [spender, maxUint256] }) },
      ]);
    }
    await request("evm_mine");
    const number = BigInt((await request("eth_blockNumber")) as string);
    mineTimes.set(number, performance.now());
    await request("evm_setAutomine", [true]);
    return number;
  };

  for (let block = 0; block < BACKLOG_BLOCKS; block++) await mineApprovals(APPROVALS_PER_BLOCK);
  const backlogHead = BigInt((await request("eth_blockNumber")) as string);
  const backlogEvents = BACKLOG_BLOCKS * APPROVALS_PER_BLOCK;
  const ownerInputs = owners.map((address) => ({ address }));
  const settings = (overrides: Partial<WatchSettings>): WatchSettings => ({ ...DEFAULT_WATCH_SETTINGS, confirmations: 0, pollIntervalMs: 100, ...overrides });

  // 1. Owners per request: a fresh embedded store catching up on the backlog for all 10,000 owners.
  const batchRows: string[][] = [];
  let best = { size: BATCH_SIZES[0]!, eventsPerSecond: 0 };
  for (const size of BATCH_SIZES) {
    const service = await startWatchService({ rpcUrl: proxy.url, store: openSqliteWatchStore(":memory:"), settings: settings({ ownersPerRequest: size }), owners: ownerInputs, driver: manualDriver() });
    proxy.resetStats();
    const started = performance.now();
    await service.step();
    const seconds = (performance.now() - started) / 1000;
    await service.stop();
    const eventsPerSecond = backlogEvents / seconds;
    if (eventsPerSecond > best.eventsPerSecond) best = { size, eventsPerSecond };
    batchRows.push([String(size), String(proxy.stats.byMethod.eth_getLogs ?? 0), String(proxy.stats.httpRequests), seconds.toFixed(2), eventsPerSecond.toFixed(0)]);
  }

  // 2. Live: a block of K approvals every second; latency from the block's mining to the webhook.
  const live = async (webhook: WebhookReceiver, waitUntilCaughtUp: () => Promise<void>) => {
    await waitUntilCaughtUp();
    const caughtUpAt = performance.now();
    const firstBlock = BigInt((await request("eth_blockNumber")) as string) + 1n;
    const known = webhook.deliveries.length;
    const started = performance.now();
    for (let block = 0; block < LIVE_BLOCKS; block++) {
      const mined = mineApprovals(LIVE_APPROVALS_PER_BLOCK);
      await Promise.all([mined, new Promise((resolve) => setTimeout(resolve, BLOCK_INTERVAL_MS))]);
    }
    const expected = LIVE_BLOCKS * LIVE_APPROVALS_PER_BLOCK;
    const fresh = () => webhook.deliveries.slice(known).filter((delivery) => delivery.alert.rule === "new-unlimited-approval" && BigInt(delivery.alert.block!.number) >= firstBlock);
    await waitFor("live alerts delivered", () => new Set(fresh().map((delivery) => delivery.id)).size >= expected, 120_000);
    const seconds = (performance.now() - started) / 1000;
    const latencies = fresh().map((delivery) => delivery.receivedAt - mineTimes.get(BigInt(delivery.alert.block!.number))!);
    return { caughtUpAt, p50: percentile(latencies, 50), p99: percentile(latencies, 99), eventsPerSecond: expected / seconds };
  };

  const liveRows: string[][] = [];
  {
    const webhook = await startWebhookReceiver();
    const service = await startWatchService({
      rpcUrl: proxy.url,
      store: openSqliteWatchStore(":memory:"),
      settings: settings({ ownersPerRequest: best.size }),
      owners: ownerInputs,
      webhook: { url: webhook.url, secret: WEBHOOK_SECRET },
      deliveryBackoff: { baseDelayMs: 50, maxDelayMs: 1_000 },
    });
    const started = performance.now();
    const result = await live(webhook, async () => {
      await waitFor("backlog delivered", () => webhook.ids().size >= backlogEvents, 300_000);
    });
    const catchUp = (result.caughtUpAt - started) / 1000;
    liveRows.push(["embedded (SQLite)", "1", catchUp.toFixed(1), (backlogEvents / catchUp).toFixed(0), result.p50.toFixed(0), result.p99.toFixed(0), result.eventsPerSecond.toFixed(0), "-"]);
    await service.stop();
    await webhook.close();
  }

  // Workers: W processes of `allowance watch --store postgres://…`, owners added once all are up.
  const postgres = await startTestPostgres();
  const dir = mkdtempSync(join(tmpdir(), "watch-bench-"));
  let baseline: number | null = null;
  try {
    for (const count of WORKER_COUNTS) {
      const database = `bench_${count}`;
      const admin = new pg.Client(postgres.url);
      await admin.connect();
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.end();
      const url = postgres.url.replace(/\/postgres$/, `/${database}`);
      const webhook = await startWebhookReceiver();
      writeFileSync(join(dir, "watch.json"), JSON.stringify({ confirmations: 0, pollIntervalMs: 100, ownersPerRequest: best.size, partitions: 16, leaseSeconds: 30 }));
      const children: ChildProcess[] = [];
      const ready: Promise<void>[] = [];
      for (let index = 0; index < count; index++) {
        const child = spawn(process.execPath, [BIN, "watch", "--rpc", proxy.url, "--store", url, "--webhook", webhook.url, "--config", join(dir, "watch.json"), "--api-port", "0"], {
          cwd: PROJECT_ROOT,
          env: { ...process.env, ALLOWANCE_WEBHOOK_SECRET: WEBHOOK_SECRET, ALLOWANCE_GUARDIAN_PRIVATE_KEY: "0x6c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318" },
          stdio: ["ignore", "ignore", "pipe"],
        });
        children.push(child);
        ready.push(
          new Promise((resolve, reject) => {
            let stderr = "";
            child.stderr!.on("data", (chunk: Buffer) => {
              stderr += chunk.toString();
              if (stderr.includes("watching")) resolve();
            });
            child.on("exit", (code) => reject(new Error(`worker exited (${code}): ${stderr}`)));
          }),
        );
      }
      try {
        await Promise.all(ready);
        const store = await openPostgresWatchStore(url);
        const started = performance.now();
        await store.addOwners(ownerInputs, 16);
        const result = await live(webhook, async () => {
          await waitFor(
            "every owner's full scan",
            async () =>
              webhook.ids().size >= backlogEvents &&
              (await store.pool.query("SELECT count(*) AS n FROM allowance_watch.owners WHERE cursor >= $1", [backlogHead.toString()])).rows[0].n === String(OWNERS),
            300_000,
          );
        });
        const catchUp = (result.caughtUpAt - started) / 1000;
        await store.close();
        baseline ??= catchUp;
        liveRows.push([
          `PostgreSQL + pg-boss`,
          String(count),
          catchUp.toFixed(1),
          (backlogEvents / catchUp).toFixed(0),
          result.p50.toFixed(0),
          result.p99.toFixed(0),
          result.eventsPerSecond.toFixed(0),
          `${(baseline / catchUp).toFixed(2)}x`,
        ]);
      } finally {
        for (const child of children) child.kill("SIGTERM");
        await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)))));
        await webhook.close();
      }
    }
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
    await proxy.close();
    await node.close();
  }

  return [
    `${OWNERS.toLocaleString("en-US")} watched owners; backlog ${BACKLOG_BLOCKS} blocks x K=${APPROVALS_PER_BLOCK} approvals; live ${LIVE_BLOCKS} blocks x K=${LIVE_APPROVALS_PER_BLOCK}, one per ${BLOCK_INTERVAL_MS} ms; confirmations 0; one local Hardhat node over HTTP, 2 shared cores.`,
    "",
    "Owners per eth_getLogs (full scan of the backlog for all owners, embedded store):",
    "",
    markdownTable(
      [{ title: "owners per request" }, { title: "eth_getLogs", align: "right" }, { title: "HTTP requests", align: "right" }, { title: "seconds", align: "right" }, { title: "events/s", align: "right" }],
      batchRows,
    ),
    "",
    `Best batch size: ${best.size} owners per request.`,
    "",
    "Catch-up: 10,000 new owners' full scans over the backlog, until every alert is delivered. Live: block mined -> webhook received (the generator makes 25 events/s, so live events/s is capped by it):",
    "",
    markdownTable(
      [
        { title: "store" },
        { title: "workers", align: "right" },
        { title: "catch-up s", align: "right" },
        { title: "catch-up events/s", align: "right" },
        { title: "p50 ms", align: "right" },
        { title: "p99 ms", align: "right" },
        { title: "live events/s", align: "right" },
        { title: "catch-up speed-up vs 1 worker", align: "right" },
      ],
      liveRows,
    ),
  ].join("\n");
}
