import { Command, Option } from "commander";
import { getAddress, maxUint256, parseAbi, type Address, type Hash } from "viem";

import { allowanceRouterAbi } from "../abi/allowanceRouter.js";
import { ALLOWANCE_ROUTER_ADDRESS } from "../actions/deployments.js";
import { ActionInputError, NotDeployedError } from "../actions/errors.js";
import { formatGas as gas } from "../actions/text.js";
import { formatTokenAmount, typeMaxBits } from "../risk/amounts.js";
import { grant, grantByPermit } from "../router/grant.js";
import { assertAddress } from "../router/validate.js";
import { UnknownTokenError } from "../scan/errors.js";
import { connect, type Connection } from "./chain.js";
import type { ActionIo } from "./io.js";
import { accountFrom, OWNER_KEY_VARIABLE, ownerAccountFrom, RELAYER_KEY_VARIABLE } from "../node/keys.js";
import { checkAmountSyntax, parseDuration, parseTokenAmount } from "./units.js";
import { positiveInteger } from "./options.js";

interface GrantCommandOptions {
  for: number;
  rpc: string;
  via: "approve" | "permit";
  router: string;
  chain?: number;
  approveRouter?: boolean;
  baseUnits?: boolean;
}

const tokenAbi = parseAbi([
  "function decimals() view returns (uint8)",
  "function symbol() view returns (string)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
]);

/** "1h 30m", "7d", "45s": the largest two units. */
function duration(seconds: number): string {
  const units = [["d", 86_400], ["h", 3_600], ["m", 60], ["s", 1]] as const;
  const parts: string[] = [];
  let rest = Math.max(0, seconds);
  for (const [unit, size] of units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.length > 0 ? parts.join(" ") : "0s";
}

const utc = (seconds: number) => `${new Date(seconds * 1000).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "")} UTC`;

async function hasCode(connection: Connection, address: Address): Promise<boolean> {
  const code = await connection.publicClient.getCode({ address });
  return code !== undefined && code !== "0x";
}

/** The token's decimals and symbol; without decimals() the amount must be given in base units. */
async function tokenFacts(connection: Connection, token: Address, baseUnits: boolean): Promise<{ decimals: number; symbol: string | null }> {
  const read = <F extends "decimals" | "symbol">(functionName: F) =>
    connection.publicClient.readContract({ address: token, abi: tokenAbi, functionName }).catch(() => null);
  const [decimals, symbol] = await Promise.all([read("decimals"), read("symbol")]);
  if (baseUnits) return { decimals: 0, symbol };
  if (decimals === null) throw new ActionInputError(`${token} does not answer decimals(): pass the amount in base units with --base-units`);
  return { decimals, symbol };
}

async function confirmed(connection: Connection, hash: Hash, what: string): Promise<bigint> {
  const receipt = await connection.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`${what} (transaction ${hash}) reverted`);
  return receipt.gasUsed;
}

/**
 * `allowance grant <token> <spender> <amount> --for 1h --rpc <url>`: a time-bounded,
 * amount-capped grant through the AllowanceRouter, by the owner's transaction or signed permit.
 */
