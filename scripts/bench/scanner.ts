import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { network } from "hardhat";
import { createPublicClient, erc20Abi, getAddress, http, numberToHex, parseEther, type Address, type Hex } from "viem";

import { TOPIC, ownerTopic } from "../../src/scan/candidates.js";
import { createSqliteScanCache } from "../../src/node/sqlite-cache.js";
import { createRpcClient } from "../../src/scan/client.js";
import { scanApprovals } from "../../src/scan/scan.js";
import { startFaultProxy, type FaultProxy } from "../../test/fixtures/fault-proxy.js";
import { serveProvider } from "../../test/fixtures/rpc-server.js";

// Scanner benchmark: one owner with 1,000 live ERC-20 approvals (100 tokens x 10 spenders)
// spread over 100,000 blocks, scanned over HTTP through a counting proxy. Beside the scanner,
// in the same run: the naive approach (the same log discovery, then one allowance() call per
// pair, one request each). Requests are counted at the proxy; wall time is measured here.

const TOKENS = 100;
const SPENDERS = 10;
const BLOCKS_BETWEEN_APPROVALS = 99; // 1,000 approvals x (1 + 99) blocks = 100,000 blocks
const PULLS = 100;
const PROVIDER_RANGE_LIMIT = 2_000n;

interface Row {
  approach: string;
  ms: number;
  http: number;
  calls: number;
  getLogs: number;
  ethCall: number;
  found: number;
}

async function measure(proxy: FaultProxy, approach: string, work: () => Promise<number>): Promise<Row> {
  proxy.resetStats();
  const started = performance.now();
  const found = await work();
  const ms = performance.now() - started;
  const { httpRequests, rpcCalls, byMethod } = proxy.stats;
  return { approach, ms, http: httpRequests, calls: rpcCalls, getLogs: byMethod.eth_getLogs ?? 0, ethCall: byMethod.eth_call ?? 0, found };
}

/** The naive scan: find (token, spender) pairs from Approval logs, then ask allowance() for each, one request at a time. */
async function naiveScan(url: string, owner: Address, toBlock: bigint): Promise<number> {
  const client = createPublicClient({ transport: http(url, { retryCount: 0 }) });
  const logs = (await client.request({
    method: "eth_getLogs",
    params: [{ fromBlock: "0x0", toBlock: numberToHex(toBlock), topics: [TOPIC.approval, ownerTopic(owner)] }],
  } as never)) as { address: Address; topics: Hex[] }[];
  const pairs = new Map(
    logs.filter((log) => log.topics.length === 3).map((log) => {
      const spender = getAddress(`0x${log.topics[2]!.slice(26)}`);
      return [`${log.address}:${spender}`.toLowerCase(), { token: getAddress(log.address), spender }] as const;
    }),
  );
  let live = 0;
  for (const { token, spender } of pairs.values()) {
    const amount = await client.readContract({ address: token, abi: erc20Abi, functionName: "allowance", args: [owner, spender], blockNumber: toBlock });
    if (amount > 0n) live++;
  }
  return live;
}

export async function benchScanner(): Promise<string> {
  const { viem, provider } = await network.create();
  const wallets = await viem.getWalletClients();
  const owner = getAddress(wallets[1]!.account.address);
  const keeper = wallets[2]!.account.address;

  const spenders: Address[] = [];
  const pullSpender = await viem.deployContract("PullSpender");
  spenders.push(getAddress(pullSpender.address));
  for (let i = 1; i < SPENDERS; i++) spenders.push(getAddress(wallets[3 + i]!.account.address));
  const tokens = [];
  for (let i = 0; i < TOKENS; i++) {
    const token = await viem.deployContract("TestToken", [`Bench ${i}`, `B${i}`]);
    await token.write.mint([owner, parseEther("1000000")]);
    tokens.push(token);
  }
  for (let i = 0; i < TOKENS * SPENDERS; i++) {
    await tokens[i % TOKENS]!.write.approve([spenders[Math.floor(i / TOKENS)]!, parseEther("5000")], { account: owner });
    await provider.request({ method: "hardhat_mine", params: [numberToHex(BLOCKS_BETWEEN_APPROVALS)] });
  }
  for (let i = 0; i < PULLS; i++) await pullSpender.write.pull([tokens[i]!.address, owner, parseEther("10")], { account: keeper });

  const node = await serveProvider(provider);
  const proxy = await startFaultProxy(node.url);
  const limited = await startFaultProxy(node.url, { maxLogBlockRange: PROVIDER_RANGE_LIMIT });
  const cacheDir = mkdtempSync(join(tmpdir(), "bench-scanner-"));
  const cachePath = join(cacheDir, "scan.sqlite");
  try {
    const head = BigInt((await provider.request({ method: "eth_blockNumber" })) as Hex);
    const scan = async (url: string, path?: string) => {
      const cache = path === undefined ? undefined : createSqliteScanCache({ path });
      try {
        return (await scanApprovals(createRpcClient({ rpcUrl: url }), { owner, cache })).approvals.length;
      } finally {
        await cache?.close();
      }
    };
    const rows = [
      await measure(proxy, "naive: eth_getLogs + one allowance() per pair", () => naiveScan(proxy.url, owner, head)),
      await measure(proxy, "scanner, cold (no cache)", () => scan(proxy.url, cachePath)),
      await measure(proxy, "scanner, warm cache, no new block", () => scan(proxy.url, cachePath)),
    ];
    await provider.request({ method: "hardhat_mine", params: [numberToHex(1_000)] });
    rows.push(await measure(proxy, "scanner, warm cache, 1,000 new blocks", () => scan(proxy.url, cachePath)));
    rows.push(
      await measure(limited, `scanner, cold, node refusing > ${PROVIDER_RANGE_LIMIT.toLocaleString("en-US")}-block log ranges`, () => scan(limited.url)),
    );

    const blocks = Number(head) + 1;
    const lines = [
      `### Scanner: 1 owner, ${TOKENS * SPENDERS} live approvals (${TOKENS} tokens x ${SPENDERS} spenders), ${blocks.toLocaleString("en-US")} blocks, ${PULLS} pulls`,
      "",
      "| approach | wall time (ms) | HTTP requests | JSON-RPC calls | eth_getLogs | eth_call | live approvals |",
      "|---|---:|---:|---:|---:|---:|---:|",
      ...rows.map((row) => `| ${row.approach} | ${row.ms.toFixed(0)} | ${row.http} | ${row.calls} | ${row.getLogs} | ${row.ethCall} | ${row.found} |`),
      "",
      "Requests counted at an HTTP proxy in front of an in-process Hardhat node; the scanner batches JSON-RPC",
      "calls (up to 100 per HTTP request) and reads through a deployless Multicall3 (the local chain has none",
      "deployed; on a chain with Multicall3, each eth_call carries up to 500 reads instead of 80). The scanner",
      "also reads token metadata, balances, spender code and proxy slots, and attributes pulls; the naive",
      "approach reads allowances only.",
    ];
    return lines.join("\n");
  } finally {
    await limited.close();
    await proxy.close();
    await node.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
