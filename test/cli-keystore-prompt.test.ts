// The encrypted keystore's password prompt (issue 9, point 14): asked on the terminal only —
// never on stdout, even when stdout is redirected — and never echoed; with no terminal at all,
// one line saying so, exit code 2. The real bin runs under `script`, which gives it a pseudo-terminal.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";

import { expect } from "chai";

import { NoTerminalError, readSecret, terminalSecretInput, type Terminal } from "../src/node/secret-prompt.js";
import { BUILD_TIMEOUT_MS, ensurePackageBuilt } from "./fixtures/built-package.js";
import { OWNER_KEY } from "./fixtures/revoke-world.js";

const BIN = fileURLToPath(new URL("../bin/allowance.mjs", import.meta.url));
const HARDHAT_BIN = fileURLToPath(new URL("../node_modules/hardhat/dist/src/cli.js", import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const PASSWORD = "correct horse battery";
const OWNER = "0x3258bCC93bc187369D82fbF07ea511f69E856f61";
/** Nothing listens on port 1: a run that gets that far has decrypted the key. */
const DEAD_RPC = "http://127.0.0.1:1";

/** Hardhat reads no keystore under its test runner or on CI (hardhat-utils' isCi variables). */
function keystoreEnvironment(configHome: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith("ALLOWANCE_")) env[name] = value;
  }
  for (const name of ["HH_TEST", "GITHUB_ACTIONS", "NOW", "DEPLOYMENT_ID", "CODEBUILD_BUILD_NUMBER", "CI", "CONTINUOUS_INTEGRATION", "BUILD_NUMBER", "RUN_ID"]) {
    delete env[name];
  }
  return { ...env, XDG_CONFIG_HOME: configHome };
}

/** Runs `command`, answering each prompt that appears on its output, in order, with the next of `answers`. */
function answering(
  command: string,
  args: string[],
  options: { env: Record<string, string>; prompt: RegExp; answers: string[]; detached?: boolean },
): Promise<{ code: number; output: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: options.env, cwd: PROJECT_ROOT, detached: options.detached ?? false });
    let output = "";
    let stderr = "";
    let answered = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const asked = output.split(options.prompt).length - 1;
      while (answered < asked && answered < options.answers.length) child.stdin.write(options.answers[answered++]);
      if (answered === options.answers.length) child.stdin.end();
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    if (options.answers.length === 0) child.stdin.end();
    child.on("close", (code) => resolve({ code: code ?? -1, output, stderr }));
  });
}

describe("keystore password prompt (issue 9, point 14)", function () {
  let home: string;
  let env: Record<string, string>;

  before(async function () {
    this.timeout(BUILD_TIMEOUT_MS);
    // The bin runs the built CLI.
    ensurePackageBuilt();
    home = mkdtempSync(join(tmpdir(), "allowance-prompt-"));
    env = keystoreEnvironment(join(home, "config"));
    const stored = await answering(process.execPath, [HARDHAT_BIN, "keystore", "set", "ALLOWANCE_PRIVATE_KEY"], {
      env,
      prompt: /\] [^\n]*?: /,
      answers: [`${PASSWORD}\n`, `${PASSWORD}\n`, `${OWNER_KEY}\n`],
    });
    expect(stored.code, stored.output + stored.stderr).to.equal(0);
  });

  after(function () {
    rmSync(home, { recursive: true, force: true });
  });

  it("asks on the terminal while stdout goes to a file, and never echoes what is typed", async function () {
    const stdoutFile = join(home, "stdout.txt");
    const inner = `'${process.execPath}' '${BIN}' revoke ${OWNER} --rpc ${DEAD_RPC} --no-cache > '${stdoutFile}'`;
    const run = await answering("script", ["-qec", inner, "/dev/null"], { env, prompt: /Enter the password: /, answers: [`${PASSWORD}\r`] });
    expect(run.code, run.output).to.equal(2);
    expect(run.output).to.include("[hardhat-keystore] Enter the password: ");
    expect(run.output, "the password is never echoed").to.not.include(PASSWORD);
    expect(run.output.replace(/\r/g, "")).to.match(/error: cannot reach the RPC at http:\/\/127\.0\.0\.1:1 /);
    expect(readFileSync(stdoutFile, "utf8"), "nothing of the prompt on stdout").to.equal("");
  });

  it("without a terminal, ends with one line saying so, exit code 2, and reads nothing from stdin", async function () {
    const run = await answering(process.execPath, [BIN, "revoke", OWNER, "--rpc", DEAD_RPC, "--no-cache"], {
      env,
      prompt: /never matches/,
      answers: [],
      // A new session: no controlling terminal, as under a service manager or in CI.
      detached: true,
    });
    expect(run.code).to.equal(2);
    expect(run.output).to.equal("");
    expect(run.stderr).to.equal(
      "error: the encrypted keystore holds ALLOWANCE_PRIVATE_KEY and needs its password, and there is no terminal to type it on " +
        "(it is never read from stdin or shown on stdout): run the command in a terminal, or set the key in the environment instead\n",
    );
  });

  it("reads a line in raw mode: backspace edits, Enter ends, Ctrl-C cancels, and only the question is written", async function () {
    const fake = () => {
      const input = Object.assign(new PassThrough({ encoding: "utf8" }), { rawModes: [] as boolean[], setRawMode(mode: boolean) { this.rawModes.push(mode); } });
      let written = "";
      const terminal: Terminal = { input, output: { write: (text: string) => (written += text) }, close() {} };
      return { input, terminal, written: () => written };
    };
    const typed = fake();
    const answer = readSecret("Password:", typed.terminal);
    typed.input.write("hunter3\u007f2");
    typed.input.write("\r");
    expect(await answer).to.equal("hunter2");
    expect(typed.written()).to.equal("Password: \n");
    expect(typed.input.rawModes).to.deep.equal([true, false]);

    const cancelled = fake();
    const refused = readSecret("Password:", cancelled.terminal);
    cancelled.input.write("abc\u0003");
    await refused.then(
      () => expect.fail("Ctrl-C resolves nothing"),
      (error: Error) => expect(error.message).to.match(/cancelled at the password prompt/),
    );

    const handler = terminalSecretInput("the keystore needs its password", () => null);
    await handler({}, "hardhat-keystore", "Enter the password").then(
      () => expect.fail("no terminal, no password"),
      (error: unknown) => expect(error).to.be.instanceOf(NoTerminalError),
    );
  });
});
