import { InvalidArgumentError } from "commander";
import { maxUint160, parseUnits } from "viem";

import { ActionInputError } from "../actions/errors.js";

const SECONDS_PER_UNIT = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 } as const;

/** "90s", "30m", "1h", "7d", "2w", or a sum such as "1h30m", in seconds. */
export function parseDuration(text: string): number {
  const parts = /^(?:\d+[smhdw])+$/.test(text) ? [...text.matchAll(/(\d+)([smhdw])/g)] : [];
  const seconds = parts.reduce((sum, [, count, unit]) => sum + Number(count) * SECONDS_PER_UNIT[unit as keyof typeof SECONDS_PER_UNIT], 0);
  if (seconds <= 0 || !Number.isSafeInteger(seconds)) {
    throw new InvalidArgumentError("expected a duration such as 30m, 1h, 7d or 1h30m.");
  }
  return seconds;
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
