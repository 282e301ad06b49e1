import { createServer } from "node:http";

import { getAddress, keccak256, slice, toHex, type Address, type Hex, type PublicClient } from "viem";

import { signatureOf } from "../../src/watch/deliver.js";
import type { WatchDriver } from "../../src/watch/service.js";
import type { WatchAlert } from "../../src/watch/types.js";
import { closeServer, listen, readBody, serveProvider, type RunningServer } from "../fixtures/rpc-server.js";

// The watch service's test world: a Hardhat network served over HTTP on loopback, a token, an
// AllowanceRouter, wallets to watch, and a webhook receiver that checks signatures and can be
// told to fail.

export const WEBHOOK_SECRET = "test-webhook-secret";
export const FAST_RETRY = { retries: 8, baseDelayMs: 5, maxDelayMs: 40 };
export const FAST_BACKOFF = { baseDelayMs: 20, maxDelayMs: 100 };

/** An address no one holds a key of, named for what it stands for. */
export const labelled = (label: string): Address => getAddress(slice(keccak256(toHex(label)), 12));

export interface Delivery {
  id: string;
  idempotencyKey: string;
  signatureValid: boolean;
  alert: WatchAlert;
  /** performance.now() at arrival: the bench's latency clock. */
  receivedAt: number;
}

export interface WebhookReceiver extends RunningServer {
  deliveries: Delivery[];
  /** Answer 503 to everything while true. */
  down: boolean;
  attemptsWhileDown: number;
  ids(): Set<string>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver = { deliveries: [] as Delivery[], down: false, attemptsWhileDown: 0 };
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    if (receiver.down) {
      receiver.attemptsWhileDown++;
      response.writeHead(503).end();
      return;
    }
    const alert = JSON.parse(body) as WatchAlert;
    receiver.deliveries.push({
      id: alert.id,
      idempotencyKey: String(request.headers["idempotency-key"]),
      signatureValid: request.headers["x-allowance-signature"] === signatureOf(WEBHOOK_SECRET, body),
      alert,
      receivedAt: performance.now(),
    });
    response.writeHead(204).end();
  });
  const url = await listen(server);
  return Object.assign(receiver, {
    url,
    close: () => closeServer(server),
    ids: () => new Set(receiver.deliveries.map((delivery) => delivery.id)),
  });
}

/** A driver that runs nothing by itself: the test calls `service.step()`. */
export const manualDriver = (): WatchDriver => ({ start: async () => {}, stop: async () => {} });

type Connection = Awaited<ReturnType<typeof import("hardhat").network.create>>;

export interface WatchChain {
  connection: Connection;
  node: RunningServer;
  publicClient: PublicClient;
  token: { address: Address; write: any; read: any };
  router: { address: Address; write: any; read: any };
  /** Hardhat's unlocked accounts: [0] deploys, the rest are owners. */
  wallets: any[];
  mine(blocks: number): Promise<void>;
  request(method: string, params?: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

export async function startWatchChain(): Promise<WatchChain> {
  const { network } = await import("hardhat");
  const connection = await network.create();
  const publicClient = (await connection.viem.getPublicClient()) as unknown as PublicClient;
  const wallets = await connection.viem.getWalletClients();
  const token = (await connection.viem.deployContract("TestToken", ["Watched", "WCH"])) as any;
  const router = (await connection.viem.deployContract("AllowanceRouter")) as any;
  const node = await serveProvider(connection.provider);
  const request = (method: string, params: unknown[] = []) => connection.provider.request({ method, params });
  return {
    connection,
    node,
    publicClient,
    token,
    router,
    wallets,
    request,
    mine: async (blocks) => {
      await request("hardhat_mine", [toHex(blocks)]);
    },
    close: () => node.close(),
  };
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export type { Hex };
