// What every subcommand's --help shares: required options marked as such, examples after the
// option list, and the environment variables the CLI reads.
import type { Command, Option } from "commander";

import { OWNER_KEY_VARIABLE, RELAYER_KEY_VARIABLE } from "../node/keys.js";
import { wrapText } from "./table.js";

/** The width help is wrapped to when the output is not a terminal. */
export const HELP_WIDTH = 100;

/** A mandatory option, its help saying "(required)". */
export function required(option: Option): Option {
  option.description = `${option.description} (required)`;
  return option.makeOptionMandatory();
}

/** Adds "Examples:" after the options: each a comment line, then the command. */
export function withExamples(command: Command, examples: readonly (readonly [comment: string, line: string])[]): Command {
  const text = examples.map(([comment, line]) => `  # ${comment}\n  ${line}`).join("\n\n");
  return command.addHelpText("after", `\nExamples:\n${text}\n`);
}

export const ENVIRONMENT_HELP = [
  ["ALLOWANCE_RPC_URL", "the JSON-RPC URL, when --rpc is not given"],
  [OWNER_KEY_VARIABLE, "the owner's private key for revoke, grant and undelegate (or the same name in Hardhat's keystore)"],
  [RELAYER_KEY_VARIABLE, "a relayer's key: it submits permits and signed revocations and pays their gas"],
  ["ALLOWANCE_DEBUG", "set to 1 to print the stack trace of an unexpected error"],
  ["XDG_CACHE_HOME", "where the scan cache lives (default ~/.cache/allowance-router/scan.sqlite)"],
] as const;

/** The root help's "Environment:" section, wrapped to `width`. */
export function environmentHelp(width: number): string {
  const pad = Math.max(...ENVIRONMENT_HELP.map(([name]) => name.length)) + 2;
  const lines = ENVIRONMENT_HELP.map(([name, text]) =>
    wrapText(`  ${name.padEnd(pad)}${text}`, width)
      .split("\n")
      .map((line, index) => (index === 0 ? line : `${" ".repeat(pad + 2)}${line}`))
      .join("\n"),
  );
  return `\nEnvironment:\n${lines.join("\n")}\n`;
}
