// Parsers for command-line option values, shared by the subcommands. A bad value throws
// commander's InvalidArgumentError, which the CLI turns into a one-line error and exit code 2.
import { InvalidArgumentError } from "commander";

import { ALLOWANCE_ROUTER_ADDRESS } from "../router/deployments.js";
import { PERMIT2_ADDRESS } from "../scan/constants.js";

export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError("expected a positive whole number.");
  return Number(value);
}

export function blockNumber(value: string): bigint {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a block number.");
  return BigInt(value);
}

/** The one help text of --router, for every command that scans. */
export const ROUTER_OPTION_HELP =
  `also read the grants of this Permit2-compatible router (repeatable); Permit2 (${PERMIT2_ADDRESS}) and the ` +
  `AllowanceRouter deployment (${ALLOWANCE_ROUTER_ADDRESS}) are always read`;

const MAX_PORT = 65_535;

/** A TCP port on loopback; 0 asks for any free one. */
export function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > MAX_PORT) throw new InvalidArgumentError(`expected a port, 0-${MAX_PORT} (0 = any free port).`);
  return Number(value);
}
