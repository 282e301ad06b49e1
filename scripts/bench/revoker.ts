/**
 * Gas of revoking N ERC-20 allowances: N separate `approve(spender, 0)`
 * transactions (the baseline, measured in the same run) against one EIP-7702
 * transaction in which the owner's EOA delegates to BatchRevoker and revokes
 * all N, on N distinct OpenZeppelin 5 tokens (TestToken).
 *
 * Owners are fixed local private keys and tokens fixed deployments, so calldata
 * (4 gas a zero byte, 16 a non-zero one) and therefore gas are the same in
 * every run. Every row's allowances are checked live before and zero after its
 * measurement.
 */
import { network } from "hardhat";
import {
  erc20Abi,
  getAddress,
  keccak256,
  maxUint256,
  parseEther,
  size,
  slice,
  toHex,
  type Address,
  type Hash,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { formatGas, markdownTable } from "./table.js";
import {
  encodeRevocations,
  outcomesFromReceipt,
  revokeAsGuardian,
  revokeWithDelegation,
  sendRevocationTransactions,
  setRevokeGuardian,
  type AnyWalletClient,
  type RevocationItem,
} from "../../src/index.js";
import { etchPermit2, PERMIT2_ADDRESS } from "../../test/fixtures/permit2.js";

/** BatchRevoker's ITEM_GAS_STIPEND: the most gas one item's call may use. */
const ITEM_GAS_STIPEND = 100_000;
/** Items in the gas-burning-token row: this many real tokens and one burner. */
const BURNER_BATCH = 20;
const GUARDIAN_BATCH = 5;
/** Room for 19 real items and one full stipend. */
const BURNER_BATCH_GAS_LIMIT = 1_000_000n;
/** The mocks of common tokens whose approve(spender, 0) sizes the stipend, with constructor arguments. */
const COMMON_TOKENS = [
  { contract: "TestToken", args: ["OZ5 ERC20Permit", "OZ"], label: "OpenZeppelin 5 ERC20Permit" },
  { contract: "NoReturnToken", args: [], label: "USDT-like (no return value)" },
  { contract: "DaiPermitToken", args: [], label: "DAI-like" },
  { contract: "BlocklistPausableToken", args: ["issuer"], label: "USDC-like (pausable, blocklist)" },
  { contract: "FeeOnTransferToken", args: [], label: "fee-on-transfer" },
  { contract: "RevertOnZeroApprovalToken", args: [], label: "BNB-like (reverts on 0; approve(1) fallback)" },
] as const;

const BATCH_SIZES = [1, 5, 20, 50] as const;
const MARGINAL_FROM = 20;
const MARGINAL_TO = 50;
/** The targets. */
const TARGET_MARGINAL_PER_ITEM = 7_800;
const TARGET_RATIO = 0.4;
const TARGET_RATIO_BATCH = 20;

/**
 * EVM costs behind the floor. Per item any delegate pays the cold call into
 * the token, the token's own approve and the token's address in calldata; per
 * transaction the base cost and the authorization. Refunds (the allowance's
 * storage clear, the authorization of an existing account) far exceed the
 * EIP-3529 cap, so a batch keeps exactly 1/5 of its gas back: it pays 4/5.
 */
const COLD_ACCOUNT_ACCESS = 2_600;
const TRANSACTION_BASE = 21_000;
const AUTHORIZATION_BASE = 25_000;
const CALLDATA_ZERO_BYTE = 4;
const CALLDATA_NONZERO_BYTE = 16;
const PAID_AFTER_REFUND_CAP = 0.8;
const GROUP_HEADER_BYTES = 22;
const ADDRESS_BYTES = 20;

type Connection = Awaited<ReturnType<typeof network.create>>;
type PublicClient = Awaited<ReturnType<Connection["viem"]["getPublicClient"]>>;

type Row = { n: number; separate: bigint; batch: bigint; delegated: bigint; distinctSpenders: bigint };

/** A stable, never-used address for spenders that never send. */
function unusedAddress(label: string): Address {
  return getAddress(slice(keccak256(toHex(`batch-revoker bench: ${label}`)), 12));
}

function precondition(holds: boolean, description: string): void {
  if (!holds) {
    throw new Error(`bench: precondition failed: ${description}. The measurement would not be what its row says.`);
  }
}

function calldataCost(bytes: Hex): number {
  let cost = 0;
  for (let index = 2; index < bytes.length; index += 2) {
    cost += bytes.slice(index, index + 2) === "00" ? CALLDATA_ZERO_BYTE : CALLDATA_NONZERO_BYTE;
  }
  return cost;
}

export async function benchRevoker(): Promise<string> {
  const { viem, networkHelpers, provider } = await network.create();
  const publicClient = await viem.getPublicClient();
  const revoker = await viem.deployContract("BatchRevoker");
  const tokens: Address[] = [];
  for (let index = 0; index < Math.max(...BATCH_SIZES); index++) {
    tokens.push((await viem.deployContract("TestToken", [`Token ${index}`, `T${index}`])).address);
  }
  const spender = unusedAddress("spender");

  async function succeeded(hash: Hash): Promise<bigint> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    precondition(receipt.status === "success", `transaction ${hash} succeeded`);
    return receipt.gasUsed;
  }

  async function approveAll(wallet: AnyWalletClient, items: readonly RevocationItem[]): Promise<void> {
    for (const item of items) {
      if (item.kind !== "erc20") throw new Error("bench: ERC-20 items only");
      const approval = { address: item.token, abi: erc20Abi, functionName: "approve", chain: wallet.chain } as const;
      await succeeded(await wallet.writeContract({ ...approval, args: [item.spender, maxUint256] }));
    }
  }

  /** A funded owner (a fixed local key: JSON-RPC accounts cannot sign authorizations) with live allowances. */
  async function exposedOwner(label: string, n: number, spenderOf: (index: number) => Address) {
    const account = privateKeyToAccount(keccak256(toHex(`batch-revoker bench owner: ${label}`)));
    await networkHelpers.setBalance(account.address, parseEther("10"));
    const wallet = await viem.getWalletClient(account.address, { account });
    const items: RevocationItem[] = tokens.slice(0, n).map((token, index) => ({
      kind: "erc20",
      token,
      spender: spenderOf(index),
    }));
    await approveAll(wallet, items);
    return { address: account.address, wallet, items };
  }

  async function allowancesAre(owner: Address, items: readonly RevocationItem[], value: bigint): Promise<boolean> {
    const allowances = await Promise.all(
      items.map((item) => {
        if (item.kind !== "erc20") throw new Error("bench: ERC-20 items only");
        const args = [owner, item.spender] as const;
        return publicClient.readContract({ address: item.token, abi: erc20Abi, functionName: "allowance", args });
      }),
    );
    return allowances.every((allowance) => allowance === value);
  }

  async function measured(owner: Address, items: readonly RevocationItem[], revoke: () => Promise<bigint>) {
    precondition(await allowancesAre(owner, items, maxUint256), "every allowance is live before");
    const gas = await revoke();
    precondition(await allowancesAre(owner, items, 0n), "every allowance is zero after");
    return gas;
  }

  const connectionParts: ConnectionParts = {
    viem,
    networkHelpers,
    provider,
    revoker: revoker.address,
    exposedOwnerKey: (label) => keccak256(toHex(`batch-revoker bench owner: ${label}`)),
  };
  const rows: Row[] = [];
  let tokenApproveGas = 0;
  let tokenCalldataGas = 0;
  for (const n of BATCH_SIZES) {
    const separateOwner = await exposedOwner(`separate ${n}`, n, () => spender);
    const separate = await measured(separateOwner.address, separateOwner.items, async () => {
      let total = 0n;
      for (const result of await sendRevocationTransactions(separateOwner.wallet, publicClient, separateOwner.items)) {
        precondition(result.status === "success", "every separate approve(spender, 0) succeeded");
        if (result.status === "success") total += await succeeded(result.hash);
      }
      return total;
    });

    const batchOwner = await exposedOwner(`batch ${n}`, n, () => spender);
    const revokeBatch = (owner: typeof batchOwner) =>
      revokeWithDelegation(owner.wallet, publicClient, { revoker: revoker.address, items: owner.items });
    let firstBatch: Hash | undefined;
    const batch = await measured(batchOwner.address, batchOwner.items, async () => {
      const result = await revokeBatch(batchOwner);
      precondition(result.authorized, "the first batch carries the authorization");
      precondition(result.outcomes.every(({ outcome }) => outcome === "revoked"), "every item reported revoked");
      firstBatch = result.hash;
      return result.receipt.gasUsed;
    });

    // The delegation outlives the transaction: the same owner's next batch needs no authorization.
    await approveAll(batchOwner.wallet, batchOwner.items);
    const delegated = await measured(batchOwner.address, batchOwner.items, async () => {
      const result = await revokeBatch(batchOwner);
      precondition(!result.authorized, "the owner is delegated already");
      return result.receipt.gasUsed;
    });

    const distinctOwner = await exposedOwner(`distinct ${n}`, n, (index) => unusedAddress(`spender ${index}`));
    const distinctSpenders = await measured(distinctOwner.address, distinctOwner.items, async () => {
      const result = await revokeBatch(distinctOwner);
      return result.receipt.gasUsed;
    });

    rows.push({ n, separate, batch, delegated, distinctSpenders });

    if (n === TARGET_RATIO_BATCH && firstBatch !== undefined) {
      tokenApproveGas = await averageCalleeGas(publicClient, firstBatch);
      const encoded = encodeRevocations(batchOwner.items).encoded;
      precondition(size(encoded) === GROUP_HEADER_BYTES + ADDRESS_BYTES * n, "one group: a header, then the tokens");
      tokenCalldataGas = calldataCost(slice(encoded, GROUP_HEADER_BYTES)) / n;
    }
  }
  const defences = await benchDefences(connectionParts);
  return [
    comparisonTable(rows),
    summaryTable(rows, tokenApproveGas, tokenCalldataGas),
    floorNote(),
    defences,
  ].join("\n\n");
}

