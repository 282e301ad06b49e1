// The seed scripts behind the README's demo chains: a port that is taken or is not a port ends
// them with one line naming the port and the variable that moves it, exit code 2, no stack trace.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

import { expect } from "chai";

import { closeServer } from "./fixtures/rpc-server.js";

const HARDHAT_BIN = fileURLToPath(new URL("../node_modules/hardhat/dist/src/cli.js", import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

function runScript(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [HARDHAT_BIN, "run", script], { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe("seed scripts (issue 9, point 11)", function () {
  let busy: Server;
  let port: number;

  before(async function () {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    port = (busy.address() as AddressInfo).port;
  });

  after(async function () {
    await closeServer(busy);
  });

  it("seed-revoke-demo: a busy port ends with one line naming it and REVOKE_DEMO_PORT", async function () {
    const result = await runScript("scripts/seed-revoke-demo.ts", { REVOKE_DEMO_PORT: String(port) });
    expect(result.code, result.stderr).to.equal(2);
    // Hardhat itself may end its (empty) compile report with a newline; the script prints nothing.
    expect(result.stdout.trim()).to.equal("");
    expect(result.stderr).to.equal(
      `error: port ${port} on 127.0.0.1 is already in use (is a demo chain still running there?): stop that process, or pick another port with REVOKE_DEMO_PORT=<port>\n`,
    );
  });

  it("seed-scan-demo: a busy port names SCAN_DEMO_PORT; a value that is not a port says so", async function () {
    const taken = await runScript("scripts/seed-scan-demo.ts", { SCAN_DEMO_PORT: String(port) });
    expect(taken.code, taken.stderr).to.equal(2);
    expect(taken.stderr).to.match(new RegExp(`^error: port ${port} on 127\\.0\\.0\\.1 is already in use .*SCAN_DEMO_PORT=<port>\\n$`));
    const notAPort = await runScript("scripts/seed-scan-demo.ts", { SCAN_DEMO_PORT: "eighty" });
    expect(notAPort.code).to.equal(2);
    expect(notAPort.stderr).to.equal("error: SCAN_DEMO_PORT=eighty is not a port: set it to a number from 1 to 65535, or unset it for 8546\n");
  });
});
