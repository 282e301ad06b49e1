// `npm start`: the seeded demo chain and the dashboard on loopback, until Ctrl-C.
//
//   DASHBOARD_PORT (default 8600) and CHAIN_PORT (default 8545) move them; 0 = any free port.
import { ensureDashboardBuilt } from "./build.js";
import { DemoPortInUseError, startDemoWorld } from "./demo-world.js";
import { portFromEnvironment } from "./ports.js";

const DEFAULT_DASHBOARD_PORT = 8600;
const DEFAULT_CHAIN_PORT = 8545;
const PORT_VARIABLES = { dashboard: "DASHBOARD_PORT", chain: "CHAIN_PORT" } as const;

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

const dashboardPort = portFromEnvironment(PORT_VARIABLES.dashboard, DEFAULT_DASHBOARD_PORT);
const chainPort = portFromEnvironment(PORT_VARIABLES.chain, DEFAULT_CHAIN_PORT);
for (const port of [dashboardPort, chainPort]) if (typeof port === "string") fail(port);

ensureDashboardBuilt();

let world: Awaited<ReturnType<typeof startDemoWorld>>;
try {
  world = await startDemoWorld({ dashboardPort: dashboardPort as number, chainPort: chainPort as number });
} catch (error) {
  if (error instanceof DemoPortInUseError) {
    fail(`${error.message}: set ${PORT_VARIABLES[error.what]} to a free port (0 = any free one)`);
  }
  throw error;
}

console.log(`Dashboard: ${world.dashboardUrl}`);
console.log(`Chain: ${world.rpcUrl}`);
console.log(`Wallet: ${world.owner}`);
if (!world.dashboardBuilt) console.log("\nThe dashboard is not built: run `npm run build:app`, then reload the page.");
console.log(
  `\nA local chain (id ${world.chainId}) seeded with the demo wallet's approvals; the page connects to it through` +
    " the labelled demo wallet. Its key is a public test key: never fund it anywhere else. Ctrl-C to stop.",
);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await world.stop();
  console.log("Stopped.");
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
await new Promise(() => {});
