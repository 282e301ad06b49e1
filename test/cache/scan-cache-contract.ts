import { expect } from "chai";
import type { Address, Hex } from "viem";

import type { RawLog, ScanCache } from "../../src/cache/types.js";

export const CHAIN = 31337;
export const ALICE: Address = "0x00000000000000000000000000000000000000A1";
export const BOB: Address = "0x00000000000000000000000000000000000000b0";
export const hash = (n: number, fork = 0): Hex => `0x${(n * 1000 + fork).toString(16).padStart(64, "0")}`;

export function log(block: number, index: number, fork = 0): RawLog {
  return {
    address: "0x00000000000000000000000000000000000000Cc",
    topics: [hash(7), hash(8)],
    data: "0x01",
    blockNumber: BigInt(block),
    blockHash: hash(block, fork),
    blockTimestamp: 1_000 + block,
    transactionHash: hash(block + 500, fork),
    logIndex: index,
  };
}

export interface ScanCacheImplementation {
  /** A new, empty cache. */
  create(): Promise<ScanCache>;
  /**
   * For a cache that outlives its object: opens the store `name` (empty the first time, as it
   * was left after a close the next time).
   */
  open?: (name: string) => Promise<ScanCache>;
}

/** The behaviour every ScanCache implementation must have: one suite, run against each. */
export function describeScanCacheContract(name: string, implementation: ScanCacheImplementation): void {
  describe(`ScanCache contract: ${name}`, function () {
    const withCache = async (work: (cache: ScanCache) => Promise<void>) => {
      const cache = await implementation.create();
      try {
        await work(cache);
      } finally {
        await cache.close();
      }
    };

    it("returns an owner's logs of a range in chain order, owners compared case-insensitively, timestamps from known blocks", () =>
      withCache(async (cache) => {
        await cache.putBlocks(CHAIN, [10, 11].map((n) => ({ number: BigInt(n), hash: hash(n), timestamp: 1_000 + n })));
        await cache.putLogs(CHAIN, ALICE, [log(11, 0), log(10, 3), log(10, 1)]);
        const lowerAlice = ALICE.toLowerCase() as Address;
        expect(await cache.logs(CHAIN, lowerAlice, 0n, 12n)).to.deep.equal([log(10, 1), log(10, 3), log(11, 0)]);
        expect(await cache.logs(CHAIN, ALICE, 11n, 11n)).to.deep.equal([log(11, 0)]);
        expect(await cache.logs(CHAIN, BOB, 0n, 12n)).to.deep.equal([]);
        expect(await cache.logs(1, ALICE, 0n, 12n)).to.deep.equal([]);
        // The same (block, index) stored again replaces the first copy.
        await cache.putLogs(CHAIN, ALICE, [{ ...log(10, 1), data: "0x02" }]);
        expect((await cache.logs(CHAIN, ALICE, 10n, 10n)).map((entry) => entry.data)).to.deep.equal(["0x02", "0x01"]);
        // A log of a block the cache has no timestamp for comes back with none.
        await cache.putLogs(CHAIN, ALICE, [log(12, 0)]);
        expect((await cache.logs(CHAIN, ALICE, 12n, 12n))[0]!.blockTimestamp).to.equal(null);
      }));

    it("keeps coverage, blocks and transactions per chain and owner", () =>
      withCache(async (cache) => {
        expect(await cache.coverage(CHAIN, ALICE)).to.equal(null);
        await cache.setCoverage(CHAIN, ALICE, { fromBlock: 0n, toBlock: 12n });
        await cache.setCoverage(CHAIN, ALICE.toLowerCase() as Address, { fromBlock: 3n, toBlock: 14n });
        expect(await cache.coverage(CHAIN, ALICE)).to.deep.equal({ fromBlock: 3n, toBlock: 14n });
        expect(await cache.coverage(CHAIN, BOB)).to.equal(null);
        expect(await cache.coverage(1, ALICE)).to.equal(null);
        await cache.putTransactions(CHAIN, [{ hash: hash(510), blockNumber: 10n, sender: BOB, recipient: null }]);
        expect(await cache.transactions(CHAIN, [hash(510), hash(511)])).to.deep.equal(
          new Map([[hash(510), { hash: hash(510), blockNumber: 10n, sender: BOB, recipient: null }]]),
        );
        expect((await cache.transactions(1, [hash(510)])).size).to.equal(0);
        expect(await cache.block(CHAIN, 10n)).to.equal(null);
      }));

    it("fills a block's timestamp later without losing it when a timestamp-less sighting comes again", () =>
      withCache(async (cache) => {
        await cache.putBlocks(CHAIN, [{ number: 5n, hash: hash(5), timestamp: null }]);
        expect((await cache.block(CHAIN, 5n))!.timestamp).to.equal(null);
        await cache.putBlocks(CHAIN, [{ number: 5n, hash: hash(5), timestamp: 1_005 }]);
        await cache.putBlocks(CHAIN, [{ number: 5n, hash: hash(5), timestamp: null }]);
        expect(await cache.block(CHAIN, 5n)).to.deep.equal({ number: 5n, hash: hash(5), timestamp: 1_005 });
      }));

    it("lists the checkpoints below a height, highest first, at most `limit`", () =>
      withCache(async (cache) => {
        await cache.putBlocks(CHAIN, [3, 9, 1, 7].map((n) => ({ number: BigInt(n), hash: hash(n), timestamp: n })));
        expect((await cache.blocksBelow(CHAIN, 9n, 2)).map((block) => block.number)).to.deep.equal([7n, 3n]);
        expect((await cache.blocksBelow(CHAIN, 100n, 10)).map((block) => block.number)).to.deep.equal([9n, 7n, 3n, 1n]);
        expect(await cache.blocksBelow(CHAIN, 1n, 10)).to.deep.equal([]);
        expect(await cache.blocksBelow(1, 100n, 10)).to.deep.equal([]);
      }));

    it("treats a block seen under a new hash as a reorg: drops that height and above for every owner", () =>
      withCache(async (cache) => {
        for (const owner of [ALICE, BOB]) {
          await cache.putBlocks(CHAIN, [20, 30, 40].map((n) => ({ number: BigInt(n), hash: hash(n), timestamp: 1_000 + n })));
          await cache.putLogs(CHAIN, owner, [log(20, 0), log(30, 0), log(40, 0)]);
          await cache.setCoverage(CHAIN, owner, { fromBlock: 0n, toBlock: 45n });
        }
        await cache.putTransactions(CHAIN, [
          { hash: hash(520), blockNumber: 20n, sender: BOB, recipient: ALICE },
          { hash: hash(530), blockNumber: 30n, sender: BOB, recipient: ALICE },
        ]);
        const reorgFrom = await cache.putBlocks(CHAIN, [
          { number: 20n, hash: hash(20), timestamp: 1_020 },
          { number: 30n, hash: hash(30, 1), timestamp: 1_031 },
        ]);
        expect(reorgFrom).to.equal(30n);
        for (const owner of [ALICE, BOB]) {
          expect(await cache.logs(CHAIN, owner, 0n, 100n)).to.deep.equal([log(20, 0)]);
          expect(await cache.coverage(CHAIN, owner)).to.deep.equal({ fromBlock: 0n, toBlock: 29n });
        }
        expect(await cache.block(CHAIN, 30n)).to.deep.equal({ number: 30n, hash: hash(30, 1), timestamp: 1_031 });
        expect(await cache.block(CHAIN, 40n)).to.equal(null);
        expect([...(await cache.transactions(CHAIN, [hash(520), hash(530)])).keys()]).to.deep.equal([hash(520)]);
        expect((await cache.blocksBelow(CHAIN, 31n, 10)).map((block) => block.number)).to.deep.equal([30n, 20n]);
        // Another chain is untouched by this chain's reorg, and the same hash again is no reorg.
        expect(await cache.putBlocks(1, [{ number: 30n, hash: hash(30, 9), timestamp: 1 }])).to.equal(null);
        expect(await cache.putBlocks(CHAIN, [{ number: 30n, hash: hash(30, 1), timestamp: 1_031 }])).to.equal(null);
        expect((await cache.block(CHAIN, 30n))!.hash).to.equal(hash(30, 1));
      }));

    it("reports the lowest reorged height of a batch", () =>
      withCache(async (cache) => {
        await cache.putBlocks(CHAIN, [5, 6, 7].map((n) => ({ number: BigInt(n), hash: hash(n), timestamp: n })));
        const reorgFrom = await cache.putBlocks(CHAIN, [
          { number: 7n, hash: hash(7, 1), timestamp: 7 },
          { number: 6n, hash: hash(6, 1), timestamp: 6 },
        ]);
        expect(reorgFrom).to.equal(6n);
        // The lower reorg drops everything above it, the block just stored at 7 included.
        expect((await cache.blocksBelow(CHAIN, 100n, 10)).map((block) => block.hash)).to.deep.equal([hash(6, 1), hash(5)]);
      }));

    it("shortens coverage on invalidation, and forgets an owner's coverage entirely below its start", () =>
      withCache(async (cache) => {
        await cache.setCoverage(CHAIN, ALICE, { fromBlock: 50n, toBlock: 60n });
        await cache.setCoverage(CHAIN, BOB, { fromBlock: 0n, toBlock: 60n });
        await cache.setCoverage(1, BOB, { fromBlock: 0n, toBlock: 60n });
        await cache.invalidateFrom(CHAIN, 40n);
        expect(await cache.coverage(CHAIN, ALICE)).to.equal(null);
        expect(await cache.coverage(CHAIN, BOB)).to.deep.equal({ fromBlock: 0n, toBlock: 39n });
        expect(await cache.coverage(1, BOB)).to.deep.equal({ fromBlock: 0n, toBlock: 60n });
        // Coverage ending below the height stays as it is.
        await cache.invalidateFrom(CHAIN, 45n);
        expect(await cache.coverage(CHAIN, BOB)).to.deep.equal({ fromBlock: 0n, toBlock: 39n });
      }));

    if (implementation.open !== undefined) {
      const open = implementation.open;
      it("keeps logs, blocks, coverage and transactions across a close and reopen", async function () {
        const first = await open("persist");
        await first.putBlocks(CHAIN, [{ number: 10n, hash: hash(10), timestamp: 1_010 }]);
        await first.putLogs(CHAIN, ALICE, [log(10, 0), log(10, 1)]);
        await first.setCoverage(CHAIN, ALICE, { fromBlock: 0n, toBlock: 12n });
        await first.putTransactions(CHAIN, [{ hash: hash(510), blockNumber: 10n, sender: BOB, recipient: null }]);
        await first.close();

        const second = await open("persist");
        try {
          expect(await second.coverage(CHAIN, ALICE)).to.deep.equal({ fromBlock: 0n, toBlock: 12n });
          expect(await second.logs(CHAIN, ALICE, 0n, 12n)).to.deep.equal([log(10, 0), log(10, 1)]);
          expect((await second.transactions(CHAIN, [hash(510)])).get(hash(510))!.sender).to.equal(BOB);
          expect(await second.block(CHAIN, 10n)).to.deep.equal({ number: 10n, hash: hash(10), timestamp: 1_010 });
        } finally {
          await second.close();
        }
      });
    }
  });
}
