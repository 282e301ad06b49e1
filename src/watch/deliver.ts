import { createHmac } from "node:crypto";

import type { Outbox } from "./store.js";
import type { WatchAlert } from "./types.js";

export interface WebhookTarget {
  url: string;
  /** HMAC-SHA256 key for the X-Allowance-Signature header (from ALLOWANCE_WEBHOOK_SECRET). */
  secret: string;
  timeoutMs?: number;
}

export interface DeliveryBackoff {
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_DELIVERY_BACKOFF: DeliveryBackoff = { baseDelayMs: 500, maxDelayMs: 60_000 };

/** `sha256=<hex>` of the exact body: the receiver recomputes it with the shared secret. */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * POSTs one alert. The body is the alert's JSON; `Idempotency-Key` (and X-Allowance-Alert-Id)
 * is its id, the same on every retry, so a receiver drops what it has already seen. Throws
 * unless the answer is 2xx.
 */
export async function postAlert(target: WebhookTarget, alert: WatchAlert, attempt: number): Promise<void> {
  const body = JSON.stringify(alert);
  const response = await fetch(target.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "idempotency-key": alert.id,
      "x-allowance-alert-id": alert.id,
      "x-allowance-attempt": String(attempt),
      "x-allowance-signature": signatureOf(target.secret, body),
    },
    body,
    signal: AbortSignal.timeout(target.timeoutMs ?? 10_000),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}`);
}

export const backoffDelay = (attempts: number, backoff: DeliveryBackoff) => Math.min(backoff.baseDelayMs * 2 ** attempts, backoff.maxDelayMs);

/**
 * Delivers the embedded outbox to the webhook, oldest first, each alert until the webhook takes
 * it (at-least-once): a failure schedules the next attempt with exponential backoff, and what
 * is not delivered stays in the store across restarts.
 */
export function startOutboxDispatcher(
  outbox: Outbox,
  target: WebhookTarget,
  hooks: { onDelivered?: (alert: WatchAlert) => void; onFailed?: (alert: WatchAlert, error: Error) => void } = {},
  backoff: DeliveryBackoff = DEFAULT_DELIVERY_BACKOFF,
  intervalMs = 100,
): { stop(): Promise<void>; flush(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const round = async () => {
    for (const { alert, attempts } of await outbox.due(Date.now(), 100)) {
      if (stopped) return;
      try {
        await postAlert(target, alert, attempts + 1);
        await outbox.delivered(alert.id, Date.now());
        hooks.onDelivered?.(alert);
      } catch (error) {
        await outbox.failed(alert.id, Date.now() + backoffDelay(attempts, backoff), (error as Error).message);
        hooks.onFailed?.(alert, error as Error);
        return; // the webhook is failing: wait for the backoff rather than hammer it with the rest
      }
    }
  };
  const timer = setInterval(() => {
    running = running.then(round).catch(() => {});
  }, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
    flush: () => (running = running.then(round).catch(() => {})),
  };
}
