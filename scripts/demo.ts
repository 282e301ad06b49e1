/**
 * `npm run demo`: the story the AllowanceRouter exists for, told on an in-process
 * chain as one table.
 *
 * A spender is compromised. Alice had given it a legacy unlimited ERC-20
 * approval and loses everything. Bob gave it a router grant instead: the
 * attacker gets the grant's amount within its hour and nothing after; Bob's
 * duration cap turns a "forever" request into one day; Bob's guardian shuts
 * the spender out in one transaction.
 */
import { network } from "hardhat";
import {
  BaseError,
  ContractFunctionRevertedError,
  formatUnits,
  maxUint256,
  parseUnits,
  type Hash,
} from "viem";

import AllowanceRouterModule from "../ignition/modules/AllowanceRouter.js";
import { formatGas, markdownTable } from "./bench/table.js";

const ONE_HOUR = 60 * 60;
const ONE_DAY = 24 * ONE_HOUR;
/** The largest uint48 expiration: what a dapp asking for "forever" sends. */
const FOREVER = 2 ** 48 - 1;
// A reverting call cannot be gas-estimated, so the doomed attempts carry an
// explicit limit; they use far less.
const REVERTING_ATTEMPT_GAS_LIMIT = 200_000n;

// Failed attempts are mined and reported (status "reverted") rather than
// thrown, so their gas can be shown like any other step.
const { viem, networkHelpers, ignition } = await network.create({
  override: { throwOnTransactionFailures: false },
});
const publicClient = await viem.getPublicClient();
const [deployer, alice, bob, spender, attacker, guardian] = await viem.getWalletClients();

const { allowanceRouter: router } = await ignition.deploy(AllowanceRouterModule, { strategy: "create2" });
const token = await viem.deployContract("TestToken", ["Test Token", "TT"]);
const [symbol, decimals] = await Promise.all([token.read.symbol(), token.read.decimals()]);

const units = (amount: string) => parseUnits(amount, decimals);
const ALICE_BALANCE = units("1000");
const BOB_BALANCE = units("1000");
const HOURLY_GRANT = units("100");
const FIRST_PULL = units("40");
const LATER_PULL = units("40");
const DAILY_GRANT = units("100");
const PULL_AFTER_LOCKDOWN = units("1");

const actors = {
  alice: "Alice",
  bob: "Bob",
  spender: "spender (compromised)",
  guardian: "Bob's guardian",
  clock: "clock",
};

const rows: string[][] = [];
let step = 0;
function record(actor: string, action: string, result: string, gas: string): void {
  step += 1;
  rows.push([String(step), actor, action, result, gas]);
}

// ------------------------------------------------------------- formatting

function formatAmount(amount: bigint): string {
  if (amount === maxUint256) return "unlimited";
  const [whole, fraction] = formatUnits(amount, decimals).split(".");
  const grouped = BigInt(whole).toLocaleString("en-US");
  return `${fraction === undefined ? grouped : `${grouped}.${fraction}`} ${symbol}`;
}

function formatTime(timestamp: number | bigint): string {
  return `${new Date(Number(timestamp) * 1000).toISOString().replace("T", " ").replace(".000Z", " UTC")}`;
}

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

// ---------------------------------------------------------- transactions

/** Gas of a transaction that must succeed. */
async function succeeded(hash: Hash, what: string): Promise<bigint> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") {
    throw new Error(`demo: "${what}" reverted; the story needs it to succeed. Check contracts/AllowanceRouter.sol.`);
  }
  return receipt.gasUsed;
}

/** Gas of a transaction that must revert, as mined. */
async function reverted(hash: Hash, what: string): Promise<bigint> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "reverted") {
    throw new Error(`demo: "${what}" succeeded; the story needs it to be stopped. Check contracts/AllowanceRouter.sol.`);
  }
  return receipt.gasUsed;
}

interface DecodedRevert {
  readonly errorName: string;
  readonly args: readonly unknown[];
  /** e.g. `AllowanceExpired(deadline: 1764081234)`, argument names from the ABI. */
  readonly text: string;
}

