// `allowance grant` against a real JSON-RPC node on loopback: time-bounded router grants by
// transaction and by relayed permit, amounts in token units, durations, and bad input that ends
// with one line, exit code 2 and nothing sent.
import { expect } from "chai";
import { maxUint160, maxUint256, parseEther, type Address, type PublicClient } from "viem";

import { checkAmountSyntax, parseDuration, parseTokenAmount } from "../src/cli/units.js";
import { errorSummary } from "../src/actions/text.js";
import { ActionInputError } from "../src/index.js";
import { runInProcess, serveCliWorld, type CliWorld, type Env } from "./fixtures/cli-world.js";
import { OWNER_KEY, RELAYER_KEY, type RevokeWorld } from "./fixtures/revoke-world.js";
import type { RunningServer } from "./fixtures/rpc-server.js";

describe("allowance grant", function () {
  let cli: CliWorld;
  let world: RevokeWorld;
  let node: RunningServer;
  let publicClient: PublicClient;

  const ownerEnv = { ALLOWANCE_PRIVATE_KEY: OWNER_KEY };
  const run = (args: string[], env: Env = ownerEnv) => runInProcess(args, env);
  const blockNumber = () => publicClient.getBlockNumber({ cacheTime: 0 });
  const latestTime = async () => (await publicClient.getBlock({ blockTag: "latest" })).timestamp;
  const grantOf = async (token: Address, spender: Address, router: Address = world.router) => {
    const [amount, expiration, nonce] = (await publicClient.readContract({
      address: router,
      abi: world.abis.router,
      functionName: "allowance",
      args: [world.owner.address, token, spender],
    })) as [bigint, number, number];
    return { amount, expiration, nonce };
  };
  const routerAllowance = (token: Address) =>
    publicClient.readContract({
      address: token,
      abi: world.abis.token,
      functionName: "allowance",
      args: [world.owner.address, world.router],
    }) as Promise<bigint>;

  before(async function () {
    cli = await serveCliWorld("allowance-grant-");
    ({ world, node, publicClient } = cli);
  });

  afterEach(async function () {
    await cli.restore();
  });

  after(async function () {
    await cli?.dispose();
  });

  it("grants by the owner's transaction: the amount in token units, the expiry --for from the latest block", async function () {
    const { permitA } = world.tokens;
    const before = await latestTime();
    const result = await run(["grant", permitA, world.spenders.busy, "100", "--for", "1h", "--rpc", node.url]);

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.equal("");
    const grant = await grantOf(permitA, world.spenders.busy);
    expect(grant).to.deep.equal({ amount: parseEther("100"), expiration: Number(before) + 3_600, nonce: 0 });
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).to.match(
      new RegExp(`^Granted ${world.spenders.busy} up to 100 PMA until \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC \\(in 59m 5\\ds; next permit nonce 0\\)\\.$`),
    );
    expect(lines[1]).to.match(new RegExp(`^Router ${world.router}, by the owner's transaction: transaction 0x[0-9a-f]{64}, \\d{2},\\d{3} gas\\.$`));
    // The owner approved the router for PMA already: nothing to add.
    expect(lines).to.have.length(2);
  });

  it("grants by permit: the owner signs, the relayer submits and pays; without a relayer the owner submits it", async function () {
    const { permitA } = world.tokens;
    const [ownerNonce, relayerNonce] = await Promise.all([
      publicClient.getTransactionCount({ address: world.owner.address }),
      publicClient.getTransactionCount({ address: world.relayer.address }),
    ]);
    const relayed = await run(["grant", permitA, world.spenders.busy, "2.5", "--for", "7d", "--rpc", node.url, "--via", "permit"], {
      ...ownerEnv,
      ALLOWANCE_RELAYER_PRIVATE_KEY: RELAYER_KEY,
    });
    expect(relayed.code, relayed.stderr).to.equal(0);
    expect(relayed.stdout).to.include(`by the owner's permit, submitted by the relayer ${world.relayer.address}: transaction 0x`);
    expect(relayed.stdout).to.match(/ \(in 6d 23h; next permit nonce 1\)\.\n/);
    expect(await publicClient.getTransactionCount({ address: world.owner.address })).to.equal(ownerNonce);
    expect(await publicClient.getTransactionCount({ address: world.relayer.address })).to.equal(relayerNonce + 1);
    expect((await grantOf(permitA, world.spenders.busy)).amount).to.equal(parseEther("2.5"));

    const own = await run(["grant", permitA, world.spenders.idle, "max", "--for", "30m", "--rpc", node.url, "--via", "permit"]);
    expect(own.code, own.stderr).to.equal(0);
    expect(own.stdout).to.match(new RegExp(`^Granted ${world.spenders.idle} up to unlimited PMA until .* \\(in 29m 5\\ds; next permit nonce 1\\)\\.\\n`));
    expect(own.stdout).to.include("by the owner's permit, submitted by the owner: transaction 0x");
    expect((await grantOf(permitA, world.spenders.idle)).amount).to.equal(maxUint160);
  });

  it("stops before sending when the router may not move the amount, and --approve-router gives it the owner's one approval first (issue 9, point 5)", async function () {
    const { permitB } = world.tokens;
    const height = await blockNumber();
    const refused = await run(["grant", permitB, world.spenders.busy, "10", "--for", "1h30m", "--rpc", node.url]);
    expect(refused.code, refused.stderr).to.equal(2);
    expect(refused.stdout).to.equal("");
    expect(refused.stderr).to.equal(
      `error: the router may move only 0 PMB for ${world.owner.address} (the token's allowance to ${world.router}), less than the grant, ` +
        "so the spender's pulls would fail: pass --approve-router to give the router the owner's one approval first\n",
    );
    expect(await blockNumber()).to.equal(height);
    expect((await grantOf(permitB, world.spenders.busy)).amount).to.equal(0n);

    const approved = await run(["grant", permitB, world.spenders.busy, "10", "--for", "1h", "--rpc", node.url, "--approve-router"]);
    expect(approved.code, approved.stderr).to.equal(0);
    expect(approved.stdout).to.match(new RegExp(`^Approved the router ${world.router} for PMB \\(unlimited, once\\): transaction 0x[0-9a-f]{64}, \\d{2},\\d{3} gas\\.\\n`));
    expect(await routerAllowance(permitB)).to.equal(maxUint256);
    expect((await grantOf(permitB, world.spenders.busy)).amount).to.equal(parseEther("10"));
  });

  it("refuses a duration beyond 5 years unless --for max, and warns past a year (issue 9, point 5)", async function () {
    const { permitA } = world.tokens;
    const height = await blockNumber();
    const absurd = await run(["grant", permitA, world.spenders.busy, "1", "--for", "100000w", "--rpc", node.url]);
    expect(absurd.code).to.equal(2);
    expect(absurd.stderr).to.match(/^error: option '--for <duration>' argument '100000w' is invalid\. 100000w is 1,917\.8 years: grants are limited to 5 years, since an expiry that far away no longer bounds a compromised spender; pass a shorter duration, or --for max for a grant that never expires\. \(see --help\)\n$/);
    expect(await blockNumber()).to.equal(height);

    const before = await latestTime();
    const twoYears = await run(["grant", permitA, world.spenders.busy, "1", "--for", "104w", "--rpc", node.url]);
    expect(twoYears.code, twoYears.stderr).to.equal(0);
    expect(twoYears.stderr).to.equal("warning: this grant lasts 2 years; allowance scan grades an expiry more than 365 days away as a risk (longExpiry)\n");
    expect((await grantOf(permitA, world.spenders.busy)).expiration).to.equal(Number(before) + 104 * 7 * 86_400);

    const forever = await run(["grant", permitA, world.spenders.idle, "1", "--for", "max", "--rpc", node.url]);
    expect(forever.code, forever.stderr).to.equal(0);
    expect(forever.stderr).to.match(/^warning: this grant never expires; /);
    expect(forever.stdout).to.match(new RegExp(`^Granted ${world.spenders.idle} up to 1 PMA with no expiry \\(next permit nonce 0\\)\\.\\n`));
    expect(BigInt((await grantOf(permitA, world.spenders.idle)).expiration)).to.equal(2n ** 48n - 1n);

    const oneHour = await run(["grant", permitA, world.spenders.busy, "1", "--for", "1h", "--rpc", node.url]);
    expect(oneHour.stderr).to.equal("");
  });

  it("says an ERC-721 collection is an NFT collection that router grants cannot cover (issue 9, point 10)", async function () {
    const height = await blockNumber();
    const result = await run(["grant", world.tokens.nft, world.spenders.busy, "1", "--for", "1h", "--rpc", node.url]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.equal(
      `error: ${world.tokens.nft} is an ERC-721 NFT collection: router grants are amounts of ERC-20 tokens, so it cannot be granted; to take an NFT approval away, use allowance revoke\n`,
    );
    expect(result.stderr).to.not.include("--base-units");
    const multi = await run(["grant", world.tokens.multi, world.spenders.busy, "1", "--for", "1h", "--rpc", node.url]);
    expect(multi.stderr).to.match(/is an ERC-1155 NFT collection/);
    expect(await blockNumber()).to.equal(height);
  });

  it("scan shows a grant just made, with no --router, and grades the owner's approval of the router as its grants (issue 9, point 1)", async function () {
    const { permitB } = world.tokens;
    const granted = await run(["grant", permitB, world.spenders.busy, "10", "--for", "1h", "--rpc", node.url, "--approve-router"]);
    expect(granted.code, granted.stderr).to.equal(0);
    const scan = await run(["scan", world.owner.address, "--rpc", node.url, "--no-cache", "--json"], {});
    expect(scan.code, scan.stderr).to.equal(0);
    type Row = { kind: string; router: string | null; spender: string; token: { address: string }; amount: string; risk: { level: string; score: number }; recommendation: { action: string } };
    const approvals = (JSON.parse(scan.stdout) as { approvals: Row[] }).approvals;
    const grant = approvals.find((a) => a.kind === "router" && a.router === world.router && a.token.address === permitB && a.spender === world.spenders.busy);
    expect(grant, "the grant made by allowance grant").to.not.equal(undefined);
    expect(grant!.amount).to.equal(parseEther("10").toString());
    const routerApproval = approvals.find((a) => a.kind === "erc20" && a.spender === world.router && a.token.address === permitB)!;
    expect(routerApproval.risk).to.include({ level: "low", score: 0 });
    expect(routerApproval.recommendation.action).to.equal("keep");
    // revoke reads the same routers by default, and grades the same way.
    const revoke = await run(["revoke", world.owner.address, "--rpc", node.url, "--no-cache", "--select", `spender:${world.router}`, "--dry-run"]);
    expect(revoke.stdout).to.match(/low 0 +keep/);
    const help = [(await run(["scan", "--help"], {})).stdout, (await run(["revoke", "--help"], {})).stdout].map((text) =>
      /--router <address> +([\s\S]*?)\n  --/.exec(text)![1]!.replace(/\s+/g, " "),
    );
    expect(help[0]).to.equal(help[1]);
    expect(help[0]).to.include(world.router);
  });

  it("an owner with no ETH is told so before anything is sent; an unforeseen node refusal shows the node's own words (issue 9, point 6)", async function () {
    await cli.connection.networkHelpers.setBalance(world.owner.address, 0n);
    const height = await blockNumber();
    const result = await run(["grant", world.tokens.permitA, world.spenders.busy, "1", "--for", "1h", "--rpc", node.url]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(
      new RegExp(`^error: ${world.owner.address} has 0 ETH on chain 31337; the plan needs about \\d{2},\\d{3} gas \\(≈ 0\\.\\d+ ETH at the current fee\\): send it some ETH, or grant --via permit with ALLOWANCE_RELAYER_PRIVATE_KEY set, so a relayer pays\\n$`),
    );
    expect(await blockNumber()).to.equal(height);
    // The relayer pays a permit: the owner's 0 ETH is no obstacle.
    const relayed = await run(["grant", world.tokens.permitA, world.spenders.busy, "1", "--for", "1h", "--rpc", node.url, "--via", "permit"], {
      ...ownerEnv,
      ALLOWANCE_RELAYER_PRIVATE_KEY: RELAYER_KEY,
    });
    expect(relayed.code, relayed.stderr).to.equal(0);

    // What viem reports as "Missing or invalid parameters." reaches the user as the node's message.
    const { InvalidInputRpcError, RpcRequestError } = await import("viem");
    const wrapped = new InvalidInputRpcError(new RpcRequestError({ body: {}, url: node.url, error: { code: -32000, message: "Sender doesn't have enough funds to send tx." } }));
    expect(wrapped.shortMessage).to.match(/^Missing or invalid parameters\./);
    expect(errorSummary(wrapped)).to.equal("Sender doesn't have enough funds to send tx.");
  });

  it("takes a token without decimals() only with --base-units, and says so", async function () {
    const { dai: noDecimals } = world.tokens;
    const height = await blockNumber();
    const refused = await run(["grant", noDecimals, world.spenders.busy, "5", "--for", "1h", "--rpc", node.url]);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.equal(`error: ${noDecimals} does not answer decimals(): pass the amount in base units with --base-units\n`);
    expect(await blockNumber()).to.equal(height);

    const raw = await run(["grant", noDecimals, world.spenders.busy, "5000", "--for", "1h", "--rpc", node.url, "--base-units", "--approve-router"]);
    expect(raw.code, raw.stderr).to.equal(0);
    expect(raw.stdout).to.match(new RegExp(`\\nGranted ${world.spenders.busy} up to 5,000 of ${noDecimals} until `));
    expect((await grantOf(noDecimals, world.spenders.busy)).amount).to.equal(5000n);
  });

  it("ends bad input with one line that says what to do, exit code 2, and nothing sent", async function () {
    const { permitA } = world.tokens;
    const busy = world.spenders.busy;
    const rpc = ["--rpc", node.url];
    const height = await blockNumber();
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["grant", "0x12", busy, "1", "--for", "1h", ...rpc], ownerEnv, /token "0x12" is not an address: pass a 0x-prefixed 20-byte hex address/],
      [["grant", permitA, "spender", "1", "--for", "1h", ...rpc], ownerEnv, /spender "spender" is not an address/],
      [["grant", permitA, "0x0000000000000000000000000000000000000000", "1", "--for", "1h", ...rpc], ownerEnv, /spender is the zero address/],
      [["grant", world.spenders.eoa, busy, "1", "--for", "1h", ...rpc], ownerEnv, /no contract at 0x[0-9a-fA-F]{40} on chain 31337: pass the address of a token deployed on this chain/],
      [
        ["grant", permitA, busy, "1", "--for", "1h", ...rpc, "--router", world.spenders.eoa],
        ownerEnv,
        /no AllowanceRouter at 0x[0-9a-fA-F]{40} on chain 31337: deploy it with `npx hardhat ignition deploy ignition\/modules\/AllowanceRouter\.ts --strategy create2 --network <network>`, or pass --router <address>/,
      ],
      [["grant", permitA, busy, "1", "--for", "1h", ...rpc], {}, /no private key: set ALLOWANCE_PRIVATE_KEY in the environment or store it with `npx hardhat keystore set ALLOWANCE_PRIVATE_KEY`/],
      [["grant", permitA, busy, "1", "--for", "1h", ...rpc, "--chain", "10"], ownerEnv, /serves chain 31337, not chain 10: use an RPC URL for chain 10 or pass --chain 31337/],
      [["grant", permitA, busy, "1", "--for", "1h", "--rpc", "http://127.0.0.1:59999"], ownerEnv, /cannot reach the RPC at http:\/\/127\.0\.0\.1:59999 \(ECONNREFUSED\)/],
      [["grant", permitA, busy, "1", "--for", "1 hour", ...rpc], ownerEnv, /option '--for <duration>' argument '1 hour' is invalid\. expected a duration such as 30m, 1h, 7d or 1h30m, or max\./],
      [["grant", permitA, busy, "1", ...rpc], ownerEnv, /required option '--for <duration>' not specified/],
      [["grant", permitA, busy, "lots", "--for", "1h", ...rpc], ownerEnv, /amount "lots" is not a number: pass token units such as 100 or 0\.5, or max/],
      [["grant", permitA, busy, "0", "--for", "1h", ...rpc], ownerEnv, /amount 0 grants nothing: pass a positive amount/],
      [["grant", permitA, busy, "0.0000000000000000001", "--for", "1h", ...rpc], ownerEnv, /has more decimals than the token's 18: round it to 18 decimal places/],
      [["grant", permitA, busy, "1", "--for", "1h", ...rpc, "--via", "carrier"], ownerEnv, /Allowed choices are approve, permit/],
    ];
    for (const [args, env, message] of cases) {
      const result = await run(args, env);
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).to.equal(2);
      expect(result.stdout).to.equal("");
      const lines = result.stderr.trimEnd().split("\n");
      expect(lines, result.stderr).to.have.length(1);
      expect(lines[0]).to.match(/^error: /);
      expect(lines[0]).to.match(message);
    }
    expect(await blockNumber()).to.equal(height);
  });

  it("has --help", async function () {
    const help = await run(["grant", "--help"]);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^Usage: allowance grant \[options\] <token> <spender> <amount>/);
    for (const option of ["--for <duration>", "--rpc <url>", "--via <way>", "--router <address>", "--chain <id>", "--approve-router", "--base-units"]) {
      expect(help.stdout).to.include(option);
    }
  });
});

