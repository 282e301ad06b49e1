import type { Environment } from "../node/keys.js";
import type { AnswerSource } from "./prompt.js";
import type { CliIo } from "./scan-command.js";

/** What the commands that sign and send need besides output: answers to prompts, and the environment keys come from. */
export interface ActionIo extends CliIo {
  /** Where confirmations are read; without one, every confirmation is declined. */
  stdin?: AnswerSource;
  /** Defaults to process.env. */
  env?: Environment;
}

/** Ends a command with `code` and, if given, a last line on stderr: a refusal at a prompt, an incomplete revocation. */
export class CommandExit extends Error {
  constructor(
    readonly code: number,
    message = "",
  ) {
    super(message);
    this.name = "CommandExit";
  }
}
