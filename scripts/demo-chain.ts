// Serving a seeded demo chain on a fixed loopback port, for the seed scripts: a port that is
// taken or not a port ends the script with one line saying which port and which variable moves
// it, never a stack trace.
import { createServer } from "node:http";

import { PortInUseError } from "../src/cli/dashboard-server.js";
import { serveProviderOn, type RequestProvider, type RunningServer } from "../test/fixtures/rpc-server.js";

const EXIT_BAD_INPUT = 2;
const HIGHEST_PORT = 65_535;

export class DemoPortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DemoPortError";
  }
}

/** The port in `variable`, or `fallback` when it is unset. */
export function demoPort(variable: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const text = env[variable];
  if (text === undefined || text === "") return fallback;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > HIGHEST_PORT) {
    throw new DemoPortError(`${variable}=${text} is not a port: set it to a number from 1 to ${HIGHEST_PORT}, or unset it for ${fallback}`);
  }
  return port;
}

/** Serves `provider` over HTTP JSON-RPC on 127.0.0.1:`port`; a taken or forbidden port is a DemoPortError. */
export async function serveDemoChain(provider: RequestProvider, port: number, variable: string): Promise<RunningServer> {
  try {
    return await serveProviderOn(provider, createServer(), port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof PortInUseError || code === "EADDRINUSE") {
      throw new DemoPortError(
        `port ${port} on 127.0.0.1 is already in use (is a demo chain still running there?): stop that process, or pick another port with ${variable}=<port>`,
      );
    }
    if (code === "EACCES") throw new DemoPortError(`port ${port} needs privileges this process lacks: pick a port above 1023 with ${variable}=<port>`);
    throw error;
  }
}

/** Runs a seed script's body; a DemoPortError becomes its one-line message and exit code 2. */
export async function runDemoChainScript(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (!(error instanceof DemoPortError)) throw error;
    console.error(`error: ${error.message}`);
    process.exit(EXIT_BAD_INPUT);
  }
}
