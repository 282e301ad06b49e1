// `allowance revoke` against a real JSON-RPC node on loopback: the bin in a child process (dry
// run, prompt answered through stdin, a key from Hardhat's keystore) and the same program in
// this process for the rest: selections, ways, outcomes, and bad input that ends with one line,
// exit code 2 and nothing sent.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect } from "chai";
import { getAddress, type Address, type PublicClient } from "viem";

import { BATCH_REVOKER_ADDRESS, isRevoked, type RevocationItem } from "../src/index.js";
import { BUILD_TIMEOUT_MS, ensurePackageBuilt } from "./fixtures/built-package.js";
import { runInProcess, serveCliWorld, type CliWorld, type Env, type Run } from "./fixtures/cli-world.js";
import { OWNER_KEY, RELAYER_KEY, type RevokeWorld } from "./fixtures/revoke-world.js";
import type { RunningServer } from "./fixtures/rpc-server.js";

const BIN = fileURLToPath(new URL("../bin/allowance.mjs", import.meta.url));
const HARDHAT_BIN = fileURLToPath(new URL("../node_modules/hardhat/dist/src/cli.js", import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The process environment without anything the CLI reads, so each case says what it sets. */
function cleanEnvironment(): Env {
  const env: Env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith("ALLOWANCE_")) env[name] = value;
  }
  return env;
}

