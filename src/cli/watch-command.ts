import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { Command, InvalidArgumentError, Option } from "commander";

import { defaultCachePath } from "../node/sqlite-cache.js";
import { DEFAULT_WATCH_SETTINGS, loadWatchSettings, parseOwnerAddress, parseOwnersFile } from "../watch/config.js";
import { WatchConfigError } from "../watch/errors.js";
import { openWatchStore } from "../watch/open-store.js";
import { startWatchService } from "../watch/service.js";
import type { OwnerInput } from "../watch/types.js";
import { CommandExit, type ActionIo } from "./io.js";
import { accountFrom } from "../node/keys.js";

/** The guardian key: the environment, or the same name in Hardhat's keystore; never an argument. */
export const GUARDIAN_KEY_VARIABLE = "ALLOWANCE_GUARDIAN_PRIVATE_KEY";
/** The webhook's HMAC key. */
export const WEBHOOK_SECRET_VARIABLE = "ALLOWANCE_WEBHOOK_SECRET";
export const DEFAULT_API_PORT = 7345;

const EXIT_BAD_INPUT = 2;

interface WatchCommandOptions {
  rpc: string;
  owners?: string;
  owner?: string[];
  webhook?: string;
  store: string;
  confirmations?: number;
  config?: string;
  denylist?: string;
  apiPort: number;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number >= 0.");
  return Number(value);
}

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65_535) throw new InvalidArgumentError("expected a port from 0 to 65535 (0 = any free port).");
  return Number(value);
}

/** Stops on SIGINT or SIGTERM. */
const untilSignal = () =>
  new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });

/**
 * `allowance watch --rpc <url> (--owners <file> | --owner <addr>…)`: follows the wallets block by
 * block, prints alerts as JSON lines, posts them to a webhook, auto-revokes as guardian.
 */
export function watchCommand(io: ActionIo, until: () => Promise<void> = untilSignal): Command {
  return new Command("watch")
    .description("Watch many wallets: alert on risky approvals, revoke as their guardian when a spender is exploited.")
    .addOption(new Option("--rpc <url>", "JSON-RPC endpoint of the chain").env("ALLOWANCE_RPC_URL").makeOptionMandatory())
    .option("--owners <file>", "wallets to watch: one address per line, or a JSON array")
    .option("--owner <address>", "a wallet to watch (repeatable)", collect)
    .option("--webhook <url>", `POST every alert here (HMAC-signed with ${WEBHOOK_SECRET_VARIABLE})`)
    .option("--store <path|postgres://…>", "SQLite file, or a PostgreSQL URL to run as one of many workers", join(dirname(defaultCachePath()), "watch.sqlite"))
    .option("--confirmations <n>", `blocks on top before a block is processed (default ${DEFAULT_WATCH_SETTINGS.confirmations})`, count)
    .option("--config <file>", "JSON settings and rules (see README: Watching wallets)")
    .option("--denylist <file>", "exploited spenders, reloaded when the file changes")
    .option("--api-port <port>", "control API port on 127.0.0.1 (0 = any free port)", port, DEFAULT_API_PORT)
    .action(async (options: WatchCommandOptions) => {
      const env = io.env ?? process.env;
      const settings = options.config === undefined ? { ...DEFAULT_WATCH_SETTINGS } : loadWatchSettings(options.config);
      if (options.confirmations !== undefined) settings.confirmations = options.confirmations;
      if (options.denylist !== undefined) settings.denylistFile = options.denylist;
      const owners: OwnerInput[] = [];
      if (options.owners !== undefined) {
        let text: string;
        try {
          text = readFileSync(options.owners, "utf8");
        } catch (error) {
          throw new CommandExit(EXIT_BAD_INPUT, `error: cannot read --owners ${options.owners} (${(error as NodeJS.ErrnoException).code ?? ""})`);
        }
        owners.push(...parseOwnersFile(text, options.owners));
      }
      for (const owner of options.owner ?? []) owners.push({ address: parseOwnerAddress(owner, "--owner") });
      let webhook: { url: string; secret: string } | null = null;
      if (options.webhook !== undefined) {
        try {
          new URL(options.webhook);
        } catch {
          throw new WatchConfigError("--webhook", `"${options.webhook}" is not a URL`);
        }
        const secret = env[WEBHOOK_SECRET_VARIABLE];
        if (secret === undefined || secret === "") throw new WatchConfigError("--webhook", `set ${WEBHOOK_SECRET_VARIABLE} to the key the webhook checks signatures with`);
        webhook = { url: options.webhook, secret };
      }
      const guardian = (await accountFrom(GUARDIAN_KEY_VARIABLE, env)) ?? null;
      const { store, driver } = await openWatchStore(options.store, settings, { webhook, log: (line) => io.stderr.write(`${line}\n`) });
      const known = (await store.owners()).length;
      if (owners.length === 0 && known === 0 && store.kind === "sqlite") {
        await store.close();
        throw new WatchConfigError("allowance watch", "no owners: pass --owners <file> or --owner <address>, or add them later with POST /owners");
      }
      const service = await startWatchService({
        rpcUrl: options.rpc,
        store,
        settings,
        owners,
        webhook,
        guardian,
        apiPort: options.apiPort,
        driver,
        output: (line) => io.stdout.write(`${line}\n`),
        log: (line) => io.stderr.write(`${line}\n`),
      });
      io.stderr.write(
        `watching ${(await store.owners()).length} owner(s) on chain ${service.chainId}, ${settings.confirmations} confirmation(s); ` +
          `store ${store.kind}; control API ${service.apiUrl}; ${guardian === null ? `no guardian key (${GUARDIAN_KEY_VARIABLE})` : `guardian ${guardian.address}`}\n`,
      );
      await until();
      await service.stop();
      await store.close();
    });
}
