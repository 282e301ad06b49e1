import { Command, CommanderError } from "commander";

import { AllowanceRouterError } from "../errors.js";
import { dashboardCommand } from "./dashboard-command.js";
import { grantCommand } from "./grant-command.js";
import { CommandExit, type ActionIo } from "./io.js";
import { revokeCommand } from "./revoke-command.js";
import { scanCommand } from "./scan-command.js";

/** Exit codes: 0 done, 1 an unexpected failure, 2 bad input (the message says what to fix). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

const HELP_CODES = new Set(["commander.helpDisplayed", "commander.help", "commander.version"]);

function program(io: ActionIo): Command {
  const root = new Command("allowance")
    .description("Find, grade and act on the token approvals a wallet has left behind.")
    .version("0.1.0")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander's own usage errors become the same one-liner as every other bad input.
      outputError: (text, write) => write(`${text.trim().replace(/\s*\n\s*/g, " ")} (see --help)\n`),
    })
    .exitOverride()
    .showSuggestionAfterError();
  for (const command of [scanCommand(io), revokeCommand(io), grantCommand(io), dashboardCommand(io)]) {
    root.addCommand(command.configureOutput(root.configureOutput()).exitOverride());
  }
  return root;
}

/** Runs the CLI on `argv` (without the node and script paths) and returns the exit code. */
export async function runCli(argv: readonly string[], io: ActionIo): Promise<number> {
  try {
    await program(io).parseAsync([...argv], { from: "user" });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) return HELP_CODES.has(error.code) ? EXIT_OK : EXIT_BAD_INPUT;
    if (error instanceof CommandExit) {
      if (error.message !== "") io.stderr.write(`${error.message}\n`);
      return error.code;
    }
    if (error instanceof AllowanceRouterError) {
      io.stderr.write(`error: ${error.shortMessage}\n`);
      return error.isInputError ? EXIT_BAD_INPUT : EXIT_FAILURE;
    }
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
    io.stderr.write(`error: ${message}\n`);
    if (process.env.ALLOWANCE_DEBUG) io.stderr.write(`${(error as Error).stack ?? ""}\n`);
    return EXIT_FAILURE;
  }
}
