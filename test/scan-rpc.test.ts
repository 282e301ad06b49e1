import { expect } from "chai";
import {
  HttpRequestError,
  InvalidParamsRpcError,
  LimitExceededRpcError,
  ResponseBodyTooLargeError,
  RpcRequestError,
  TimeoutError,
} from "viem";

import { withRetries } from "../src/scan/client.js";
import { classifyRpcFailure, describeRpcFailure, retryAfterMs } from "../src/scan/rpc-errors.js";

const url = "http://node.invalid";
const rpcError = (code: number, message: string) => new RpcRequestError({ body: {}, error: { code, message }, url });

describe("RPC failure classification", function () {
  it("retries rate limits, server errors, timeouts and dropped connections", function () {
    for (const status of [408, 429, 500, 502, 503, 504]) {
      expect(classifyRpcFailure(new HttpRequestError({ url, status }), "eth_call"), `HTTP ${status}`).to.equal("transient");
    }
    expect(classifyRpcFailure(new TimeoutError({ body: {}, url }), "eth_getLogs")).to.equal("transient");
    const dropped = new HttpRequestError({ url, cause: Object.assign(new TypeError("fetch failed"), { cause: new Error("other side closed") }) });
    expect(classifyRpcFailure(dropped, "eth_blockNumber")).to.equal("transient");
    expect(classifyRpcFailure(rpcError(429, "Too Many Requests"), "eth_call")).to.equal("transient");
    expect(classifyRpcFailure(new LimitExceededRpcError(rpcError(-32005, "daily request count exceeded, request rate limited")), "eth_getLogs")).to.equal(
      "transient",
    );
  });

  it("reads providers' range and result-size refusals of eth_getLogs as 'split the range'", function () {
    const refusals = [
      new LimitExceededRpcError(rpcError(-32005, "query returned more than 10000 results")),
      new InvalidParamsRpcError(rpcError(-32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range")),
      rpcError(-32614, "eth_getLogs is limited to a 10000 range"),
      rpcError(-32000, "exceed maximum block range: 5000"),
      rpcError(-32600, "block range is too wide"),
      new HttpRequestError({ url, status: 413 }),
      new ResponseBodyTooLargeError({ maxSize: 10, size: 11 }),
    ];
    for (const error of refusals) expect(classifyRpcFailure(error, "eth_getLogs"), error.message).to.equal("range");
    // The same words from another method are not a range to split.
    expect(classifyRpcFailure(rpcError(-32000, "exceed maximum block range: 5000"), "eth_call")).to.equal("fatal");
  });

  it("does not retry what a retry cannot fix", function () {
    expect(classifyRpcFailure(new InvalidParamsRpcError(rpcError(-32602, "invalid argument 0: hex string has odd length")), "eth_getLogs")).to.equal("fatal");
    expect(classifyRpcFailure(rpcError(3, "execution reverted"), "eth_call")).to.equal("fatal");
    expect(classifyRpcFailure(rpcError(-32000, "missing trie node"), "eth_getCode")).to.equal("fatal");
    const refused = new HttpRequestError({ url, cause: Object.assign(new TypeError("fetch failed"), { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") }) });
    expect(classifyRpcFailure(refused, "eth_chainId")).to.equal("fatal");
  });

  it("reads Retry-After in seconds or as a date, and describes failures in a few words", function () {
    expect(retryAfterMs(new HttpRequestError({ url, status: 429, headers: new Headers({ "retry-after": "2" }) }))).to.equal(2000);
    const date = new Date(Date.now() + 60_000).toUTCString();
    expect(retryAfterMs(new HttpRequestError({ url, status: 429, headers: new Headers({ "retry-after": date }) }))).to.be.within(55_000, 60_000);
    expect(retryAfterMs(new HttpRequestError({ url, status: 503 }))).to.equal(null);
    expect(describeRpcFailure(new HttpRequestError({ url, status: 503 }))).to.equal("HTTP 503");
    expect(describeRpcFailure(new TimeoutError({ body: {}, url }))).to.equal("timed out");
    const refused = new HttpRequestError({ url, cause: Object.assign(new TypeError("fetch failed"), { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") }) });
    expect(describeRpcFailure(refused)).to.equal("ECONNREFUSED");
  });
});

describe("withRetries", function () {
  const policy = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };

  function flaky(failures: Error[]) {
    let calls = 0;
    const request = async () => {
      const failure = failures[calls++];
      if (failure !== undefined) throw failure;
      return "ok";
    };
    return { request, calls: () => calls };
  }

  it("retries transient failures until one succeeds", async function () {
    const node = flaky([new HttpRequestError({ url, status: 429 }), new HttpRequestError({ url, status: 503 }), new TimeoutError({ body: {}, url })]);
    expect(await withRetries(node.request, policy)({ method: "eth_call" })).to.equal("ok");
    expect(node.calls()).to.equal(4);
  });

  it("gives up after the configured retries with the last failure", async function () {
    const failures = Array.from({ length: 10 }, () => new HttpRequestError({ url, status: 503 }));
    const node = flaky(failures);
    const error = await withRetries(node.request, policy)({ method: "eth_call" }).catch((reason: unknown) => reason);
    expect(error).to.equal(failures[3]);
    expect(node.calls()).to.equal(4);
  });

  it("surfaces a range refusal or a fatal error at once", async function () {
    for (const failure of [new LimitExceededRpcError(rpcError(-32005, "query returned more than 10000 results")), rpcError(3, "execution reverted")]) {
      const node = flaky([failure]);
      const error = await withRetries(node.request, policy)({ method: "eth_getLogs" }).catch((reason: unknown) => reason);
      expect(error).to.equal(failure);
      expect(node.calls()).to.equal(1);
    }
  });

  it("backs off exponentially, or as long as Retry-After says, capped by the policy", async function () {
    const waits: number[] = [];
    const record = async (ms: number) => {
      waits.push(ms);
    };
    const node = flaky([
      new HttpRequestError({ url, status: 503 }),
      new HttpRequestError({ url, status: 503 }),
      new HttpRequestError({ url, status: 429, headers: new Headers({ "retry-after": "1" }) }),
      new HttpRequestError({ url, status: 429, headers: new Headers({ "retry-after": "60" }) }),
      new HttpRequestError({ url, status: 503 }),
    ]);
    await withRetries(node.request, { retries: 5, baseDelayMs: 100, maxDelayMs: 5_000 }, record)({ method: "eth_call" });
    expect(waits).to.deep.equal([100, 200, 1_000, 5_000, 1_600]);
  });
});
