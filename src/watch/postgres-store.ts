import pg from "pg";
import type { Address } from "viem";

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
import type { WatchStore } from "./store.js";
import type { WatchAlert } from "./types.js";

const SCHEMA = `
CREATE SCHEMA IF NOT EXISTS allowance_watch;
CREATE TABLE IF NOT EXISTS allowance_watch.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS allowance_watch.owners (
  address TEXT PRIMARY KEY, partition INTEGER NOT NULL, cursor BIGINT, max_grant_seconds BIGINT, digest_period BIGINT
);
CREATE INDEX IF NOT EXISTS owners_by_partition ON allowance_watch.owners (partition);
CREATE TABLE IF NOT EXISTS allowance_watch.approvals (
  owner TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, token TEXT NOT NULL, spender TEXT NOT NULL, router TEXT,
  token_id TEXT, amount TEXT, expires_at BIGINT, live INTEGER NOT NULL, granted_block BIGINT NOT NULL,
  granted_at BIGINT NOT NULL, granted_tx TEXT NOT NULL, granted_log_index INTEGER NOT NULL, changed_block BIGINT NOT NULL,
  recheck INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (owner, id)
);
CREATE INDEX IF NOT EXISTS approvals_by_spender ON allowance_watch.approvals (spender) WHERE live = 1;
CREATE TABLE IF NOT EXISTS allowance_watch.alerts (
  seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, owner TEXT NOT NULL, rule TEXT NOT NULL,
  block_number BIGINT, retracted BOOLEAN NOT NULL DEFAULT false, body JSONB NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_by_owner_block ON allowance_watch.alerts (owner, block_number);
CREATE TABLE IF NOT EXISTS allowance_watch.blocks (number BIGINT PRIMARY KEY, hash TEXT NOT NULL, timestamp BIGINT);
${REVOCATIONS_TABLE("allowance_watch.")}`;

/** Advisory-lock namespace of owner partitions (the first key of pg_try_advisory_lock(int, int)). */
const PARTITION_LOCK_NAMESPACE = 0x5741_5443; // "WATC"
/** Advisory lock of the guardian key (pg_advisory_lock(int, int)): one worker at a time signs and sends with it. */
const GUARDIAN_LOCK: [number, number] = [0x5741_5447, 0]; // "WATG"

const lower = (address: string) => address.toLowerCase();

export interface PostgresWatchStore extends WatchStore {
  readonly pool: pg.Pool;
  /**
   * Runs `work` holding the partition's advisory lock (a session lock on a connection of its
   * own, released when the work ends or the process dies); returns false, without running it,
   * if another worker holds it.
   */
  withPartitionLock(partition: number, work: () => Promise<void>): Promise<boolean>;
  /** Called inside each transaction that stores new alerts, to enqueue their delivery atomically. */
  setDeliveryHook(hook: (client: pg.PoolClient, alerts: readonly WatchAlert[]) => Promise<void>): void;
}

