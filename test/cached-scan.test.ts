import { expect } from "chai";
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { network } from "hardhat";

import { createIndexedDbScanCache } from "../src/cache/indexeddb.js";
import { createMemoryScanCache } from "../src/cache/memory.js";
import type { ScanCache } from "../src/cache/types.js";
import { cachedScanResult } from "../src/scan/cached.js";
import { createRpcClient } from "../src/scan/client.js";
import { scanApprovals } from "../src/scan/scan.js";
import { serveProvider, type RunningServer } from "./fixtures/rpc-server.js";
import { seedScanWorld, type ScanWorld } from "./fixtures/scan-world.js";
import { ALICE, CHAIN } from "./cache/scan-cache-contract.js";

const FAST_RETRY = { retries: 8, baseDelayMs: 5, maxDelayMs: 50 };

const caches: [string, () => Promise<ScanCache>][] = [
  ["memory", async () => createMemoryScanCache()],
  ["IndexedDB (fake-indexeddb)", () => createIndexedDbScanCache({ indexedDB: new IDBFactory(), IDBKeyRange })],
];

for (const [name, create] of caches) {
  describe(`scan snapshots in the ${name} cache`, function () {
    it("keeps a value with bigints per (chain, owner, scope), as a copy, and drops a chain's on invalidateFrom", async function () {
      const cache = await create();
      try {
        const value = { toBlock: 12n, approvals: [{ amount: 2n ** 200n, id: "a" }] };
        await cache.putSnapshot!(CHAIN, ALICE, "scope-1", value);
        value.approvals[0]!.id = "changed after the put";
        expect(await cache.snapshot!(CHAIN, ALICE.toLowerCase() as typeof ALICE, "scope-1")).to.deep.equal({
          toBlock: 12n,
          approvals: [{ amount: 2n ** 200n, id: "a" }],
        });
        expect(await cache.snapshot!(CHAIN, ALICE, "scope-2")).to.equal(null);
        expect(await cache.snapshot!(1, ALICE, "scope-1")).to.equal(null);
        await cache.putSnapshot!(1, ALICE, "scope-1", { other: true });
        await cache.invalidateFrom(CHAIN, 5n);
        expect(await cache.snapshot!(CHAIN, ALICE, "scope-1"), "a reorg on the chain drops its snapshots").to.equal(null);
        expect(await cache.snapshot!(1, ALICE, "scope-1"), "other chains keep theirs").to.deep.equal({ other: true });
      } finally {
        await cache.close();
      }
    });
  });
}

describe("cachedScanResult", function () {
  let world: ScanWorld;
  let node: RunningServer;
  let routers: string[];

  before(async function () {
    const connection = await network.create();
    world = await seedScanWorld(connection as never);
    node = await serveProvider(connection.provider);
    routers = [world.routers.allowanceRouter, world.routers.permit2Compatible];
  });
  after(async function () {
    await node?.close();
  });

  it("returns the last complete scan of the same owner and options from the cache alone, null otherwise", async function () {
    const cache = createMemoryScanCache();
    const owner = world.owners.routerUser;
    const chainId = CHAIN;
    expect(await cachedScanResult({ cache, owner, chainId, routers }), "nothing scanned yet").to.equal(null);

    const scanned = await scanApprovals(createRpcClient({ rpcUrl: node.url }), { owner, routers, cache, retry: FAST_RETRY });
    expect(scanned.chainId).to.equal(CHAIN);
    expect(scanned.approvals.length).to.be.greaterThan(0);
    const cached = await cachedScanResult({ cache, owner: owner.toLowerCase(), chainId, routers: [...routers].reverse() });
    expect(cached, "same owner (any case), same routers (any order)").to.deep.equal(scanned);

    expect(await cachedScanResult({ cache, owner, chainId, routers: [routers[0]!] }), "other routers").to.equal(null);
    expect(await cachedScanResult({ cache, owner, chainId: chainId + 1, routers }), "other chain").to.equal(null);
    expect(await cachedScanResult({ cache, owner, chainId, routers, labels: { [owner]: "x" } }), "other labels").to.equal(null);

    // A scan up to a fixed block is history, not the latest state: it leaves the snapshot alone.
    await scanApprovals(createRpcClient({ rpcUrl: node.url }), { owner, routers, cache, retry: FAST_RETRY, toBlock: scanned.toBlock - 1n });
    expect(await cachedScanResult({ cache, owner, chainId, routers })).to.deep.equal(scanned);
  });

  it("is null for a cache that keeps no snapshots, and rejects a bad owner", async function () {
    const { snapshot: _snapshot, putSnapshot: _put, ...withoutSnapshots } = createMemoryScanCache();
    const owner = world.owners.routerUser;
    await scanApprovals(createRpcClient({ rpcUrl: node.url }), { owner, routers, cache: withoutSnapshots, retry: FAST_RETRY });
    expect(await cachedScanResult({ cache: withoutSnapshots, owner, chainId: CHAIN, routers })).to.equal(null);
    const error = await cachedScanResult({ cache: createMemoryScanCache(), owner: "0x12", chainId: CHAIN }).catch((caught: unknown) => caught);
    expect((error as Error).message).to.match(/owner/);
  });
});
