import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import type { Address, Hex } from "viem";

import { CacheLocationError } from "../src/cache/errors.js";
import { openScanCache } from "../src/cache/scan-cache.js";
import { loadSqlite } from "../src/cache/sqlite.js";
import type { RawLog } from "../src/scan/logs.js";

const CHAIN = 31337;
const ALICE: Address = "0x00000000000000000000000000000000000000A1";
const BOB: Address = "0x00000000000000000000000000000000000000b0";
const hash = (n: number, fork = 0): Hex => `0x${(n * 1000 + fork).toString(16).padStart(64, "0")}`;

function log(block: number, index: number, fork = 0): RawLog {
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

describe("scan cache (node:sqlite)", function () {
  let dir: string;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), "scan-cache-unit-"));
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps logs, blocks, coverage and transactions across a close and reopen", function () {
    const path = join(dir, "persist.sqlite");
    const first = openScanCache(path);
    first.putBlocks(CHAIN, [{ number: 10n, hash: hash(10), timestamp: 1_010 }]);
    first.putLogs(CHAIN, ALICE, [log(10, 0), log(10, 1)]);
    first.setCoverage(CHAIN, ALICE, { fromBlock: 0n, toBlock: 12n });
    first.putTransactions(CHAIN, [{ hash: hash(510), blockNumber: 10n, sender: BOB, recipient: null }]);
    first.close();

    const second = openScanCache(path);
    try {
      expect(second.coverage(CHAIN, ALICE)).to.deep.equal({ fromBlock: 0n, toBlock: 12n });
      expect(second.coverage(CHAIN, BOB)).to.equal(null);
      expect(second.logs(CHAIN, ALICE, 0n, 12n)).to.deep.equal([log(10, 0), log(10, 1)]);
      expect(second.logs(CHAIN, BOB, 0n, 12n)).to.deep.equal([]);
      expect(second.logs(CHAIN, ALICE, 11n, 12n)).to.deep.equal([]);
      expect(second.transactions(CHAIN, [hash(510), hash(511)])).to.deep.equal(
        new Map([[hash(510), { hash: hash(510), blockNumber: 10n, sender: BOB, recipient: null }]]),
      );
      expect(second.block(CHAIN, 10n)).to.deep.equal({ number: 10n, hash: hash(10), timestamp: 1_010 });
    } finally {
      second.close();
    }
  });

  it("fills a block's timestamp later without losing it when a timestamp-less sighting comes again", function () {
    const cache = openScanCache(":memory:");
    try {
      cache.putBlocks(CHAIN, [{ number: 5n, hash: hash(5), timestamp: null }]);
      expect(cache.block(CHAIN, 5n)!.timestamp).to.equal(null);
      cache.putBlocks(CHAIN, [{ number: 5n, hash: hash(5), timestamp: 1_005 }]);
      cache.putBlocks(CHAIN, [{ number: 5n, hash: hash(5), timestamp: null }]);
      expect(cache.block(CHAIN, 5n)!.timestamp).to.equal(1_005);
    } finally {
      cache.close();
    }
  });

  it("treats a block seen under a new hash as a reorg: drops that height and above for every owner", function () {
    const cache = openScanCache(":memory:");
    try {
      for (const owner of [ALICE, BOB]) {
        cache.putBlocks(CHAIN, [20, 30, 40].map((n) => ({ number: BigInt(n), hash: hash(n), timestamp: 1_000 + n })));
        cache.putLogs(CHAIN, owner, [log(20, 0), log(30, 0), log(40, 0)]);
        cache.setCoverage(CHAIN, owner, { fromBlock: 0n, toBlock: 45n });
      }
      cache.putTransactions(CHAIN, [
        { hash: hash(520), blockNumber: 20n, sender: BOB, recipient: ALICE },
        { hash: hash(530), blockNumber: 30n, sender: BOB, recipient: ALICE },
      ]);
      const reorgFrom = cache.putBlocks(CHAIN, [
        { number: 20n, hash: hash(20), timestamp: 1_020 },
        { number: 30n, hash: hash(30, 1), timestamp: 1_031 },
      ]);
      expect(reorgFrom).to.equal(30n);
      for (const owner of [ALICE, BOB]) {
        expect(cache.logs(CHAIN, owner, 0n, 100n)).to.deep.equal([log(20, 0)]);
        expect(cache.coverage(CHAIN, owner)).to.deep.equal({ fromBlock: 0n, toBlock: 29n });
      }
      expect(cache.block(CHAIN, 30n)!.hash).to.equal(hash(30, 1));
      expect(cache.block(CHAIN, 40n)).to.equal(null);
      expect([...cache.transactions(CHAIN, [hash(520), hash(530)]).keys()]).to.deep.equal([hash(520)]);
      expect(cache.blocksBelow(CHAIN, 31n, 10).map((block) => block.number)).to.deep.equal([30n, 20n]);
      // Another chain is untouched by this chain's reorg.
      cache.putBlocks(1, [{ number: 30n, hash: hash(30, 9), timestamp: 1 }]);
      expect(cache.block(CHAIN, 30n)!.hash).to.equal(hash(30, 1));
    } finally {
      cache.close();
    }
  });

  it("forgets an owner's coverage entirely when the invalidated height is below its start", function () {
    const cache = openScanCache(":memory:");
    try {
      cache.setCoverage(CHAIN, ALICE, { fromBlock: 50n, toBlock: 60n });
      cache.invalidateFrom(CHAIN, 40n);
      expect(cache.coverage(CHAIN, ALICE)).to.equal(null);
    } finally {
      cache.close();
    }
  });

  it("refuses a cache file of another schema version with a message that says what to do", function () {
    const path = join(dir, "old.sqlite");
    const { DatabaseSync } = loadSqlite();
    const db = new DatabaseSync(path);
    db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema', '0');");
    db.close();
    expect(() => openScanCache(path)).to.throw(/has schema 0, this version needs 1: delete the file/);
  });
});

