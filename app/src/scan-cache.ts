import { createIndexedDbScanCache, createMemoryScanCache, type ScanCache } from "allowance-router";

let cache: Promise<ScanCache> | null = null;

/**
 * The page's one scan cache: IndexedDB, so that a reload reads only the blocks after the last
 * scan; a memory cache (this page's life only) where the browser refuses IndexedDB (private modes).
 */
export function scanCache(): Promise<ScanCache> {
  cache ??= createIndexedDbScanCache().catch((error: unknown) => {
    console.warn(`IndexedDB unavailable, caching this page's scans in memory: ${(error as Error).message}`);
    return createMemoryScanCache();
  });
  return cache;
}
