import { InvalidArgumentError } from "commander";
import { maxUint160, parseUnits } from "viem";

import { ActionInputError } from "../actions/errors.js";

const SECONDS_PER_UNIT = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 } as const;
const SECONDS_PER_YEAR = 365 * SECONDS_PER_UNIT.d;

/**
 * The longest grant `--for` takes as a duration. A grant's expiry is what bounds a compromise of
 * its spender; one that outlives any plan to use it protects nothing, so anything longer must be
 * asked for as `--for max` (no expiry at all), knowingly.
 */
export const MAX_GRANT_YEARS = 5;
export const MAX_GRANT_SECONDS = MAX_GRANT_YEARS * SECONDS_PER_YEAR;

/** `--for max`: the router's "never" (type(uint48).max). */
export const FOREVER = "max";
export type GrantDuration = number | typeof FOREVER;

const years = (seconds: number) => (seconds / SECONDS_PER_YEAR).toLocaleString("en-US", { maximumFractionDigits: 1 });

/** "90s", "30m", "1h", "7d", "2w", or a sum such as "1h30m", in seconds, up to MAX_GRANT_SECONDS; or "max". */
export function parseDuration(text: string): GrantDuration {
  if (text === FOREVER) return FOREVER;
  const parts = /^(?:\d+[smhdw])+$/.test(text) ? [...text.matchAll(/(\d+)([smhdw])/g)] : [];
  const seconds = parts.reduce((sum, [, count, unit]) => sum + Number(count) * SECONDS_PER_UNIT[unit as keyof typeof SECONDS_PER_UNIT], 0);
  if (seconds <= 0 || !Number.isSafeInteger(seconds)) {
    throw new InvalidArgumentError("expected a duration such as 30m, 1h, 7d or 1h30m, or max.");
  }
  if (seconds > MAX_GRANT_SECONDS) {
    throw new InvalidArgumentError(
      `${text} is ${years(seconds)} years: grants are limited to ${MAX_GRANT_YEARS} years, since an expiry that far away no longer ` +
        "bounds a compromised spender; pass a shorter duration, or --for max for a grant that never expires.",
    );
  }
  return seconds;
}

/** The warning for a grant the risk grader will call long-lived (longExpiry), or null. */
export function longGrantWarning(duration: GrantDuration, longExpiryDays: number): string | null {
  if (duration !== FOREVER && duration <= longExpiryDays * SECONDS_PER_UNIT.d) return null;
  const length = duration === FOREVER ? "never expires" : `lasts ${years(duration)} years`;
  return `warning: this grant ${length}; allowance scan grades an expiry more than ${longExpiryDays} days away as a risk (longExpiry)`;
}

/** The words for "no cap": the router's type(uint160).max, never decremented. */
const UNLIMITED_WORDS = new Set(["max", "unlimited"]);
const AMOUNT = /^(\d+)(?:\.(\d+))?$/;

/** Checks an amount's spelling before anything is read from the chain. */
export function checkAmountSyntax(text: string): void {
  if (!UNLIMITED_WORDS.has(text.toLowerCase()) && !AMOUNT.test(text)) {
    throw new ActionInputError(`amount "${text}" is not a number: pass token units such as 100 or 0.5, or max`);
  }
}

/** An amount in token units ("100", "0.5") as base units at the token's decimals; "max" for no cap. */
export function parseTokenAmount(text: string, decimals: number): bigint {
  checkAmountSyntax(text);
  if (UNLIMITED_WORDS.has(text.toLowerCase())) return maxUint160;
  const fraction = AMOUNT.exec(text)![2] ?? "";
  if (fraction.length > decimals) {
    throw new ActionInputError(`amount "${text}" has more decimals than the token's ${decimals}: round it to ${decimals} decimal places`);
  }
  const amount = parseUnits(text, decimals);
  if (amount === 0n) throw new ActionInputError("amount 0 grants nothing: pass a positive amount (to take a grant away, use allowance revoke)");
  if (amount > maxUint160) throw new ActionInputError(`amount "${text}" is above the router's cap of 2^160 - 1 base units: pass less, or max`);
  return amount;
}
