import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

import type { Address } from "viem";

import { inTransaction, loadSqlite } from "../node/sqlite.js";
import { WatchError } from "./errors.js";
import {
  APPROVAL_COLUMNS,
  approvalFromRow,
  approvalsJson,
  approvalValues,
  checkpointFromRow,
  ownerFromRow,
  partitionOf,
  pendingRevocationFromRow,
  REVOCATIONS_TABLE,
  type Row,
} from "./rows.js";
import type { Outbox, PendingDelivery, WatchStore } from "./store.js";
import type { WatchAlert, WatchedApproval } from "./types.js";

const SCHEMA_VERSION = "1";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS owners (
  address TEXT PRIMARY KEY, partition INTEGER NOT NULL, cursor INTEGER, max_grant_seconds INTEGER, digest_period INTEGER
);
CREATE TABLE IF NOT EXISTS approvals (
  owner TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, token TEXT NOT NULL, spender TEXT NOT NULL, router TEXT,
  token_id TEXT, amount TEXT, expires_at INTEGER, live INTEGER NOT NULL, granted_block INTEGER NOT NULL,
  granted_at INTEGER NOT NULL, granted_tx TEXT NOT NULL, granted_log_index INTEGER NOT NULL, changed_block INTEGER NOT NULL,
  recheck INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (owner, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS approvals_by_spender ON approvals (spender) WHERE live = 1;
CREATE TABLE IF NOT EXISTS alerts (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, owner TEXT NOT NULL, rule TEXT NOT NULL,
  block_number INTEGER, retracted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_by_block ON alerts (block_number);
CREATE TABLE IF NOT EXISTS outbox (
  alert_id TEXT PRIMARY KEY, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
  delivered_at INTEGER, last_error TEXT
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, timestamp INTEGER);
${REVOCATIONS_TABLE("")}`;

const lower = (address: string) => address.toLowerCase();
const placeholders = (count: number) => Array.from({ length: count }, () => "?").join(", ");

/** The embedded store: one SQLite file (node:sqlite, nothing to install), ":memory:" for tests. */
export function openSqliteWatchStore(path: string): WatchStore & { outbox: Outbox } {
  const { DatabaseSync } = loadSqlite();
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path, { timeout: 5_000 });
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  db.exec(SCHEMA);
  const version = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as Row | undefined;
  if (version === undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
  else if (version.value !== SCHEMA_VERSION) {
    db.close();
    throw new WatchError(`the watch store at ${path} has schema ${String(version.value)}, this version needs ${SCHEMA_VERSION}: move the file away`);
  }

  const putApproval = db.prepare(
    `INSERT INTO approvals (${APPROVAL_COLUMNS.join(", ")}, recheck) VALUES (${placeholders(APPROVAL_COLUMNS.length)}, 0) ` +
      `ON CONFLICT (owner, id) DO UPDATE SET ${APPROVAL_COLUMNS.slice(2).map((column) => `${column} = excluded.${column}`).join(", ")}, recheck = 0`,
  );
  const putAlert = db.prepare("INSERT INTO alerts (id, owner, rule, block_number, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
  const retract = db.prepare("UPDATE alerts SET retracted = 1 WHERE id = ?");
  const queue = db.prepare("INSERT INTO outbox (alert_id, next_attempt_at) VALUES (?, 0) ON CONFLICT (alert_id) DO NOTHING");
  const putBlock = db.prepare("INSERT INTO blocks (number, hash, timestamp) VALUES (?, ?, ?) ON CONFLICT (number) DO UPDATE SET hash = excluded.hash, timestamp = excluded.timestamp");

  const transaction = <T>(work: () => T): T => inTransaction(db, work, { immediate: true });

  const storeAlerts = (alerts: readonly WatchAlert[]): WatchAlert[] => {
    const stored: WatchAlert[] = [];
    for (const alert of alerts) {
      const { changes } = putAlert.run(alert.id, lower(alert.owner), alert.rule, alert.block === null ? null : alert.block.number, JSON.stringify(alert));
      if (Number(changes) === 0) continue;
      stored.push(alert);
      queue.run(alert.id);
      if (alert.retracts !== null) retract.run(alert.retracts);
    }
    return stored;
  };

  const inList = (owners: readonly Address[]) => owners.map(lower);
  /** One process owns the file: an in-process queue is the guardian lock. */
  let guardianQueue: Promise<unknown> = Promise.resolve();

  const outbox: Outbox = {
    async due(now, limit) {
      const rows = db
        .prepare(
          "SELECT a.body, o.attempts FROM outbox o JOIN alerts a ON a.id = o.alert_id " +
            "WHERE o.delivered_at IS NULL AND o.next_attempt_at <= ? ORDER BY a.seq LIMIT ?",
        )
        .all(now, limit) as Row[];
      return rows.map((row): PendingDelivery => ({ alert: JSON.parse(row.body as string) as WatchAlert, attempts: Number(row.attempts) }));
    },
    async delivered(id, at) {
      db.prepare("UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE alert_id = ?").run(at, id);
    },
    async failed(id, nextAttemptAt, error) {
      db.prepare("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE alert_id = ?").run(nextAttemptAt, error, id);
    },
    async pending() {
      return Number((db.prepare("SELECT count(*) AS n FROM outbox WHERE delivered_at IS NULL").get() as Row).n);
    },
  };

  return {
    kind: "sqlite",
    outbox,
    async chainId() {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'chainId'").get() as Row | undefined;
      return row === undefined ? null : Number(row.value);
    },
    async setChainId(chainId) {
      db.prepare("INSERT INTO meta (key, value) VALUES ('chainId', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(chainId));
    },
    async addOwners(owners, partitions) {
      const insert = db.prepare(
        "INSERT INTO owners (address, partition, max_grant_seconds) VALUES (?, ?, ?) ON CONFLICT (address) DO NOTHING",
      );
      return transaction(() =>
        owners.flatMap((owner) => {
          const { changes } = insert.run(lower(owner.address), partitionOf(owner.address, partitions), owner.maxGrantSeconds ?? null);
          return Number(changes) > 0 ? [owner.address] : [];
        }),
      );
    },
    async removeOwner(owner) {
      return transaction(() => {
        const { changes } = db.prepare("DELETE FROM owners WHERE address = ?").run(lower(owner));
        db.prepare("DELETE FROM approvals WHERE owner = ?").run(lower(owner));
        return Number(changes) > 0;
      });
    },
    async owners(partition) {
      const rows = (
        partition === undefined
          ? db.prepare("SELECT * FROM owners ORDER BY address").all()
          : db.prepare("SELECT * FROM owners WHERE partition = ? ORDER BY address").all(partition)
      ) as Row[];
      return rows.map(ownerFromRow);
    },
    async approvals(owners) {
      if (owners.length === 0) return [];
      const rows = db.prepare(`SELECT * FROM approvals WHERE owner IN (${placeholders(owners.length)})`).all(...inList(owners)) as Row[];
      return rows.map(approvalFromRow);
    },
    async liveApprovalsTo(spenders) {
      if (spenders.length === 0) return [];
      const rows = db
        .prepare(`SELECT * FROM approvals WHERE live = 1 AND spender IN (${placeholders(spenders.length)}) ORDER BY owner, id`)
        .all(...spenders) as Row[];
      return rows.map(approvalFromRow);
    },
    async commitStep(step) {
      return transaction(() => {
        const setCursor = db.prepare("UPDATE owners SET cursor = ? WHERE address = ?");
        for (const owner of step.owners) setCursor.run(step.cursor, lower(owner));
        db.prepare(`UPDATE approvals SET recheck = 0 WHERE owner IN (${placeholders(step.owners.length)})`).run(...inList(step.owners));
        for (const block of step.blocks) putBlock.run(block.number, block.hash, block.timestamp);
        for (const approval of step.approvals) putApproval.run(...approvalValues(approval));
        const setDigest = db.prepare("UPDATE owners SET digest_period = ? WHERE address = ?");
        for (const digest of step.digests) setDigest.run(digest.period, lower(digest.owner));
        return storeAlerts(step.alerts);
      });
    },
    async putAlerts(alerts, approvals = []) {
      return transaction(() => {
        for (const approval of approvals) putApproval.run(...approvalValues(approval));
        return storeAlerts(alerts);
      });
    },
    async alerts(query) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (query.owner !== undefined) {
        where.push("owner = ?");
        args.push(lower(query.owner));
      }
      if (query.rule !== undefined) {
        where.push("rule = ?");
        args.push(query.rule);
      }
      const rows = db
        .prepare(`SELECT body FROM alerts ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`)
        .all(...args, query.limit) as Row[];
      return rows.map((row) => JSON.parse(row.body as string) as WatchAlert);
    },
    async checkpoints(fromBlock) {
      return (db.prepare("SELECT * FROM blocks WHERE number >= ? ORDER BY number DESC").all(fromBlock) as Row[]).map(checkpointFromRow);
    },
    async rewind(owners, fromBlock) {
      return transaction(() => {
        const list = inList(owners);
        const marks = placeholders(list.length);
        db.prepare(`UPDATE owners SET cursor = ? WHERE cursor >= ? AND address IN (${marks})`).run(fromBlock - 1n, fromBlock, ...list);
        db.prepare("DELETE FROM blocks WHERE number >= ?").run(fromBlock);
        db.prepare(`UPDATE approvals SET recheck = 1 WHERE changed_block >= ? AND owner IN (${marks})`).run(fromBlock, ...list);
        const rows = db
          .prepare(`SELECT body FROM alerts WHERE retracted = 0 AND rule != 'correction' AND block_number >= ? AND owner IN (${marks}) ORDER BY seq`)
          .all(fromBlock, ...list) as Row[];
        return rows.map((row) => JSON.parse(row.body as string) as WatchAlert);
      });
    },
    async recheck(owners) {
      if (owners.length === 0) return [];
      const rows = db.prepare(`SELECT * FROM approvals WHERE recheck = 1 AND owner IN (${placeholders(owners.length)})`).all(...inList(owners)) as Row[];
      return rows.map(approvalFromRow);
    },
    async withGuardianLock(work) {
      const result = guardianQueue.then(work);
      guardianQueue = result.catch(() => {});
      return result;
    },
    async pendingRevocations() {
      return (db.prepare("SELECT * FROM revocations WHERE status = 'pending' ORDER BY recorded_at, nonce").all() as Row[]).map(pendingRevocationFromRow);
    },
    async recordRevocation(revocation) {
      const { changes } = db
        .prepare("INSERT INTO revocations (tx_hash, owner, raw_tx, nonce, approvals, status, recorded_at) VALUES (?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT DO NOTHING")
        .run(revocation.transactionHash, lower(revocation.owner), revocation.rawTransaction, revocation.nonce, approvalsJson(revocation.approvals), Date.now());
      return Number(changes) > 0;
    },
    async settleRevocation(transactionHash, status, alerts, approvals) {
      return transaction(() => {
        db.prepare("UPDATE revocations SET status = ? WHERE tx_hash = ?").run(status, transactionHash);
        for (const approval of approvals) putApproval.run(...approvalValues(approval));
        return storeAlerts(alerts);
      });
    },
    async close() {
      db.close();
    },
  };
}

export type { WatchedApproval };
