export { startWatchService, loopDriver, type WatchDriver, type WatchService, type WatchServiceOptions, type ExploitReport } from "./service.js";
export { DEFAULT_WATCH_RULES, DEFAULT_WATCH_SETTINGS, loadWatchSettings, parseOwnersFile, parseWatchSettings, type WatchRules, type WatchSettings } from "./config.js";
export { openSqliteWatchStore } from "./sqlite-store.js";
export { openWatchStore } from "./open-store.js";
export { signatureOf, postAlert, type WebhookTarget, type DeliveryBackoff } from "./deliver.js";
export { revokeRouterGrantsAsGuardian, type GuardianRevocation, type GuardianSigner } from "./guardian.js";
export { WatchConfigError, WatchError } from "./errors.js";
export type { WatchStore, Outbox } from "./store.js";
export type { OwnerInput, RuleName, Severity, WatchAlert, WatchedApproval, WatchedOwner } from "./types.js";
