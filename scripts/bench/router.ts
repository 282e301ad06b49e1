/**
 * Gas of the AllowanceRouter's operations, as whole transactions (receipt
 * gasUsed), next to the real Uniswap Permit2 (its canonical runtime code, as
 * deployed on mainnet, etched at its canonical address) and to a plain ERC-20
 * doing the same job, all on the same TestToken in the same run.
 *
 * Both grant contracts get the same arrangement, through their shared
 * IAllowanceTransfer interface, with their own owners: every measured
 * transaction runs in its own block against state arranged beforehand, and the
 * arrangement is checked before the measurement: a "fresh" grant is a zero
 * slot, an "empty" recipient holds nothing, a "holder" holds some. Gas depends
 * on exactly these zero/non-zero storage transitions. The chain id is 1, so
 * both use their cached EIP-712 domain separators as on mainnet.
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
  type Hex,
} from "viem";

import { formatGas, formatGasDelta, markdownTable } from "./table.js";
import { eip2612Types } from "../../src/revoke/permits.js";
import { permitSingleTypes } from "../../src/router/typedData.js";
import { etchPermit2, PERMIT2_ADDRESS } from "../../test/fixtures/permit2.js";

/** Permit2's EIP-712 domain name (its domain has no version). */
const PERMIT2_DOMAIN_NAME = "Permit2";
const ROUTER_DOMAIN_NAME = "AllowanceRouter";
/** Mainnet: Permit2's code carries its domain separator for this chain id. */
const CHAIN_ID = 1;

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

/** Rows that are spends: the goal is each at or below Permit2. */
const SPEND = true;

interface Measurement {
  readonly operation: string;
  readonly gas: bigint;
  /** The same operation on the real Permit2, or what Permit2 needs for the same effect. */
  readonly permit2?: { readonly operation?: string; readonly gas: bigint };
  readonly spend?: boolean;
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
  const { viem, networkHelpers, provider } = await network.create({
    override: { chainId: CHAIN_ID, initialDate: CHAIN_START },
  });
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  // Account 0 deploys and mints; the others each play one part, per grant contract.
  const [, spender, relayer, guardian] = wallets;
  const routerOwners = wallets.slice(4, 7);
  const permit2Owners = wallets.slice(7, 10);

  const router = await viem.deployContract("AllowanceRouter");
  await etchPermit2(provider);
  // Permit2 speaks the same IAllowanceTransfer: the router's ABI drives it, selector for selector.
  const permit2 = await viem.getContractAt("AllowanceRouter", PERMIT2_ADDRESS);
  const token = await viem.deployContract("TestToken", ["Test Token", "TT"]);
  const [, tokenName, tokenVersion] = await token.read.eip712Domain();

