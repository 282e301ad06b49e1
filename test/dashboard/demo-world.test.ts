import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import {
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  http,
  keccak256,
  maxUint256,
  parseAbi,
  toHex,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

import { BASE_APPROVAL_COUNT, DemoPortInUseError, startDemoWorld, type DemoWorld } from "../../scripts/dashboard/demo-world.js";
import { closeServer, listenOnLoopback } from "../../src/cli/dashboard-server.js";
import { gradeRisk } from "../../src/risk/grade.js";
import { createRpcClient } from "../../src/scan/client.js";
import { scanApprovals } from "../../src/scan/scan.js";
import type { Approval, ScanResult } from "../../src/scan/types.js";

const erc20 = parseAbi([
  "function approve(address spender, uint256 amount) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
]);
const permit2Abi = parseAbi(["function DOMAIN_SEPARATOR() view returns (bytes32)"]);

const lower = (address: string) => address.toLowerCase();

describe("demo world (npm start's seeded chain and dashboard server)", function () {
  let world: DemoWorld;
  let client: PublicClient;
  let scan: ScanResult;
  let dist: string;

  const find = (predicate: (approval: Approval) => boolean, what: string) => {
    const matches = scan.approvals.filter(predicate);
    expect(matches, what).to.have.length.greaterThan(0);
    return matches;
  };

  before(async function () {
    dist = mkdtempSync(join(tmpdir(), "demo-dist-"));
    mkdirSync(join(dist, "assets"));
    writeFileSync(join(dist, "index.html"), "<!doctype html><html><body><div id=root></div><script src=/assets/app-1.js></script></body></html>");
    writeFileSync(join(dist, "assets", "app-1.js"), "console.log('page')");
    world = await startDemoWorld({ distDir: dist });
    client = createPublicClient({ transport: http(world.rpcUrl) });
    scan = await scanApprovals(client, { owner: world.owner, routers: [world.contracts.allowanceRouter] });
  });

  after(async function () {
    await world?.stop();
    rmSync(dist, { recursive: true, force: true });
  });

  it("serves the chain over HTTP JSON-RPC on loopback, as chain 31337, to pages on other origins (CORS)", async function () {
    expect(world.rpcUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await client.getChainId()).to.equal(31337);
    const preflight = await fetch(world.rpcUrl, {
      method: "OPTIONS",
      headers: { origin: "http://127.0.0.1:1", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get("access-control-allow-origin")).to.equal("*");
    expect(preflight.headers.get("access-control-allow-headers")).to.include("content-type");
  });

  it("has AllowanceRouter and BatchRevoker at the SDK's addresses and the real Permit2 at its canonical one", async function () {
    for (const address of [world.contracts.allowanceRouter, world.contracts.batchRevoker, world.contracts.permit2]) {
      expect((await client.getCode({ address }))?.length ?? 0, address).to.be.greaterThan(2);
    }
    // Permit2's own EIP-712 domain (name "Permit2", no version), recomputed for this chain.
    const expected = keccak256(
      encodeAbiParameters(
        [{ type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }, { type: "address" }],
        [keccak256(toHex("EIP712Domain(string name,uint256 chainId,address verifyingContract)")), keccak256(toHex("Permit2")), 31337n, world.contracts.permit2],
      ),
    );
    expect(await client.readContract({ address: world.contracts.permit2, abi: permit2Abi, functionName: "DOMAIN_SEPARATOR" })).to.equal(expected);
  });

  it("seeds the demo owner with approvals of every kind, the count it documents", function () {
    expect(scan.approvals).to.have.length(BASE_APPROVAL_COUNT);
    const kinds = new Set(scan.approvals.map((approval) => approval.kind));
    expect([...kinds].sort()).to.deep.equal(["erc1155-operator", "erc20", "erc721", "erc721-operator", "router"]);
    const { tokens, spenders, allowanceRouter, permit2 } = world.contracts;
    find((a) => a.kind === "erc20" && a.amount === maxUint256, "an unlimited ERC-20 approval");
    find((a) => a.kind === "erc20" && a.amount !== null && a.amount < maxUint256 && a.amount > 0n, "a finite ERC-20 approval");
    find((a) => a.kind === "erc721" && a.tokenId === 1n && a.spender === spenders.eoa, "a single ERC-721 approval");
    find((a) => a.kind === "erc721-operator", "an ERC-721 operator");
    find((a) => a.kind === "erc1155-operator" && lower(a.token.address) === lower(tokens.nft1155), "an ERC-1155 operator");
    const routerGrants = find((a) => a.kind === "router" && a.router === allowanceRouter, "AllowanceRouter grants");
    const permit2Grants = find((a) => a.kind === "router" && a.router === permit2, "Permit2 grants");
    for (const grant of [...routerGrants, ...permit2Grants]) expect(grant.expiresAt, grant.id).to.be.greaterThan(scan.scannedAt);
    expect(routerGrants).to.have.length(3);
    expect(permit2Grants).to.have.length(2);
    find((a) => lower(a.token.address) === lower(tokens.dai), "a DAI-style permit token's approval");
    find((a) => lower(a.token.address) === lower(tokens.refusesZeroApproval), "an approval of a token refusing approve(0)");
    find((a) => lower(a.token.address) === lower(tokens.permitToken) && a.token.supportsPermit, "an EIP-2612 permit token's approval");
  });

  it("has spenders of every shape: EOA, EIP-7702-delegated, proxy, denylisted (listed in /config.json for this chain)", function () {
    const { spenders } = world.contracts;
    expect(scan.spenders[lower(spenders.eoa)]!.codeKind).to.equal("eoa");
    expect(scan.spenders[lower(spenders.delegated)]!.codeKind).to.equal("delegated-eoa");
    expect(scan.spenders[lower(spenders.proxy)]!.proxy?.implementation).to.equal(spenders.proxyImplementation);
    const [denylisted] = find((a) => a.spender === spenders.denylisted, "an approval of the denylisted spender");
    expect(world.config.denylist).to.have.length(1);
    const entry = world.config.denylist![0]!;
    expect(entry).to.include({ chainId: 31337, address: spenders.denylisted });
    const grade = gradeRisk(denylisted!, { now: scan.scannedAt, spender: scan.spenders[lower(spenders.denylisted)], denylistEntry: entry });
    expect(grade.level).to.equal("critical");
  });

  it("has a usage history: pulls months and days ago, through plain approvals, the router and Permit2", function () {
    const { spenders, allowanceRouter, permit2 } = world.contracts;
    const used = scan.approvals.filter((approval) => approval.pulls.length > 0);
    expect(used.length).to.be.greaterThanOrEqual(6);
    const day = 86_400;
    const ages = used.map((approval) => (scan.scannedAt - approval.lastUsedAt!) / day);
    expect(Math.max(...ages), "a pull over 300 days ago").to.be.greaterThan(300);
    expect(Math.min(...ages), "a pull within the last week").to.be.lessThan(7);
    for (const router of [allowanceRouter, permit2]) {
      find((a) => a.router === router && a.spender === spenders.exchange && a.pulls.length > 0, `pulls through ${router}`);
    }
    find((a) => a.spender === spenders.eoa && a.pulls.length > 0, "the EOA spender's own transferFrom");
    // Chain time ends near the wall clock, so "days ago" reads as on a real chain.
    expect(Math.abs(scan.scannedAt - Date.now() / 1000)).to.be.lessThan(2 * day);
  });

  it("gives the demo owner a key that signs for it, and a token that really refuses approve(0)", async function () {
    const owner = privateKeyToAccount(world.ownerPrivateKey);
    expect(owner.address).to.equal(world.owner);
    const refusing = world.contracts.tokens.refusesZeroApproval;
    const idle = world.contracts.spenders.idle;
    const error = await client
      .simulateContract({ account: owner, address: refusing, abi: erc20, functionName: "approve", args: [idle, 0n] })
      .then(() => null, (reason: unknown) => reason);
    expect(error, "approve(0) reverts").to.be.instanceOf(Error);
    expect((error as Error).message).to.match(/ZeroApproval/);
  });

  it("returns to the seeded state with restore()", async function () {
    const owner = privateKeyToAccount(world.ownerPrivateKey);
    const wallet = createWalletClient({ account: owner, chain: hardhat, transport: http(world.rpcUrl) });
    const { dai } = world.contracts.tokens;
    const { idle } = world.contracts.spenders;
    const hash = await wallet.writeContract({ address: dai, abi: erc20, functionName: "approve", args: [idle, 0n] });
    await client.waitForTransactionReceipt({ hash });
    expect(await client.readContract({ address: dai, abi: erc20, functionName: "allowance", args: [world.owner, idle] })).to.equal(0n);
    await world.restore();
    expect(await client.readContract({ address: dai, abi: erc20, functionName: "allowance", args: [world.owner, idle] })).to.equal(maxUint256);
    await world.restore();
  });

  it("serves the built page, its assets, routes of the page, and /config.json with the demo wallet", async function () {
    expect(world.dashboardUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(world.dashboardBuilt).to.equal(true);
    const page = await fetch(world.dashboardUrl);
    expect(page.headers.get("content-type")).to.match(/^text\/html/);
    expect(await page.text()).to.include('<div id=root>');
    const asset = await fetch(new URL("/assets/app-1.js", world.dashboardUrl));
    expect(asset.headers.get("content-type")).to.match(/^text\/javascript/);
    expect(asset.headers.get("cache-control")).to.include("immutable");
    expect(await (await fetch(new URL("/approvals/0xabc", world.dashboardUrl))).text()).to.include('<div id=root>');
    expect((await fetch(new URL("/assets/missing.js", world.dashboardUrl))).status).to.equal(404);
    expect((await fetch(new URL("/assets/..%2f..%2f..%2fpackage.json", world.dashboardUrl))).status, "no way out of app/dist").to.equal(404);
    expect((await fetch(world.dashboardUrl, { method: "POST" })).status).to.equal(405);
    const config = await (await fetch(new URL("/config.json", world.dashboardUrl))).json();
    expect(config).to.deep.equal({
      rpcUrl: world.rpcUrl,
      chainId: 31337,
      demo: { address: world.owner, privateKey: world.ownerPrivateKey },
      denylist: world.denylist,
    });
  });

  it("names a taken port and which one it is (chain or dashboard)", async function () {
    const blocker: Server = createServer();
    const port = await listenOnLoopback(blocker, 0);
    try {
      for (const [options, what] of [
        [{ chainPort: port }, "chain"],
        [{ dashboardPort: port }, "dashboard"],
      ] as const) {
        const error = await startDemoWorld({ ...options, distDir: dist }).then(
          (started) => started.stop().then(() => null),
          (reason: unknown) => reason,
        );
        expect(error, what).to.be.instanceOf(DemoPortInUseError);
        expect((error as DemoPortInUseError).what).to.equal(what);
        expect((error as Error).message).to.equal(`port ${port} on 127.0.0.1 (the ${what}) is already in use`);
      }
    } finally {
      await closeServer(blocker);
    }
  });
});

describe("demo world without a built page, and with more approvals", function () {
  it("serves a page saying to run npm run build:app, seeds `approvals` in total", async function () {
    const empty = mkdtempSync(join(tmpdir(), "demo-empty-"));
    const world = await startDemoWorld({ distDir: empty, approvals: BASE_APPROVAL_COUNT + 25 });
    try {
      expect(world.dashboardBuilt).to.equal(false);
      const page = await (await fetch(new URL("/anything", world.dashboardUrl))).text();
      expect(page).to.include("npm run build:app");
      const config = (await (await fetch(new URL("/config.json", world.dashboardUrl))).json()) as { demo: { address: string } };
      expect(config.demo.address).to.equal(world.owner);
      const result = await scanApprovals(createRpcClient({ rpcUrl: world.rpcUrl }), { owner: world.owner, routers: [world.contracts.allowanceRouter] });
      expect(result.approvals).to.have.length(BASE_APPROVAL_COUNT + 25);
      expect(world.contracts.tokens.bulk).to.have.length(3);
    } finally {
      await world.stop();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("refuses fewer approvals than the base seed", async function () {
    const error = await startDemoWorld({ approvals: 3 }).then(() => null, (reason: unknown) => reason);
    expect((error as Error).message).to.match(/^approvals: 3 is not an integer >= \d+/);
  });
});