/** The store at scale: PostgreSQL (schema `allowance_watch`), shared by every worker process. */
export async function openPostgresWatchStore(connectionString: string): Promise<PostgresWatchStore> {
  const pool = new pg.Pool({ connectionString, max: 8 });
  const setup = await pool.connect();
  try {
    // Two workers starting together must not race on CREATE ... IF NOT EXISTS.
    await setup.query("SELECT pg_advisory_lock($1)", [PARTITION_LOCK_NAMESPACE]);
    await setup.query(SCHEMA);
    await setup.query("SELECT pg_advisory_unlock($1)", [PARTITION_LOCK_NAMESPACE]);
  } finally {
    setup.release();
  }
  let deliveryHook: (client: pg.PoolClient, alerts: readonly WatchAlert[]) => Promise<void> = async () => {};

  const transaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };

  const putApprovals = async (client: pg.PoolClient, approvals: readonly ReturnType<typeof approvalValues>[]) => {
    for (const values of approvals) {
      await client.query(
        `INSERT INTO allowance_watch.approvals (${APPROVAL_COLUMNS.join(", ")}, recheck) VALUES (${APPROVAL_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")}, 0) ` +
          `ON CONFLICT (owner, id) DO UPDATE SET ${APPROVAL_COLUMNS.slice(2).map((column) => `${column} = excluded.${column}`).join(", ")}, recheck = 0`,
        values,
      );
    }
  };

  const storeAlerts = async (client: pg.PoolClient, alerts: readonly WatchAlert[]): Promise<WatchAlert[]> => {
    const stored: WatchAlert[] = [];
    for (const alert of alerts) {
      const { rowCount } = await client.query(
        "INSERT INTO allowance_watch.alerts (id, owner, rule, block_number, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
        [alert.id, lower(alert.owner), alert.rule, alert.block?.number ?? null, JSON.stringify(alert)],
      );
      if (rowCount === 0) continue;
      stored.push(alert);
      if (alert.retracts !== null) await client.query("UPDATE allowance_watch.alerts SET retracted = true WHERE id = $1", [alert.retracts]);
    }
    if (stored.length > 0) await deliveryHook(client, stored);
    return stored;
  };

  return {
    kind: "postgres",
    pool,
    setDeliveryHook(hook) {
      deliveryHook = hook;
    },
    async withPartitionLock(partition, work) {
      const client = await pool.connect();
      try {
        const { rows } = await client.query("SELECT pg_try_advisory_lock($1, $2) AS locked", [PARTITION_LOCK_NAMESPACE, partition]);
        if (!rows[0].locked) return false;
        try {
          await work();
        } finally {
          await client.query("SELECT pg_advisory_unlock($1, $2)", [PARTITION_LOCK_NAMESPACE, partition]);
        }
        return true;
      } finally {
        client.release();
      }
    },
    async chainId() {
      const { rows } = await pool.query("SELECT value FROM allowance_watch.meta WHERE key = 'chainId'");
      return rows.length === 0 ? null : Number(rows[0].value);
    },
    async setChainId(chainId) {
      await pool.query(
        "INSERT INTO allowance_watch.meta (key, value) VALUES ('chainId', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [String(chainId)],
      );
    },
    async addOwners(owners, partitions) {
      if (owners.length === 0) return [];
      const { rows } = await pool.query(
        "INSERT INTO allowance_watch.owners (address, partition, max_grant_seconds) " +
          "SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[]) ON CONFLICT (address) DO NOTHING RETURNING address",
        [owners.map((owner) => lower(owner.address)), owners.map((owner) => partitionOf(owner.address, partitions)), owners.map((owner) => owner.maxGrantSeconds ?? null)],
      );
      const added = new Set(rows.map((row: Row) => row.address as string));
      return owners.filter((owner) => added.has(lower(owner.address))).map((owner) => owner.address);
    },
    async removeOwner(owner) {
      return transaction(async (client) => {
        const { rowCount } = await client.query("DELETE FROM allowance_watch.owners WHERE address = $1", [lower(owner)]);
        await client.query("DELETE FROM allowance_watch.approvals WHERE owner = $1", [lower(owner)]);
        return (rowCount ?? 0) > 0;
      });
    },
    async owners(partition) {
      const { rows } =
        partition === undefined
          ? await pool.query("SELECT * FROM allowance_watch.owners ORDER BY address")
          : await pool.query("SELECT * FROM allowance_watch.owners WHERE partition = $1 ORDER BY address", [partition]);
      return rows.map(ownerFromRow);
    },
    async approvals(owners) {
      if (owners.length === 0) return [];
      const { rows } = await pool.query("SELECT * FROM allowance_watch.approvals WHERE owner = ANY($1)", [owners.map(lower)]);
      return rows.map(approvalFromRow);
    },
    async liveApprovalsTo(spenders) {
      if (spenders.length === 0) return [];
      const { rows } = await pool.query("SELECT * FROM allowance_watch.approvals WHERE live = 1 AND spender = ANY($1) ORDER BY owner, id", [spenders]);
      return rows.map(approvalFromRow);
    },
    async commitStep(step) {
      return transaction(async (client) => {
        const owners = step.owners.map(lower);
        await client.query("UPDATE allowance_watch.owners SET cursor = $1 WHERE address = ANY($2)", [step.cursor.toString(), owners]);
        await client.query("UPDATE allowance_watch.approvals SET recheck = 0 WHERE owner = ANY($1)", [owners]);
        for (const block of step.blocks) {
          await client.query(
            "INSERT INTO allowance_watch.blocks (number, hash, timestamp) VALUES ($1, $2, $3) ON CONFLICT (number) DO UPDATE SET hash = excluded.hash, timestamp = excluded.timestamp",
            [block.number.toString(), block.hash, block.timestamp],
          );
        }
        await putApprovals(client, step.approvals.map(approvalValues));
        for (const digest of step.digests) {
          await client.query("UPDATE allowance_watch.owners SET digest_period = $1 WHERE address = $2", [digest.period, lower(digest.owner)]);
        }
        return storeAlerts(client, step.alerts);
      });
    },
    async putAlerts(alerts, approvals = []) {
      return transaction(async (client) => {
        await putApprovals(client, approvals.map(approvalValues));
        return storeAlerts(client, alerts);
      });
    },
    async alerts(query) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (query.owner !== undefined) {
        args.push(lower(query.owner));
        where.push(`owner = $${args.length}`);
      }
      if (query.rule !== undefined) {
        args.push(query.rule);
        where.push(`rule = $${args.length}`);
      }
      args.push(query.limit);
      const { rows } = await pool.query(
        `SELECT body FROM allowance_watch.alerts ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT $${args.length}`,
        args,
      );
      return rows.map((row: Row) => row.body as WatchAlert);
    },
    async checkpoints(fromBlock) {
      const { rows } = await pool.query("SELECT * FROM allowance_watch.blocks WHERE number >= $1 ORDER BY number DESC", [fromBlock.toString()]);
      return rows.map(checkpointFromRow);
    },
    async rewind(owners, fromBlock) {
      return transaction(async (client) => {
        const list = owners.map(lower);
        await client.query("UPDATE allowance_watch.owners SET cursor = $1 WHERE cursor >= $2 AND address = ANY($3)", [(fromBlock - 1n).toString(), fromBlock.toString(), list]);
        await client.query("DELETE FROM allowance_watch.blocks WHERE number >= $1", [fromBlock.toString()]);
        await client.query("UPDATE allowance_watch.approvals SET recheck = 1 WHERE changed_block >= $1 AND owner = ANY($2)", [fromBlock.toString(), list]);
        const { rows } = await client.query(
          "SELECT body FROM allowance_watch.alerts WHERE NOT retracted AND rule <> 'correction' AND block_number >= $1 AND owner = ANY($2) ORDER BY seq",
          [fromBlock.toString(), list],
        );
        return rows.map((row: Row) => row.body as WatchAlert);
      });
    },
    async recheck(owners) {
      if (owners.length === 0) return [];
      const { rows } = await pool.query("SELECT * FROM allowance_watch.approvals WHERE recheck = 1 AND owner = ANY($1)", [owners.map(lower)]);
      return rows.map(approvalFromRow);
    },
    async withGuardianLock(work) {
      const client = await pool.connect();
      try {
        // A session lock on a connection of its own: released when the work ends, or by the server when the worker dies.
        await client.query("SELECT pg_advisory_lock($1, $2)", [...GUARDIAN_LOCK]);
        try {
          return await work();
        } finally {
          await client.query("SELECT pg_advisory_unlock($1, $2)", [...GUARDIAN_LOCK]);
        }
      } finally {
        client.release();
      }
    },
    async pendingRevocations() {
      const { rows } = await pool.query("SELECT * FROM allowance_watch.revocations WHERE status = 'pending' ORDER BY recorded_at, nonce");
      return rows.map(pendingRevocationFromRow);
    },
    async recordRevocation(revocation) {
      const { rowCount } = await pool.query(
        "INSERT INTO allowance_watch.revocations (tx_hash, owner, raw_tx, nonce, approvals, status, recorded_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6) ON CONFLICT DO NOTHING",
        [revocation.transactionHash, lower(revocation.owner), revocation.rawTransaction, revocation.nonce, approvalsJson(revocation.approvals), Date.now()],
      );
      return (rowCount ?? 0) > 0;
    },
    async settleRevocation(transactionHash, status, alerts, approvals) {
      return transaction(async (client) => {
        await client.query("UPDATE allowance_watch.revocations SET status = $1 WHERE tx_hash = $2", [status, transactionHash]);
        await putApprovals(client, approvals.map(approvalValues));
        return storeAlerts(client, alerts);
      });
    },
    async close() {
      await pool.end();
    },
  };
}

export type { Address };
