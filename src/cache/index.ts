export {
  createIndexedDbScanCache,
  IndexedDbUnavailableError,
  type CreateIndexedDbScanCacheParameters,
  type CreateIndexedDbScanCacheReturnType,
} from "./indexeddb.js";
export { createMemoryScanCache } from "./memory.js";
export type { CachedBlock, CachedTransaction, Coverage, RawLog, ScanCache } from "./types.js";
