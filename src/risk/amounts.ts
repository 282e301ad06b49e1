import { formatUnits } from "viem";

const MAX_FRACTION_DIGITS = 4;

/** `amount` in display units with thousands separators and at most 4 decimals (truncated), plus the symbol. */
export function formatTokenAmount(amount: bigint, decimals: number | null, symbol: string | null): string {
  const [whole = "0", fraction = ""] = formatUnits(amount, decimals ?? 0).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const shown = fraction.slice(0, MAX_FRACTION_DIGITS).replace(/0+$/, "");
  const number = shown.length > 0 ? `${grouped}.${shown}` : grouped;
  const tiny = number === "0" && amount > 0n ? `<0.${"0".repeat(MAX_FRACTION_DIGITS - 1)}1` : number;
  return symbol === null ? tiny : `${tiny} ${symbol}`;
}

/** `value` rounded up to `digits` significant digits (in raw units; decimals do not change significance). */
export function roundUpSignificant(value: bigint, digits: number): bigint {
  const length = value.toString().length;
  if (length <= digits) return value;
  const step = 10n ** BigInt(length - digits);
  return ((value + step - 1n) / step) * step;
}

/** The uint bit width whose max `amount` is (type(uintN).max, N a multiple of 8 from 64), or null. */
export function typeMaxBits(amount: bigint): number | null {
  const bits = (amount + 1n).toString(2).length - 1;
  const isPowerOfTwo = amount > 0n && (amount & (amount + 1n)) === 0n;
  return isPowerOfTwo && bits >= 64 && bits <= 256 && bits % 8 === 0 ? bits : null;
}
