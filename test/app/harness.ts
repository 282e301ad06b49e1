// Shared pieces of the dashboard's browser tests: one demo world (chain + served page) and one
// Chromium for the whole suite, a fresh browser context (fresh IndexedDB) per test, and the
// scanner's own view of the chain to compare the page with.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { createPublicClient, http, type Address, type PublicClient } from "viem";

import { chromiumLaunchOptions } from "../../scripts/chromium.mjs";
import { startDemoWorld, type DemoWorld } from "../../scripts/dashboard/demo-world.js";
import { gradeApprovals } from "../../src/risk/graded.js";
import { ALLOWANCE_ROUTER_ADDRESS } from "../../src/router/deployments.js";
import { scanApprovals } from "../../src/scan/scan.js";
import { ensurePackageBuilt } from "../fixtures/built-package.js";
import { createTestWallet, type TestWallet } from "./test-wallet.js";

export const OUTPUT_DIR = join(import.meta.dirname, "..", "..", "test-output", "dashboard");

/**
 * Builds app/dist once per run (Vite, a few seconds) over the package's built entries (dist/,
 * rebuilt if the sources are newer), so the tests drive what `npm start` serves. NODE_ENV is
 * set to production: `hardhat test` sets it to "test", with which Vite bundles React's slower,
 * larger development build, and that build would then be what npm start and the bench serve.
 */
export function buildDashboard(): void {
  ensurePackageBuilt();
  const result = spawnSync("npx", ["vite", "build", "--config", "app/vite.config.ts", "--logLevel", "error"], {
    cwd: join(import.meta.dirname, "..", ".."),
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error("vite build of the dashboard failed (output above)");
}

export interface Suite {
  world: DemoWorld;
  browser: Browser;
  client: PublicClient;
}

export async function startSuite(): Promise<Suite> {
  buildDashboard();
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const world = await startDemoWorld();
  const browser = await chromium.launch(chromiumLaunchOptions());
  return { world, browser, client: createPublicClient({ transport: http(world.rpcUrl) }) };
}

export type Flavour = "demo" | "injected" | "injected-5792";

export interface Opened {
  context: BrowserContext;
  page: Page;
  wallet: TestWallet | null;
}

/**
 * A page of the dashboard in a fresh context: `demo` as served (the demo wallet connects itself);
 * the injected flavours see `demo: null` in config.json and get the test wallet as window.ethereum.
 */
export async function openDashboard(
  suite: Suite,
  flavour: Flavour,
  options: { path?: string; viewport?: { width: number; height: number }; config?: Record<string, unknown>; reportedChainId?: number } = {},
): Promise<Opened> {
  const { world, browser } = suite;
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
  const wallet =
    flavour === "demo"
      ? null
      : createTestWallet({
          privateKey: world.ownerPrivateKey,
          rpcUrl: world.rpcUrl,
          chainId: world.chainId,
          sendCalls: flavour === "injected-5792",
          reportedChainId: options.reportedChainId,
        });
  if (flavour !== "demo" || options.config !== undefined) {
    const config = { ...world.config, ...(flavour === "demo" ? {} : { demo: null }), ...options.config };
    await context.route("**/config.json", (route) => route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(config) }));
  }
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  if (wallet !== null) await wallet.install(page);
  await page.goto(new URL(options.path ?? "/", world.dashboardUrl).toString());
  return { context, page, wallet };
}

/** Waits until the table shows a finished scan with no scan running. */
export async function tableReady(page: Page): Promise<void> {
  await page.locator('[data-testid="approvals-table"][data-state="complete"]').waitFor();
  await page.locator('[data-testid="scan-progress"]:not(.busy)').waitFor();
}

export async function rowIds(page: Page): Promise<string[]> {
  return page.locator('[data-testid="approval-row"]').evaluateAll((rows) => rows.map((row) => row.getAttribute("data-approval-id")!));
}

export const row = (page: Page, id: string) => page.locator(`[data-testid="approval-row"][data-approval-id="${id}"]`);

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(OUTPUT_DIR, `${name}.png`), fullPage });
}

/** What the SDK's scanner and grader say about `owner` right now: the ground truth. */
export async function groundTruth(suite: Suite, owner: Address) {
  const result = await scanApprovals(suite.client, { owner, routers: [ALLOWANCE_ROUTER_ADDRESS] });
  return gradeApprovals(result, { denylist: suite.world.denylist });
}