/** The custom error a simulated call reverts with, decoded against the contract's ABI. */
async function decodedRevert(simulation: Promise<unknown>, what: string): Promise<DecodedRevert> {
  try {
    await simulation;
  } catch (error) {
    const revert = error instanceof BaseError ? error.walk((cause) => cause instanceof ContractFunctionRevertedError) : null;
    if (revert instanceof ContractFunctionRevertedError && revert.data !== undefined) {
      const { errorName, abiItem } = revert.data;
      const args = revert.data.args ?? [];
      const inputs = "inputs" in abiItem ? abiItem.inputs : [];
      const named = inputs.map((input, index) => `${input.name}: ${String(args[index])}`).join(", ");
      return { errorName, args, text: `${errorName}(${named})` };
    }
    throw error;
  }
  throw new Error(`demo: "${what}" was expected to revert but the simulation succeeded.`);
}

// ------------------------------------------------------------------ story

await succeeded(await token.write.mint([alice.account.address, ALICE_BALANCE]), "mint to Alice");
await succeeded(await token.write.mint([bob.account.address, BOB_BALANCE]), "mint to Bob");

// Act 1: the legacy approval.
{
  const gas = await succeeded(
    await token.write.approve([spender.account.address, maxUint256], { account: alice.account }),
    "Alice's unlimited approval",
  );
  const allowance = await token.read.allowance([alice.account.address, spender.account.address]);
  record(actors.alice, `token.approve(spender, max uint256) — legacy`, `allowance: ${formatAmount(allowance)}`, formatGas(gas));
}
{
  const stolen = await token.read.balanceOf([alice.account.address]);
  const gas = await succeeded(
    await token.write.transferFrom([alice.account.address, attacker.account.address, stolen], {
      account: spender.account,
    }),
    "drain of Alice",
  );
  const left = await token.read.balanceOf([alice.account.address]);
  record(
    actors.spender,
    `token.transferFrom(Alice → attacker, ${formatAmount(stolen)})`,
    `drained: Alice has ${formatAmount(left)} left`,
    formatGas(gas),
  );
}

// Act 2: the same spender behind a one-hour router grant.
{
  const gas = await succeeded(
    await token.write.approve([router.address, maxUint256], { account: bob.account }),
    "Bob's one approval to the router",
  );
  record(actors.bob, "token.approve(router, max uint256) — once", "router may move TT only inside Bob's grants", formatGas(gas));
}
let hourlyExpiration: number;
{
  hourlyExpiration = (await networkHelpers.time.latest()) + ONE_HOUR;
  const gas = await succeeded(
    await router.write.approve([token.address, spender.account.address, HOURLY_GRANT, hourlyExpiration], {
      account: bob.account,
    }),
    "Bob's one-hour grant",
  );
  record(
    actors.bob,
    `router.approve(TT, spender, ${formatAmount(HOURLY_GRANT)}, now + 1 h)`,
    `grant: ${formatAmount(HOURLY_GRANT)} until ${formatTime(hourlyExpiration)}`,
    formatGas(gas),
  );
}
{
  const gas = await succeeded(
    await router.write.transferFrom([bob.account.address, attacker.account.address, FIRST_PULL, token.address], {
      account: spender.account,
    }),
    "pull within the hour",
  );
  const [remaining] = await router.read.allowance([bob.account.address, token.address, spender.account.address]);
  record(
    actors.spender,
    `router.transferFrom(Bob → attacker, ${formatAmount(FIRST_PULL)})`,
    `pulled ${formatAmount(FIRST_PULL)}; grant left: ${formatAmount(remaining)}`,
    formatGas(gas),
  );
}
{
  await networkHelpers.time.increaseTo(hourlyExpiration + 1);
  record(actors.clock, "time travel past the grant's hour", `now ${formatTime(await networkHelpers.time.latest())}`, "—");
}
{
  const args = [bob.account.address, attacker.account.address, LATER_PULL, token.address] as const;
  const what = "pull after the hour";
  const revert = await decodedRevert(router.simulate.transferFrom(args, { account: spender.account.address }), what);
  if (revert.errorName !== "AllowanceExpired" || revert.args[0] !== BigInt(hourlyExpiration)) {
    throw new Error(`demo: expected AllowanceExpired(${hourlyExpiration}), got ${revert.text}.`);
  }
  const gas = await reverted(
    await router.write.transferFrom(args, { account: spender.account, gas: REVERTING_ATTEMPT_GAS_LIMIT }),
    what,
  );
  const kept = await token.read.balanceOf([bob.account.address]);
  record(
    actors.spender,
    `router.transferFrom(Bob → attacker, ${formatAmount(LATER_PULL)})`,
    `stopped: ${revert.text} = ${formatTime(hourlyExpiration)}; Bob keeps ${formatAmount(kept)}`,
    `${formatGas(gas)} (reverted)`,
  );
}

