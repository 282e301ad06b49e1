import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { getAddress, isAddress, type Address } from "viem";

import type { OwnerInput } from "./types.js";

/** What the control API asks of the service. */
export interface ControlHandlers {
  addOwners(owners: OwnerInput[]): Promise<Address[]>;
  removeOwner(owner: Address): Promise<boolean>;
  owners(): Promise<unknown[]>;
  alerts(query: { owner?: Address; rule?: string; limit: number }): Promise<unknown[]>;
  reportExploits(spenders: Address[]): Promise<unknown>;
  health(): Promise<{ ok: boolean } & Record<string, unknown>>;
  metrics(): Promise<{ contentType: string; body: string }>;
}

const MAX_BODY_BYTES = 1 << 20;
const DEFAULT_ALERT_LIMIT = 100;

class BadRequest extends Error {}

const toJson = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest("body larger than 1 MiB");
    chunks.push(chunk as Buffer);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
    if (body === null || typeof body !== "object" || Array.isArray(body)) throw new Error();
    return body as Record<string, unknown>;
  } catch {
    throw new BadRequest("body must be a JSON object");
  }
}

function addresses(value: unknown, field: string): Address[] {
  if (!Array.isArray(value) || value.length === 0) throw new BadRequest(`"${field}" must be a non-empty array of addresses`);
  return value.map((item) => {
    if (typeof item !== "string" || !isAddress(item, { strict: false })) throw new BadRequest(`"${String(item)}" in "${field}" is not an address`);
    return getAddress(item);
  });
}

/**
 * The control API, on loopback only:
 * - `GET /health`, `GET /metrics` (Prometheus text format);
 * - `GET /owners`, `POST /owners {"owners": [...]}`, `DELETE /owners/<address>`;
 * - `GET /alerts?owner=&rule=&limit=`;
 * - `POST /exploits {"spenders": [...]}`: list spenders as exploited, re-evaluate every live approval to them now.
 */
export async function startControlApi(handlers: ControlHandlers, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(toJson(body));
    };
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (request.method === "GET" && path === "/health") {
      const health = await handlers.health();
      return send(health.ok ? 200 : 503, health);
    }
    if (request.method === "GET" && path === "/metrics") {
      const { contentType, body } = await handlers.metrics();
      response.writeHead(200, { "content-type": contentType });
      return response.end(body);
    }
    if (request.method === "GET" && path === "/owners") return send(200, { owners: await handlers.owners() });
    if (request.method === "POST" && path === "/owners") {
      const body = await readJson(request);
      const added = await handlers.addOwners(addresses(body.owners, "owners").map((address) => ({ address })));
      return send(200, { added });
    }
    const ownerPath = /^\/owners\/([^/]+)$/.exec(path);
    if (request.method === "DELETE" && ownerPath !== null) {
      const [owner] = addresses([decodeURIComponent(ownerPath[1]!)], "owner");
      return (await handlers.removeOwner(owner!)) ? send(200, { removed: owner }) : send(404, { error: `${owner} is not watched` });
    }
    if (request.method === "GET" && path === "/alerts") {
      const owner = url.searchParams.get("owner");
      const limit = Number(url.searchParams.get("limit") ?? DEFAULT_ALERT_LIMIT);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new BadRequest(`"limit" must be an integer from 1 to 10000`);
      return send(200, {
        alerts: await handlers.alerts({
          owner: owner === null ? undefined : addresses([owner], "owner")[0],
          rule: url.searchParams.get("rule") ?? undefined,
          limit,
        }),
      });
    }
    if (request.method === "POST" && path === "/exploits") {
      const body = await readJson(request);
      return send(200, await handlers.reportExploits(addresses(body.spenders, "spenders")));
    }
    return send(404, { error: `no route ${request.method} ${path}: see GET /health, /metrics, /owners, /alerts; POST /owners, /exploits; DELETE /owners/<address>` });
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      const status = error instanceof BadRequest ? 400 : 500;
      if (!response.headersSent) response.writeHead(status, { "content-type": "application/json" });
      response.end(toJson({ error: (error as Error).message }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
