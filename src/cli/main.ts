import { Command, CommanderError } from "commander";

import { AllowanceRouterError } from "../errors.js";
import { errorSummary } from "../actions/text.js";
import { dashboardCommand } from "./dashboard-command.js";
import { grantCommand } from "./grant-command.js";
import { environmentHelp, HELP_WIDTH } from "./help.js";
import { CommandExit, type ActionIo } from "./io.js";
import { revokeCommand } from "./revoke-command.js";
import { scanCommand } from "./scan-command.js";
import { outputWidth } from "./table.js";
import { undelegateCommand } from "./undelegate-command.js";
import { watchCommand } from "./watch-command.js";

/** Exit codes: 0 done, 1 an unexpected failure, 2 bad input (the message says what to fix). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

const HELP_CODES = new Set(["commander.helpDisplayed", "commander.help", "commander.version"]);

function program(io: ActionIo): Command {
  const helpWidth = Math.min(outputWidth(io.stdout), HELP_WIDTH);
  const root = new Command("allowance")
    .description(
      "Find, grade and act on the token approvals a wallet has left behind: scan them, revoke the risky ones in one " +
        "transaction, grant spenders time-bounded allowances through the AllowanceRouter, and undelegate an account " +
        "from BatchRevoker. Exit codes: 0 done, 1 a failure or something left undone, 2 bad input (nothing sent).",
    )
    .version("0.1.0")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => helpWidth,
      getErrHelpWidth: () => helpWidth,
      // Commander's own usage errors become the same one-liner as every other bad input.
      outputError: (text, write) => write(`${text.trim().replace(/\s*\n\s*/g, " ")} (see --help)\n`),
    })
    .exitOverride()
    .showSuggestionAfterError();
  for (const command of [scanCommand(io), revokeCommand(io), grantCommand(io), undelegateCommand(io), dashboardCommand(io), watchCommand(io)]) {
    root.addCommand(command.configureOutput(root.configureOutput()).exitOverride());
  }
  return root.addHelpText("after", environmentHelp(helpWidth));
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
    // viem's short messages ("Missing or invalid parameters.") hide the node's own words: show those.
    io.stderr.write(`error: ${errorSummary(error)}\n`);
    if (process.env.ALLOWANCE_DEBUG) io.stderr.write(`${(error as Error).stack ?? ""}\n`);
    return EXIT_FAILURE;
  }
}