// Act 3: the duration cap.
{
  const gas = await succeeded(await router.write.setMaxDuration([ONE_DAY], { account: bob.account }), "Bob's cap");
  const [, cap] = await router.read.settingsOf([bob.account.address]);
  record(actors.bob, "router.setMaxDuration(1 day)", `every later grant of Bob lasts ≤ ${cap.toLocaleString("en-US")} s`, formatGas(gas));
}
{
  const hash = await router.write.approve([token.address, spender.account.address, DAILY_GRANT, FOREVER], {
    account: bob.account,
  });
  const gas = await succeeded(hash, "Bob's 'forever' grant");
  const { blockNumber } = await publicClient.getTransactionReceipt({ hash });
  const { timestamp: grantedAt } = await publicClient.getBlock({ blockNumber });
  const [, storedExpiration] = await router.read.allowance([bob.account.address, token.address, spender.account.address]);
  if (BigInt(storedExpiration) !== grantedAt + BigInt(ONE_DAY)) {
    throw new Error(`demo: expected the forever grant clamped to ${grantedAt + BigInt(ONE_DAY)}, stored ${storedExpiration}.`);
  }
  record(
    actors.bob,
    `router.approve(TT, spender, ${formatAmount(DAILY_GRANT)}, "forever" = 2^48 − 1)`,
    `clamped: requested ${FOREVER}, stored ${storedExpiration} = ${formatTime(storedExpiration)} (now + 1 day)`,
    formatGas(gas),
  );
}

// Act 4: the guardian's emergency brake.
{
  const gas = await succeeded(
    await router.write.setGuardian([guardian.account.address], { account: bob.account }),
    "Bob appoints a guardian",
  );
  record(actors.bob, `router.setGuardian(${short(guardian.account.address)})`, "guardian may revoke Bob's grants, nothing else", formatGas(gas));
}
{
  const gas = await succeeded(
    await router.write.lockdownFor([bob.account.address, [{ token: token.address, spender: spender.account.address }]], {
      account: guardian.account,
    }),
    "guardian lockdown",
  );
  const [amountLeft] = await router.read.allowance([bob.account.address, token.address, spender.account.address]);
  record(
    actors.guardian,
    "router.lockdownFor(Bob, [(TT, spender)])",
    `grant amount: ${formatAmount(DAILY_GRANT)} → ${formatAmount(amountLeft)}`,
    formatGas(gas),
  );
}
{
  const args = [bob.account.address, attacker.account.address, PULL_AFTER_LOCKDOWN, token.address] as const;
  const what = "pull after lockdown";
  const revert = await decodedRevert(router.simulate.transferFrom(args, { account: spender.account.address }), what);
  if (revert.errorName !== "InsufficientAllowance" || revert.args[0] !== 0n) {
    throw new Error(`demo: expected InsufficientAllowance(0), got ${revert.text}.`);
  }
  const gas = await reverted(
    await router.write.transferFrom(args, { account: spender.account, gas: REVERTING_ATTEMPT_GAS_LIMIT }),
    what,
  );
  record(
    actors.spender,
    `router.transferFrom(Bob → attacker, ${formatAmount(PULL_AFTER_LOCKDOWN)})`,
    `stopped: ${revert.text}`,
    `${formatGas(gas)} (reverted)`,
  );
}

// ----------------------------------------------------------------- output

const aliceLost = ALICE_BALANCE - (await token.read.balanceOf([alice.account.address]));
const bobLost = BOB_BALANCE - (await token.read.balanceOf([bob.account.address]));

console.log(`AllowanceRouter ${router.address} (Ignition create2: the same address on every chain)`);
console.log(`${await token.read.name()} (${symbol}, ${decimals} decimals) ${token.address}; deployer ${short(deployer.account.address)}`);
console.log("");
console.log(
  markdownTable(
    [
      { title: "step", align: "right" },
      { title: "actor" },
      { title: "action" },
      { title: "result" },
      { title: "gas", align: "right" },
    ],
    rows,
  ),
);
console.log("");
console.log(`Alice, legacy unlimited approval: lost ${formatAmount(aliceLost)} of ${formatAmount(ALICE_BALANCE)}.`);
console.log(`Bob, router grant:                lost ${formatAmount(bobLost)} of ${formatAmount(BOB_BALANCE)}, and nothing after expiry or lockdown.`);
