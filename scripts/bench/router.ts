/**
 * Gas of the AllowanceRouter's operations, as whole transactions (receipt
 * gasUsed), next to a plain ERC-20 doing the same job on the same TestToken in
 * the same run, and to Permit2's reference numbers.
 *
 * Every measured transaction runs in its own block against state arranged
 * beforehand, and the arrangement is checked before the measurement: a "fresh"
 * grant is a zero slot, an "empty" recipient holds nothing, a "holder" holds
 * some. Gas depends on exactly these zero/non-zero storage transitions.
 */
import { network } from "hardhat";
import {
  getAddress,
  keccak256,
  maxUint160,
  maxUint256,
  parseUnits,
  parseSignature,
  slice,
  toHex,
  type Address,
  type Hash,
} from "viem";

import { formatGas, formatGasDelta, markdownTable } from "./table.js";
import { eip2612Types } from "../../src/revoke/permits.js";
import { signPermitSingle } from "../../src/router/typedData.js";

/**
 * Permit2 in the same setup, measured by the author: reference
 * targets, not measured here.
 */
const PERMIT2_REFERENCE = {
  approveFresh: 47_638n,
  permitSingleFreshRelayed: 57_590n,
  transferFromToHolder: 46_403n,
  transferFromToEmpty: 63_503n,
  transferFromMaxAllowance: 43_418n,
  lockdownOnePair: 29_934n,
  lockdownTenPairs: 101_499n,
  invalidateNonces: 30_516n,
} as const;

/**
 * approve and permit read the owner's duration cap, a slot Permit2 does not
 * have: one cold SLOAD (2,100 gas) and its handling.
 */
const DURATION_CAP_ALLOWANCE = 2_200n;

const LOCKDOWN_PAIRS = 10;
const DECIMALS = 18;
const GRANT = parseUnits("1000", DECIMALS);
const PULL = parseUnits("1", DECIMALS);
const STARTING_BALANCE = parseUnits("1000000", DECIMALS);
const HOLDER_BALANCE = parseUnits("1", DECIMALS);
/**
 * Gas depends on calldata bytes (4 gas a zero byte, 16 a non-zero one), and a
 * permit's signature on everything it signs. A fixed chain start and fixed
 * expirations make every transaction, signatures included, the same in every
 * run.
 */
const CHAIN_START = new Date("2030-01-01T00:00:00Z");
const toSeconds = (date: Date) => date.getTime() / 1000;
const EXPIRATION = toSeconds(new Date("2030-02-01T00:00:00Z"));
const SIG_DEADLINE = BigInt(toSeconds(new Date("2030-01-02T00:00:00Z")));

interface Target {
  readonly gas: bigint;
  /** How far above the reference still passes. */
  readonly tolerance: bigint;
}

interface Measurement {
  readonly operation: string;
  readonly gas: bigint;
  readonly target?: Target;
  readonly erc20?: { readonly operation: string; readonly gas: bigint };
}

/** A stable address that has never been used, for spenders and recipients that never send. */
function unusedAddress(label: string): Address {
  return getAddress(slice(keccak256(toHex(`allowance-router bench: ${label}`)), 12));
}

/** Stops the benchmark when the state it is about to measure is not the state the row names. */
function precondition(holds: boolean, description: string): void {
  if (!holds) {
    throw new Error(`bench: precondition failed: ${description}. The measurement would not be what its row says.`);
  }
}

