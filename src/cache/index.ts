export { defaultCachePath, openScanCache } from "./scan-cache.js";
export type { CachedBlock, CachedTransaction, Coverage, ScanCache } from "./scan-cache.js";
