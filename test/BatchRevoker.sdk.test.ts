// Unit tests of the revocation SDK (src/revoke) that need no chain: input validation and its
// typed errors, the packed list format, outcome decoding, and the fallback calls.
import { expect } from "chai";
import { artifacts } from "hardhat";
import {
  concatHex,
  decodeFunctionData,
  getAddress,
  keccak256,
  maxUint256,
  numberToHex,
  slice,
  toHex,
  zeroAddress,
  type Address,
} from "viem";

import {
  EmptyRevocationError,
  GroupKind,
  MAX_GROUP_ENTRIES,
  RevocationAddressError,
  RevocationInputError,
  RevocationTokenIdError,
  RevocationZeroAddressError,
  UnknownRevocationKindError,
  batchRevokerAbi,
  decodeOutcomes,
  encodeRevocations,
  revocationAbi,
  revocationCalls,
  walletSendCallsRequest,
  type RevocationItem,
} from "../src/index.js";

const address = (label: string): Address => getAddress(slice(keccak256(toHex(label)), 12));
const tokenA = address("token A");
const tokenB = address("token B");
const nft = address("nft");
const multi = address("multi");
const router = address("router");
const spender = address("spender");
const otherSpender = address("other spender");
const operator = address("operator");

/** Throws as `fn` should, returning the error for further checks. */
function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error, none was thrown");
}