/** A program run to completion in a child process, with `input` on its stdin. */
function spawned(command: string, args: string[], env: Env, input = ""): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [command, ...args], { env, cwd: PROJECT_ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("allowance revoke", function () {
  let cli: CliWorld;
  let world: RevokeWorld;
  let node: RunningServer;
  let publicClient: PublicClient;
  let home: string;
  let baseEnv: Env;
  let common: string[];

  const ownerEnv = (): Env => ({ ALLOWANCE_PRIVATE_KEY: OWNER_KEY });

  /** The program in this process, output captured, `input` as the answers to its prompts. */
  const run = (args: string[], options: { env?: Env; input?: string } = {}) =>
    runInProcess(args, options.env ?? ownerEnv(), options.input);
  const spawnCli = (args: string[], options: { env?: Env; input?: string } = {}) =>
    spawned(BIN, args, { ...baseEnv, ...(options.env ?? ownerEnv()) }, options.input);

  /** What a sent transaction would change: the chain's height (automine: one block per transaction). */
  const blockNumber = () => publicClient.getBlockNumber({ cacheTime: 0 });

  const riskyItems = (): RevocationItem[] => {
    const { tokens, spenders, router, otherRouter } = world;
    return [
      { kind: "erc20", token: tokens.permitA, spender: spenders.eoa },
      { kind: "erc20", token: tokens.permitB, spender: spenders.idle },
      { kind: "erc20", token: tokens.permitB, spender: spenders.eoa },
      { kind: "erc20", token: tokens.dai, spender: spenders.eoa },
      { kind: "erc20", token: tokens.noReturn, spender: spenders.idle },
      { kind: "erc721", token: tokens.nft, tokenId: 1n },
      { kind: "erc721-operator", token: tokens.nft, operator: spenders.idle },
      { kind: "erc1155-operator", token: tokens.multi, operator: spenders.eoa },
      { kind: "router", router, token: tokens.permitA, spender: spenders.eoa },
      { kind: "router", router, token: tokens.busyToken, spender: spenders.eoa },
      { kind: "router", router: otherRouter, token: tokens.permitA, spender: spenders.eoa },
    ];
  };
  /** How many of the risky approvals (the BNB-like one aside) are gone. */
  const revokedCount = async () =>
    (await Promise.all(riskyItems().map((item) => isRevoked(publicClient, world.owner.address, item)))).filter(Boolean).length;
  const bnbAllowance = () =>
    publicClient.readContract({
      address: world.tokens.revertOnZero,
      abi: world.abis.revertOnZero,
      functionName: "allowance",
      args: [world.owner.address, world.spenders.eoa],
    }) as Promise<bigint>;

  const expectBadInput = async (result: Run, message: RegExp, heightBefore: bigint) => {
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stdout).to.equal("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines, result.stderr).to.have.length(1);
    expect(lines[0]).to.match(/^error: /);
    expect(lines[0]).to.match(message);
    expect(await blockNumber()).to.equal(heightBefore);
  };

  // The bin runs the built package (dist/): build it if a source changed since.
  before(function () {
    this.timeout(BUILD_TIMEOUT_MS);
    ensurePackageBuilt();
  });

  before(async function () {
    cli = await serveCliWorld("allowance-revoke-");
    ({ world, node, publicClient, home } = cli);
    baseEnv = cleanEnvironment();
    common = ["--rpc", node.url, "--no-cache", "--router", world.otherRouter];
  });

  afterEach(async function () {
    await cli.restore();
  });

  after(async function () {
    await cli?.dispose();
  });

  it("runs as the package's bin: --dry-run shows the plan and its gas and sends nothing; the prompt sends only on yes", async function () {
    const owner = world.owner.address;
    const height = await blockNumber();

    const dryRun = await spawnCli(["revoke", owner, ...common, "--dry-run"]);
    expect(dryRun.code, dryRun.stderr).to.equal(0);
    expect(dryRun.stdout).to.match(new RegExp(`^12 of 16 live approvals of ${owner} selected \\(risky\\):\\n\\n#  +token +spender +kind +amount +value at risk +risk +recommendation\\n`));
    expect(dryRun.stdout).to.match(new RegExp(`\nPlan: via 7702 — one EIP-7702 transaction of the account to itself, delegated to BatchRevoker; BatchRevoker ${BATCH_REVOKER_ADDRESS}\\.\n`));
    expect(dryRun.stdout).to.match(/\n1 +0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}\.revoke\(12 approvals\) as BatchRevoker \(EIP-7702, delegating in the same transaction\) +#1 #2 .* #12 +owner +\d{3},\d{3}\n/);
    expect(dryRun.stdout).to.match(/\nEstimated gas: \d{3},\d{3} for the owner\.\nWhy: auto chose 7702: it leaves fewer approvals live \(\w+ would leave 1\)\. Compared: 7702: .*; 5792: not available — .*; permit: .*; tx: .*\.\n/);
    expect(dryRun.stdout).to.match(/\nSimulated: #\d+ only reduced to 1 \(the token refuses approve\(0\)\)\.\n/);
    expect(dryRun.stdout).to.match(/\n\nDry run: nothing sent\.\n$/);
    expect(dryRun.stderr).to.equal("");
    expect(await blockNumber()).to.equal(height);
    expect(await revokedCount()).to.equal(0);

    const declined = await spawnCli(["revoke", owner, ...common], { input: "n\n" });
    expect(declined.code).to.equal(1);
    expect(declined.stderr).to.equal("\nRevoke 12 approvals with 1 transaction? [y/N] Nothing sent.\n");
    expect(declined.stdout).to.include("\nEstimated gas: ");
    expect(declined.stdout).to.not.include("outcome");
    expect(await blockNumber()).to.equal(height);

    const accepted = await spawnCli(["revoke", owner, ...common], { input: "y\n" });
    expect(accepted.code, accepted.stderr).to.equal(0);
    expect(accepted.stderr).to.equal("\nRevoke 12 approvals with 1 transaction? [y/N] ");
    expect(accepted.stdout).to.match(/\noutcome +# +token +spender +kind +tx\n/);
    expect(accepted.stdout).to.match(/\ntx +hash +from +status +gas used\n-+ +-+ +-+ +-+ +-+\n1 +0x[0-9a-f]{64} +owner +success +\d{3},\d{3}\n/);
    expect(accepted.stdout.match(/\nrevoked +#\d+ /g)).to.have.length(11);
    expect(accepted.stdout).to.match(/\nreduced +#\d+ +BNBL +0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4} +erc20 +1\n/);
    expect(accepted.stdout).to.match(/\n12 approvals: 11 revoked, 1 reduced to 1, 0 still live, 0 not sent; 1 transaction, \d{2,3},\d{3} gas used\.\n/);
    expect(accepted.stdout).to.include(`${owner} stays delegated to BatchRevoker ${BATCH_REVOKER_ADDRESS}, which can only revoke`);
    expect(await blockNumber()).to.equal(height + 1n);
    expect(await revokedCount()).to.equal(11);
    expect(await bnbAllowance()).to.equal(1n);
  });

  it("takes the key from Hardhat's keystore when the environment has none", async function () {
    const keystoreHome = join(home, "keystore-config");
    const keystoreEnv: Env = { ...baseEnv, XDG_CONFIG_HOME: keystoreHome };
    // Hardhat reads no keystore under its test runner or on CI (hardhat-utils' isCi variables).
    for (const name of ["HH_TEST", "GITHUB_ACTIONS", "NOW", "DEPLOYMENT_ID", "CODEBUILD_BUILD_NUMBER", "CI", "CONTINUOUS_INTEGRATION", "BUILD_NUMBER", "RUN_ID"]) {
      delete keystoreEnv[name];
    }
    const stored = await spawned(HARDHAT_BIN, ["keystore", "set", "--dev", "ALLOWANCE_PRIVATE_KEY"], keystoreEnv, `${OWNER_KEY}\n`);
    expect(stored.code, stored.stdout + stored.stderr).to.equal(0);
    const height = await blockNumber();

    const result = await spawned(BIN, ["revoke", world.owner.address, ...common, "--dry-run"], keystoreEnv);

    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/\nPlan: via 7702 /);
    expect(result.stdout).to.not.include(OWNER_KEY.slice(2));
    expect(await blockNumber()).to.equal(height);
  });

  it("--yes sends without asking and prints each outcome; an approval left live makes the exit code 1", async function () {
    const result = await run(["revoke", world.owner.address, ...common, "--via", "tx", "--yes"]);

    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal("1 approval may still be live: see above.\n");
    expect(result.stdout).to.match(/\nPlan: via tx — one transaction each \(router grants: one lockdown per router\); /);
    expect(result.stdout).to.match(/\n\d+ +0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}\.approve\(0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}, 0\) +#\d+ +owner +reverts: VM Exception while processing transaction: reverted with custom error 'ZeroApproval\(\)'\n/);
    expect(result.stdout).to.match(/\nWhy: tx was asked for\n/);
    expect(result.stdout).to.match(/\nnot-sent +#\d+ +BNBL .* erc20 +VM Exception while processing transaction: reverted with custom error 'ZeroApproval\(\)'\n/);
    expect(result.stdout).to.match(/\n12 approvals: 11 revoked, 0 reduced to 1, 0 still live, 1 not sent; 10 transactions, \d{3},\d{3} gas used\.\n$/);
    expect(await revokedCount()).to.equal(11);
  });

  it("with ALLOWANCE_RELAYER_PRIVATE_KEY, the relayer sends the owner's signed revocation and pays for it", async function () {
    const balanceBefore = await publicClient.getBalance({ address: world.owner.address });
    const result = await run(["revoke", world.owner.address, ...common, "--yes"], {
      env: { ...ownerEnv(), ALLOWANCE_RELAYER_PRIVATE_KEY: RELAYER_KEY },
    });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/\n1 +relay the owner's signed revocation of 12 approvals to 0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4} \(EIP-7702, with its delegation\) +#1 .* +relayer +\d{3},\d{3}\n/);
    expect(result.stdout).to.match(/\nEstimated gas: 0 for the owner, \d{3},\d{3} for the relayer\.\n/);
    expect(await publicClient.getBalance({ address: world.owner.address })).to.equal(balanceBefore);
    expect(await revokedCount()).to.equal(11);
  });

  it("selects risky (the default), all, spender:<address> or token:<address>; says so when nothing matches", async function () {
    const selected = async (...select: string[]) => {
      const result = await run(["revoke", world.owner.address, ...common, ...select, "--dry-run"]);
      expect(result.code, result.stderr).to.equal(0);
      return result.stdout.split("\n")[0];
    };
    const owner = world.owner.address;
    expect(await selected()).to.equal(`12 of 16 live approvals of ${owner} selected (risky):`);
    expect(await selected("--select", "all")).to.equal(`16 of 16 live approvals of ${owner} selected (all):`);
    expect(await selected("--select", `spender:${world.spenders.idle.toLowerCase()}`)).to.equal(
      `3 of 16 live approvals of ${owner} selected (of spender ${world.spenders.idle}):`,
    );
    // A token filter scans only that token: its plain approvals (one to each router too) and its grants.
    expect(await selected("--select", `token:${world.tokens.permitA}`)).to.equal(
      `5 of 5 live approvals of ${owner} selected (of token ${world.tokens.permitA}):`,
    );
    const nobody = getAddress("0x000000000000000000000000000000000000bEEF");
    const none = await run(["revoke", owner, ...common, "--select", `spender:${nobody}`]);
    expect(none.code).to.equal(0);
    expect(none.stdout).to.equal(`Nothing to revoke: none of the 16 live approvals of ${owner} is of spender ${nobody}.\n`);
    const clean = await run(["revoke", world.relayer.address, ...common, "--select", "all"], { env: { ALLOWANCE_PRIVATE_KEY: RELAYER_KEY } });
    expect(clean.code).to.equal(0);
    expect(clean.stdout).to.equal(`Nothing to revoke: ${world.relayer.address} has no live approval.\n`);
  });

  it("--via permit relays the permits and sends the rest; --via 7702, permit and lockdown refuse what they cannot do with exit code 2", async function () {
    const owner = world.owner.address;
    const permit = await run(["revoke", owner, ...common, "--select", `spender:${world.spenders.idle}`, "--via", "permit", "--yes"]);
    expect(permit.code, permit.stderr).to.equal(0);
    expect(permit.stdout).to.match(
      new RegExp(`\n1 +${BATCH_REVOKER_ADDRESS.slice(0, 6)}…${BATCH_REVOKER_ADDRESS.slice(-4)}\\.revokeWithPermits\\(1 permit\\) +#\\d +owner +\\d{2,3},\\d{3}\n`),
    );
    expect(permit.stdout).to.match(/\nPermits signed by the owner: #\d\.\n/);
    expect(permit.stdout).to.match(/\n3 approvals: 3 revoked, 0 reduced to 1, 0 still live, 0 not sent; 3 transactions, /);
    await cli.restore();

    const height = await blockNumber();
    await expectBadInput(
      await run(["revoke", owner, ...common, "--via", "lockdown"]),
      /^error: cannot revoke via lockdown: 9 of the 12 approvals are not router or Permit2 grants, and lockdown revokes only those; choose another way \(auto picks one that works\)$/,
      height,
    );
    await expectBadInput(
      await run(["revoke", owner, ...common, "--via", "permit", "--select", `token:${world.tokens.noReturn}`]),
      /^error: cannot revoke via permit: none of the 1 approval is an ERC-20 allowance of a token with a permit; /,
      height,
    );
    await expectBadInput(
      await run(["revoke", owner, ...common, "--via", "7702", "--revoker", "0x000000000000000000000000000000000000dEaD"]),
      /^error: cannot revoke via 7702: BatchRevoker is not deployed at 0x000000000000000000000000000000000000dEaD on chain 31337; /,
      height,
    );
  });

  it("ends bad input with one line that says what to do, exit code 2, and nothing sent", async function () {
    const owner = world.owner.address;
    const height = await blockNumber();
    const cases: [string[], Env | undefined, RegExp][] = [
      [["revoke", "0x12", ...common], undefined, /owner "0x12" is not an address: pass a 0x-prefixed 20-byte hex address/],
      [["revoke", owner, "--no-cache"], undefined, /required option '--rpc <url>' not specified \(see --help\)/],
      [["revoke", owner, "--rpc", "http://127.0.0.1:59999", "--no-cache"], undefined, /cannot reach the RPC at http:\/\/127\.0\.0\.1:59999 \(ECONNREFUSED\): check the URL/],
      [["revoke", owner, ...common, "--chain", "1"], undefined, /serves chain 31337, not chain 1: use an RPC URL for chain 1 or pass --chain 31337/],
      [["revoke", owner, ...common, "--select", `token:${world.spenders.eoa}`], undefined, /no contract at 0x[0-9a-fA-F]{40} on chain 31337: pass the address of a token/],
      [["revoke", owner, ...common], {}, /no private key: set ALLOWANCE_PRIVATE_KEY in the environment or store it with `npx hardhat keystore set ALLOWANCE_PRIVATE_KEY`/],
      [["revoke", owner, ...common], { ALLOWANCE_PRIVATE_KEY: "0x1234" }, /ALLOWANCE_PRIVATE_KEY is not a private key: it must be 32 bytes of hex/],
      [["revoke", owner, ...common], { ALLOWANCE_PRIVATE_KEY: RELAYER_KEY }, new RegExp(`ALLOWANCE_PRIVATE_KEY holds the key of ${world.relayer.address}, not of ${owner}: set it to the owner's key`)],
      [["revoke", owner, ...common, "--select", "stale"], undefined, /option '--select <which>' argument 'stale' is invalid\. expected risky, all, spender:<address> or token:<address>\./],
      [["revoke", owner, ...common, "--select", "spender:0xabc"], undefined, /"0xabc" is not a 0x-prefixed 20-byte hex address/],
      [["revoke", owner, ...common, "--via", "pigeon"], undefined, /Allowed choices are auto, 7702, permit, lockdown, tx/],
    ];
    for (const [args, env, message] of cases) await expectBadInput(await run(args, { env: env ?? ownerEnv() }), message, height);
    expect(await revokedCount()).to.equal(0);
  });

  it("has --help for revoke and lists revoke and grant in the program's help", async function () {
    const root = await run(["--help"]);
    expect(root.stdout).to.match(/\n +revoke \[options\] <owner> +Revoke a wallet's approvals/);
    expect(root.stdout).to.match(/\n +grant \[options\] <token> <spender> <amount> +Grant a spender/);
    const help = await run(["revoke", "--help"]);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^Usage: allowance revoke \[options\] <owner>/);
    for (const option of ["--rpc <url>", "--select <which>", "--via <way>", "--dry-run", "-y, --yes", "--revoker <address>", "--router <address>", "--chain <id>", "--no-cache"]) {
      expect(help.stdout).to.include(option);
    }
    expect(help.stdout.replace(/\s+/g, " ")).to.include("risky: the scan recommends revoking it");
    expect(help.stdout).to.include("ALLOWANCE_PRIVATE_KEY");
  });
});