type ConnectionParts = {
  viem: Connection["viem"];
  networkHelpers: Connection["networkHelpers"];
  provider: Connection["provider"];
  revoker: Address;
  exposedOwnerKey: (label: string) => Hex;
};

/**
 * Gas of the three defences of issue 11, in the same run: voiding a router/Permit2 grant's signed
 * permits in a 7702 batch (kind 3 against kind 4), a gas-burning token in a batch (bounded by the
 * stipend), a guardian's revocation against the owner's own; and the traced approve(spender, 0) of
 * the common-token mocks, which sizes the stipend.
 */
async function benchDefences({ viem, networkHelpers, provider, revoker, exposedOwnerKey }: ConnectionParts): Promise<string> {
  const publicClient = await viem.getPublicClient();
  await etchPermit2(provider);
  const router = await viem.deployContract("AllowanceRouter");
  const token = await viem.deployContract("TestToken", ["Defence Token", "DEF"]);
  const spender = unusedAddress("defence spender");
  const [, guardianWallet] = await viem.getWalletClients();

  async function gasOf(hash: Hash): Promise<bigint> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    precondition(receipt.status === "success", `transaction ${hash} succeeded`);
    return receipt.gasUsed;
  }
  async function delegatedOwner(label: string) {
    const account = privateKeyToAccount(exposedOwnerKey(`defences ${label}`));
    await networkHelpers.setBalance(account.address, parseEther("10"));
    const wallet = await viem.getWalletClient(account.address, { account });
    // A first, unmeasured batch leaves the account delegated: the rows compare the calls, not the authorization.
    await gasOf(await wallet.writeContract({ address: token.address, abi: erc20Abi, functionName: "approve", args: [spender, 1n], chain: wallet.chain }));
    const first = await revokeWithDelegation(wallet, publicClient, { revoker, items: [{ kind: "erc20", token: token.address, spender }] });
    precondition(first.authorized, "the owner delegates once, unmeasured");
    return { address: account.address, wallet };
  }
  const rows: string[][] = [];

  // 1. Router and Permit2 grants revoked in a batch: lockdown only (kind 4) vs lockdown + void (kind 3).
  for (const [name, grants] of [["AllowanceRouter", router.address], ["real Permit2", PERMIT2_ADDRESS]] as const) {
    const measure = async (keepPermits: boolean) => {
      const owner = await delegatedOwner(`${name} ${keepPermits}`);
      await gasOf(await owner.wallet.writeContract({ address: token.address, abi: erc20Abi, functionName: "approve", args: [grants, maxUint256], chain: owner.wallet.chain }));
      await gasOf(await owner.wallet.writeContract({ address: grants, abi: router.abi, functionName: "approve", args: [token.address, spender, 1_000n, 2_000_000_000], chain: owner.wallet.chain }));
      const item: RevocationItem = keepPermits
        ? { kind: "router", router: grants, token: token.address, spender, keepPermits: true }
        : { kind: "router", router: grants, token: token.address, spender };
      const result = await revokeWithDelegation(owner.wallet, publicClient, { revoker, items: [item] });
      precondition(result.outcomes[0]!.outcome === "revoked", `${name}: the grant is revoked`);
      const [, , nonce] = (await publicClient.readContract({ address: grants, abi: router.abi, functionName: "allowance", args: [owner.address, token.address, spender] })) as readonly [bigint, number, number];
      precondition(nonce === (keepPermits ? 0 : 1), `${name}: the nonce ${keepPermits ? "stays" : "moved on"}`);
      return result.receipt.gasUsed;
    };
    const kept = await measure(true);
    const voided = await measure(false);
    rows.push([`7702 batch, 1 ${name} grant: lockdown only (kind 4)`, formatGas(kept), "—"]);
    rows.push([`7702 batch, 1 ${name} grant: lockdown + void permits (kind 3)`, formatGas(voided), `+${formatGas(voided - kept)} for voiding`]);
  }

  // 2. A gas-burning token among real ones.
  {
    const tokens: Address[] = [];
    for (let index = 0; index < BURNER_BATCH - 1; index++) {
      tokens.push((await viem.deployContract("TestToken", [`Burner batch ${index}`, `B${index}`])).address);
    }
    const burner = (await viem.deployContract("GasBurningToken")).address;
    const measure = async (withBurner: boolean) => {
      const owner = await delegatedOwner(`burner ${withBurner}`);
      for (const asset of tokens) {
        await gasOf(await owner.wallet.writeContract({ address: asset, abi: erc20Abi, functionName: "approve", args: [spender, maxUint256], chain: owner.wallet.chain }));
      }
      const list = withBurner ? [...tokens.slice(0, 10), burner, ...tokens.slice(10)] : tokens;
      const items: RevocationItem[] = list.map((asset) => ({ kind: "erc20", token: asset, spender }));
      // Hardhat's estimation refuses a transaction in which an inner call runs out of gas: set the limit.
      const result = await revokeWithDelegation(owner.wallet, publicClient, { revoker, items, gas: BURNER_BATCH_GAS_LIMIT });
      const failed = result.outcomes.filter(({ outcome }) => outcome !== "revoked");
      precondition(failed.length === (withBurner ? 1 : 0), "only the burner fails");
      precondition(!withBurner || failed[0]!.reason === "out-of-gas", "the burner is reported out of gas");
      return result.receipt.gasUsed;
    };
    const clean = await measure(false);
    const burnt = await measure(true);
    rows.push([`7702 batch, ${BURNER_BATCH - 1} ERC-20 items`, formatGas(clean), "—"]);
    rows.push([
      `the same + 1 GasBurningToken (19 revoked, 1 out of gas, one tx)`,
      formatGas(burnt),
      `+${formatGas(burnt - clean)} (stipend ${formatGas(ITEM_GAS_STIPEND)})`,
    ]);
  }

  // 3. The guardian's revocation against the owner's own.
  {
    const tokens: Address[] = [];
    for (let index = 0; index < GUARDIAN_BATCH; index++) {
      tokens.push((await viem.deployContract("TestToken", [`Guarded ${index}`, `G${index}`])).address);
    }
    const expose = async (owner: Awaited<ReturnType<typeof delegatedOwner>>) => {
      for (const asset of tokens) {
        await gasOf(await owner.wallet.writeContract({ address: asset, abi: erc20Abi, functionName: "approve", args: [spender, maxUint256], chain: owner.wallet.chain }));
      }
      return tokens.map((asset): RevocationItem => ({ kind: "erc20", token: asset, spender }));
    };
    const self = await delegatedOwner("guardian self");
    const selfResult = await revokeWithDelegation(self.wallet, publicClient, { revoker, items: await expose(self) });
    const guarded = await delegatedOwner("guardian guarded");
    const appoint = await gasOf((await setRevokeGuardian(guarded.wallet, { revoker, guardian: guardianWallet.account.address })).hash);
    const items = await expose(guarded);
    const { hash, plan } = await revokeAsGuardian(guardianWallet, { account: guarded.address, items });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    precondition(receipt.status === "success", "the guardian's revocation succeeded");
    precondition(outcomesFromReceipt(plan.items, plan.order, receipt, guarded.address).every(({ outcome }) => outcome === "revoked"), "the guardian revoked every item");
    rows.push(["setGuardian (appoint, delegated account)", formatGas(appoint), "—"]);
    rows.push([`owner's own revoke, ${GUARDIAN_BATCH} ERC-20 items`, formatGas(selfResult.receipt.gasUsed), "—"]);
    rows.push([
      `revokeAsGuardian, ${GUARDIAN_BATCH} ERC-20 items (the guardian pays)`,
      formatGas(receipt.gasUsed),
      `${formatGasSigned(receipt.gasUsed - selfResult.receipt.gasUsed)} vs the owner's`,
    ]);
  }

  // 4. What the stipend must cover: each common token's approve(spender, 0), cold, traced.
  const approveRows: string[][] = [];
  let largest = 0;
  for (const { contract, args, label } of COMMON_TOKENS) {
    const owner = await delegatedOwner(`stipend ${contract}`);
    const deployArgs = args.map((arg) => (arg === "issuer" ? guardianWallet.account.address : arg));
    const asset = (await viem.deployContract(contract as never, deployArgs as never)) as unknown as { address: Address };
    await gasOf(await owner.wallet.writeContract({ address: asset.address, abi: erc20Abi, functionName: "approve", args: [spender, 10n ** 18n], chain: owner.wallet.chain }));
    const result = await revokeWithDelegation(owner.wallet, publicClient, { revoker, items: [{ kind: "erc20", token: asset.address, spender }] });
    const callee = await firstCalleeGas(publicClient, result.hash);
    largest = Math.max(largest, callee);
    approveRows.push([label, formatGas(callee), result.outcomes[0]!.outcome]);
  }
  approveRows.push(["largest of these", formatGas(largest), `stipend ${formatGas(ITEM_GAS_STIPEND)} = ${(ITEM_GAS_STIPEND / largest).toFixed(1)} ×`]);

  return [
    "Defences (issue 11), same run, owners already delegated:",
    markdownTable([{ title: "operation" }, { title: "gas", align: "right" }, { title: "difference" }], rows),
    "approve(spender, 0) inside a one-item batch, cold, traced (what ITEM_GAS_STIPEND must cover):",
    markdownTable([{ title: "token (mock)" }, { title: "approve(spender, 0) gas", align: "right" }, { title: "outcome" }], approveRows),
  ].join("\n\n");
}

