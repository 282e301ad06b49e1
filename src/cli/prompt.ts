import { createInterface } from "node:readline";

/** Where answers come from: the process's stdin, or a test's. */
export type AnswerSource = NodeJS.ReadableStream;

/**
 * Asks a yes/no question and reads one line of `input`: only "y" or "yes" (any case) is yes; any
 * other answer, or the end of the input, is no.
 */
export async function confirm(question: string, input: AnswerSource, output: { write(text: string): unknown }): Promise<boolean> {
  output.write(`${question} [y/N] `);
  const lines = createInterface({ input, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      lines.once("line", resolve);
      lines.once("close", () => resolve(""));
    });
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    lines.close();
  }
}