describe("grant units", function () {
  it("reads durations as sums of s, m, h, d and w", function () {
    expect(parseDuration("30m")).to.equal(1_800);
    expect(parseDuration("1h")).to.equal(3_600);
    expect(parseDuration("7d")).to.equal(604_800);
    expect(parseDuration("2w")).to.equal(1_209_600);
    expect(parseDuration("1h30m")).to.equal(5_400);
    for (const bad of ["", "0m", "1", "h", "1x", "-1h", "1.5h", "1h 30m"]) expect(() => parseDuration(bad), bad).to.throw(/expected a duration/);
    expect(parseDuration("max")).to.equal("max");
    expect(parseDuration("260w")).to.equal(260 * 604_800);
    expect(() => parseDuration("261w")).to.throw(/grants are limited to 5 years/);
  });

  it("reads amounts in token units at the token's decimals, or max", function () {
    expect(parseTokenAmount("100", 18)).to.equal(100n * 10n ** 18n);
    expect(parseTokenAmount("0.5", 6)).to.equal(500_000n);
    expect(parseTokenAmount("MAX", 6)).to.equal(maxUint160);
    expect(parseTokenAmount("unlimited", 0)).to.equal(maxUint160);
    expect(() => parseTokenAmount("1.5", 0)).to.throw(ActionInputError, /more decimals than the token's 0/);
    expect(() => parseTokenAmount((maxUint160 + 1n).toString(), 0)).to.throw(ActionInputError, /above the router's cap of 2\^160 - 1/);
    expect(() => checkAmountSyntax("1e18")).to.throw(ActionInputError, /is not a number/);
    expect(() => checkAmountSyntax(".5")).to.throw(ActionInputError, /is not a number/);
  });
});
