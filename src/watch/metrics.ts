import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** The service's Prometheus metrics (GET /metrics), each service with its own registry. */
export function createWatchMetrics() {
  const registry = new Registry();
  const metrics = {
    registry,
    alerts: new Counter({ name: "allowance_watch_alerts_total", help: "Alerts stored, by rule", labelNames: ["rule"], registers: [registry] }),
    delivered: new Counter({ name: "allowance_watch_webhook_deliveries_total", help: "Alerts the webhook accepted", registers: [registry] }),
    deliveryFailures: new Counter({ name: "allowance_watch_webhook_failures_total", help: "Webhook attempts that failed (retried later)", registers: [registry] }),
    blocks: new Counter({ name: "allowance_watch_blocks_processed_total", help: "Blocks processed, summed over owner groups", registers: [registry] }),
    logRequests: new Counter({ name: "allowance_watch_log_requests_total", help: "eth_getLogs requests", registers: [registry] }),
    reorgs: new Counter({ name: "allowance_watch_reorgs_total", help: "Reorgs undone", registers: [registry] }),
    revocations: new Counter({ name: "allowance_watch_guardian_revocations_total", help: "Guardian revocations mined", registers: [registry] }),
    owners: new Gauge({ name: "allowance_watch_owners", help: "Watched owners", registers: [registry] }),
    head: new Gauge({ name: "allowance_watch_head_block", help: "Latest block seen", registers: [registry] }),
    outbox: new Gauge({ name: "allowance_watch_outbox_pending", help: "Alerts not yet delivered", registers: [registry] }),
    latency: new Histogram({
      name: "allowance_watch_alert_delivery_seconds",
      help: "From the alert's block timestamp to the webhook's acceptance",
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
  };
  return metrics;
}

export type WatchMetrics = ReturnType<typeof createWatchMetrics>;
