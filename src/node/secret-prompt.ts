// The keystore's password, asked on the terminal itself (/dev/tty), never on stdout, and never
// echoed: Hardhat's default prompt writes to stdout (so `allowance scan … > out.txt` would hide
// the question in the file) and shows a star per typed character.
import { closeSync, openSync } from "node:fs";
import { ReadStream, WriteStream } from "node:tty";

import { ActionInputError } from "../actions/errors.js";

/** Where a secret is typed: a terminal's input in raw mode, and its output. */
export interface Terminal {
  input: Pick<NodeJS.ReadableStream, "on" | "removeListener" | "resume" | "pause" | "setEncoding"> & { setRawMode(mode: boolean): unknown };
  output: { write(text: string): unknown };
  close(): void;
}

export class NoTerminalError extends ActionInputError {
  constructor(what: string) {
    super(
      `${what}, and there is no terminal to type it on (it is never read from stdin or shown on stdout): ` +
        "run the command in a terminal, or set the key in the environment instead",
    );
  }
}

export class SecretCancelledError extends ActionInputError {
  constructor() {
    super("cancelled at the password prompt: nothing was sent");
  }
}

/** The process's controlling terminal, or null when it has none (a service, a CI job, a detached process). */
export function openTerminal(): Terminal | null {
  let readFd: number | undefined;
  let writeFd: number | undefined;
  try {
    readFd = openSync("/dev/tty", "r");
    writeFd = openSync("/dev/tty", "w");
    const input = new ReadStream(readFd);
    const output = new WriteStream(writeFd);
    return {
      input,
      output,
      close() {
        input.destroy();
        output.destroy();
      },
    };
  } catch {
    for (const fd of [readFd, writeFd]) if (fd !== undefined) closeSync(fd);
    return null;
  }
}

const ENTER = new Set(["\r", "\n"]);
const CTRL_C = "\u0003";
const CTRL_D = "\u0004";
const BACKSPACE = new Set(["\u007f", "\b"]);

/** Asks `question` on the terminal and reads one line in raw mode, so nothing typed is echoed. */
export function readSecret(question: string, terminal: Terminal): Promise<string> {
  const { input, output } = terminal;
  // Raw mode before the question: an answer typed as soon as it appears is never echoed.
  input.setEncoding("utf8");
  input.setRawMode(true);
  input.resume();
  output.write(`${question} `);
  return new Promise<string>((resolve, reject) => {
    let typed = "";
    const finish = (error?: Error) => {
      input.removeListener("data", onData);
      input.setRawMode(false);
      input.pause();
      output.write("\n");
      if (error === undefined) resolve(typed);
      else reject(error);
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (ENTER.has(character) || character === CTRL_D) return finish();
        if (character === CTRL_C) return finish(new SecretCancelledError());
        if (BACKSPACE.has(character)) typed = typed.slice(0, -1);
        else typed += character;
      }
    };
    input.on("data", onData);
  });
}

/**
 * A Hardhat `userInterruptions.requestSecretInput` handler that asks on the terminal through
 * `readSecret`, or fails with NoTerminalError when there is none.
 */
export function terminalSecretInput(what: string, open: () => Terminal | null = openTerminal) {
  return async (_context: unknown, interruptor: string, inputDescription: string): Promise<string> => {
    const terminal = open();
    if (terminal === null) throw new NoTerminalError(what);
    try {
      return await readSecret(`[${interruptor}] ${inputDescription}:`, terminal);
    } finally {
      terminal.close();
    }
  };
}
