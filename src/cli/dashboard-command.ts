import { Command } from "commander";

import { connect } from "./chain.js";
import { DashboardNotBuiltError, DEFAULT_DASHBOARD_DIST, PortInUseError, serveDashboard, type DashboardServer } from "./dashboard-server.js";
import { CommandExit, type ActionIo } from "./io.js";
import { port } from "./options.js";

const EXIT_FAILURE = 1;
const EXIT_BAD_INPUT = 2;

/** The dashboard's default port, the same as `npm start`'s. */
export const DEFAULT_DASHBOARD_PORT = 8600;

interface DashboardCommandOptions {
  rpc?: string;
  port: number;
  dist: string;
}

/** Resolves on Ctrl-C or SIGTERM: the command serves until then. */
const untilInterrupted = () =>
  new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });

export interface DashboardIo extends ActionIo {
  /** When serving ends; defaults to Ctrl-C or SIGTERM. */
  until?: Promise<void>;
}

/**
 * `allowance dashboard [--rpc <url>] [--port <n>]`: serves the built dashboard on loopback for a
 * real chain (no demo wallet: `demo: null` in /config.json). With --rpc the page starts on that
 * node (its chain id is asked first); without, the page asks for an RPC URL or uses the injected
 * wallet's.
 */
export function dashboardCommand(io: DashboardIo): Command {
  return new Command("dashboard")
    .description("Serve the dashboard page on 127.0.0.1 for a real chain (connect an injected wallet, or view any address read-only).")
    .option("--rpc <url>", "JSON-RPC endpoint the page starts on (default: the page asks; env ALLOWANCE_RPC_URL)")
    .option("--port <n>", "port on 127.0.0.1 to serve on (0 = any free port)", port, DEFAULT_DASHBOARD_PORT)
    .option("--dist <dir>", "the built page to serve", DEFAULT_DASHBOARD_DIST)
    .action(async (options: DashboardCommandOptions) => {
      const rpcUrl = options.rpc ?? io.env?.ALLOWANCE_RPC_URL ?? null;
      const chainId = rpcUrl === null ? null : (await connect(rpcUrl, undefined)).chainId;
      let server: DashboardServer;
      try {
        server = await serveDashboard({ config: { rpcUrl, chainId, demo: null }, port: options.port, distDir: options.dist, requireBuilt: true });
      } catch (error) {
        if (error instanceof PortInUseError) throw new CommandExit(EXIT_BAD_INPUT, `error: ${error.message}: pass --port <n> (0 = any free port)`);
        if (error instanceof DashboardNotBuiltError) throw new CommandExit(EXIT_FAILURE, `error: ${error.message}`);
        throw error;
      }
      io.stdout.write(`Dashboard: ${server.url}\n`);
      io.stdout.write(rpcUrl === null ? "Chain: set in the page (no --rpc given)\n" : `Chain: ${rpcUrl} (chain ${chainId})\n`);
      io.stderr.write("Connect an injected wallet in the page, or view any address read-only. Ctrl-C to stop.\n");
      await (io.until ?? untilInterrupted());
      await server.close();
    });
}
