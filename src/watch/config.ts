import { readFileSync } from "node:fs";

import { getAddress, isAddress, type Address } from "viem";

import { WatchConfigError } from "./errors.js";
import type { OwnerInput } from "./types.js";

const DAY = 86_400;

/** What the service alerts on. Every field can be set in the config file's `rules`. */
export interface WatchRules {
  /** A new ERC-20 allowance of type(uintN).max, an unlimited router grant, or a collection operator. */
  newUnlimitedApproval: boolean;
  /** An approval whose spender is on a denylist, has no code (an EOA), or is an EIP-7702-delegated EOA. */
  riskySpender: { denylisted: boolean; eoa: boolean; delegated: boolean };
  /** A spender becomes listed as exploited (denylist file change or POST /exploits): every live approval to it. */
  exploitedSpender: boolean;
  /** A router grant lasting longer than this (days); null turns the rule off. An owner's own cap wins. */
  maxGrantDays: number | null;
  /** Approvals not set again for this many days go into a digest; null turns it off. */
  staleAfterDays: number | null;
  /** How often (chain time, seconds) each owner gets the stale digest. */
  digestIntervalSeconds: number;
}

export interface WatchSettings {
  /** Blocks a block must have on top of it before it is processed. */
  confirmations: number;
  pollIntervalMs: number;
  /** Owners asked for in one eth_getLogs (the owner topic as a list); see the bench for the best value. */
  ownersPerRequest: number;
  /** First block of a new owner's full scan. */
  startBlock: bigint;
  /** Permit2-compatible routers whose grants are watched besides Permit2 (default: the AllowanceRouter deployment). */
  routers: Address[] | null;
  /** The BatchRevoker deployment an owner's EIP-7702 account must be delegated to for guardian revocation of plain approvals (default: the deployment). */
  revoker: Address | null;
  /** Denylist of exploited spenders, re-read when it changes (same format as src/data/denylist.json, or a JSON array of addresses). */
  denylistFile: string | null;
  /** Revoke, as the owner's guardian, what an exploited spender can take (needs the guardian key). */
  autoRevoke: boolean;
  /** Owner partitions (PostgreSQL store): the unit of work a worker takes. */
  partitions: number;
  /** PostgreSQL store: seconds after which a dead worker's partition is taken over. */
  leaseSeconds: number;
  rules: WatchRules;
}

export const DEFAULT_WATCH_RULES: WatchRules = {
  newUnlimitedApproval: true,
  riskySpender: { denylisted: true, eoa: true, delegated: true },
  exploitedSpender: true,
  maxGrantDays: 30,
  staleAfterDays: 180,
  digestIntervalSeconds: DAY,
};

export const DEFAULT_WATCH_SETTINGS: WatchSettings = {
  confirmations: 2,
  pollIntervalMs: 1_000,
  ownersPerRequest: 200,
  startBlock: 0n,
  routers: null,
  revoker: null,
  denylistFile: null,
  autoRevoke: true,
  partitions: 16,
  leaseSeconds: 30,
  rules: DEFAULT_WATCH_RULES,
};

const isCount = (value: unknown, min: number) => typeof value === "number" && Number.isInteger(value) && value >= min;

/** The settings from a JSON config file over the defaults; an unknown key or a bad value is an error naming it. */
export function parseWatchSettings(json: string, source: string): WatchSettings {
  let file: Record<string, unknown>;
  try {
    file = JSON.parse(json) as Record<string, unknown>;
  } catch (error) {
    throw new WatchConfigError(source, `not JSON (${(error as Error).message})`);
  }
  if (file === null || typeof file !== "object" || Array.isArray(file)) throw new WatchConfigError(source, "must be a JSON object");
  const settings: WatchSettings = { ...DEFAULT_WATCH_SETTINGS, rules: { ...DEFAULT_WATCH_RULES, riskySpender: { ...DEFAULT_WATCH_RULES.riskySpender } } };
  for (const [key, value] of Object.entries(file)) {
    const bad = (what: string) => new WatchConfigError(source, `"${key}" must be ${what}`);
    switch (key) {
      case "confirmations":
        if (!isCount(value, 0)) throw bad("an integer >= 0");
        settings.confirmations = value as number;
        break;
      case "pollIntervalMs":
        if (!isCount(value, 10)) throw bad("an integer >= 10");
        settings.pollIntervalMs = value as number;
        break;
      case "ownersPerRequest":
        if (!isCount(value, 1)) throw bad("an integer >= 1");
        settings.ownersPerRequest = value as number;
        break;
      case "partitions":
        if (!isCount(value, 1)) throw bad("an integer >= 1");
        settings.partitions = value as number;
        break;
      case "leaseSeconds":
        if (!isCount(value, 2)) throw bad("an integer >= 2");
        settings.leaseSeconds = value as number;
        break;
      case "startBlock":
        if (!isCount(value, 0)) throw bad("an integer >= 0");
        settings.startBlock = BigInt(value as number);
        break;
      case "routers":
        if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && isAddress(item, { strict: false }))) throw bad("an array of addresses");
        settings.routers = (value as string[]).map((router) => getAddress(router));
        break;
      case "revoker":
        if (!(typeof value === "string" && isAddress(value, { strict: false })) && value !== null) throw bad("an address or null");
        settings.revoker = value === null ? null : getAddress(value as string);
        break;
      case "denylistFile":
        if (typeof value !== "string" && value !== null) throw bad("a path or null");
        settings.denylistFile = value as string | null;
        break;
      case "autoRevoke":
        if (typeof value !== "boolean") throw bad("true or false");
        settings.autoRevoke = value;
        break;
      case "rules":
        settings.rules = parseRules(value, source);
        break;
      default:
        throw new WatchConfigError(source, `unknown setting "${key}" (known: ${Object.keys(DEFAULT_WATCH_SETTINGS).join(", ")})`);
    }
  }
  return settings;
}

