import type { ScanCache } from "allowance-router";

import { createMemoryScanCache } from "./interim/memory-cache.js";

let cache: Promise<ScanCache> | null = null;

/** The page's one scan cache, opened on first use. */
export function scanCache(): Promise<ScanCache> {
  cache ??= Promise.resolve(createMemoryScanCache());
  return cache;
}
