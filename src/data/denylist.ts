import { getAddress, isAddress, type Address } from "viem";

import { BUNDLED_DENYLIST } from "./denylist-entries.js";
import { AllowanceRouterError } from "../errors.js";

/** One exploited spender contract on one chain, with the incident it was drained in. */
export interface DenylistEntry {
  /** Short name of the contract, e.g. "SushiSwap RouteProcessor2". */
  name: string;
  incident: string;
  /** Day of the incident, YYYY-MM-DD. */
  date: string;
  chainId: number;
  address: Address;
  /** Public post-mortems, PoCs or deployment lists that name this address. */
  sources: string[];
}

/** The denylist as it is written: incidents, each with the contracts drained through it. */
export interface DenylistFile {
  entries: {
    name: string;
    incident: string;
    date: string;
    contracts: { chainId: number; address: string }[];
    sources: string[];
  }[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks the bundled file's shape so that a bad edit fails loudly rather than matching nothing. */
export function parseDenylist(file: DenylistFile): DenylistEntry[] {
  return file.entries.flatMap((entry) => {
    if (!ISO_DATE.test(entry.date)) throw new AllowanceRouterError(`denylist: "${entry.name}" has date "${entry.date}"; use YYYY-MM-DD`);
    if (entry.sources.length === 0) throw new AllowanceRouterError(`denylist: "${entry.name}" cites no source; every address needs one`);
    return entry.contracts.map(({ chainId, address }) => {
      if (!isAddress(address, { strict: false })) throw new AllowanceRouterError(`denylist: "${entry.name}" lists "${address}", not an address`);
      if (!Number.isInteger(chainId) || chainId <= 0) throw new AllowanceRouterError(`denylist: "${entry.name}" lists chain "${chainId}"`);
      return { name: entry.name, incident: entry.incident, date: entry.date, chainId, address: getAddress(address), sources: entry.sources };
    });
  });
}

let bundled: Map<string, DenylistEntry> | null = null;

/** The bundled list (src/data/denylist-entries.ts), keyed by chain and lowercase address. */
export function bundledDenylist(): ReadonlyMap<string, DenylistEntry> {
  if (bundled === null) {
    bundled = new Map(parseDenylist(BUNDLED_DENYLIST).map((entry) => [`${entry.chainId}:${entry.address.toLowerCase()}`, entry]));
  }
  return bundled;
}

/** The denylist entry for `address` on `chainId`, if it is a spender drained in a known incident. */
export function findDenylistEntry(chainId: number, address: string): DenylistEntry | null {
  return bundledDenylist().get(`${chainId}:${address.toLowerCase()}`) ?? null;
}