function parseRules(value: unknown, source: string): WatchRules {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new WatchConfigError(source, `"rules" must be an object`);
  const rules: WatchRules = { ...DEFAULT_WATCH_RULES, riskySpender: { ...DEFAULT_WATCH_RULES.riskySpender } };
  for (const [key, rule] of Object.entries(value)) {
    const bad = (what: string) => new WatchConfigError(source, `"rules.${key}" must be ${what}`);
    switch (key) {
      case "newUnlimitedApproval":
      case "exploitedSpender":
        if (typeof rule !== "boolean") throw bad("true or false");
        rules[key] = rule;
        break;
      case "riskySpender": {
        if (rule === null || typeof rule !== "object") throw bad("an object { denylisted, eoa, delegated }");
        for (const [part, on] of Object.entries(rule)) {
          if (!(part in rules.riskySpender) || typeof on !== "boolean") throw bad("an object of booleans { denylisted, eoa, delegated }");
          rules.riskySpender[part as keyof WatchRules["riskySpender"]] = on;
        }
        break;
      }
      case "maxGrantDays":
      case "staleAfterDays":
        if (rule !== null && !(typeof rule === "number" && rule > 0)) throw bad("a number of days > 0, or null to turn it off");
        rules[key] = rule as number | null;
        break;
      case "digestIntervalSeconds":
        if (!isCount(rule, 1)) throw bad("an integer >= 1");
        rules.digestIntervalSeconds = rule as number;
        break;
      default:
        throw new WatchConfigError(source, `unknown rule "${key}" (known: ${Object.keys(DEFAULT_WATCH_RULES).join(", ")})`);
    }
  }
  return rules;
}

export function loadWatchSettings(path: string): WatchSettings {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new WatchConfigError(path, `cannot read the config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseWatchSettings(text, path);
}

/**
 * Owners from a file: a JSON array of addresses or of `{ "address", "maxGrantDays" }`, or plain
 * text with one address per line (`#` starts a comment).
 */
export function parseOwnersFile(text: string, source: string): OwnerInput[] {
  const trimmed = text.trim();
  const entries: unknown[] = trimmed.startsWith("[")
    ? (() => {
        try {
          return JSON.parse(trimmed) as unknown[];
        } catch (error) {
          throw new WatchConfigError(source, `not a JSON array (${(error as Error).message})`);
        }
      })()
    : trimmed.split("\n").map((line) => line.replace(/#.*/, "").trim()).filter((line) => line !== "");
  return entries.map((entry, index) => {
    const where = `entry ${index + 1}`;
    if (typeof entry === "string") return { address: parseOwnerAddress(entry, `${source} ${where}`) };
    if (entry !== null && typeof entry === "object" && typeof (entry as { address?: unknown }).address === "string") {
      const { address, maxGrantDays } = entry as { address: string; maxGrantDays?: unknown };
      if (maxGrantDays !== undefined && !(typeof maxGrantDays === "number" && maxGrantDays > 0)) {
        throw new WatchConfigError(source, `${where}: "maxGrantDays" must be a number of days > 0`);
      }
      return {
        address: parseOwnerAddress(address, `${source} ${where}`),
        maxGrantSeconds: maxGrantDays === undefined ? null : Math.round((maxGrantDays as number) * DAY),
      };
    }
    throw new WatchConfigError(source, `${where} is neither an address nor { "address": ... }`);
  });
}

export function parseOwnerAddress(value: string, source: string): Address {
  if (!isAddress(value, { strict: false })) throw new WatchConfigError(source, `"${value}" is not an address: use a 0x-prefixed 20-byte hex address`);
  return getAddress(value);
}

export const DAY_SECONDS = DAY;