  async function gasOf(hash: Promise<Hash>, what: string): Promise<bigint> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success") throw new Error(`bench: "${what}" reverted.`);
    return receipt.gasUsed;
  }
  const setUp = (hash: Promise<Hash>, what: string) => gasOf(hash, `setup: ${what}`);

  const holders = [unusedAddress("holder 1"), unusedAddress("holder 2")] as const;
  for (const holder of holders) await setUp(token.write.mint([holder, HOLDER_BALANCE]), "mint to holder");
  const spenderAddress = spender.account.address;

  type GrantContract = typeof router;
  /** Every operation of the shared interface on one grant contract, keyed by row. */
  async function measureGrantContract(
    grants: GrantContract,
    name: string,
    domainName: string,
    [owner, ownerOfUnlimitedGrant, permitOwner]: typeof routerOwners,
  ): Promise<Map<string, bigint>> {
    const gas = new Map<string, bigint>();
    const label = (what: string) => `${name}: ${what}`;
    for (const account of [owner, ownerOfUnlimitedGrant, permitOwner]) {
      await setUp(token.write.mint([account.account.address, STARTING_BALANCE]), "mint to owner");
      await setUp(token.write.approve([grants.address, maxUint256], { account: account.account }), "approve grants");
    }
    await setUp(
      grants.write.approve([token.address, spenderAddress, GRANT, EXPIRATION], { account: owner.account }),
      label("finite grant"),
    );
    await setUp(
      grants.write.approve([token.address, spenderAddress, maxUint160, EXPIRATION], { account: ownerOfUnlimitedGrant.account }),
      label("unlimited grant"),
    );
    const lockdownSpenders = Array.from({ length: 2 * (1 + LOCKDOWN_PAIRS) }, (_, index) =>
      unusedAddress(`lockdown spender ${index}`),
    );
    for (const lockdownSpender of lockdownSpenders) {
      await setUp(
        grants.write.approve([token.address, lockdownSpender, GRANT, EXPIRATION], { account: owner.account }),
        label("grant to revoke"),
      );
    }
    const nonceSpender = unusedAddress("nonce invalidation spender");
    await setUp(
      grants.write.approve([token.address, nonceSpender, GRANT, EXPIRATION], { account: owner.account }),
      label("grant whose nonces are invalidated"),
    );

    const expectFresh = async (grantor: Address, grantee: Address) => {
      const [amount, grantExpiration, nonce] = await grants.read.allowance([grantor, token.address, grantee]);
      precondition(amount === 0n && grantExpiration === 0 && nonce === 0, `${name}: the grant is fresh (zero slot)`);
    };
    const expectLive = async (grantor: Address, grantee: Address, unlimited: boolean) => {
      const [amount, grantExpiration] = await grants.read.allowance([grantor, token.address, grantee]);
      precondition(amount >= PULL && grantExpiration > (await networkHelpers.time.latest()), `${name}: the grant is live`);
      precondition((amount === maxUint160) === unlimited, `${name}: the grant is ${unlimited ? "" : "not "}unlimited`);
    };
    const expectRecipient = async (recipient: Address, holding: boolean) => {
      const balance = await token.read.balanceOf([recipient]);
      precondition(holding ? balance > 0n : balance === 0n, `the recipient ${holding ? "holds tokens" : "is empty"}`);
    };

    {
      const fresh = unusedAddress("fresh approve");
      await expectFresh(owner.account.address, fresh);
      gas.set("approve", await gasOf(grants.write.approve([token.address, fresh, GRANT, EXPIRATION], { account: owner.account }), label("approve")));
    }
    {
      const fresh = unusedAddress("fresh permit");
      const permitOwnerAddress = permitOwner.account.address;
      await expectFresh(permitOwnerAddress, fresh);
      const permitSingle = {
        details: { token: token.address, amount: GRANT, expiration: EXPIRATION, nonce: 0 },
        spender: fresh,
        sigDeadline: SIG_DEADLINE,
      };
      const signature = await permitOwner.signTypedData({
        account: permitOwner.account,
        domain: { name: domainName, chainId: CHAIN_ID, verifyingContract: grants.address },
        types: permitSingleTypes,
        primaryType: "PermitSingle",
        message: permitSingle,
      });
      gas.set(
        "permit",
        await gasOf(grants.write.permit([permitOwnerAddress, permitSingle, signature], { account: relayer.account }), label("permit")),
      );
    }
    const transferFrom = async (row: string, grantor: Address, to: Address, holding: boolean, unlimited: boolean) => {
      await expectLive(grantor, spenderAddress, unlimited);
      precondition((await token.read.balanceOf([grantor])) > 2n * PULL, "the owner keeps a non-zero balance");
      await expectRecipient(to, holding);
      gas.set(row, await gasOf(grants.write.transferFrom([grantor, to, PULL, token.address], { account: spender.account }), label(row)));
    };
    await transferFrom("toHolder", owner.account.address, holders[0], true, false);
    await transferFrom("toEmpty", owner.account.address, unusedAddress(`${name} empty recipient`), false, false);
    await transferFrom("maxAllowance", ownerOfUnlimitedGrant.account.address, holders[0], true, true);
    {
      await expectLive(owner.account.address, spenderAddress, false);
      const batch = holders.map((to) => ({ from: owner.account.address, to, amount: PULL, token: token.address }));
      gas.set("batch", await gasOf(grants.write.transferFrom([batch], { account: spender.account }), label("batch")));
    }
    const pairsOf = async (spenders: readonly Address[]) => {
      for (const pairSpender of spenders) {
        const [amount, , nonce] = await grants.read.allowance([owner.account.address, token.address, pairSpender]);
        precondition(amount > 0n && nonce === 0, `${name}: the grant to revoke is live, at nonce 0`);
      }
      return spenders.map((pairSpender) => ({ token: token.address, spender: pairSpender }));
    };
    const one = lockdownSpenders.slice(0, 1);
    const ten = lockdownSpenders.slice(1, 1 + LOCKDOWN_PAIRS);
    gas.set("lockdown1", await gasOf(grants.write.lockdown([await pairsOf(one)], { account: owner.account }), label("lockdown 1")));
    gas.set("lockdown10", await gasOf(grants.write.lockdown([await pairsOf(ten)], { account: owner.account }), label("lockdown 10")));
    {
      const [amount, , nonce] = await grants.read.allowance([owner.account.address, token.address, nonceSpender]);
      precondition(amount > 0n && nonce === 0, `${name}: the grant whose nonces are invalidated exists, at nonce 0`);
      gas.set(
        "invalidateNonces",
        await gasOf(grants.write.invalidateNonces([token.address, nonceSpender, 1], { account: owner.account }), label("invalidateNonces")),
      );
    }
    // Lockdown and void the pair's signed permits: one call on the router; lockdown then
    // invalidateNonces, two transactions, on Permit2.
    const voidSpenders = lockdownSpenders.slice(1 + LOCKDOWN_PAIRS);
    const voidOne = await pairsOf(voidSpenders.slice(0, 1));
    const voidTen = await pairsOf(voidSpenders.slice(1));
    if (grants.address === router.address) {
      gas.set("void1", await gasOf(router.write.lockdownAndVoidPermits([voidOne], { account: owner.account }), label("void 1")));
      gas.set("void10", await gasOf(router.write.lockdownAndVoidPermits([voidTen], { account: owner.account }), label("void 10")));
    } else {
      const lockdownThenInvalidate = async (pairs: readonly { token: Address; spender: Address }[], what: string) => {
        let total = await gasOf(grants.write.lockdown([pairs], { account: owner.account }), label(`${what} lockdown`));
        for (const pair of pairs) {
          total += await gasOf(grants.write.invalidateNonces([pair.token, pair.spender, 1], { account: owner.account }), label(`${what} invalidate`));
        }
        return total;
      };
      gas.set("void1", await lockdownThenInvalidate(voidOne, "void 1"));
      gas.set("void10", await lockdownThenInvalidate(voidTen, "void 10"));
    }
    return gas;
  }

  const routerGas = await measureGrantContract(router, "router", ROUTER_DOMAIN_NAME, routerOwners);
  const permit2Gas = await measureGrantContract(permit2, "Permit2", PERMIT2_DOMAIN_NAME, permit2Owners);

  // ------------------------------------------------ plain ERC-20, same token
  const [erc20Owner, erc20OwnerOfUnlimited, erc20PermitOwner] = routerOwners;
  const erc20 = new Map<string, bigint>();
  {
    const fresh = unusedAddress("fresh approve erc20");
    erc20.set("approve", await gasOf(token.write.approve([fresh, GRANT], { account: erc20Owner.account }), "ERC-20 approve"));
    const permitSpender = unusedAddress("fresh permit erc20");
    const owner = erc20PermitOwner.account.address;
    precondition((await token.read.nonces([owner])) === 0n, "the owner has never used EIP-2612 permit");
    const signature = parseSignature(
      await erc20PermitOwner.signTypedData({
        account: erc20PermitOwner.account,
        domain: { name: tokenName, version: tokenVersion, chainId: CHAIN_ID, verifyingContract: token.address },
        types: eip2612Types,
        primaryType: "Permit",
        message: { owner, spender: permitSpender, value: GRANT, nonce: 0n, deadline: SIG_DEADLINE },
      }),
    );
    erc20.set(
      "permit",
      await gasOf(
        token.write.permit([owner, permitSpender, GRANT, SIG_DEADLINE, Number(signature.v), signature.r, signature.s], {
          account: relayer.account,
        }),
        "ERC-20 permit",
      ),
    );
    await setUp(token.write.approve([spenderAddress, GRANT], { account: erc20Owner.account }), "finite ERC-20 allowance");
    await setUp(token.write.approve([spenderAddress, maxUint256], { account: erc20OwnerOfUnlimited.account }), "unlimited ERC-20 allowance");
    const pull = (from: Address, to: Address, what: string) =>
      gasOf(token.write.transferFrom([from, to, PULL], { account: spender.account }), what);
    erc20.set("toHolder", await pull(erc20Owner.account.address, holders[1], "ERC-20 to holder"));
    erc20.set("toEmpty", await pull(erc20Owner.account.address, unusedAddress("erc20 empty recipient"), "ERC-20 to empty"));
    erc20.set("maxAllowance", await pull(erc20OwnerOfUnlimited.account.address, holders[1], "ERC-20 max allowance"));
    erc20.set(
      "batch",
      (await pull(erc20Owner.account.address, holders[0], "ERC-20 batch 1")) + (await pull(erc20Owner.account.address, holders[1], "ERC-20 batch 2")),
    );
    const revokeSpenders = Array.from({ length: 1 + LOCKDOWN_PAIRS }, (_, index) => unusedAddress(`erc20 revoke ${index}`));
    for (const revokeSpender of revokeSpenders) {
      await setUp(token.write.approve([revokeSpender, GRANT], { account: erc20Owner.account }), "ERC-20 allowance to revoke");
    }
    const revoke = (revokeSpender: Address) =>
      gasOf(token.write.approve([revokeSpender, 0n], { account: erc20Owner.account }), "ERC-20 revoke");
    erc20.set("lockdown1", await revoke(revokeSpenders[0]!));
    let ten = 0n;
    for (const revokeSpender of revokeSpenders.slice(1)) ten += await revoke(revokeSpender);
    erc20.set("lockdown10", ten);
  }

  // ------------------------------------------------ the guardian's lockdown
  let guardianLockdown: bigint;
  {
    const [owner] = routerOwners;
    await setUp(router.write.setGuardian([guardian.account.address], { account: owner.account }), "appoint guardian");
    const guarded = unusedAddress("guarded spender");
    await setUp(router.write.approve([token.address, guarded, GRANT, EXPIRATION], { account: owner.account }), "guarded grant");
    guardianLockdown = await gasOf(
      router.write.lockdownFor([owner.account.address, [{ token: token.address, spender: guarded }]], { account: guardian.account }),
      "guardian lockdownFor",
    );
  }

  const rows: Measurement[] = [
    { operation: "approve (fresh)", key: "approve", erc20: "approve (fresh)" },
    { operation: "permit single (relayed, fresh)", key: "permit", erc20: "EIP-2612 permit (relayed, fresh, owner's first)" },
    { operation: "transferFrom (finite allowance, to a holder)", key: "toHolder", erc20: "transferFrom (finite, to a holder)", spend: SPEND },
    { operation: "transferFrom (finite allowance, to an empty account)", key: "toEmpty", erc20: "transferFrom (finite, to an empty account)", spend: SPEND },
    { operation: "transferFrom (max allowance, to a holder)", key: "maxAllowance", erc20: "transferFrom (max allowance, to a holder)", spend: SPEND },
    { operation: "transferFrom batch of 2 (finite, one owner, to holders)", key: "batch", erc20: "2 × transferFrom (finite, to holders), 2 txs", spend: SPEND },
    { operation: "lockdown of 1 live pair", key: "lockdown1", erc20: "approve(spender, 0)" },
    { operation: `lockdown of ${LOCKDOWN_PAIRS} live pairs`, key: "lockdown10", erc20: `${LOCKDOWN_PAIRS} × approve(spender, 0), ${LOCKDOWN_PAIRS} txs` },
    { operation: "invalidateNonces (existing grant, nonce 0 → 1)", key: "invalidateNonces" },
    { operation: "lockdownAndVoidPermits, 1 pair", key: "void1", permit2: "lockdown + invalidateNonces, 2 txs" },
    { operation: `lockdownAndVoidPermits, ${LOCKDOWN_PAIRS} pairs`, key: "void10", permit2: `lockdown + ${LOCKDOWN_PAIRS} × invalidateNonces, ${1 + LOCKDOWN_PAIRS} txs` },
  ].map(({ operation, key, erc20: erc20Operation, spend, permit2 }) => ({
    operation,
    gas: routerGas.get(key)!,
    permit2: { operation: permit2, gas: permit2Gas.get(key)! },
    spend,
    erc20: erc20Operation === undefined ? undefined : { operation: erc20Operation, gas: erc20.get(key)! },
  }));
  rows.push({ operation: "lockdownFor by the guardian, 1 pair (voids permits too)", gas: guardianLockdown, permit2: { operation: "none: Permit2 has no guardian", gas: -1n } });

  return markdownTable(
    [
      { title: "AllowanceRouter operation" },
      { title: "router gas", align: "right" },
      { title: "real Permit2 gas (same run)", align: "right" },
      { title: "router − Permit2", align: "right" },
      { title: "ERC-20 equivalent (same run, TestToken)" },
      { title: "ERC-20 gas", align: "right" },
      { title: "router − ERC-20", align: "right" },
    ],
    rows.map(toRow),
  );
}

function toRow({ operation, gas, permit2, spend, erc20 }: Measurement): string[] {
  const none = "—";
  const permit2Known = permit2 !== undefined && permit2.gas >= 0n;
  const permit2Cell = permit2 === undefined ? none : permit2Known ? formatGas(permit2.gas) : none;
  const permit2Note = permit2?.operation === undefined ? "" : ` (${permit2.operation})`;
  const delta = permit2Known ? formatGasDelta(gas - permit2!.gas) : none;
  const verdict = spend === true && permit2Known ? (gas <= permit2!.gas ? " ✓" : " ✗ above Permit2") : "";
  return [
    operation,
    formatGas(gas),
    `${permit2Cell}${permit2Note}`,
    `${delta}${verdict}`,
    erc20?.operation ?? none,
    erc20 === undefined ? none : formatGas(erc20.gas),
    erc20 === undefined ? none : formatGasDelta(gas - erc20.gas),
  ];
}
