// RPC URLs that are not JSON-RPC nodes (issue 9, point 7): a web page answering HTTP 200, ws://,
// https:// to a plain-HTTP server fail at once with what they are, after one request; a node that
// accepts the connection and never answers fails by the deadline, saying so while it retries.
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";

import { expect } from "chai";
import { TimeoutError } from "viem";

import { runCli } from "../src/cli/main.js";
import { DEFAULT_RETRY_POLICY, REQUEST_DEADLINE_MS, REQUEST_TIMEOUT_MS, withRetries } from "../src/scan/client.js";
import { NotJsonRpcError, RpcUnreachableError, UnsupportedRpcUrlError } from "../src/scan/errors.js";
import { createRpcClient } from "../src/scan/client.js";
import { scanApprovals } from "../src/scan/scan.js";
import { OWNER_KEY } from "./fixtures/revoke-world.js";
import { closeServer, listen } from "./fixtures/rpc-server.js";

const OWNER = "0x3258bCC93bc187369D82fbF07ea511f69E856f61";

/** The SDK's errors say it all in their one-line shortMessage (message adds the package version). */
async function rejection(promise: Promise<unknown>): Promise<Error & { shortMessage?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { isTTY: false, write: (text: string) => (stderr += text) },
    env: { ALLOWANCE_PRIVATE_KEY: OWNER_KEY },
  });
  return { code, stdout, stderr };
}

describe("RPC endpoints that are not JSON-RPC nodes (issue 9, point 7)", function () {
  let page: Server;
  let pageUrl: string;
  let requests = 0;
  let silent: Server;
  let silentUrl: string;
  const held: Socket[] = [];

  before(async function () {
    page = createServer((request, response) => {
      requests++;
      request.resume();
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<!doctype html><html><body>Welcome to nginx!</body></html>");
    });
    pageUrl = await listen(page);
    // Accepts every connection and never answers a byte.
    silent = createServer(() => {});
    silent.on("connection", (socket) => held.push(socket));
    silentUrl = await listen(silent);
  });

  beforeEach(function () {
    requests = 0;
  });

  after(async function () {
    for (const socket of held) socket.destroy();
    await closeServer(page);
    await closeServer(silent);
  });

  it("a web page answering HTTP 200 is not a JSON-RPC endpoint: one request, no retries, for scan and for the key commands", async function () {
    const error = await rejection(scanApprovals(createRpcClient({ rpcUrl: pageUrl }), { owner: OWNER }));
    expect(error).to.be.instanceOf(NotJsonRpcError);
    expect(error.shortMessage).to.match(new RegExp(`^${pageUrl} answered, but is not a JSON-RPC endpoint \\(its answer is not JSON \\(Unexpected token '<'.*\\): pass the node's JSON-RPC URL$`));
    expect(requests).to.equal(1);

    for (const command of [["scan", OWNER, "--no-cache"], ["revoke", OWNER, "--no-cache"], ["undelegate", OWNER]]) {
      requests = 0;
      const run = await cli([...command, "--rpc", pageUrl]);
      expect(run.code, run.stderr).to.equal(2);
      expect(run.stderr).to.match(new RegExp(`^error: ${pageUrl} answered, but is not a JSON-RPC endpoint `));
      expect(requests, command[0]).to.equal(1);
    }
  });

  it("https:// to a plain-HTTP node says to use http://; ws:// is refused before any connection", async function () {
    const https = pageUrl.replace("http://", "https://");
    const tls = await rejection(scanApprovals(createRpcClient({ rpcUrl: https }), { owner: OWNER }));
    expect(tls).to.be.instanceOf(NotJsonRpcError);
    expect(tls.shortMessage).to.include("it speaks plain HTTP, not TLS: use http:// instead of https://");

    const ws = pageUrl.replace("http://", "ws://");
    const refused = await rejection(scanApprovals(createRpcClient({ rpcUrl: ws }), { owner: OWNER }));
    expect(refused).to.be.instanceOf(UnsupportedRpcUrlError);
    expect(refused.shortMessage).to.equal(`cannot use the RPC URL ${ws} (ws:// is not supported, only JSON-RPC over http:// or https://): pass the node's http:// or https:// JSON-RPC URL`);
    const run = await cli(["grant", OWNER, OWNER, "1", "--for", "1h", "--rpc", ws]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/^error: cannot use the RPC URL ws:\/\/127\.0\.0\.1:\d+\/? \(ws:\/\/ is not supported/);
    expect(requests).to.equal(0);
  });

  it("a node that never answers: each request times out, each retry is announced, and the scan gives up by its deadline", async function () {
    const notices: string[] = [];
    const policy = { retries: 6, baseDelayMs: 20, maxDelayMs: 40, requestTimeoutMs: 150, deadlineMs: 700 };
    const error = await rejection(scanApprovals(createRpcClient({ rpcUrl: silentUrl, requestTimeoutMs: policy.requestTimeoutMs }), { owner: OWNER, retry: policy, onNotice: (message) => notices.push(message) }));
    expect(error).to.be.instanceOf(RpcUnreachableError);
    expect(error.shortMessage).to.match(/\(timed out\)/);
    expect(notices.length).to.be.within(1, 5);
    expect(notices[0]).to.match(new RegExp(`^eth_chainId to ${silentUrl} failed \\(timed out\\); retry 1 of 6 in 0\\.0 s, giving up 0\\.7 s after the first attempt$`));
  });

  it("by default a request times out after 10 s and a node that never answers fails within 60 s", async function () {
    expect(REQUEST_TIMEOUT_MS).to.equal(10_000);
    expect(REQUEST_DEADLINE_MS).to.equal(60_000);
    // A node that never answers, on a clock that each attempt moves by the request timeout.
    let clock = 0;
    let attempts = 0;
    const neverAnswers = async () => {
      attempts++;
      clock += REQUEST_TIMEOUT_MS;
      throw new TimeoutError({ body: {}, url: "http://node.invalid" });
    };
    const retried: number[] = [];
    const request = withRetries(neverAnswers, DEFAULT_RETRY_POLICY, async (ms) => void (clock += ms), (notice) => retried.push(notice.attempt), () => clock);
    const error = await rejection(request({ method: "eth_chainId" }));
    expect(error).to.be.instanceOf(TimeoutError);
    expect(clock).to.be.at.most(60_000);
    expect(attempts).to.equal(5);
    expect(retried).to.deep.equal([1, 2, 3, 4]);
  });
});
