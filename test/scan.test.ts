import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { network } from "hardhat";
import { maxUint160, parseEther } from "viem";

import { createSqliteScanCache } from "../src/node/sqlite-cache.js";
import { PERMIT2_ADDRESS } from "../src/scan/constants.js";
import {
  InvalidBlockRangeError,
  RpcUnreachableError,
  WrongChainError,
} from "../src/scan/errors.js";
import { NotAnAddressError } from "../src/errors.js";
import { createRpcClient } from "../src/scan/client.js";
import { scanApprovals, type ScanApprovalsParameters } from "../src/scan/scan.js";
import type { Approval, ScanResult } from "../src/scan/types.js";
import { startFaultProxy } from "./fixtures/fault-proxy.js";
import { serveProvider, type RunningServer } from "./fixtures/rpc-server.js";
import { seedScanWorld, type ScanWorld } from "./fixtures/scan-world.js";
import { comparable, expectedSummaries, scannedSummaries } from "./fixtures/summaries.js";

const FAST_RETRY = { retries: 8, baseDelayMs: 5, maxDelayMs: 50 };
const UINT96_MAX = (1n << 96n) - 1n;

async function expectRejection(promise: Promise<unknown>, type: new (...args: never[]) => Error, message: RegExp) {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error, "the promise rejects").to.be.instanceOf(type);
  expect((error as Error).message).to.match(message);
}

function only(result: ScanResult, predicate: (approval: Approval) => boolean): Approval {
  const matches = result.approvals.filter(predicate);
  expect(matches, "exactly one matching approval").to.have.length(1);
  return matches[0]!;
}