function formatGasSigned(gas: bigint): string {
  return gas < 0n ? `−${formatGas(-gas)}` : `+${formatGas(gas)}`;
}

function ratio(gas: bigint | number, baseline: bigint): string {
  return (Number(gas) / Number(baseline)).toFixed(3);
}

function comparisonTable(rows: readonly Row[]): string {
  return markdownTable(
    [
      { title: "N", align: "right" },
      { title: "N × approve(spender, 0)", align: "right" },
      { title: "one 7702 batch, with authorization", align: "right" },
      { title: "ratio", align: "right" },
      { title: "batch, already delegated", align: "right" },
      { title: "ratio", align: "right" },
      { title: "batch, N distinct spenders", align: "right" },
    ],
    rows.map((row) => [
      String(row.n),
      formatGas(row.separate),
      formatGas(row.batch),
      ratio(row.batch, row.separate),
      formatGas(row.delegated),
      ratio(row.delegated, row.separate),
      formatGas(row.distinctSpenders),
    ]),
  );
}

function summaryTable(rows: readonly Row[], tokenApproveGas: number, tokenCalldataGas: number): string {
  const at = (n: number) => rows.find((row) => row.n === n)!;
  const marginal = (pick: (row: Row) => bigint) =>
    formatGas(Math.round(Number(pick(at(MARGINAL_TO)) - pick(at(MARGINAL_FROM))) / (MARGINAL_TO - MARGINAL_FROM)));
  const floorPerItem = PAID_AFTER_REFUND_CAP * (COLD_ACCOUNT_ACCESS + tokenApproveGas + tokenCalldataGas);
  const floorPerTransaction = PAID_AFTER_REFUND_CAP * (TRANSACTION_BASE + AUTHORIZATION_BASE);
  const target = at(TARGET_RATIO_BATCH);
  const span = `N = ${MARGINAL_FROM} → ${MARGINAL_TO}`;
  return markdownTable(
    [
      { title: "measure" },
      { title: "measured", align: "right" },
      { title: "target", align: "right" },
      { title: "floor", align: "right" },
    ],
    [
      [
        `gas per extra item, one spender (${span})`,
        marginal((row) => row.batch),
        formatGas(TARGET_MARGINAL_PER_ITEM),
        formatGas(Math.round(floorPerItem)),
      ],
      [`gas per extra item, already delegated (${span})`, marginal((row) => row.delegated), "", ""],
      [`gas per extra item, distinct spenders (${span})`, marginal((row) => row.distinctSpenders), "", ""],
      [
        `ratio at N = ${TARGET_RATIO_BATCH}, authorization included`,
        ratio(target.batch, target.separate),
        TARGET_RATIO.toFixed(3),
        ratio(floorPerTransaction + TARGET_RATIO_BATCH * floorPerItem, target.separate),
      ],
      ["the token's own approve inside the batch (trace)", formatGas(Math.round(tokenApproveGas)), "", ""],
    ],
  );
}

