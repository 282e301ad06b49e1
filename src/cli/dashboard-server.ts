// Serves the built dashboard (app/dist) on loopback with its runtime configuration at
// GET /config.json: the one server behind `npm start` (demo chain) and `allowance dashboard`
// (any chain). The page is a single-page app, so any path that is not a file gets index.html.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

import type { Address, Hex } from "viem";

import type { DenylistEntry } from "../data/denylist.js";

/**
 * What the page reads at start (GET /config.json). `demo` is set only on the seeded demo chain:
 * then, and only then, the page offers the local-key "demo wallet" connector.
 */
export interface DashboardConfig {
  /** The node the page starts on; null (only from `allowance dashboard` without --rpc): the page asks. */
  rpcUrl: string | null;
  chainId: number | null;
  demo: { address: Address; privateKey: Hex } | null;
  /**
   * Spenders the page must treat as denylisted on this chain besides the bundled list
   * (src/data/denylist.json lists real chains only). Absent or empty on a real chain.
   */
  denylist?: DenylistEntry[];
}

export interface ServeDashboardParameters {
  config: DashboardConfig;
  /** Loopback port; 0 (the default) takes a free one. */
  port?: number;
  /** The built page; defaults to the package's app/dist. */
  distDir?: string;
  /** Fail with DashboardNotBuiltError when the page is not built, instead of serving a page saying how to build it. */
  requireBuilt?: boolean;
}

export interface DashboardServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  port: number;
  /** Whether the built page was found (otherwise a page saying how to build it is served). */
  built: boolean;
  close(): Promise<void>;
}

/** A port that is taken: the message names the port; callers add which setting changes it. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} on 127.0.0.1 is already in use`);
    this.name = "PortInUseError";
  }
}

export class DashboardNotBuiltError extends Error {
  constructor(readonly distDir: string) {
    super(`the dashboard is not built (no ${join(distDir, "index.html")}): run \`npm run build:app\` in the allowance-router repository, or pass --dist <dir>`);
    this.name = "DashboardNotBuiltError";
  }
}

/**
 * The built page, found from this module: src/cli/ (run from the repository) and dist/cli/ (the
 * built package) both sit two levels under the package root, where app/dist is built and shipped.
 */
export const DEFAULT_DASHBOARD_DIST = resolve(fileURLToPath(new URL("../../app/dist", import.meta.url)));

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
};

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Allowance Router dashboard: not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The dashboard is not built yet</h1>
<p>The server is running, but there is no built page in <code>app/dist</code>. Build it with</p>
<pre><code>npm run build:app</code></pre>
<p>then reload this page. The chain and <a href="/config.json">/config.json</a> are already being served.</p>
</body></html>
`;

/** Vite's hashed assets never change under one name; everything else is revalidated. */
const cacheControl = (path: string) => (path.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache");

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body), ...headers });
  response.end(body);
}

/** The file under `root` a URL path names, or null when it names none (or tries to leave `root`). */
function fileFor(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const candidate = normalize(join(root, decoded));
  if (candidate !== root && !candidate.startsWith(root + sep)) return null;
  if (!existsSync(candidate)) return null;
  const stats = statSync(candidate);
  if (stats.isFile()) return candidate;
  const index = join(candidate, "index.html");
  return stats.isDirectory() && existsSync(index) ? index : null;
}

function handler(config: DashboardConfig, root: string, built: boolean) {
  const configJson = JSON.stringify(config);
  return (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      send(response, 405, "text/plain; charset=utf-8", "only GET and HEAD\n", { allow: "GET, HEAD" });
      return;
    }
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (path === "/config.json") {
      send(response, 200, CONTENT_TYPES[".json"]!, configJson, { "cache-control": "no-store" });
      return;
    }
    if (!built) {
      send(response, 200, CONTENT_TYPES[".html"]!, NOT_BUILT_PAGE, { "cache-control": "no-store" });
      return;
    }
    const file = fileFor(root, path);
    // A missing asset is a 404; any other path is a route of the single-page app.
    const target = file ?? (extname(path) === "" ? join(root, "index.html") : null);
    if (target === null) {
      send(response, 404, "text/plain; charset=utf-8", `not found: ${path}\n`);
      return;
    }
    const body = readFileSync(target);
    const type = CONTENT_TYPES[extname(target)] ?? "application/octet-stream";
    send(response, 200, type, request.method === "HEAD" ? "" : body, { "cache-control": cacheControl(target) });
  };
}

/** Listens on 127.0.0.1:`port` (0 = a free port); a taken port rejects with PortInUseError. */
export async function listenOnLoopback(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolveListen, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(error.code === "EADDRINUSE" ? new PortInUseError(port) : error);
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolveListen();
    });
  });
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolveClose, reject) => server.close((error) => (error ? reject(error) : resolveClose())));
}

/** Serves the dashboard and /config.json on loopback until `close()`. */
export async function serveDashboard(parameters: ServeDashboardParameters): Promise<DashboardServer> {
  const root = resolve(parameters.distDir ?? DEFAULT_DASHBOARD_DIST);
  const built = existsSync(join(root, "index.html"));
  if (!built && parameters.requireBuilt === true) throw new DashboardNotBuiltError(root);
  const server = createServer(handler(parameters.config, root, built));
  const port = await listenOnLoopback(server, parameters.port ?? 0);
  return { url: `http://127.0.0.1:${port}/`, port, built, close: () => closeServer(server) };
}
