import { Command, Option } from "commander";
import { getAddress, maxUint48, maxUint256, parseAbi, type Address, type Hash } from "viem";

import { allowanceRouterAbi } from "../abi/allowanceRouter.js";
import { ALLOWANCE_ROUTER_ADDRESS } from "../router/deployments.js";
import { ActionInputError, NotDeployedError } from "../actions/errors.js";
import { assertCanPay } from "../actions/funds.js";
import { formatGas as gas } from "../actions/text.js";
import { formatTokenAmount, typeMaxBits } from "../risk/amounts.js";
import { DEFAULT_RISK_THRESHOLDS } from "../risk/weights.js";
import { grant, grantByPermit } from "../router/grant.js";
import { assertAddress } from "../router/validate.js";
import { UnknownTokenError } from "../scan/errors.js";
import { connect, type Connection } from "./chain.js";
import type { ActionIo } from "./io.js";
import { accountFrom, OWNER_KEY_VARIABLE, ownerAccountFrom, RELAYER_KEY_VARIABLE } from "../node/keys.js";
import { checkAmountSyntax, FOREVER, MAX_GRANT_YEARS, longGrantWarning, parseDuration, parseTokenAmount, type GrantDuration } from "./units.js";
import { required, withExamples } from "./help.js";
import { positiveInteger } from "./options.js";

interface GrantCommandOptions {
  for: GrantDuration;
  rpc: string;
  via: "approve" | "permit";
  router: string;
  chain?: number;
  approveRouter?: boolean;
  baseUnits?: boolean;
}

/** ERC-165 interface ids of NFT collections, which router grants (ERC-20 amounts) cannot cover. */
const NFT_INTERFACES = [
  ["0x80ac58cd", "ERC-721"],
  ["0xd9b67a26", "ERC-1155"],
] as const;

