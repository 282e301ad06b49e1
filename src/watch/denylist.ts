import { readFileSync, unwatchFile, watchFile } from "node:fs";

import { getAddress, isAddress, type Address } from "viem";

import { findDenylistEntry, parseDenylist } from "../data/denylist.js";
import { WatchConfigError } from "./errors.js";

/** Exploited spenders: the bundled list plus the operator's file and what POST /exploits reported. */
export interface Denylist {
  /** Why `address` is listed on `chainId` (a name), or null. */
  lookup(chainId: number, address: string): string | null;
  /** Adds spenders (any chain); returns the ones not listed before. */
  add(addresses: readonly Address[], reason: string): Address[];
}

/** Every chain: entries read from the operator's file, or reported through the API, are not chain-bound. */
const ANY_CHAIN = 0;

export function createDenylist(): Denylist {
  const extra = new Map<string, string>();
  return {
    lookup(chainId, address) {
      return extra.get(address.toLowerCase()) ?? findDenylistEntry(chainId, address)?.name ?? null;
    },
    add(addresses, reason) {
      const added: Address[] = [];
      for (const address of addresses) {
        if (extra.has(address.toLowerCase())) continue;
        extra.set(address.toLowerCase(), reason);
        added.push(address);
      }
      return added;
    },
  };
}

/** A denylist file: the bundled format (entries with contracts and sources) or a JSON array of addresses. */
export function parseDenylistFile(text: string, source: string): { address: Address; name: string; chainId: number }[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WatchConfigError(source, `not JSON (${(error as Error).message})`);
  }
  if (Array.isArray(json)) {
    return json.map((entry, index) => {
      if (typeof entry !== "string" || !isAddress(entry, { strict: false })) {
        throw new WatchConfigError(source, `entry ${index + 1} "${String(entry)}" is not an address`);
      }
      return { address: getAddress(entry), name: `listed in ${source}`, chainId: ANY_CHAIN };
    });
  }
  try {
    return parseDenylist(json as Parameters<typeof parseDenylist>[0]).map((entry) => ({ address: entry.address, name: entry.name, chainId: entry.chainId }));
  } catch (error) {
    throw new WatchConfigError(source, (error as Error).message);
  }
}

/**
 * Reads the denylist file now and again whenever it changes (stat polling: it works on every
 * file system, editors' rename-on-save included), calling `onAdded` with spenders new to the list.
 * A file that fails to parse is reported and the previous list kept.
 */
export function followDenylistFile(
  path: string,
  denylist: Denylist,
  handlers: { onAdded: (spenders: Address[]) => void; onError: (error: Error) => void },
  intervalMs = 250,
): () => void {
  const load = () => {
    let entries: { address: Address; name: string }[];
    try {
      entries = parseDenylistFile(readFileSync(path, "utf8"), path);
    } catch (error) {
      handlers.onError(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const added = entries.flatMap((entry) => denylist.add([entry.address], entry.name));
    if (added.length > 0) handlers.onAdded(added);
  };
  load();
  watchFile(path, { interval: intervalMs }, (current, previous) => {
    if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size) load();
  });
  return () => unwatchFile(path);
}
