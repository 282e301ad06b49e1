import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";

import { IDBFactory, IDBKeyRange } from "fake-indexeddb";

import { CacheLocationError } from "../src/cache/errors.js";
import { createIndexedDbScanCache, IndexedDbUnavailableError } from "../src/cache/indexeddb.js";
import { createMemoryScanCache } from "../src/cache/memory.js";
import { loadSqlite } from "../src/node/sqlite.js";
import { createSqliteScanCache } from "../src/node/sqlite-cache.js";
import { describeScanCacheContract } from "./cache/scan-cache-contract.js";

const dir = mkdtempSync(join(tmpdir(), "scan-cache-unit-"));
after(function () {
  rmSync(dir, { recursive: true, force: true });
});

describeScanCacheContract("memory", { create: async () => createMemoryScanCache() });

describeScanCacheContract("SQLite (node:sqlite)", {
  create: async () => createSqliteScanCache({ path: ":memory:" }),
  open: async (name) => createSqliteScanCache({ path: join(dir, `${name}.sqlite`) }),
});

// fake-indexeddb: IndexedDB's W3C semantics (transactions, key ranges, auto-commit) in Node.
// Each `create` gets a fresh factory (an empty origin); `open` shares one, like page reloads.
const sharedOrigin = new IDBFactory();
describeScanCacheContract("IndexedDB (fake-indexeddb)", {
  create: () => createIndexedDbScanCache({ indexedDB: new IDBFactory(), IDBKeyRange }),
  open: (name) => createIndexedDbScanCache({ indexedDB: sharedOrigin, IDBKeyRange, name }),
});

describe("IndexedDB scan cache", function () {
  it("says to use the memory cache where there is no IndexedDB", async function () {
    expect("indexedDB" in globalThis).to.equal(false);
    const error = await createIndexedDbScanCache().then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(IndexedDbUnavailableError);
    expect((error as IndexedDbUnavailableError).shortMessage).to.match(/use createMemoryScanCache\(\) instead/);
  });
});

describe("SQLite scan cache", function () {
  it("creates the file's directory", async function () {
    const path = join(dir, "nested", "deeper", "scan.sqlite");
    const cache = createSqliteScanCache({ path });
    await cache.close();
    expect(existsSync(path)).to.equal(true);
  });

  it("refuses a cache file of another schema version with a message that says what to do", function () {
    const path = join(dir, "old.sqlite");
    const { DatabaseSync } = loadSqlite();
    const db = new DatabaseSync(path);
    db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema', '0');");
    db.close();
    expect(() => createSqliteScanCache({ path })).to.throw(/has schema 0, this version needs 1: delete the file/);
  });
});

describe("SQLite cache files that cannot be used (issue 9, point 8)", function () {
  const ALICE = "0x00000000000000000000000000000000000000A1";
  let folder: string;

  beforeEach(function () {
    folder = mkdtempSync(join(tmpdir(), "allowance-cache-"));
  });

  afterEach(function () {
    rmSync(folder, { recursive: true, force: true });
  });

  it("moves a corrupt cache file aside, says where, and starts a new one that works", async function () {
    const path = join(folder, "scan.sqlite");
    writeFileSync(path, "this is not a SQLite database, but it is long enough to have a header. ".repeat(20));
    const notices: string[] = [];
    const cache = createSqliteScanCache({ path, onNotice: (message) => notices.push(message) });
    await cache.setCoverage(31337, ALICE, { fromBlock: 0n, toBlock: 5n });
    expect(await cache.coverage(31337, ALICE)).to.deep.equal({ fromBlock: 0n, toBlock: 5n });
    await cache.close();
    expect(notices).to.have.length(1);
    const aside = readdirSync(folder).find((name) => name.startsWith("scan.sqlite.corrupt-"))!;
    expect(notices[0]).to.equal(
      `the scan cache at ${path} was not a readable database (file is not a database): moved it to ${join(folder, aside)} and started a new one`,
    );
    expect(readFileSync(join(folder, aside), "utf8")).to.match(/^this is not a SQLite database/);
    // The new file is a good cache: it opens again without a notice.
    await createSqliteScanCache({ path, onNotice: (message) => notices.push(message) }).close();
    expect(notices).to.have.length(1);
  });

  it("fails at once, naming the path, under /proc (where Node's recursive mkdir never returns) and under a file", function () {
    expect(() => createSqliteScanCache({ path: "/proc/nope/x" })).to.throw(
      CacheLocationError,
      "the scan cache cannot be kept at /proc/nope/x: the folder /proc/nope cannot be created (ENOENT); pass --cache with a file in a folder you can write, or --no-cache",
    );
    const file = join(folder, "a-file");
    writeFileSync(file, "");
    expect(() => createSqliteScanCache({ path: join(file, "deeper", "x") })).to.throw(CacheLocationError, `${file} is a file, not a folder`);
    expect(() => createSqliteScanCache({ path: folder })).to.throw(CacheLocationError, "it is a folder; name a file inside it");
  });
});