const tokenAbi = parseAbi([
  "function supportsInterface(bytes4 interfaceId) view returns (bool)",
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

/** "ERC-721" or "ERC-1155" when `token` says by ERC-165 that it is an NFT collection, else null. */
async function nftStandard(connection: Connection, token: Address): Promise<string | null> {
  const answers = await Promise.all(
    NFT_INTERFACES.map(([interfaceId]) =>
      connection.publicClient.readContract({ address: token, abi: tokenAbi, functionName: "supportsInterface", args: [interfaceId] }).catch(() => false),
    ),
  );
  return NFT_INTERFACES.find((_, index) => answers[index] === true)?.[1] ?? null;
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

/**
 * Fails before anything is sent unless the owner (and the relayer, for a relayed permit) can pay:
 * the grant is estimated as the router's approve, which a permit costs about as much as.
 */
async function checkFunds(
  connection: Connection,
  grant: {
    owner: Address;
    relayer: Address | undefined;
    token: Address;
    router: Address;
    spender: Address;
    amount: bigint;
    approveRouter: boolean;
    expiry: { expiresAt: number } | { expiresIn: number };
  },
): Promise<void> {
  const { publicClient, chainId } = connection;
  const { timestamp } = await publicClient.getBlock({ blockTag: "latest" });
  const expiration = "expiresAt" in grant.expiry ? grant.expiry.expiresAt : Number(timestamp) + grant.expiry.expiresIn;
  const [approveGas, grantGas] = await Promise.all([
    grant.approveRouter
      ? publicClient.estimateContractGas({ account: grant.owner, address: grant.token, abi: tokenAbi, functionName: "approve", args: [grant.router, maxUint256] })
      : 0n,
    publicClient.estimateContractGas({
      account: grant.owner,
      address: grant.router,
      abi: allowanceRouterAbi,
      functionName: "approve",
      args: [grant.token, grant.spender, grant.amount, expiration],
    }),
  ]);
  const ownerGas = approveGas + (grant.relayer === undefined ? grantGas : 0n);
  const remedy = `send it some ETH${grant.relayer === undefined ? `, or grant --via permit with ${RELAYER_KEY_VARIABLE} set, so a relayer pays` : ""}`;
  await assertCanPay(publicClient, { account: grant.owner, gas: ownerGas, chainId, remedy });
  if (grant.relayer !== undefined) await assertCanPay(publicClient, { account: grant.relayer, gas: grantGas, chainId, remedy: "send the relayer some ETH" });
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
  const command = new Command("grant")
    .description(
      "Grant a spender up to <amount> of a token for a limited time, through the AllowanceRouter: by the owner's " +
        "transaction (--via approve) or by the owner's EIP-712 permit (--via permit), submitted by the relayer " +
        `(${RELAYER_KEY_VARIABLE}) or else by the owner. The owner's key comes from ${OWNER_KEY_VARIABLE} or ` +
        "Hardhat's keystore, never from the command line.",
    )
    .argument("<token>", "the ERC-20 token (0x...)")
    .argument("<spender>", "who may pull (0x...)")
    .argument("<amount>", "the most the spender may pull, in token units (100, 0.5), or max for no cap")
    .addOption(required(new Option("--for <duration>", `how long the grant lasts: 30m, 1h, 7d, 2w, 1h30m (at most ${MAX_GRANT_YEARS} years), or max for no expiry`).argParser(parseDuration)))
    .addOption(required(new Option("--rpc <url>", "JSON-RPC endpoint of the chain").env("ALLOWANCE_RPC_URL")))
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
      const standard = await nftStandard(connection, token);
      if (standard !== null) {
        throw new ActionInputError(
          `${token} is an ${standard} NFT collection: router grants are amounts of ERC-20 tokens, so it cannot be granted; ` +
            "to take an NFT approval away, use allowance revoke",
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
      if (routerAllowance < amount && !options.approveRouter) {
        throw new ActionInputError(
          `the router may move only ${shown(routerAllowance)} for ${owner.address} (the token's allowance to ${router}), less than ` +
            "the grant, so the spender's pulls would fail: pass --approve-router to give the router the owner's one approval first",
        );
      }
      const expiry = options.for === FOREVER ? { expiresAt: Number(maxUint48) } : { expiresIn: options.for };
      await checkFunds(connection, {
        owner: owner.address,
        relayer: options.via === "permit" ? relayerAccount?.address : undefined,
        token,
        router,
        spender,
        amount,
        approveRouter: routerAllowance < amount,
        expiry,
      });
      const warning = longGrantWarning(options.for, DEFAULT_RISK_THRESHOLDS.longExpiryDays);
      if (warning !== null) io.stderr.write(`${warning}\n`);
      if (routerAllowance < amount) {
        const hash = await wallet.writeContract({ address: token, abi: tokenAbi, functionName: "approve", args: [router, maxUint256] });
        const used = await confirmed(connection, hash, "approving the router");
        io.stdout.write(`Approved the router ${router} for ${symbol ?? token} (unlimited, once): transaction ${hash}, ${gas(used)} gas.\n`);
      }

      const grantParameters = { router, token, spender, amount, ...expiry };
      let hash: Hash;
      let requestedExpiration: number;
      let sender: string;
      if (options.via === "approve") {
        ({ hash, expiresAt: requestedExpiration } = await grant(wallet, grantParameters));
        sender = "the owner's transaction";
      } else {
        const relayer = relayerAccount === undefined ? wallet : connection.walletFor(relayerAccount);
        const signed = await grantByPermit(wallet, { ...grantParameters, relayer });
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
      const nextNonce = `next permit nonce ${nonce}`;
      const lasts =
        BigInt(expiration) === maxUint48
          ? `with no expiry (${nextNonce})`
          : `until ${utc(expiration)} (in ${duration(expiration - Number(timestamp))}; ${nextNonce})`;
      const lines = [
        `Granted ${spender} up to ${shown(granted)} ${lasts}.`,
        `Router ${router}, by ${sender}: transaction ${hash}, ${gas(used)} gas.`,
      ];
      if (expiration < requestedExpiration) {
        const requested = BigInt(requestedExpiration) === maxUint48 ? "never" : utc(requestedExpiration);
        lines.push(`The owner's maximum duration (setMaxDuration) moved the expiry from ${requested} to ${utc(expiration)}.`);
      }
      io.stdout.write(`${lines.join("\n")}\n`);
    });
  return withExamples(command, [
    [
      "250 PMB for a week on the revoke demo chain, approving the router first if it needs it",
      "npx allowance grant 0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9 0xA51c1fc2f0D1a1b8494Ed1FE312d7C3a78Ed91C0 250 --for 7d --rpc http://127.0.0.1:8547 --approve-router",
    ],
    [
      "0.5 PMA for 30 minutes by the owner's signed permit, submitted (and paid for) by the relayer",
      "npx allowance grant 0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9 0xA51c1fc2f0D1a1b8494Ed1FE312d7C3a78Ed91C0 0.5 --for 30m --via permit --rpc http://127.0.0.1:8547",
    ],
  ]);
}
