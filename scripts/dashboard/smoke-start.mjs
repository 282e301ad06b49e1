// CI's smoke run of `npm start`: starts it on free ports, waits (bounded) for its Dashboard,
// Chain and Wallet lines, loads the page and /config.json, asks the chain its id, then stops it
// with Ctrl-C (SIGINT) and expects a clean exit. Any failure exits 1 with one line saying what.
//
//   node scripts/dashboard/smoke-start.mjs          # SMOKE_TIMEOUT_SECONDS (default 600) bounds it
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TIMEOUT_MS = Number(process.env.SMOKE_TIMEOUT_SECONDS ?? 600) * 1000;
const STOP_TIMEOUT_MS = 30_000;
const CHAIN_ID = 31337;

const started = Date.now();
// Its own process group, so that Ctrl-C reaches npm, Hardhat and the server alike.
const child = spawn("npm", ["start"], {
  cwd: ROOT,
  env: { ...process.env, DASHBOARD_PORT: "0", CHAIN_PORT: "0" },
  stdio: ["ignore", "pipe", "inherit"],
  detached: true,
});
let output = "";
let exited = null;
let ready = false;
const exit = new Promise((resolve) => child.on("exit", (code, signal) => resolve((exited = { code, signal }))));

function stopChild(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function fail(message) {
  console.error(`smoke: npm start: ${message}`);
  stopChild("SIGKILL");
  process.exit(1);
}

const timer = setTimeout(() => fail(`no Dashboard, Chain and Wallet lines within ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);
const lines = await new Promise((resolve) => {
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (text) => {
    process.stdout.write(text);
    output += text;
    const dashboard = /^Dashboard: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output);
    const chain = /^Chain: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
    const wallet = /^Wallet: (0x[0-9a-fA-F]{40})$/m.exec(output);
    if (dashboard && chain && wallet && !ready) resolve({ dashboard: dashboard[1], chain: chain[1], wallet: wallet[1] });
  });
  exit.then(({ code, signal }) => {
    if (!ready) fail(`exited (${signal ?? `code ${code}`}) before printing its Dashboard, Chain and Wallet lines`);
  });
});
ready = true;
clearTimeout(timer);

async function get(url, init) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
  if (!response.ok) await fail(`${init?.method ?? "GET"} ${url} answered ${response.status}`);
  return response;
}

const page = await (await get(lines.dashboard)).text();
if (!/<html/i.test(page)) await fail(`${lines.dashboard} is not an HTML page`);
// `npm start` builds the page when app/dist is missing: the placeholder here means that build did not happen.
if (/dashboard is not built/i.test(page)) await fail("npm start served the placeholder page: app/dist was not built");
const script = /<script[^>]+src="([^"]+\.js)"/i.exec(page)?.[1];
if (script === undefined) await fail(`${lines.dashboard} has no bundled script`);
const bundle = await (await get(new URL(script, lines.dashboard))).text();
if (bundle.length === 0) await fail(`the page's script ${script} is empty`);
const config = await (await get(new URL("/config.json", lines.dashboard))).json();
if (config.rpcUrl !== lines.chain) await fail(`/config.json rpcUrl ${config.rpcUrl} is not the Chain line's ${lines.chain}`);
if (config.chainId !== CHAIN_ID) await fail(`/config.json chainId ${config.chainId}, expected ${CHAIN_ID}`);
if (config.demo?.address !== lines.wallet) await fail(`/config.json demo.address ${config.demo?.address} is not the Wallet line's ${lines.wallet}`);
const rpc = await (
  await get(lines.chain, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
  })
).json();
if (Number(rpc.result) !== CHAIN_ID) await fail(`the chain answered eth_chainId ${JSON.stringify(rpc)}`);

stopChild("SIGINT");
const stopTimer = setTimeout(() => fail(`did not stop within ${STOP_TIMEOUT_MS / 1000} s of Ctrl-C`), STOP_TIMEOUT_MS);
const { code, signal } = exited ?? (await exit);
clearTimeout(stopTimer);
// npm re-raises a Ctrl-C it received itself once its script has exited: SIGINT from npm is a
// clean stop too, provided the server said it stopped.
if (!(code === 0 || signal === "SIGINT") || !/^Stopped\.$/m.test(output)) {
  await fail(`exited with ${signal ?? `code ${code}`} after Ctrl-C without its "Stopped." line`);
}
console.error(`smoke: npm start served the page, /config.json and the chain, and stopped cleanly (${((Date.now() - started) / 1000).toFixed(1)} s)`);