export async function benchRouter(): Promise<string> {
  const { viem, networkHelpers } = await network.create({ override: { initialDate: CHAIN_START } });
  const publicClient = await viem.getPublicClient();
  // Account 0 deploys and mints; the others each play one part.
  const [, owner, ownerOfUnlimitedGrant, permitOwner, spender, relayer] = await viem.getWalletClients();

  const router = await viem.deployContract("AllowanceRouter");
  const token = await viem.deployContract("TestToken", ["Test Token", "TT"]);
  const chainId = await publicClient.getChainId();
  const [, tokenName, tokenVersion] = await token.read.eip712Domain();

  async function gasOf(hash: Promise<Hash>, what: string): Promise<bigint> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success") throw new Error(`bench: "${what}" reverted.`);
    return receipt.gasUsed;
  }
  const setUp = (hash: Promise<Hash>, what: string) => gasOf(hash, `setup: ${what}`);

  // ------------------------------------------------------------------ state
  // Owners hold tokens, have approved the router and the ERC-20 spender,
  // and keep a non-zero balance throughout.
  for (const account of [owner, ownerOfUnlimitedGrant, permitOwner]) {
    await setUp(token.write.mint([account.account.address, STARTING_BALANCE]), "mint to owner");
    await setUp(token.write.approve([router.address, maxUint256], { account: account.account }), "approve router");
  }
  const holders = [unusedAddress("holder 1"), unusedAddress("holder 2")] as const;
  for (const holder of holders) await setUp(token.write.mint([holder, HOLDER_BALANCE]), "mint to holder");

  const spenderAddress = spender.account.address;
  await setUp(
    router.write.approve([token.address, spenderAddress, GRANT, EXPIRATION], { account: owner.account }),
    "finite router grant",
  );
  await setUp(
    router.write.approve([token.address, spenderAddress, maxUint160, EXPIRATION], {
      account: ownerOfUnlimitedGrant.account,
    }),
    "unlimited router grant",
  );
  await setUp(token.write.approve([spenderAddress, GRANT], { account: owner.account }), "finite ERC-20 allowance");
  await setUp(
    token.write.approve([spenderAddress, maxUint256], { account: ownerOfUnlimitedGrant.account }),
    "unlimited ERC-20 allowance",
  );

  const lockdownSpenders = Array.from({ length: 1 + LOCKDOWN_PAIRS }, (_, index) =>
    unusedAddress(`lockdown spender ${index}`),
  );
  for (const lockdownSpender of lockdownSpenders) {
    await setUp(
      router.write.approve([token.address, lockdownSpender, GRANT, EXPIRATION], { account: owner.account }),
      "router grant to revoke",
    );
    await setUp(token.write.approve([lockdownSpender, GRANT], { account: owner.account }), "ERC-20 allowance to revoke");
  }
  const nonceSpender = unusedAddress("nonce invalidation spender");
  await setUp(
    router.write.approve([token.address, nonceSpender, GRANT, EXPIRATION], { account: owner.account }),
    "router grant whose nonces are invalidated",
  );

  // ---------------------------------------------------------------- checks
  async function expectFreshGrant(grantor: Address, grantee: Address): Promise<void> {
    const [amount, grantExpiration, nonce] = await router.read.allowance([grantor, token.address, grantee]);
    precondition(amount === 0n && grantExpiration === 0 && nonce === 0, "the router grant is fresh (zero slot)");
    precondition((await token.read.allowance([grantor, grantee])) === 0n, "the ERC-20 allowance is fresh");
  }
  async function expectLiveGrant(grantor: Address, grantee: Address, unlimited: boolean): Promise<void> {
    const [amount, grantExpiration] = await router.read.allowance([grantor, token.address, grantee]);
    precondition(amount >= PULL && grantExpiration > (await networkHelpers.time.latest()), "the router grant is live");
    precondition((amount === maxUint160) === unlimited, `the router grant is ${unlimited ? "" : "not "}unlimited`);
    const erc20Allowance = await token.read.allowance([grantor, grantee]);
    precondition(erc20Allowance >= PULL, "the ERC-20 allowance is live");
    precondition((erc20Allowance === maxUint256) === unlimited, `the ERC-20 allowance is ${unlimited ? "" : "not "}unlimited`);
  }
  async function expectRecipient(recipient: Address, holding: boolean): Promise<void> {
    const balance = await token.read.balanceOf([recipient]);
    precondition(holding ? balance > 0n : balance === 0n, `the recipient ${holding ? "holds tokens" : "is empty"}`);
  }

  // --------------------------------------------------------- measurements
  const measurements: Measurement[] = [];

  {
    const [routerSpender, erc20Spender] = [unusedAddress("fresh approve router"), unusedAddress("fresh approve erc20")];
    await expectFreshGrant(owner.account.address, routerSpender);
    await expectFreshGrant(owner.account.address, erc20Spender);
    measurements.push({
      operation: "approve (fresh)",
      gas: await gasOf(
        router.write.approve([token.address, routerSpender, GRANT, EXPIRATION], { account: owner.account }),
        "router approve",
      ),
      target: { gas: PERMIT2_REFERENCE.approveFresh, tolerance: DURATION_CAP_ALLOWANCE },
      erc20: {
        operation: "approve (fresh)",
        gas: await gasOf(token.write.approve([erc20Spender, GRANT], { account: owner.account }), "ERC-20 approve"),
      },
    });
  }

  {
    const [routerSpender, erc20Spender] = [unusedAddress("fresh permit router"), unusedAddress("fresh permit erc20")];
    const permitOwnerAddress = permitOwner.account.address;
    await expectFreshGrant(permitOwnerAddress, routerSpender);
    await expectFreshGrant(permitOwnerAddress, erc20Spender);
    precondition((await token.read.nonces([permitOwnerAddress])) === 0n, "the owner has never used EIP-2612 permit");

    const permitSingle = {
      details: { token: token.address, amount: GRANT, expiration: EXPIRATION, nonce: 0 },
      spender: routerSpender,
      sigDeadline: SIG_DEADLINE,
    };
    const routerSignature = await signPermitSingle({
      signer: permitOwner,
      chainId,
      router: router.address,
      permit: permitSingle,
    });
    const erc20Signature = parseSignature(
      await permitOwner.signTypedData({
        account: permitOwner.account,
        domain: { name: tokenName, version: tokenVersion, chainId, verifyingContract: token.address },
        types: eip2612Types,
        primaryType: "Permit",
        message: { owner: permitOwnerAddress, spender: erc20Spender, value: GRANT, nonce: 0n, deadline: SIG_DEADLINE },
      }),
    );
    measurements.push({
      operation: "permit single (relayed, fresh)",
      gas: await gasOf(
        router.write.permit([permitOwnerAddress, permitSingle, routerSignature], { account: relayer.account }),
        "router permit",
      ),
      target: { gas: PERMIT2_REFERENCE.permitSingleFreshRelayed, tolerance: DURATION_CAP_ALLOWANCE },
      erc20: {
        operation: "EIP-2612 permit (relayed, fresh, owner's first)",
        gas: await gasOf(
          token.write.permit(
            [permitOwnerAddress, erc20Spender, GRANT, SIG_DEADLINE, Number(erc20Signature.v), erc20Signature.r, erc20Signature.s],
            { account: relayer.account },
          ),
          "ERC-20 permit",
        ),
      },
    });
  }

  async function measureTransferFrom(
    operation: string,
    grantor: Address,
    recipients: { readonly router: Address; readonly erc20: Address; readonly holding: boolean },
    unlimited: boolean,
    target: bigint,
  ): Promise<void> {
    await expectLiveGrant(grantor, spenderAddress, unlimited);
    precondition((await token.read.balanceOf([grantor])) > 2n * PULL, "the owner keeps a non-zero balance");
    await expectRecipient(recipients.router, recipients.holding);
    await expectRecipient(recipients.erc20, recipients.holding);
    measurements.push({
      operation,
      gas: await gasOf(
        router.write.transferFrom([grantor, recipients.router, PULL, token.address], { account: spender.account }),
        `router ${operation}`,
      ),
      target: { gas: target, tolerance: 0n },
      erc20: {
        operation,
        gas: await gasOf(
          token.write.transferFrom([grantor, recipients.erc20, PULL], { account: spender.account }),
          `ERC-20 ${operation}`,
        ),
      },
    });
  }

  await measureTransferFrom(
    "transferFrom (finite allowance, to a holder)",
    owner.account.address,
    { router: holders[0], erc20: holders[1], holding: true },
    false,
    PERMIT2_REFERENCE.transferFromToHolder,
  );
  await measureTransferFrom(
    "transferFrom (finite allowance, to an empty account)",
    owner.account.address,
    { router: unusedAddress("empty recipient router"), erc20: unusedAddress("empty recipient erc20"), holding: false },
    false,
    PERMIT2_REFERENCE.transferFromToEmpty,
  );
  await measureTransferFrom(
    "transferFrom (max allowance, to a holder)",
    ownerOfUnlimitedGrant.account.address,
    { router: holders[0], erc20: holders[1], holding: true },
    true,
    PERMIT2_REFERENCE.transferFromMaxAllowance,
  );

  {
    await expectLiveGrant(owner.account.address, spenderAddress, false);
    for (const holder of holders) await expectRecipient(holder, true);
    const batch = holders.map((to) => ({ from: owner.account.address, to, amount: PULL, token: token.address }));
    const routerGas = await gasOf(router.write.transferFrom([batch], { account: spender.account }), "router batch");
    let erc20Gas = 0n;
    for (const holder of holders) {
      erc20Gas += await gasOf(
        token.write.transferFrom([owner.account.address, holder, PULL], { account: spender.account }),
        "ERC-20 transferFrom of the batch",
      );
    }
    measurements.push({
      operation: "transferFrom batch of 2 (finite, one owner, to holders)",
      gas: routerGas,
      erc20: { operation: "2 × transferFrom (finite, to holders), 2 txs", gas: erc20Gas },
    });
  }

  async function measureLockdown(pairSpenders: readonly Address[], target: bigint): Promise<void> {
    for (const pairSpender of pairSpenders) {
      const [amount] = await router.read.allowance([owner.account.address, token.address, pairSpender]);
      precondition(amount > 0n, "the router grant to revoke is live");
      precondition((await token.read.allowance([owner.account.address, pairSpender])) > 0n, "the ERC-20 allowance to revoke is live");
    }
    const pairs = pairSpenders.map((pairSpender) => ({ token: token.address, spender: pairSpender }));
    const routerGas = await gasOf(router.write.lockdown([pairs], { account: owner.account }), "router lockdown");
    let erc20Gas = 0n;
    for (const pairSpender of pairSpenders) {
      erc20Gas += await gasOf(token.write.approve([pairSpender, 0n], { account: owner.account }), "ERC-20 revoke");
    }
    const count = pairSpenders.length;
    measurements.push({
      operation: `lockdown of ${count} live pair${count === 1 ? "" : "s"}`,
      gas: routerGas,
      target: { gas: target, tolerance: 0n },
      erc20: { operation: count === 1 ? "approve(spender, 0)" : `${count} × approve(spender, 0), ${count} txs`, gas: erc20Gas },
    });
  }

  await measureLockdown(lockdownSpenders.slice(0, 1), PERMIT2_REFERENCE.lockdownOnePair);
  await measureLockdown(lockdownSpenders.slice(1), PERMIT2_REFERENCE.lockdownTenPairs);

  {
    const [amount, , nonce] = await router.read.allowance([owner.account.address, token.address, nonceSpender]);
    precondition(amount > 0n && nonce === 0, "the grant whose nonces are invalidated exists, at nonce 0");
    measurements.push({
      operation: "invalidateNonces (existing grant, nonce 0 → 1)",
      gas: await gasOf(
        router.write.invalidateNonces([token.address, nonceSpender, 1], { account: owner.account }),
        "router invalidateNonces",
      ),
      target: { gas: PERMIT2_REFERENCE.invalidateNonces, tolerance: 0n },
    });
  }

  return markdownTable(
    [
      { title: "AllowanceRouter operation" },
      { title: "gas", align: "right" },
      { title: "Permit2 reference (target)", align: "right" },
      { title: "vs target", align: "right" },
      { title: "verdict" },
      { title: "ERC-20 equivalent (same run, TestToken)" },
      { title: "ERC-20 gas", align: "right" },
      { title: "router − ERC-20", align: "right" },
    ],
    measurements.map(toRow),
  );
}

function toRow({ operation, gas, target, erc20 }: Measurement): string[] {
  const none = "—";
  return [
    operation,
    formatGas(gas),
    target === undefined ? none : formatGas(target.gas),
    target === undefined ? none : formatGasDelta(gas - target.gas),
    target === undefined ? none : verdict(gas, target),
    erc20?.operation ?? none,
    erc20 === undefined ? none : formatGas(erc20.gas),
    erc20 === undefined ? none : formatGasDelta(gas - erc20.gas),
  ];
}

function verdict(gas: bigint, { gas: reference, tolerance }: Target): string {
  const passes = gas <= reference + tolerance;
  const allowance = tolerance === 0n ? "" : ` (≤ +${formatGas(tolerance)} allowed)`;
  return `${passes ? "pass" : "FAIL"}${allowance}`;
}