function floorNote(): string {
  return (
    `Floor: what a delegate with no overhead of its own would pay. Per item, 4/5 (the EIP-3529 refund cap binds) of ` +
    `the cold call into the token (${formatGas(COLD_ACCOUNT_ACCESS)}), the token's own approve (traced) and the ` +
    `token's 20 address bytes of calldata; per transaction, 4/5 of ${formatGas(TRANSACTION_BASE)} + ` +
    `${formatGas(AUTHORIZATION_BASE)} (the authorization).`
  );
}

/**
 * The gas each call one level down (each token's approve) used inside a
 * transaction, averaged, from its struct-log trace: from a call's first step
 * to its last.
 */
async function averageCalleeGas(publicClient: PublicClient, hash: Hash): Promise<number> {
  const spent = await calleeGas(publicClient, hash);
  return spent.reduce((sum, gas) => sum + gas, 0) / spent.length;
}

/** The gas of the first call one level down (the token's approve(spender, 0)). */
async function firstCalleeGas(publicClient: PublicClient, hash: Hash): Promise<number> {
  return (await calleeGas(publicClient, hash))[0]!;
}

async function calleeGas(publicClient: PublicClient, hash: Hash): Promise<number[]> {
  type Step = { depth: number; gas: number; gasCost: number };
  const { structLogs } = (await publicClient.request({
    method: "debug_traceTransaction",
    params: [hash, { disableStorage: true, disableMemory: true, disableStack: true }],
  } as never)) as { structLogs: Step[] };
  const spent: number[] = [];
  let start: number | undefined;
  structLogs.forEach((step, index) => {
    if (step.depth !== 2) return;
    start ??= step.gas;
    if (structLogs[index + 1]?.depth !== 2) {
      spent.push(start - step.gas + step.gasCost);
      start = undefined;
    }
  });
  precondition(spent.length > 0, `the trace of ${hash} shows the token calls`);
  return spent;
}