describe("scan cache files that cannot be used (issue 9, point 8)", function () {
  let folder: string;

  beforeEach(function () {
    folder = mkdtempSync(join(tmpdir(), "allowance-cache-"));
  });

  afterEach(function () {
    rmSync(folder, { recursive: true, force: true });
  });

  it("moves a corrupt cache file aside, says where, and starts a new one that works", function () {
    const path = join(folder, "scan.sqlite");
    writeFileSync(path, "this is not a SQLite database, but it is long enough to have a header. ".repeat(20));
    const notices: string[] = [];
    const cache = openScanCache(path, { onNotice: (message) => notices.push(message) });
    cache.putLogs(CHAIN, ALICE, [log(5, 0)]);
    cache.setCoverage(CHAIN, ALICE, { fromBlock: 0n, toBlock: 5n });
    expect(cache.coverage(CHAIN, ALICE)).to.deep.equal({ fromBlock: 0n, toBlock: 5n });
    cache.close();
    expect(notices).to.have.length(1);
    const aside = readdirSync(folder).find((name) => name.startsWith("scan.sqlite.corrupt-"))!;
    expect(notices[0]).to.equal(
      `the scan cache at ${path} was not a readable database (file is not a database): moved it to ${join(folder, aside)} and started a new one`,
    );
    expect(readFileSync(join(folder, aside), "utf8")).to.match(/^this is not a SQLite database/);
    // The new file is a good cache: it opens again without a notice.
    openScanCache(path, { onNotice: (message) => notices.push(message) }).close();
    expect(notices).to.have.length(1);
  });

  it("fails at once, naming the path, under /proc (where Node's recursive mkdir never returns) and under a file", function () {
    expect(() => openScanCache("/proc/nope/x")).to.throw(
      CacheLocationError,
      "the scan cache cannot be kept at /proc/nope/x: the folder /proc/nope cannot be created (ENOENT); pass --cache with a file in a folder you can write, or --no-cache",
    );
    const file = join(folder, "a-file");
    writeFileSync(file, "");
    expect(() => openScanCache(join(file, "deeper", "x"))).to.throw(CacheLocationError, `${file} is a file, not a folder`);
    expect(() => openScanCache(folder)).to.throw(CacheLocationError, "it is a folder; name a file inside it");
  });
});
