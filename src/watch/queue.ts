import { PgBoss } from "pg-boss";

import type { WatchSettings } from "./config.js";
import { postAlert, type WebhookTarget } from "./deliver.js";
import type { PostgresWatchStore } from "./postgres-store.js";
import type { WatchDriver } from "./service.js";
import type { WatchAlert } from "./types.js";

/** One job per owner partition and poll: "bring partition p up to the head". */
export const PARTITION_QUEUE = "allowance-watch-partition";
/** One job per alert: "deliver this alert to the webhook". */
export const DELIVERY_QUEUE = "allowance-watch-delivery";
/** Deliveries one worker has in flight at once. */
const DELIVERY_BATCH = 50;
/** Partition jobs one worker takes per fetch. */
const PARTITIONS_PER_FETCH = 4;

export interface QueueTimings {
  /** How often pg-boss checks for expired jobs. */
  superviseSeconds: number;
  /** Webhook retries: first delay and cap (exponential backoff with jitter, pg-boss's own). */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
}

export const DEFAULT_QUEUE_TIMINGS: QueueTimings = { superviseSeconds: 1, retryDelaySeconds: 1, retryDelayMaxSeconds: 300 };

/**
 * Spreads owner partitions over every worker process started on the same PostgreSQL, with
 * pg-boss (in the same database, schema `allowance_watch_boss`):
 * - each poll, every worker offers one job per partition to a `stately` queue keyed by the
 *   partition (singletonKey): at most one queued and one active job per partition, whoever
 *   offered it, so a partition is processed by one worker at a time;
 * - a job whose worker died stays active until its lease (expireInSeconds) runs out, then pg-boss
 *   retries it and a live worker takes the partition over;
 * - the step itself runs under the partition's PostgreSQL advisory lock, so even a worker that
 *   outlived its lease cannot overlap with its successor;
 * - webhook deliveries are pg-boss jobs enqueued in the transaction that stores the alert, retried
 *   with backoff until the webhook takes them (at-least-once; the alert id is the idempotency key).
 */
export function pgBossDriver(
  connectionString: string,
  store: PostgresWatchStore,
  settings: WatchSettings,
  options: { webhook: WebhookTarget | null; timings?: QueueTimings; log: (line: string) => void; onDelivered?: (alert: WatchAlert) => void },
): WatchDriver {
  const timings = options.timings ?? DEFAULT_QUEUE_TIMINGS;
  const boss = new PgBoss({
    connectionString,
    schema: "allowance_watch_boss",
    superviseIntervalSeconds: timings.superviseSeconds,
    monitorIntervalSeconds: timings.superviseSeconds,
    max: 4,
  });
  boss.on("error", (error: Error) => options.log(`watch: job queue: ${error.message}`));
  let offerTimer: NodeJS.Timeout | null = null;

  store.setDeliveryHook(async (client, alerts) => {
    if (options.webhook === null) return;
    const db = { executeSql: (text: string, values?: unknown[]) => client.query(text, values) };
    for (const alert of alerts) await boss.send(DELIVERY_QUEUE, { alert }, { db } as never);
  });

  return {
    deliversAlerts: true,
    async start(step, { partitions }) {
      await boss.start();
      await boss.createQueue(PARTITION_QUEUE, {
        policy: "stately",
        // A partition job still active after its lease (its worker died) is retried by a live worker.
        expireInSeconds: settings.leaseSeconds,
        retryLimit: 1_000_000,
        retryDelay: 0,
        deleteAfterSeconds: 60,
      });
      await boss.createQueue(DELIVERY_QUEUE, {
        retryLimit: 1_000_000,
        retryDelay: timings.retryDelaySeconds,
        retryBackoff: true,
        retryDelayMax: timings.retryDelayMaxSeconds,
        // Longer than a webhook request may take (10 s), so only a dead worker's delivery expires.
        expireInSeconds: 15,
      });
      const offer = async () => {
        for (let partition = 0; partition < partitions; partition++) {
          await boss.send(PARTITION_QUEUE, { partition }, { singletonKey: `partition-${partition}` });
        }
      };
      const tick = () => {
        offer()
          .catch((error: Error) => options.log(`watch: offering partitions failed (${error.message})`))
          .finally(() => {
            if (offerTimer !== null) offerTimer = setTimeout(tick, settings.pollIntervalMs);
          });
      };
      offerTimer = setTimeout(tick, 0);
      // A few partitions per fetch (steps in one process run one after another anyway), each
      // completed or failed (retried) on its own.
      await boss.work<{ partition: number }>(
        PARTITION_QUEUE,
        { batchSize: PARTITIONS_PER_FETCH, pollingIntervalSeconds: Math.max(0.5, settings.pollIntervalMs / 1000), perJobResults: true },
        async (jobs) => {
          const results = [];
          for (const job of jobs) {
            const { partition } = job.data;
            try {
              await store.withPartitionLock(partition, async () => step(await store.owners(partition)));
              results.push({ id: job.id, status: "completed" as const });
            } catch (error) {
              results.push({ id: job.id, status: "failed" as const, output: { message: (error as Error).message } });
            }
          }
          return results;
        },
      );
      if (options.webhook !== null) {
        const webhook = options.webhook;
        // A batch at a time, in parallel, each job completed or failed (and retried) on its own.
        await boss.work<{ alert: WatchAlert }>(
          DELIVERY_QUEUE,
          { batchSize: DELIVERY_BATCH, pollingIntervalSeconds: 0.5, perJobResults: true, includeMetadata: true, burstWhenBatchFull: true },
          async (jobs) =>
            Promise.all(
              jobs.map(async (job) => {
                try {
                  await postAlert(webhook, job.data.alert, job.retryCount + 1);
                  options.onDelivered?.(job.data.alert);
                  return { id: job.id, status: "completed" as const };
                } catch (error) {
                  return { id: job.id, status: "failed" as const, output: { message: (error as Error).message } };
                }
              }),
            ),
        );
      }
    },
    async stop() {
      const timer = offerTimer;
      offerTimer = null;
      if (timer !== null) clearTimeout(timer);
      await boss.stop({ graceful: true, timeout: 5_000 });
    },
  };
}
