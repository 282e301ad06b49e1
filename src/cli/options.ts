// Parsers for command-line option values, shared by the subcommands. A bad value throws
// commander's InvalidArgumentError, which the CLI turns into a one-line error and exit code 2.
import { InvalidArgumentError } from "commander";

export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError("expected a positive whole number.");
  return Number(value);
}

export function blockNumber(value: string): bigint {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a block number.");
  return BigInt(value);
}

const MAX_PORT = 65_535;

/** A TCP port on loopback; 0 asks for any free one. */
export function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > MAX_PORT) throw new InvalidArgumentError(`expected a port, 0-${MAX_PORT} (0 = any free port).`);
  return Number(value);
}