export function grantCommand(io: ActionIo): Command {
  return new Command("grant")
    .description(
      "Grant a spender up to <amount> of a token for a limited time, through the AllowanceRouter: by the owner's " +
        "transaction (--via approve) or by the owner's EIP-712 permit (--via permit), submitted by the relayer " +
        `(${RELAYER_KEY_VARIABLE}) or else by the owner. The owner's key comes from ${OWNER_KEY_VARIABLE} or ` +
        "Hardhat's keystore, never from the command line.",
    )
    .argument("<token>", "the ERC-20 token (0x...)")
    .argument("<spender>", "who may pull (0x...)")
    .argument("<amount>", "the most the spender may pull, in token units (100, 0.5), or max for no cap")
    .addOption(new Option("--for <duration>", "how long the grant lasts: 30m, 1h, 7d, 2w, 1h30m").argParser(parseDuration).makeOptionMandatory())
    .addOption(new Option("--rpc <url>", "JSON-RPC endpoint of the chain").env("ALLOWANCE_RPC_URL").makeOptionMandatory())
    .addOption(new Option("--via <way>", "approve: a transaction of the owner; permit: a signature of the owner").choices(["approve", "permit"]).default("approve"))
    .option("--router <address>", "the AllowanceRouter deployment", ALLOWANCE_ROUTER_ADDRESS)
    .option("--chain <id>", "fail unless the RPC serves this chain id", positiveInteger)
    .option("--approve-router", "first give the router the owner's one ERC-20 approval (unlimited) if it allows less than the amount")
    .option("--base-units", "the amount is in the token's base units (for a token without decimals())")
    .action(async (tokenText: string, spenderText: string, amountText: string, options: GrantCommandOptions) => {
      const env = io.env ?? process.env;
      assertAddress("token", tokenText);
      assertAddress("spender", spenderText);
      assertAddress("router", options.router);
      const [token, spender, router] = [tokenText, spenderText, options.router].map((text) => getAddress(text)) as [Address, Address, Address];
      checkAmountSyntax(amountText);
      const owner = await ownerAccountFrom(env);
      const relayerAccount = options.via === "permit" ? await accountFrom(RELAYER_KEY_VARIABLE, env) : undefined;
      const connection = await connect(options.rpc, options.chain);
      if (!(await hasCode(connection, token))) throw new UnknownTokenError(token, connection.chainId);
      if (!(await hasCode(connection, router))) {
        throw new NotDeployedError(
          "AllowanceRouter",
          router,
          connection.chainId,
          "deploy it with `npx hardhat ignition deploy ignition/modules/AllowanceRouter.ts --strategy create2 --network <network>`, or pass --router <address>",
        );
      }
      const { decimals, symbol } = await tokenFacts(connection, token, options.baseUnits === true);
      const amount = parseTokenAmount(amountText, decimals);
      // "100 PMA", or "100 of 0x1234…" for a token without a symbol.
      const shown = (value: bigint) =>
        `${typeMaxBits(value) !== null ? "unlimited" : formatTokenAmount(value, decimals, null)} ${symbol ?? `of ${token}`}`;
      const wallet = connection.walletFor(owner);

      const routerAllowance = await connection.publicClient.readContract({
        address: token,
        abi: tokenAbi,
        functionName: "allowance",
        args: [owner.address, router],
      });
      if (routerAllowance < amount && options.approveRouter) {
        const hash = await wallet.writeContract({ address: token, abi: tokenAbi, functionName: "approve", args: [router, maxUint256] });
        const used = await confirmed(connection, hash, "approving the router");
        io.stdout.write(`Approved the router ${router} for ${symbol ?? token} (unlimited, once): transaction ${hash}, ${gas(used)} gas.\n`);
      }

      const grantParameters = { walletClient: wallet, router, token, spender, amount, expiresIn: options.for };
      let hash: Hash;
      let requestedExpiration: number;
      let sender: string;
      if (options.via === "approve") {
        ({ hash, expiresAt: requestedExpiration } = await grant(grantParameters));
        sender = "the owner's transaction";
      } else {
        const relayer = relayerAccount === undefined ? wallet : connection.walletFor(relayerAccount);
        const signed = await grantByPermit({ ...grantParameters, relayer });
        hash = signed.hash!;
        requestedExpiration = signed.permitSingle.details.expiration;
        sender = `the owner's permit, submitted by ${relayerAccount === undefined ? "the owner" : `the relayer ${relayerAccount.address}`}`;
      }
      const used = await confirmed(connection, hash, "the grant");

      const [granted, expiration, nonce] = await connection.publicClient.readContract({
        address: router,
        abi: allowanceRouterAbi,
        functionName: "allowance",
        args: [owner.address, token, spender],
      });
      const { timestamp } = await connection.publicClient.getBlock({ blockTag: "latest" });
      const lines = [
        `Granted ${spender} up to ${shown(granted)} until ${utc(expiration)} ` +
          `(in ${duration(expiration - Number(timestamp))}; next permit nonce ${nonce}).`,
        `Router ${router}, by ${sender}: transaction ${hash}, ${gas(used)} gas.`,
      ];
      if (expiration < requestedExpiration) {
        lines.push(`The owner's maximum duration (setMaxDuration) moved the expiry from ${utc(requestedExpiration)} to ${utc(expiration)}.`);
      }
      const allowsNow = routerAllowance < amount && options.approveRouter ? maxUint256 : routerAllowance;
      if (allowsNow < amount) {
        lines.push(
          `note: the router may move only ${shown(allowsNow)} for ${owner.address} (its ERC-20 allowance): ` +
            "the spender's pulls beyond that fail; approve the router once, for example with --approve-router.",
        );
      }
      io.stdout.write(`${lines.join("\n")}\n`);
    });
}
