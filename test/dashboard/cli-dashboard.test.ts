import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { closeServer, listenOnLoopback } from "../../src/cli/dashboard-server.js";
import { runCli } from "../../src/cli/main.js";
import { serveProvider, type RunningServer } from "../fixtures/rpc-server.js";

interface Served {
  stdout: string;
  stderr: string;
  /** Resolves with the exit code once the command has stopped serving. */
  stop: () => Promise<number>;
  exit: Promise<number>;
}

/** Runs `allowance dashboard ...` in this process until `stop()` (its Ctrl-C). */
function serve(args: string[], env: Record<string, string> = {}): Served {
  let release: () => void = () => {};
  const until = new Promise<void>((resolve) => (release = resolve));
  const served: Served = { stdout: "", stderr: "", stop: async () => (release(), served.exit), exit: Promise.resolve(0) };
  const io = {
    stdout: { write: (text: string) => (served.stdout += text) },
    stderr: { isTTY: false, write: (text: string) => (served.stderr += text) },
    env,
    until,
  };
  served.exit = runCli(["dashboard", ...args], io);
  return served;
}

async function dashboardLine(served: Served): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const match = /^Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(served.stdout);
    if (match) return match[1]!;
    const settled = await Promise.race([served.exit, new Promise((resolve) => setTimeout(() => resolve(null), 25))]);
    if (settled !== null) throw new Error(`allowance dashboard exited ${settled}: ${served.stderr}`);
  }
  throw new Error(`no Dashboard line: ${served.stdout}${served.stderr}`);
}

describe("allowance dashboard", function () {
  let dist: string;
  let node: RunningServer;

  before(async function () {
    dist = mkdtempSync(join(tmpdir(), "dashboard-dist-"));
    writeFileSync(join(dist, "index.html"), "<!doctype html><html><body><div id=root></div></body></html>");
    const connection = await network.create();
    node = await serveProvider(connection.provider);
  });

  after(async function () {
    await node?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it("serves the built page for a real chain: /config.json has the RPC, its chain id and no demo wallet", async function () {
    const served = serve(["--rpc", node.url, "--port", "0", "--dist", dist]);
    const url = await dashboardLine(served);
    expect(served.stdout).to.include(`Chain: ${node.url} (chain 31337)`);
    expect(await (await fetch(url)).text()).to.include("<div id=root>");
    expect(await (await fetch(new URL("/config.json", url))).json()).to.deep.equal({ rpcUrl: node.url, chainId: 31337, demo: null });
    expect(await served.stop()).to.equal(0);
    const error = await fetch(url).then(() => null, (reason: unknown) => reason);
    expect(error, "the server is closed after Ctrl-C").to.be.instanceOf(Error);
  });

  it("takes the RPC from ALLOWANCE_RPC_URL, and without any leaves it to the page (rpcUrl null)", async function () {
    const fromEnv = serve(["--port", "0", "--dist", dist], { ALLOWANCE_RPC_URL: node.url });
    const envConfig = await (await fetch(new URL("/config.json", await dashboardLine(fromEnv)))).json();
    expect(envConfig).to.deep.equal({ rpcUrl: node.url, chainId: 31337, demo: null });
    await fromEnv.stop();
    const none = serve(["--port", "0", "--dist", dist]);
    const noneConfig = await (await fetch(new URL("/config.json", await dashboardLine(none)))).json();
    expect(noneConfig).to.deep.equal({ rpcUrl: null, chainId: null, demo: null });
    expect(none.stdout).to.include("Chain: set in the page");
    await none.stop();
  });

  it("fails in one line on an unreachable RPC, a taken port, a bad port and a page that is not built", async function () {
    const unreachable = serve(["--rpc", "http://127.0.0.1:9", "--port", "0", "--dist", dist]);
    expect(await unreachable.exit).to.equal(2);
    expect(unreachable.stderr).to.match(/^error: cannot reach the RPC at http:\/\/127\.0\.0\.1:9 \(.+\): check the URL and that the node is running\n$/);

    const blocker = createServer();
    const port = await listenOnLoopback(blocker, 0);
    try {
      const taken = serve(["--port", String(port), "--dist", dist]);
      expect(await taken.exit).to.equal(2);
      expect(taken.stderr).to.equal(`error: port ${port} on 127.0.0.1 is already in use: pass --port <n> (0 = any free port)\n`);
    } finally {
      await closeServer(blocker);
    }

    const badPort = serve(["--port", "70000", "--dist", dist]);
    expect(await badPort.exit).to.equal(2);
    expect(badPort.stderr).to.match(/--port.*expected a port, 0-65535/);

    const empty = mkdtempSync(join(tmpdir(), "dashboard-empty-"));
    try {
      const notBuilt = serve(["--port", "0", "--dist", empty]);
      expect(await notBuilt.exit).to.equal(1);
      expect(notBuilt.stderr).to.match(/^error: the dashboard is not built \(no .+index\.html\): run `npm run build:app`/);
      expect(notBuilt.stderr.trim().split("\n")).to.have.length(1);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