describe("revocation SDK: planning and input errors", function () {
  it("packs items sharing kind and subject into one group, in first-appearance order", function () {
    const items: RevocationItem[] = [
      { kind: "erc20", token: tokenA, spender },
      { kind: "erc721-operator", token: nft, operator },
      { kind: "erc20", token: tokenB, spender },
      { kind: "erc1155-operator", token: multi, operator },
      { kind: "erc721", token: nft, tokenId: 7n },
      { kind: "router", router, token: tokenA, spender: otherSpender },
      { kind: "erc20", token: tokenA, spender: otherSpender },
    ];
    const plan = encodeRevocations(items);

    const header = (kind: number, subject: Address, count: number) =>
      concatHex([numberToHex(kind, { size: 1 }), subject, numberToHex(count, { size: 1 })]);
    expect(plan.encoded).to.equal(
      concatHex([
        header(GroupKind.erc20, spender, 2),
        tokenA,
        tokenB,
        header(GroupKind.operator, operator, 2),
        nft,
        multi,
        header(GroupKind.erc721, nft, 1),
        numberToHex(7n, { size: 32 }),
        header(GroupKind.lockdown, router, 1),
        tokenA,
        otherSpender,
        header(GroupKind.erc20, otherSpender, 1),
        tokenA,
      ]).toLowerCase(),
    );
    // Outcome i on chain belongs to input item order[i].
    expect(plan.order).to.deep.equal([0, 2, 1, 3, 4, 5, 6]);
  });

  it("a router item voids the grant's signed permits by default (kind 3); keepPermits only locks down (kind 4)", function () {
    const header = (kind: number) => concatHex([numberToHex(kind, { size: 1 }), router, numberToHex(1, { size: 1 })]);
    const voiding = encodeRevocations([{ kind: "router", router, token: tokenA, spender }]);
    expect(voiding.encoded).to.equal(concatHex([header(GroupKind.lockdown), tokenA, spender]).toLowerCase());
    const keeping = encodeRevocations([{ kind: "router", router, token: tokenA, spender, keepPermits: true }]);
    expect(keeping.encoded).to.equal(concatHex([header(GroupKind.lockdownKeepPermits), tokenA, spender]).toLowerCase());
    expect(keeping.items[0]).to.deep.equal({ kind: "router", router, token: tokenA, spender, keepPermits: true });
    expect(GroupKind).to.deep.equal({ erc20: 0, operator: 1, erc721: 2, lockdown: 3, lockdownKeepPermits: 4 });
  });

  it("starts a new group after 255 entries, the most one count byte holds", function () {
    const tokens = Array.from({ length: MAX_GROUP_ENTRIES + 2 }, (_, index) => address(`token ${index}`));
    const plan = encodeRevocations(tokens.map((token) => ({ kind: "erc20", token, spender })));
    const secondHeaderAt = 22 + 20 * MAX_GROUP_ENTRIES;
    expect(slice(plan.encoded, 21, 22)).to.equal(numberToHex(MAX_GROUP_ENTRIES, { size: 1 }));
    expect(slice(plan.encoded, secondHeaderAt, secondHeaderAt + 22)).to.equal(
      concatHex([numberToHex(GroupKind.erc20, { size: 1 }), spender, numberToHex(2, { size: 1 })]).toLowerCase(),
    );
    expect(plan.order).to.deep.equal(tokens.map((_, index) => index));
  });

  it("accepts any address casing and returns checksummed addresses", function () {
    const plan = encodeRevocations([{ kind: "erc20", token: tokenA.toLowerCase() as Address, spender }]);
    expect(plan.items[0]).to.deep.equal({ kind: "erc20", token: tokenA, spender });
  });

  it("rejects an empty list", function () {
    const error = thrownBy(() => encodeRevocations([]));
    expect(error).to.be.instanceOf(EmptyRevocationError).and.instanceOf(RevocationInputError);
    expect(error.message).to.include("Nothing to revoke");
  });

  it("rejects an unknown kind, naming the item and the known kinds", function () {
    const error = thrownBy(() =>
      encodeRevocations([
        { kind: "erc20", token: tokenA, spender },
        { kind: "erc777", token: tokenB } as unknown as RevocationItem,
      ]),
    );
    expect(error).to.be.instanceOf(UnknownRevocationKindError);
    expect(error.name).to.equal("UnknownRevocationKindError");
    expect((error as UnknownRevocationKindError).index).to.equal(1);
    expect(error.message).to.include('"erc777"').and.include("erc1155-operator");
  });

  it("rejects the zero address in every address field", function () {
    const cases: [RevocationItem, string][] = [
      [{ kind: "erc20", token: zeroAddress, spender }, "token"],
      [{ kind: "erc20", token: tokenA, spender: zeroAddress }, "spender"],
      [{ kind: "erc721", token: zeroAddress, tokenId: 1n }, "token"],
      [{ kind: "erc721-operator", token: nft, operator: zeroAddress }, "operator"],
      [{ kind: "erc1155-operator", token: zeroAddress, operator }, "token"],
      [{ kind: "router", router: zeroAddress, token: tokenA, spender }, "router"],
      [{ kind: "router", router, token: tokenA, spender: zeroAddress }, "spender"],
    ];
    for (const [item, field] of cases) {
      const error = thrownBy(() => encodeRevocations([item]));
      expect(error, `${item.kind}.${field}`).to.be.instanceOf(RevocationZeroAddressError);
      expect((error as RevocationZeroAddressError).field).to.equal(field);
    }
  });

  it("rejects a malformed or missing address", function () {
    for (const bad of ["0x1234", "not an address", undefined, 42]) {
      const item = { kind: "erc20", token: bad, spender } as unknown as RevocationItem;
      const error = thrownBy(() => encodeRevocations([item]));
      expect(error, String(bad)).to.be.instanceOf(RevocationAddressError);
      expect(error.message).to.include("token");
    }
  });

  it("rejects a token id that is not a uint256 bigint", function () {
    for (const bad of [-1n, maxUint256 + 1n, 7, "7"]) {
      const item = { kind: "erc721", token: nft, tokenId: bad } as unknown as RevocationItem;
      const error = thrownBy(() => encodeRevocations([item]));
      expect(error, String(bad)).to.be.instanceOf(RevocationTokenIdError);
    }
    expect(encodeRevocations([{ kind: "erc721", token: nft, tokenId: maxUint256 }]).order).to.deep.equal([0]);
  });
});