describe("scanApprovals against a seeded node over HTTP", function () {
  let connection: Awaited<ReturnType<typeof network.create>>;
  let world: ScanWorld;
  let node: RunningServer;
  let routers: string[];
  let cacheDir: string;

  before(async function () {
    connection = await network.create();
    world = await seedScanWorld(connection as never);
    node = await serveProvider(connection.provider);
    routers = [world.routers.allowanceRouter, world.routers.permit2Compatible];
    cacheDir = mkdtempSync(join(tmpdir(), "scan-cache-"));
  });

  after(async function () {
    await node?.close();
    if (cacheDir !== undefined) rmSync(cacheDir, { recursive: true, force: true });
  });

  /** A scan through the node, or through `rpcUrl` (a fault proxy in front of it). */
  const scan = (owner: string, { rpcUrl = node.url, ...extra }: Partial<ScanApprovalsParameters> & { rpcUrl?: string } = {}) =>
    scanApprovals(createRpcClient({ rpcUrl }), { owner, routers, retry: FAST_RETRY, ...extra });

  /** A scan with the SQLite file at `path` as its cache, opened and closed around it like one CLI run. */
  const scanWithFile = async (owner: string, path: string, extra: Partial<ScanApprovalsParameters> & { rpcUrl?: string } = {}) => {
    const cache = createSqliteScanCache({ path });
    try {
      return await scan(owner, { ...extra, cache });
    } finally {
      await cache.close();
    }
  };

  async function expectTruth(result: ScanResult, owner: string) {
    const expected = await world.expected();
    expect(scannedSummaries(result), `live set of ${owner}`).to.deep.equal(expectedSummaries(expected.get(owner.toLowerCase())));
  }

  describe("the live set", function () {
    it("is exactly the seed's ground truth for every owner: amounts, expiries, token ids and pulls", async function () {
      const expected = await world.expected();
      let total = 0;
      for (const owner of Object.values(world.owners)) {
        const result = await scan(owner);
        await expectTruth(result, owner);
        total += result.approvals.length;
      }
      expect(total, "live approvals seeded").to.equal([...expected.values()].reduce((sum, live) => sum + live.size, 0));
      expect(total).to.be.greaterThan(100);
      expect((await scan(world.owners.empty)).approvals).to.deep.equal([]);
    });

    it("scans through a caller's viem client as through a URL", async function () {
      const client = await connection.viem.getPublicClient();
      const viaClient = await scanApprovals(client, { owner: world.owners.routerUser, routers, retry: FAST_RETRY });
      expect(comparable(viaClient)).to.deep.equal(comparable(await scan(world.owners.routerUser)));
    });

    it("leaves out consumed, revoked, expired and locked-down approvals that only events still show", async function () {
      const heavy = await scan(world.owners.heavy);
      const ids = new Set(heavy.approvals.map((approval) => approval.id));
      // Token i % 5 === 3 was revoked, i % 5 === 4 fully pulled without an Approval event.
      for (const i of [3, 4, 8, 9]) {
        const spender = [world.spenders.old, world.spenders.proxy, world.spenders.eoa, world.spenders.delegated][i % 4]!;
        expect(ids.has(`erc20:${world.tokens.plain[i]}:${spender}`.toLowerCase()), `token ${i}`).to.equal(false);
      }
      const routerUser = await scan(world.owners.routerUser);
      const routerGrants = routerUser.approvals.filter((approval) => approval.kind === "router");
      // Six grants per router, of which expired (k=2), locked down (k=3) and consumed (k=4) are gone.
      expect(routerGrants).to.have.length(9);
      for (const grant of routerGrants) expect(grant.expiresAt!).to.be.at.least(routerUser.scannedAt);
    });

    it("reads current values on-chain: a re-grant after a revocation, USDT-style and uint96 tokens", async function () {
      const result = await scan(world.owners.oddTokens);
      const regranted = only(result, (a) => a.token.address === world.tokens.plain[150]);
      expect(regranted.amount).to.equal(parseEther("90"));
      // Dated from the re-grant, the latest event that set it, with that block's timestamp.
      const client = await connection.viem.getPublicClient();
      const grantBlock = await client.getBlock({ blockNumber: regranted.grantedAt.blockNumber });
      expect(regranted.grantedAt.timestamp).to.equal(Number(grantBlock.timestamp));
      const receipt = await client.getTransactionReceipt({ hash: regranted.grantedAt.transactionHash });
      expect(receipt.logs[0]!.data).to.equal(`0x${parseEther("90").toString(16).padStart(64, "0")}`);
      const uint96 = only(result, (a) => a.token.address === world.tokens.uint96);
      expect(uint96.amount).to.equal(UINT96_MAX);
      expect(uint96.pulls.map((pull) => pull.amount)).to.deep.equal([parseEther("2")]);
      const noReturn = only(result, (a) => a.token.address === world.tokens.noReturn);
      expect(noReturn.amount).to.equal(1_700n * 10n ** 6n);
      expect(noReturn.token).to.include({ symbol: "NRT", decimals: 6, supportsPermit: false, metadataError: null });
    });
  });

  describe("token metadata", function () {
    it("decodes bytes32 symbols and reports, without failing, a token whose metadata calls revert", async function () {
      const result = await scan(world.owners.oddTokens);
      expect(only(result, (a) => a.token.address === world.tokens.bytes32Symbol).token.symbol).to.equal("MKR32");
      const broken = only(result, (a) => a.token.address === world.tokens.revertingMetadata);
      expect(broken.token.symbol).to.equal(null);
      expect(broken.token.decimals).to.equal(null);
      expect(broken.token.metadataError).to.match(/symbol\(\).*decimals\(\).*totalSupply\(\)/);
      expect(broken.amount).to.equal(parseEther("3"));
      expect(broken.valueAtRisk).to.equal(parseEther("3"));
      expect(result.warnings.map((warning) => warning.token)).to.deep.equal([world.tokens.revertingMetadata]);
    });

    it("reads balance, supply and permit support, and values the risk as min(allowance, balance)", async function () {
      const result = await scan(world.owners.heavy);
      const unlimited = only(result, (a) => a.token.address === world.tokens.plain[0]);
      expect(unlimited.token).to.include({ symbol: "PT0", decimals: 18, supportsPermit: true });
      expect(unlimited.token.totalSupply).to.equal(parseEther("3000000"));
      // 1,000,000 minted, 1 sent away by the owner, 12 pulled.
      expect(unlimited.balance).to.equal(parseEther("999987"));
      expect(unlimited.valueAtRisk).to.equal(unlimited.balance);
      const limited = only(result, (a) => a.token.address === world.tokens.plain[2]);
      expect(limited.valueAtRisk).to.equal(parseEther("50"));
    });
  });

  describe("routers and Permit2", function () {
    it("finds grants at Permit2's canonical address by default and other routers only when passed", async function () {
      const defaultOnly = await scan(world.owners.routerUser, { routers: [] });
      const grantRouters = new Set(defaultOnly.approvals.filter((a) => a.kind === "router").map((a) => a.router));
      expect([...grantRouters]).to.deep.equal([PERMIT2_ADDRESS]);
      const withRouters = await scan(world.owners.routerUser);
      const all = new Set(withRouters.approvals.filter((a) => a.kind === "router").map((a) => a.router));
      expect(all).to.deep.equal(new Set([PERMIT2_ADDRESS, world.routers.allowanceRouter, world.routers.permit2Compatible]));
      expect(withRouters.spenders[PERMIT2_ADDRESS.toLowerCase()]!.label).to.equal("Permit2");
      const permit2Approvals = withRouters.approvals.filter((a) => a.kind === "erc20" && a.spender === PERMIT2_ADDRESS);
      expect(permit2Approvals).to.have.length(6);
      const permit2Approval = permit2Approvals[0]!;
      expect(permit2Approval.revocation).to.deep.equal({ kind: "erc20", token: permit2Approval.token.address, spender: PERMIT2_ADDRESS });
    });

    it("reports each grant's amount, expiry and nonce, capped in value by the router's own allowance", async function () {
      const result = await scan(world.owners.routerUser);
      const unlimited = only(result, (a) => a.kind === "router" && a.router === world.routers.allowanceRouter && a.amount === maxUint160);
      expect(unlimited.nonce).to.equal(0);
      expect(unlimited.valueAtRisk).to.equal(unlimited.balance);
      expect(unlimited.revocation).to.deep.equal({
        kind: "router",
        router: world.routers.allowanceRouter,
        token: unlimited.token.address,
        spender: world.spenders.old,
      });
      const limited = only(result, (a) => a.kind === "router" && a.router === world.routers.permit2Compatible && a.amount === parseEther("740"));
      expect(limited.valueAtRisk).to.equal(parseEther("740"));
      expect(limited.expiresAt! - limited.grantedAt.timestamp).to.be.closeTo(400 * 86_400, 3_600);
    });

    it("values an ERC-20 approval of a router at what the router's live grants allow", async function () {
      const result = await scan(world.owners.routerUser);
      const approvalOf = (k: number) => only(result, (a) => a.kind === "erc20" && a.token.address === world.tokens.plain[120 + k] && a.spender === world.routers.allowanceRouter);
      expect(approvalOf(0).valueAtRisk).to.equal(approvalOf(0).balance); // unlimited grant
      expect(approvalOf(1).valueAtRisk).to.equal(parseEther("500"));
      for (const k of [2, 3, 4]) expect(approvalOf(k).valueAtRisk, `grant ${k} is gone`).to.equal(0n);
      expect(approvalOf(5).valueAtRisk).to.equal(parseEther("740"));
      expect(result.spenders[world.routers.allowanceRouter.toLowerCase()]!.router).to.equal(true);
      expect(result.spenders[world.spenders.old.toLowerCase()]!.router).to.equal(false);
      // Without the router passed in, it is just a contract spender, valued like any other.
      const unaware = await scan(world.owners.routerUser, { routers: [] });
      const plain = only(unaware, (a) => a.kind === "erc20" && a.token.address === world.tokens.plain[121] && a.spender === world.routers.allowanceRouter);
      expect(plain.valueAtRisk).to.equal(plain.balance);
    });

    it("attributes pulls through a router to the grant and to the owner's ERC-20 approval of the router", async function () {
      const result = await scan(world.owners.routerUser);
      const token = world.tokens.plain[126]!; // second router, k = 0: unlimited grant to the old spender
      const grant = only(result, (a) => a.kind === "router" && a.token.address === token);
      const routerApproval = only(result, (a) => a.kind === "erc20" && a.token.address === token);
      expect(grant.pulls.map((pull) => pull.amount)).to.deep.equal([parseEther("25")]);
      expect(routerApproval.pulls.map((pull) => pull.amount)).to.deep.equal([parseEther("25")]);
      expect(grant.lastUsedAt).to.equal(grant.pulls[0]!.at.timestamp);
      // The plain approval of the same token to another spender saw none of it.
      const other = result.approvals.filter((a) => a.kind === "erc20" && a.token.address === world.tokens.plain[120] && a.spender === world.spenders.proxy);
      expect(other).to.have.length(1);
      expect(other[0]!.pulls).to.deep.equal([]);
    });
  });

  describe("NFTs", function () {
    it("reports single-token approvals of held tokens and operators, told apart by ERC-165", async function () {
      const result = await scan(world.owners.routerUser);
      const single = only(result, (a) => a.kind === "erc721");
      expect(single).to.include({ tokenId: 1n, spender: world.spenders.old, valueAtRisk: 1n, amount: null });
      expect(single.token.standard).to.equal("erc721");
      const operator721 = only(result, (a) => a.kind === "erc721-operator");
      expect(operator721.valueAtRisk).to.equal(4n); // 6 minted, one given away, one pulled by the operator
      expect(operator721.pulls.map((pull) => pull.tokenId)).to.deep.equal([4n]);
      const operator1155 = only(result, (a) => a.kind === "erc1155-operator");
      expect(operator1155).to.include({ spender: world.spenders.eoa, balance: null, valueAtRisk: null });
      expect(operator1155.token.standard).to.equal("erc1155");
      expect(operator1155.revocation).to.deep.equal({ kind: "erc1155-operator", token: world.tokens.nft1155, operator: world.spenders.eoa });
    });
  });

  describe("spenders", function () {
    it("profiles EOAs, 7702-delegated accounts, proxies and recently deployed or upgraded contracts", async function () {
      const heavy = await scan(world.owners.heavy);
      const profile = (address: string) => heavy.spenders[address.toLowerCase()]!;
      expect(profile(world.spenders.eoa)).to.include({ codeKind: "eoa", deployedRecently: false, proxy: null });
      expect(profile(world.spenders.delegated)).to.include({
        codeKind: "delegated-eoa",
        delegatedTo: world.spenders.delegate,
        deployedRecently: false,
      });
      expect(profile(world.spenders.old)).to.include({ codeKind: "contract", proxy: null, deployedRecently: false, upgradedRecently: false });
      expect(profile(world.spenders.proxy).proxy).to.deep.equal({ standard: "eip1967", implementation: world.spenders.proxyImplementation });
      expect(profile(world.spenders.proxy)).to.include({ deployedRecently: false, upgradedRecently: true });
      expect(profile(world.spenders.recent)).to.include({ codeKind: "contract", deployedRecently: true });
      // With a 5-day window the upgrade (10 days before the end) is no longer recent.
      const narrow = await scan(world.owners.heavy, { recentDays: 5 });
      expect(narrow.spenders[world.spenders.proxy.toLowerCase()]).to.include({ upgradedRecently: false });
      expect(narrow.spenders[world.spenders.recent.toLowerCase()]).to.include({ deployedRecently: false });
    });

    it("labels spenders: routers, Permit2 and labels passed in", async function () {
      const result = await scan(world.owners.routerUser, { labels: { [world.spenders.old]: "Old dapp" } });
      expect(result.spenders[world.spenders.old.toLowerCase()]!.label).to.equal("Old dapp");
      expect(result.spenders[PERMIT2_ADDRESS.toLowerCase()]!.label).to.equal("Permit2");
      expect(result.spenders[world.routers.allowanceRouter.toLowerCase()]!.label).to.equal("AllowanceRouter");
      expect(result.spenders[world.spenders.eoa.toLowerCase()]!.label).to.equal(null);
    });
  });

  describe("bad input", function () {
    it("rejects a malformed owner or router before any request", async function () {
      await expectRejection(scan("0x1234"), NotAnAddressError, /owner "0x1234" is not an address/);
      await expectRejection(scan(world.owners.heavy, { routers: ["router"] }), NotAnAddressError, /router "router"/);
    });

    it("names an unreachable RPC, a wrong chain and a block range past the head", async function () {
      const closed = await serveProvider(connection.provider);
      await closed.close();
      await expectRejection(scanApprovals(createRpcClient({ rpcUrl: closed.url }), { owner: world.owners.heavy, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 } }), RpcUnreachableError, /cannot reach the RPC at http:\/\/127\.0\.0\.1:\d+ \(.+\): check the URL/);
      await expectRejection(scan(world.owners.heavy, { chainId: 1 }), WrongChainError, /serves chain 31337, not chain 1/);
      await expectRejection(scan(world.owners.heavy, { fromBlock: 10n ** 9n }), InvalidBlockRangeError, /fromBlock/);
    });
  });

  describe("log ranges and faults", function () {
    it("splits ranges the node refuses and learns the limit: same result, one refusal per limit", async function () {
      const clean = await scan(world.owners.heavy);
      const proxy = await startFaultProxy(node.url, { maxLogBlockRange: 64n });
      try {
        const split = await scan(world.owners.heavy, { rpcUrl: proxy.url });
        expect(comparable(split)).to.deep.equal(comparable(clean));
        const blocks = Number(split.toBlock) + 1;
        expect(split.stats.logRequests).to.be.at.least(Math.ceil(blocks / 64));
        // Halving from the whole range down to <= 64 blocks, then one probe above the learnt limit.
        expect(proxy.stats.refusedRanges).to.be.at.most(Math.ceil(Math.log2(blocks / 64)) + 2);
        expect(split.stats.logRequests - proxy.stats.refusedRanges).to.be.at.most(Math.ceil(blocks / 32) + 2);
      } finally {
        await proxy.close();
      }
    });

    it("completes with the same result through 429s, 503s, dropped connections, result caps and logs without timestamps", async function () {
      const clean = await scan(world.owners.routerUser);
      const proxy = await startFaultProxy(node.url, {
        maxLogBlockRange: 200n,
        maxLogResults: 15,
        rateLimitEvery: 5,
        unavailableEvery: 7,
        dropEvery: 11,
        stripLogTimestamps: true,
      });
      try {
        const faulty = await scan(world.owners.routerUser, { rpcUrl: proxy.url });
        expect(comparable(faulty)).to.deep.equal(comparable(clean));
        expect(proxy.stats.rateLimited).to.be.greaterThan(0);
        expect(proxy.stats.unavailable).to.be.greaterThan(0);
        expect(proxy.stats.dropped).to.be.greaterThan(0);
        expect(proxy.stats.refusedRanges).to.be.greaterThan(0);
        expect(proxy.stats.refusedResults).to.be.greaterThan(0);
        // Without timestamps in logs, block headers were fetched for them.
        expect(proxy.stats.byMethod.eth_getBlockByNumber).to.be.greaterThan(10);
      } finally {
        await proxy.close();
      }
    });

    it("gives up with a clear error once retries are exhausted", async function () {
      const proxy = await startFaultProxy(node.url, { unavailableEvery: 1 });
      try {
        await expectRejection(scanApprovals(createRpcClient({ rpcUrl: proxy.url }), { owner: world.owners.heavy, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 1 } }), RpcUnreachableError, /HTTP 503/);
        expect(proxy.stats.httpRequests).to.equal(3);
      } finally {
        await proxy.close();
      }
    });
  });

  describe("cache", function () {
    it("rescans only new blocks, survives a restart, and matches the truth after new activity", async function () {
      const path = join(cacheDir, "incremental.sqlite");
      const owner = world.owners.oddTokens;
      const first = await scanWithFile(owner, path);
      expect(first.stats.blocksScanned).to.equal(first.toBlock + 1n);
      expect(first.stats.logRequests).to.be.greaterThan(0);

      // A new process: nothing but the file carries over.
      const second = await scanWithFile(owner, path);
      expect(second.stats).to.deep.equal({ blocksScanned: 0n, logRequests: 0, logsFetched: 0, reorgFrom: null });
      expect(comparable(second)).to.deep.equal(comparable(first));

      const before = second.toBlock;
      await world.addActivity(owner);
      const proxy = await startFaultProxy(node.url);
      try {
        const third = await scanWithFile(owner, path, { rpcUrl: proxy.url });
        expect(third.stats.blocksScanned).to.equal(third.toBlock - before);
        expect(third.stats.logRequests).to.equal(1);
        expect(proxy.stats.byMethod.eth_getLogs).to.equal(1);
        await expectTruth(third, owner);
        expect(third.approvals.length).to.equal(first.approvals.length + 1);
      } finally {
        await proxy.close();
      }
    });

    it("keeps owners and chains apart in one file", async function () {
      const cache = createSqliteScanCache({ path: join(cacheDir, "shared.sqlite") });
      try {
        const a = await scan(world.owners.heavy, { cache });
        const b = await scan(world.owners.routerUser, { cache });
        expect(await cache.coverage(31337, world.owners.heavy)).to.deep.equal({ fromBlock: 0n, toBlock: a.toBlock });
        expect(await cache.coverage(31337, world.owners.routerUser)).to.deep.equal({ fromBlock: 0n, toBlock: b.toBlock });
        expect(await cache.coverage(1, world.owners.heavy)).to.equal(null);
        await expectTruth(await scan(world.owners.heavy, { cache }), world.owners.heavy);
      } finally {
        await cache.close();
      }
    });

    it("drops the range a reorg replaced and rescans it", async function () {
      const path = join(cacheDir, "reorg.sqlite");
      const owner = world.owners.heavy;
      const restoreModel = world.snapshotModel();
      const snapshot = await connection.provider.request({ method: "evm_snapshot", params: [] });

      // The soon-orphaned branch: an approval the cache will remember.
      await world.approvePlain(owner, 180, world.spenders.eoa, parseEther("111"));
      await connection.provider.request({ method: "hardhat_mine", params: ["0x3"] });
      const orphaned = await scanWithFile(owner, path);
      expect(orphaned.approvals.some((a) => a.token.address === world.tokens.plain[180])).to.equal(true);

      // The canonical branch replaces those blocks with others, and grows past the old tip.
      await connection.provider.request({ method: "evm_revert", params: [snapshot] });
      restoreModel();
      await world.approvePlain(owner, 181, world.spenders.old, parseEther("222"));
      await connection.provider.request({ method: "hardhat_mine", params: ["0x8"] });

      const rescanned = await scanWithFile(owner, path);
      expect(rescanned.stats.reorgFrom).to.not.equal(null);
      expect(rescanned.stats.reorgFrom! <= orphaned.toBlock).to.equal(true);
      expect(rescanned.stats.blocksScanned).to.equal(rescanned.toBlock - rescanned.stats.reorgFrom! + 1n);
      await expectTruth(rescanned, owner);
      expect(rescanned.approvals.some((a) => a.token.address === world.tokens.plain[180])).to.equal(false);
      expect(only(rescanned, (a) => a.token.address === world.tokens.plain[181]).amount).to.equal(parseEther("222"));
    });
  });
});
