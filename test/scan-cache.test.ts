import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";

import { IDBFactory, IDBKeyRange } from "fake-indexeddb";

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
