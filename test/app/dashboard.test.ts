import { expect } from "chai";
import { createWalletClient, erc20Abi, http, maxUint256, parseEther, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Page } from "playwright-core";

import { allowanceRouterAbi } from "../../src/abi/allowanceRouter.js";
import { isRevoked } from "../../src/actions/state.js";
import type { GradedApproval } from "../../src/risk/graded.js";
import { PERMIT2_ADDRESS } from "../../src/scan/constants.js";
import type { ApprovalKind } from "../../src/scan/types.js";
import { groundTruth, openDashboard, row, rowIds, screenshot, startSuite, tableReady, type Opened, type Suite } from "./harness.js";

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

describe("dashboard (real Chromium against the demo chain)", function () {
  this.timeout(240_000);
  let suite: Suite;
  let opened: Opened | null = null;
  let truth: GradedApproval[];

  before(async function () {
    suite = await startSuite();
    truth = await groundTruth(suite, suite.world.owner);
  });
  after(async function () {
    await suite?.browser.close();
    await suite?.world.stop();
  });
  afterEach(async function () {
    await opened?.context.close();
    opened = null;
    await suite.world.restore();
  });

  const entry = (kind: ApprovalKind, token: Address, spender: Address, router?: Address): GradedApproval => {
    const found = truth.find(
      ({ approval }) =>
        approval.kind === kind && same(approval.token.address, token) && same(approval.spender, spender) && (router === undefined || same(approval.router ?? "", router)),
    );
    if (found === undefined) throw new Error(`the demo world has no ${kind} approval of ${token} to ${spender}`);
    return found;
  };
  /** The riskiest approval of a kind (of one router, for grants): truth is sorted riskiest first. */
  const riskiest = (kind: ApprovalKind, routerAddress?: Address): GradedApproval => {
    const found = truth.find(({ approval }) => approval.kind === kind && (routerAddress === undefined || same(approval.router ?? "", routerAddress)));
    if (found === undefined) throw new Error(`the demo world has no ${kind} approval${routerAddress ? ` on ${routerAddress}` : ""}`);
    return found;
  };
  const tokens = () => suite.world.contracts.tokens;
  const spenders = () => suite.world.contracts.spenders;
  const router = () => suite.world.contracts.allowanceRouter;

  const open = async (...args: Parameters<typeof openDashboard> extends [unknown, ...infer Rest] ? Rest : never) => {
    opened = await openDashboard(suite, ...args);
    return opened.page;
  };
  const connectInjected = async (page: Page) => {
    await page.getByTestId("connect-injected").click();
    await page.getByTestId("connected-as").waitFor();
  };
  const waitGone = async (page: Page, id: string) => {
    await row(page, id).waitFor({ state: "detached", timeout: 60_000 });
  };
  const readAllowance = (token: Address, spender: Address) =>
    suite.client.readContract({ address: token, abi: erc20Abi, functionName: "allowance", args: [suite.world.owner, spender] });
  const readGrant = (routerAddress: Address, token: Address, spender: Address) =>
    suite.client.readContract({ address: routerAddress, abi: allowanceRouterAbi, functionName: "allowance", args: [suite.world.owner, token, spender] });

  it("opens connected to the labelled demo wallet and shows exactly the scanner's approvals, graded, with totals", async function () {
    const page = await open("demo");
    await tableReady(page);
    expect(await page.getByTestId("connected-as").textContent()).to.include("Demo wallet");
    expect(new Set(await rowIds(page))).to.deep.equal(new Set(truth.map((graded) => graded.approval.id)));
    for (const graded of truth) {
      const cells = row(page, graded.approval.id);
      expect(await cells.getAttribute("data-risk"), graded.approval.id).to.equal(graded.risk.level);
      expect(await cells.locator('[data-col="risk"]').textContent()).to.equal(`${graded.risk.level} ${graded.risk.score}`);
    }
    for (const level of ["critical", "high", "medium", "low"] as const) {
      const count = truth.filter((graded) => graded.risk.level === level).length;
      expect(await page.locator(`[data-testid="totals"] [data-level="${level}"] strong`).textContent(), level).to.equal(String(count));
    }
    // Badges from the chain: the denylisted spender (with its incident), the EOA, the proxy, the 7702-delegated EOA.
    const denylisted = row(page, entry("erc20", tokens().dollar, spenders().denylisted).approval.id);
    expect(await denylisted.locator('[data-col="spender"]').textContent()).to.include("denylisted");
    expect(await row(page, entry("erc20", tokens().permitToken, spenders().eoa).approval.id).locator('[data-col="spender"]').textContent()).to.include("EOA");
    expect(await row(page, entry("erc20", tokens().ether, spenders().proxy).approval.id).locator('[data-col="spender"]').textContent()).to.include("proxy");
    expect(await row(page, entry("erc20", tokens().permitToken, spenders().delegated).approval.id).locator('[data-col="spender"]').textContent()).to.include("7702-delegated");
    // Every reason is one click away.
    await denylisted.getByRole("button", { name: /^Details/ }).click();
    const reasons = await page.getByTestId("risk-reasons").locator("li").count();
    expect(reasons).to.equal(entry("erc20", tokens().dollar, spenders().denylisted).risk.factors.length);
    await screenshot(page, "01-demo-table");
    await screenshot(page, "00-dashboard-1280x800", false);
  });

  it("sorts on every column (both directions) and filters by risk, kind, unlimited, value at risk and search", async function () {
    const page = await open("demo");
    await tableReady(page);
    for (const column of ["token", "kind", "spender", "amount", "balance", "valueAtRisk", "expiry", "lastUsed", "risk", "recommendation"]) {
      const header = page.locator(`th:has(button[data-sort="${column}"])`);
      await header.locator("button").click();
      expect(await header.getAttribute("aria-sort"), column).to.equal("ascending");
      const ascending = await rowIds(page);
      await header.locator("button").click();
      expect(await header.getAttribute("aria-sort"), column).to.equal("descending");
      const descending = await rowIds(page);
      expect(ascending, column).to.have.length(truth.length);
      expect(ascending.join(), `${column} changes the order`).to.not.equal(descending.join());
      await header.locator("button").click();
    }
    // The risk column sorts by level then score.
    await page.locator('button[data-sort="risk"]').click();
    await page.locator('button[data-sort="risk"]').click();
    const first = await page.locator('[data-testid="approval-row"]').first().getAttribute("data-risk");
    expect(first).to.equal("critical");

    await page.getByTestId("filter-risk").selectOption("critical");
    const critical = truth.filter((graded) => graded.risk.level === "critical").map((graded) => graded.approval.id);
    expect(new Set(await rowIds(page))).to.deep.equal(new Set(critical));
    await page.getByTestId("filter-risk").selectOption("all");
    await page.getByTestId("filter-kind").selectOption("Permit2 grant");
    const permit2Rows = truth.filter((graded) => graded.approval.kind === "router" && same(graded.approval.router!, PERMIT2_ADDRESS));
    expect(new Set(await rowIds(page))).to.deep.equal(new Set(permit2Rows.map((graded) => graded.approval.id)));
    await page.getByTestId("filter-kind").selectOption("all");
    await page.getByTestId("filter-unlimited").check();
    for (const id of await rowIds(page)) expect(await row(page, id).locator('[data-col="amount"]').textContent()).to.be.oneOf(["unlimited", "all"]);
    await page.getByTestId("filter-unlimited").uncheck();
    await page.getByTestId("filter-at-risk").check();
    expect(await rowIds(page)).to.have.length(truth.filter((graded) => (graded.approval.valueAtRisk ?? 0n) > 0n).length);
    await page.getByTestId("filter-at-risk").uncheck();
    await page.getByTestId("search").fill("DAPE");
    const dape = truth.filter((graded) => graded.approval.token.symbol === "DAPE");
    expect(new Set(await rowIds(page))).to.deep.equal(new Set(dape.map((graded) => graded.approval.id)));
    await page.getByTestId("search").fill(spenders().eoa.slice(2, 12));
    const eoaRows = truth.filter((graded) => same(graded.approval.spender, spenders().eoa));
    expect(new Set(await rowIds(page))).to.deep.equal(new Set(eoaRows.map((graded) => graded.approval.id)));
    expect(await page.getByTestId("totals").textContent()).to.include(`(${eoaRows.length} shown)`);
    await screenshot(page, "02-filtered-search");
    const measures = await page.evaluate(() => performance.getEntriesByName("dashboard:sort").length + performance.getEntriesByName("dashboard:filter").length);
    expect(measures).to.be.greaterThan(0);
  });

  it("exports the table as CSV and JSON", async function () {
    const page = await open("demo");
    await tableReady(page);
    const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    const csv = (await streamText(await csvDownload.createReadStream())).trim().split("\n");
    expect(csv[0]).to.match(/^id,token,tokenAddress,kind,spender/);
    expect(csv).to.have.length(truth.length + 1);
    const [jsonDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-json").click()]);
    const json = JSON.parse(await streamText(await jsonDownload.createReadStream())) as { owner: string; approvals: { approval: { id: string } }[] };
    expect(json.owner).to.equal(suite.world.owner);
    expect(new Set(json.approvals.map((graded) => graded.approval.id))).to.deep.equal(new Set(truth.map((graded) => graded.approval.id)));
  });

  it("revokes one approval of each kind with one click, then the row goes and the chain agrees", async function () {
    const page = await open("demo");
    await tableReady(page);
    const targets = [
      entry("erc20", tokens().permitToken, spenders().eoa),
      entry("erc721", tokens().nft721, spenders().eoa),
      entry("erc721-operator", tokens().nft721, spenders().idle),
      entry("erc1155-operator", tokens().nft1155, spenders().eoa),
      riskiest("router", router()),
      riskiest("router", PERMIT2_ADDRESS),
    ];
    for (const target of targets) {
      await row(page, target.approval.id).getByRole("button", { name: /^Revoke/ }).click();
      await waitGone(page, target.approval.id);
      expect(await isRevoked(suite.client, suite.world.owner, target.approval.revocation), target.approval.id).to.equal(true);
      expect(await page.getByTestId("notice").textContent()).to.match(/^Done: revoke/);
    }
    expect(await rowIds(page)).to.have.length(truth.length - targets.length);
    await screenshot(page, "03-after-revokes");
  });

  it("reduces an ERC-20 allowance and a router grant, sets a grant's expiry and voids its signed permits", async function () {
    const page = await open("demo");
    await tableReady(page);
    const plain = entry("erc20", tokens().dollar, spenders().exchange);
    await row(page, plain.approval.id).getByRole("button", { name: /^Details/ }).click();
    await page.getByTestId("reduce-amount").fill("100");
    await page.getByRole("button", { name: /^Reduce to this amount/ }).click();
    await page.locator(`[data-approval-id="${plain.approval.id}"] [data-testid="row-outcome"]`).waitFor();
    expect(await readAllowance(tokens().dollar, spenders().exchange)).to.equal(parseEther("100"));
    await page.getByRole("button", { name: /^Hide/ }).click();

    const grant = entry("router", tokens().dollar, spenders().exchange, router());
    const recommended = grant.recommendation.action === "reduce" ? grant.recommendation.amount : null;
    if (recommended !== null) {
      await row(page, grant.approval.id).getByRole("button", { name: /^Reduce to/ }).click();
      await page.locator(`[data-approval-id="${grant.approval.id}"] [data-testid="row-outcome"]`).waitFor();
      expect((await readGrant(router(), tokens().dollar, spenders().exchange))[0]).to.equal(recommended);
    }
    await row(page, grant.approval.id).getByRole("button", { name: /^Details/ }).click();
    await page.getByTestId("expiry-days").fill("3");
    const [, , nonceBefore] = await readGrant(router(), tokens().dollar, spenders().exchange);
    await page.getByRole("button", { name: /^Set expiry of/ }).click();
    await page.getByTestId("notice").filter({ hasText: "set the expiry" }).waitFor();
    const head = await suite.client.getBlock();
    const [, expiration] = await readGrant(router(), tokens().dollar, spenders().exchange);
    expect(Math.abs(expiration - (Number(head.timestamp) + 3 * 86_400))).to.be.lessThan(600);
    await page.getByRole("button", { name: /^Void signed permits/ }).click();
    await page.getByTestId("notice").filter({ hasText: "void the signed permits" }).waitFor();
    const [, , nonceAfter] = await readGrant(router(), tokens().dollar, spenders().exchange);
    expect(nonceAfter).to.equal(nonceBefore + 1);
    await screenshot(page, "04-reduce-expiry");
  });

  it("batch-revokes everything risky through one EIP-7702 transaction with the demo wallet, showing every way's gas and prompts", async function () {
    const page = await open("demo");
    await tableReady(page);
    await page.getByTestId("select-risky").click();
    const selected = await page.locator('[data-testid="row-select"]:checked').count();
    expect(selected).to.be.greaterThan(5);
    await page.getByTestId("batch-compare").click();
    const option7702 = page.locator('[data-testid="route-option"][data-via="7702"]');
    await option7702.waitFor();
    for (const via of ["7702", "5792", "permit", "lockdown", "tx"]) await page.locator(`[data-testid="route-option"][data-via="${via}"]`).waitFor();
    expect(await option7702.getAttribute("data-available")).to.equal("true");
    expect(await option7702.textContent()).to.match(/gas, 1 wallet prompt/);
    expect(await page.locator('[data-testid="route-option"][data-via="tx"]').textContent()).to.match(/gas, \d+ wallet prompts/);
    expect(await page.locator('[data-testid="route-option"][data-via="lockdown"]').textContent()).to.include("not available");
    await screenshot(page, "05-batch-routes");
    await option7702.locator("input").check();
    await page.getByTestId("batch-send").click();
    await page.getByTestId("batch-results").waitFor({ timeout: 60_000 });
    const outcomes = await page.getByTestId("batch-outcome").evaluateAll((items) =>
      items.map((item) => [item.getAttribute("data-approval-id"), item.getAttribute("data-outcome")] as const),
    );
    expect(outcomes).to.have.length(selected);
    const refusing = truth.find((graded) => same(graded.approval.token.address, tokens().refusesZeroApproval));
    for (const [id, outcome] of outcomes) {
      const graded = truth.find((candidate) => candidate.approval.id === id)!;
      if (graded === refusing) {
        expect(outcome, "the token that refuses approve(0) is lowered to 1").to.equal("reduced");
        expect(await readAllowance(tokens().refusesZeroApproval, graded.approval.spender)).to.equal(1n);
      } else {
        expect(outcome, id!).to.equal("revoked");
        expect(await isRevoked(suite.client, suite.world.owner, graded.approval.revocation), id!).to.equal(true);
      }
    }
    await screenshot(page, "06-batch-7702-outcomes");
  });

  it("batch-revokes permit tokens by relayed zero-value permits", async function () {
    const page = await open("demo");
    await tableReady(page);
    const permitRows = [entry("erc20", tokens().permitToken, spenders().eoa), entry("erc20", tokens().dai, spenders().idle)];
    for (const graded of permitRows) await row(page, graded.approval.id).getByTestId("row-select").check();
    await page.getByTestId("batch-compare").click();
    const option = page.locator('[data-testid="route-option"][data-via="permit"]');
    await option.waitFor();
    expect(await option.getAttribute("data-available")).to.equal("true");
    await option.locator("input").check();
    await page.getByTestId("batch-send").click();
    await page.getByTestId("batch-results").waitFor({ timeout: 60_000 });
    for (const graded of permitRows) {
      expect(await page.locator(`[data-testid="batch-outcome"][data-approval-id="${graded.approval.id}"]`).getAttribute("data-outcome")).to.equal("revoked");
      expect(await isRevoked(suite.client, suite.world.owner, graded.approval.revocation)).to.equal(true);
    }
  });

  it("batch-revokes through wallet_sendCalls with an injected wallet that batches (one prompt)", async function () {
    const page = await open("injected-5792");
    await connectInjected(page);
    await tableReady(page);
    await page.getByTestId("select-risky").click();
    const selected = await page.locator('[data-testid="row-select"]:checked').count();
    await page.getByTestId("batch-compare").click();
    const option = page.locator('[data-testid="route-option"][data-via="5792"]');
    await option.waitFor();
    expect(await option.textContent()).to.match(/1 wallet prompt\b/);
    expect(await page.locator('[data-testid="route-option"][data-via="7702"]').count(), "no 7702 for an injected wallet").to.equal(0);
    await option.locator("input").check();
    await page.getByTestId("batch-send").click();
    await page.getByTestId("batch-results").waitFor({ timeout: 60_000 });
    expect(opened!.wallet!.requests.filter((method) => method === "wallet_sendCalls")).to.have.length(1);
    expect(opened!.wallet!.requests).to.not.include("eth_sendTransaction");
    const outcomes = await page.getByTestId("batch-outcome").evaluateAll((items) => items.map((item) => item.getAttribute("data-outcome")));
    expect(outcomes).to.have.length(selected);
    // Every call went out; the token that refuses approve(0) is the one left live.
    expect(outcomes.filter((outcome) => outcome !== "revoked")).to.have.length(1);
    await screenshot(page, "07-batch-5792");
  });

  it("queues single transactions without wallet_sendCalls: progress, pause on a rejection, resume, a refusing token reported", async function () {
    const page = await open("injected");
    await connectInjected(page);
    await tableReady(page);
    const targets = [
      entry("erc20", tokens().permitToken, spenders().eoa),
      entry("erc20", tokens().refusesZeroApproval, spenders().idle),
      entry("erc1155-operator", tokens().nft1155, spenders().eoa),
    ];
    for (const graded of targets) await row(page, graded.approval.id).getByTestId("row-select").check();
    await page.getByTestId("batch-compare").click();
    const five = page.locator('[data-testid="route-option"][data-via="5792"]');
    await five.waitFor();
    expect(await five.textContent()).to.match(/not available: .*wallet_getCapabilities/);
    await page.locator('[data-testid="route-option"][data-via="tx"] input').check();
    opened!.wallet!.rejectNext("eth_sendTransaction");
    await page.getByTestId("batch-send").click();
    // The user said no to the first prompt: the queue pauses, the table and selection stay.
    await page.getByTestId("queue-resume").waitFor();
    expect(await page.getByTestId("error-banner").textContent()).to.include("You rejected");
    expect(await page.locator('[data-testid="row-select"]:checked').count()).to.equal(3);
    expect(await rowIds(page)).to.have.length(truth.length);
    await screenshot(page, "08-queue-paused");
    await page.getByTestId("queue-resume").click();
    await page.getByTestId("batch-results").waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="queue"]').filter({ hasText: "3 / 3" }).waitFor();
    const outcome = (graded: GradedApproval) => page.locator(`[data-testid="batch-outcome"][data-approval-id="${graded.approval.id}"]`).getAttribute("data-outcome");
    expect(await outcome(targets[0]!)).to.equal("revoked");
    expect(await outcome(targets[1]!)).to.be.oneOf(["not-sent", "failed"]);
    expect(await page.locator(`[data-testid="batch-outcome"][data-approval-id="${targets[1]!.approval.id}"]`).textContent()).to.match(/\w/);
    expect(await outcome(targets[2]!)).to.equal("revoked");
    expect(await readAllowance(tokens().refusesZeroApproval, spenders().idle)).to.equal(maxUint256);
    await screenshot(page, "09-queue-done");
  });

  it("shows an approval made elsewhere on the next block, without a reload", async function () {
    const page = await open("demo");
    await tableReady(page);
    const owner = createWalletClient({ account: privateKeyToAccount(suite.world.ownerPrivateKey), transport: http(suite.world.rpcUrl) });
    const newSpender = suite.world.accounts.stranger.address;
    await owner.writeContract({ chain: null, address: tokens().ether, abi: erc20Abi, functionName: "approve", args: [newSpender, parseEther("7")] });
    await page.locator(`[data-testid="approval-row"][data-approval-id*="${newSpender.toLowerCase()}"]`).waitFor({ timeout: 30_000 });
    expect(await rowIds(page)).to.have.length(truth.length + 1);
  });

  it("reloads from the IndexedDB scan cache: no block read again, the same table", async function () {
    const page = await open("demo");
    await tableReady(page);
    expect(await page.getByTestId("scan-status").textContent()).to.match(/: [1-9]\d* read now/);
    const before = await rowIds(page);
    // With the node stalled, the reload shows the last scan from IndexedDB alone, marked as still scanning.
    const rpcOrigin = new URL(suite.world.rpcUrl).origin;
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let heldRequests = 0;
    await page.route(
      (url) => url.origin === rpcOrigin,
      async (route) => {
        heldRequests++;
        await stalled;
        await route.continue();
      },
    );
    await page.reload();
    await page.locator('[data-testid="approvals-table"][data-state="scanning"] [data-testid="approval-row"]').first().waitFor();
    expect(await rowIds(page), "the cached table, before any answer from the node").to.deep.equal(before);
    expect(heldRequests, "the page did ask the node (and is waiting)").to.be.greaterThan(0);
    expect(await page.evaluate(() => performance.getEntriesByName("dashboard:first-row").length)).to.equal(1);
    expect(await page.evaluate(() => performance.getEntriesByName("dashboard:table-complete").length)).to.equal(0);
    release();
    await tableReady(page);
    await page.unroute((url) => url.origin === rpcOrigin);
    expect(await page.getByTestId("scan-status").textContent()).to.match(/: 0 read now, the rest from the cache; 0 log requests/);
    expect(await rowIds(page)).to.deep.equal(before);
    expect(await page.evaluate(() => performance.getEntriesByName("dashboard:table-complete").length)).to.equal(1);
  });

  it("renders a long table in a window of rows: fewer in the DOM, every approval reachable by scrolling, sorted, batch panel in view", async function () {
    // The demo wallet has ~20 approvals; ?virtualizeAbove=5 makes the page window them as it does past 100.
    const page = await open("demo", { path: "/?virtualizeAbove=5", viewport: { width: 1280, height: 500 } });
    await tableReady(page);
    const table = page.getByTestId("approvals-table");
    expect(await table.getAttribute("data-virtualized")).to.equal("true");
    expect(await table.getAttribute("data-row-count")).to.equal(String(truth.length));
    expect(await table.getAttribute("aria-rowcount")).to.equal(String(truth.length + 1));
    expect((await rowIds(page)).length, "only the rows near the viewport are rendered").to.be.lessThan(truth.length);

    await page.locator('button[data-sort="risk"]').click();
    await page.locator('button[data-sort="risk"]').click();
    expect(await page.locator('th:has(button[data-sort="risk"])').getAttribute("aria-sort")).to.equal("descending");
    // Scroll to the end, collecting each row by its aria-rowindex (header = 1).
    const seen = new Map<number, { id: string; risk: string }>();
    const nextFrame = () => page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
    await page.evaluate(() => window.scrollTo(0, 0));
    await nextFrame();
    for (let step = 0; step < 200; step++) {
      const rendered = await page
        .locator('[data-testid="approval-row"]')
        .evaluateAll((rows) => rows.map((tr) => [Number(tr.getAttribute("aria-rowindex")), tr.getAttribute("data-approval-id")!, tr.getAttribute("data-risk")!] as const));
      for (const [index, id, risk] of rendered) seen.set(index, { id, risk });
      const moved = await page.evaluate(() => {
        const before = window.scrollY;
        window.scrollBy(0, 200);
        return window.scrollY !== before;
      });
      if (!moved) break;
      await nextFrame();
    }
    const indexes = [...seen.keys()].sort((a, b) => a - b);
    expect(indexes, "rows 2 … N+1, each once").to.deep.equal(truth.map((_, index) => index + 2));
    expect(new Set(indexes.map((index) => seen.get(index)!.id))).to.deep.equal(new Set(truth.map((graded) => graded.approval.id)));
    const rank = { critical: 3, high: 2, medium: 1, low: 0 } as Record<string, number>;
    const ranks = indexes.map((index) => rank[seen.get(index)!.risk]!);
    expect(ranks, "riskiest first all the way down").to.deep.equal([...ranks].sort((a, b) => b - a));

    // Selecting a row far down docks the batch panel at the bottom of the viewport, wherever the page is scrolled.
    const lastRow = page.locator('[data-testid="approval-row"]').last();
    await lastRow.getByTestId("row-select").check();
    await page.evaluate(() => window.scrollTo(0, 0));
    await nextFrame();
    const panel = await page.getByTestId("batch-panel").boundingBox();
    expect(panel, "the batch panel is laid out").to.not.equal(null);
    expect(panel!.y + Math.min(panel!.height, 40), "its top is inside the viewport").to.be.at.most(500);
    expect(await page.getByTestId("batch-panel").textContent()).to.include("1 selected");
    await screenshot(page, "14-virtualized-docked-batch", false);
  });

  it("views another address read-only, without connecting", async function () {
    const other = suite.world.accounts.otherOwner.address;
    const page = await open("injected", { path: `/?address=${other}` });
    await tableReady(page);
    const otherTruth = await groundTruth(suite, other);
    expect(new Set(await rowIds(page))).to.deep.equal(new Set(otherTruth.map((graded) => graded.approval.id)));
    await page.getByTestId("read-only").waitFor();
    expect(await page.getByRole("button", { name: /^Revoke/ }).first().isDisabled()).to.equal(true);
    expect(await page.getByTestId("batch-panel").count()).to.equal(0);
    await page.getByTestId("view-address").fill("0x12");
    await page.getByTestId("view-submit").click();
    expect(await page.locator("#view-error").textContent()).to.include("is not an address");
    await screenshot(page, "10-read-only");
  });

  it("says what happened and what to do: RPC unreachable, wrong chain, wallet rejected", async function () {
    let page = await open("injected", { config: { rpcUrl: "http://127.0.0.1:9" }, path: `/?address=${suite.world.owner}` });
    await page.getByTestId("scan-error").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("scan-error").textContent()).to.match(/Cannot reach the chain's RPC.*Check that the node is running/);
    await screenshot(page, "11-error-rpc");
    await opened!.context.close();

    page = await open("injected", { reportedChainId: 1 });
    await connectInjected(page);
    await page.getByText("Your wallet is on another chain").waitFor();
    await opened!.context.close();

    page = await open("injected");
    await connectInjected(page);
    await tableReady(page);
    const target = entry("erc20", tokens().permitToken, spenders().eoa);
    await row(page, target.approval.id).getByTestId("row-select").check();
    opened!.wallet!.rejectNext("eth_sendTransaction");
    await row(page, target.approval.id).getByRole("button", { name: /^Revoke/ }).click();
    await page.getByTestId("error-banner").waitFor();
    expect(await page.getByTestId("error-banner").textContent()).to.match(/You rejected .* in your wallet; nothing was sent\..*Try again/);
    expect(await rowIds(page)).to.have.length(truth.length);
    expect(await row(page, target.approval.id).getByTestId("row-select").isChecked()).to.equal(true);
    await screenshot(page, "12-error-rejected");
  });

  it("works from the keyboard: sort, select, open details and revoke", async function () {
    const page = await open("demo");
    await tableReady(page);
    await page.locator('button[data-sort="token"]').focus();
    await page.keyboard.press("Enter");
    expect(await page.locator('th:has(button[data-sort="token"])').getAttribute("aria-sort")).to.equal("ascending");
    const target = entry("erc20", tokens().permitToken, spenders().eoa);
    await row(page, target.approval.id).getByTestId("row-select").focus();
    await page.keyboard.press("Space");
    expect(await row(page, target.approval.id).getByTestId("row-select").isChecked()).to.equal(true);
    await page.keyboard.press("Tab");
    const focused = await page.evaluate<string>('document.activeElement?.textContent ?? ""');
    expect(focused).to.match(/^Revoke/);
    await page.keyboard.press("Enter");
    await waitGone(page, target.approval.id);
    expect(await isRevoked(suite.client, suite.world.owner, target.approval.revocation)).to.equal(true);
  });

  it("reads at 390 px wide without sideways scrolling", async function () {
    const page = await open("demo", { viewport: { width: 390, height: 844 } });
    await tableReady(page);
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).to.be.at.most(0);
    // The column headers become a bar of sort buttons above the cards: visible, clickable, same aria-sort.
    const sortByRisk = page.locator('button[data-sort="risk"]');
    expect(await sortByRisk.isVisible()).to.equal(true);
    await sortByRisk.click();
    await sortByRisk.click();
    expect(await page.locator('th:has(button[data-sort="risk"])').getAttribute("aria-sort")).to.equal("descending");
    expect(await page.locator('[data-testid="approval-row"]').first().getAttribute("data-risk")).to.equal("critical");
    expect(await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth")).to.be.at.most(0);
    await screenshot(page, "13-phone-390");
  });
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