describe("revocation SDK: outcomes", function () {
  it("maps the returned outcome bytes back to the caller's item order", function () {
    const plan = encodeRevocations([
      { kind: "erc20", token: tokenA, spender },
      { kind: "erc721-operator", token: nft, operator },
      { kind: "erc20", token: tokenB, spender },
    ]);
    // On-chain order is tokenA, tokenB (one group), then nft: Revoked, Reduced, Failed.
    const outcomes = decodeOutcomes(plan, "0x000102");
    expect(outcomes.map(({ outcome }) => outcome)).to.deep.equal(["revoked", "failed", "reduced"]);
    expect(outcomes[1]!.item).to.deep.equal(plan.items[1]);
  });

  it("reports an OutOfGas item (a gas-burning token) as failed, with the reason out-of-gas", function () {
    const plan = encodeRevocations([
      { kind: "erc20", token: tokenA, spender },
      { kind: "erc20", token: tokenB, spender },
    ]);
    const outcomes = decodeOutcomes(plan, "0x0003");
    expect(outcomes.map(({ outcome, reason }) => ({ outcome, reason }))).to.deep.equal([
      { outcome: "revoked", reason: undefined },
      { outcome: "failed", reason: "out-of-gas" },
    ]);
    expect(decodeOutcomes(plan, "0x0200")[0]).to.not.have.property("reason");
  });

  it("refuses outcome bytes that do not fit the plan", function () {
    const plan = encodeRevocations([{ kind: "erc20", token: tokenA, spender }]);
    expect(thrownBy(() => decodeOutcomes(plan, "0x0000")).message).to.include("2 outcomes for 1 items");
    expect(thrownBy(() => decodeOutcomes(plan, "0x07")).message).to.include("Unknown BatchRevoker outcome 7");
  });
});

describe("revocation SDK: fallback calls", function () {
  const items: RevocationItem[] = [
    { kind: "router", router, token: tokenA, spender },
    { kind: "erc20", token: tokenA, spender },
    { kind: "erc721", token: nft, tokenId: 7n },
    { kind: "erc721-operator", token: nft, operator },
    { kind: "router", router, token: tokenB, spender: otherSpender },
    { kind: "erc1155-operator", token: multi, operator },
  ];

  it("makes one call per item and one lockdown per router, at its first item", function () {
    const calls = revocationCalls(items);
    expect(calls.map(({ to }) => to)).to.deep.equal([router, tokenA, nft, nft, multi]);
    const decoded = calls.map(({ data }) => decodeFunctionData({ abi: revocationAbi, data }));
    expect(decoded[0]).to.deep.equal({
      functionName: "lockdown",
      args: [[{ token: tokenA, spender }, { token: tokenB, spender: otherSpender }]],
    });
    expect(decoded[1]).to.deep.equal({ functionName: "approve", args: [spender, 0n] });
    expect(decoded[2]).to.deep.equal({ functionName: "approve", args: [zeroAddress, 7n] });
    expect(decoded[3]).to.deep.equal({ functionName: "setApprovalForAll", args: [operator, false] });
    expect(decoded[4]).to.deep.equal({ functionName: "setApprovalForAll", args: [operator, false] });
    expect(calls.every(({ value }) => value === 0n)).to.equal(true);
  });

  it("wraps the same calls in an EIP-5792 wallet_sendCalls request", function () {
    const from = address("owner");
    const request = walletSendCallsRequest({ items, from, chainId: 31337, atomicRequired: true });
    expect(request.method).to.equal("wallet_sendCalls");
    const [params] = request.params;
    expect(params).to.deep.include({ version: "2.0.0", chainId: "0x7a69", from, atomicRequired: true });
    expect(params.calls).to.deep.equal(revocationCalls(items).map(({ to, data }) => ({ to, data, value: "0x0" })));
  });

  it("validates fallback input like the batch does", function () {
    expect(thrownBy(() => revocationCalls([]))).to.be.instanceOf(EmptyRevocationError);
    const items: RevocationItem[] = [{ kind: "erc20", token: tokenA, spender: zeroAddress }];
    expect(thrownBy(() => walletSendCallsRequest({ items, from: spender, chainId: 1 }))).to.be.instanceOf(
      RevocationZeroAddressError,
    );
  });
});

describe("revocation SDK: ABI", function () {
  it("batchRevokerAbi is the compiled BatchRevoker ABI", async function () {
    const artifact = await artifacts.readArtifact("BatchRevoker");
    expect(batchRevokerAbi).to.deep.equal(artifact.abi);
  });
});
