// Integration tests of BatchRevoker through the SDK (src/revoke) with real EIP-7702 type-4
// transactions on the in-process network. Owners are local private-key accounts: JSON-RPC
// accounts cannot sign authorizations.
import { expect } from "chai";
import { network } from "hardhat";
import {
  encodeFunctionData,
  getAddress,
  hashTypedData,
  keccak256,
  maxUint256,
  parseEther,
  slice,
  toHex,
  zeroAddress,
  type Address,
} from "viem";
import { getDelegation } from "viem/actions";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import {
  ForeignDelegationError,
  LocalAccountRequiredError,
  encodeRevocations,
  previewRevocation,
  relayRevocation,
  revocationCalls,
  revocationDomain,
  revocationNonceOf,
  revocationTypes,
  revokeWithDelegation,
  revokeWithPermits,
  sendRevocationTransactions,
  signDaiZeroPermit,
  signDelegation,
  signRevocation,
  signZeroPermit,
  undelegate,
  type PermitRevocation,
  type RevocationItem,
} from "../src/index.js";

const { viem, networkHelpers } = await network.create();
const publicClient = await viem.getPublicClient();
const [deployer] = await viem.getWalletClients();

const ALLOWANCE = 1_000n * 10n ** 18n;
const TOKEN_ID = 7n;
const MULTI_TOKEN_ID = 1n;
const ONE_HOUR = 3_600n;

const revoker = await viem.deployContract("BatchRevoker");
const router = await viem.deployContract("AllowanceRouter");
const unusedAddress = (label: string): Address => getAddress(slice(keccak256(toHex(`revoker test: ${label}`)), 12));
const spender = unusedAddress("spender");
const otherSpender = unusedAddress("other spender");
const operator = unusedAddress("operator");

/** A fresh owner with a local key and some ETH, and its wallet client. */
async function newOwner(funded = true) {
  const account = privateKeyToAccount(generatePrivateKey());
  if (funded) await networkHelpers.setBalance(account.address, parseEther("1"));
  const wallet = await viem.getWalletClient(account.address, { account });
  return { address: account.address, wallet };
}

async function mined(hash: Promise<`0x${string}`>) {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  expect(receipt.status).to.equal("success");
  return receipt;
}

async function latestTimestamp(): Promise<bigint> {
  return (await publicClient.getBlock()).timestamp;
}

/** A token, NFT, multi-token and router grant, all approved by `owner`, and the items revoking them. */
async function exposedOwner() {
  const owner = await newOwner();
  const tokenA = await viem.deployContract("TestToken", ["A", "A"]);
  const tokenB = await viem.deployContract("TestToken", ["B", "B"]);
  const nft = await viem.deployContract("TestERC721");
  const multi = await viem.deployContract("TestERC1155");
  await mined(nft.write.mint([owner.address, TOKEN_ID]));
  await mined(multi.write.mint([owner.address, MULTI_TOKEN_ID, 1n]));
  const as = { account: owner.wallet.account };
  await mined(tokenA.write.approve([spender, ALLOWANCE], as));
  await mined(tokenB.write.approve([spender, maxUint256], as));
  await mined(tokenA.write.approve([otherSpender, ALLOWANCE], as));
  await mined(nft.write.approve([spender, TOKEN_ID], as));
  await mined(nft.write.setApprovalForAll([operator, true], as));
  await mined(multi.write.setApprovalForAll([operator, true], as));
  await mined(router.write.approve([tokenA.address, spender, 500n, Number(await latestTimestamp()) + 86_400], as));

  const items: RevocationItem[] = [
    { kind: "erc20", token: tokenA.address, spender },
    { kind: "erc721", token: nft.address, tokenId: TOKEN_ID },
    { kind: "erc20", token: tokenB.address, spender },
    { kind: "erc721-operator", token: nft.address, operator },
    { kind: "erc1155-operator", token: multi.address, operator },
    { kind: "router", router: router.address, token: tokenA.address, spender },
    { kind: "erc20", token: tokenA.address, spender: otherSpender },
  ];
  async function exposure() {
    const [a, b, c, approved, nftOperator, multiOperator, [routerAmount]] = await Promise.all([
      tokenA.read.allowance([owner.address, spender]),
      tokenB.read.allowance([owner.address, spender]),
      tokenA.read.allowance([owner.address, otherSpender]),
      nft.read.getApproved([TOKEN_ID]),
      nft.read.isApprovedForAll([owner.address, operator]),
      multi.read.isApprovedForAll([owner.address, operator]),
      router.read.allowance([owner.address, tokenA.address, spender]),
    ]);
    return { erc20: [a, b, c], approved, nftOperator, multiOperator, routerAmount };
  }
  const cleared = {
    erc20: [0n, 0n, 0n],
    approved: zeroAddress,
    nftOperator: false,
    multiOperator: false,
    routerAmount: 0n,
  };
  return { owner, tokenA, tokenB, nft, multi, items, exposure, cleared };
}

describe("BatchRevoker through EIP-7702 (type-4 transactions)", function () {
  it("revokes every kind of approval in one type-4 transaction the owner sends to itself", async function () {
    const { owner, items, exposure, cleared } = await exposedOwner();
    const nonceBefore = await publicClient.getTransactionCount({ address: owner.address });

    const result = await revokeWithDelegation(owner.wallet, publicClient, { revoker: revoker.address, items });

    expect(result.authorized).to.equal(true);
    expect(result.receipt.type).to.equal("eip7702");
    expect(result.receipt.to).to.equal(owner.address.toLowerCase());
    expect(result.outcomes.map(({ outcome }) => outcome)).to.deep.equal(items.map(() => "revoked"));
    expect(result.outcomes.map(({ item }) => item)).to.deep.equal(encodeRevocations(items).items);
    expect(await exposure()).to.deep.equal(cleared);
    // executor "self": the authorization used nonce + 1, after the transaction's own.
    expect(await publicClient.getTransactionCount({ address: owner.address })).to.equal(nonceBefore + 2);
    expect(await getDelegation(publicClient, { address: owner.address })).to.equal(getAddress(revoker.address));
  });

  it("needs no authorization once delegated: the delegation outlives the transaction", async function () {
    const { owner, tokenA, items } = await exposedOwner();
    await revokeWithDelegation(owner.wallet, publicClient, { revoker: revoker.address, items });
    await mined(tokenA.write.approve([spender, ALLOWANCE], { account: owner.wallet.account }));

    const again = await revokeWithDelegation(owner.wallet, publicClient, {
      revoker: revoker.address,
      items: [{ kind: "erc20", token: tokenA.address, spender }],
    });

    expect(again.authorized).to.equal(false);
    expect(again.receipt.type).to.not.equal("eip7702");
    expect(await tokenA.read.allowance([owner.address, spender])).to.equal(0n);
  });

  it("reports failed and reduced items from the receipt, as previewRevocation predicted", async function () {
    const owner = await newOwner();
    const good = await viem.deployContract("TestToken", ["G", "G"]);
    const bnb = await viem.deployContract("RevertOnZeroApprovalToken");
    const usdt = await viem.deployContract("NoReturnToken");
    const as = { account: owner.wallet.account };
    await mined(good.write.approve([spender, ALLOWANCE], as));
    await mined(bnb.write.approve([spender, ALLOWANCE], as));
    await mined(usdt.write.approve([otherSpender, ALLOWANCE], as));
    const nothing = unusedAddress("no code here");
    const items: RevocationItem[] = [
      { kind: "erc20", token: bnb.address, spender },
      { kind: "erc20", token: usdt.address, spender: otherSpender },
      { kind: "erc20", token: nothing, spender },
      { kind: "erc20", token: good.address, spender },
    ];

    const preview = await previewRevocation(publicClient, { account: owner.address, revoker: revoker.address, items });
    expect(await bnb.read.allowance([owner.address, spender])).to.equal(ALLOWANCE, "a preview changes nothing");
    const result = await revokeWithDelegation(owner.wallet, publicClient, { revoker: revoker.address, items });

    const expected = ["reduced", "revoked", "failed", "revoked"];
    expect(preview.map(({ outcome }) => outcome)).to.deep.equal(expected);
    expect(result.outcomes.map(({ outcome }) => outcome)).to.deep.equal(expected);
    expect(await bnb.read.allowance([owner.address, spender])).to.equal(1n);
    expect(await usdt.read.allowance([owner.address, otherSpender])).to.equal(0n);
    expect(await good.read.allowance([owner.address, spender])).to.equal(0n);
  });

  it("atomic: an item that cannot be revoked reverts everything before anything is sent", async function () {
    const owner = await newOwner();
    const good = await viem.deployContract("TestToken", ["G", "G"]);
    await mined(good.write.approve([spender, ALLOWANCE], { account: owner.wallet.account }));
    const items: RevocationItem[] = [
      { kind: "erc20", token: good.address, spender },
      { kind: "erc20", token: unusedAddress("no code here"), spender },
    ];

    await viem.assertions.revertWithCustomErrorWithArgs(
      previewRevocation(publicClient, { account: owner.address, revoker: revoker.address, items, atomic: true }),
      revoker,
      "ItemNotRevoked",
      [1n, 2],
    );
    const nonceBefore = await publicClient.getTransactionCount({ address: owner.address });
    let failure: unknown;
    try {
      await revokeWithDelegation(owner.wallet, publicClient, { revoker: revoker.address, items, atomic: true });
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.include("ItemNotRevoked");
    expect(await good.read.allowance([owner.address, spender])).to.equal(ALLOWANCE);
    expect(await publicClient.getTransactionCount({ address: owner.address })).to.equal(nonceBefore, "nothing sent");
    expect(await getDelegation(publicClient, { address: owner.address })).to.equal(undefined);
  });

  it("will not replace another delegation unless asked to", async function () {
    const { owner, items, exposure, cleared } = await exposedOwner();
    const smartAccount = await viem.deployContract("MockERC1271Wallet", [owner.address]);
    const authorization = await signDelegation(owner.wallet, smartAccount.address, "self");
    await mined(
      owner.wallet.sendTransaction({
        to: owner.address,
        data: encodeFunctionData({ abi: smartAccount.abi, functionName: "signer" }),
        authorizationList: [authorization],
      }),
    );
    expect(await getDelegation(publicClient, { address: owner.address })).to.equal(getAddress(smartAccount.address));

    let failure: unknown;
    try {
      await revokeWithDelegation(owner.wallet, publicClient, { revoker: revoker.address, items });
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(ForeignDelegationError);
    expect(await getDelegation(publicClient, { address: owner.address })).to.equal(getAddress(smartAccount.address));

    await revokeWithDelegation(owner.wallet, publicClient, {
      revoker: revoker.address,
      items,
      replaceDelegation: true,
    });
    expect(await exposure()).to.deep.equal(cleared);
  });

  it("asks for a local account when the wallet's account is a JSON-RPC one", async function () {
    let failure: unknown;
    try {
      await revokeWithDelegation(deployer, publicClient, {
        revoker: revoker.address,
        items: [{ kind: "erc20", token: revoker.address, spender }],
      });
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(LocalAccountRequiredError);
    expect((failure as Error).message).to.include("local account");
  });

  it("refuses calls to revoke from anyone but the account itself", async function () {
    const { owner, tokenA, items } = await exposedOwner();
    await revokeWithDelegation(owner.wallet, publicClient, { revoker: revoker.address, items: items.slice(0, 1) });
    await mined(tokenA.write.approve([spender, ALLOWANCE], { account: owner.wallet.account }));
    const account = await viem.getContractAt("BatchRevoker", owner.address);

    await viem.assertions.revertWithCustomErrorWithArgs(
      account.write.revoke([encodeRevocations(items.slice(0, 1)).encoded, false], { account: deployer.account }),
      account,
      "NotSelf",
      [getAddress(deployer.account.address)],
    );
    expect(await tokenA.read.allowance([owner.address, spender])).to.equal(ALLOWANCE);
  });
});

describe("BatchRevoker: gasless revocation by signature", function () {
  it("a relayer submits the owner's signed revocation and authorization; the owner spends nothing", async function () {
    const { owner, items, exposure, cleared } = await exposedOwner();
    await networkHelpers.setBalance(owner.address, 0n);
    const relayer = await newOwner();
    const deadline = (await latestTimestamp()) + ONE_HOUR;

    const signed = await signRevocation(owner.wallet, publicClient, { revoker: revoker.address, items, deadline });
    expect(signed.authorization).to.not.equal(undefined, "not delegated yet: the relayer brings the authorization");
    const result = await relayRevocation(relayer.wallet, publicClient, signed);

    expect(result.receipt.type).to.equal("eip7702");
    expect(result.receipt.from).to.equal(relayer.address.toLowerCase());
    expect(result.outcomes.every(({ outcome }) => outcome === "revoked")).to.equal(true);
    expect(await exposure()).to.deep.equal(cleared);
    expect(await publicClient.getBalance({ address: owner.address })).to.equal(0n);
    expect(await revocationNonceOf(publicClient, owner.address, revoker.address)).to.equal(1n);
  });

  it("signs exactly the digest the account verifies", async function () {
    const { owner, items } = await exposedOwner();
    const deadline = (await latestTimestamp()) + ONE_HOUR;
    const signed = await signRevocation(owner.wallet, publicClient, { revoker: revoker.address, items, deadline });
    await relayRevocation((await newOwner()).wallet, publicClient, signed);
    const account = await viem.getContractAt("BatchRevoker", owner.address);

    const digest = hashTypedData({
      domain: revocationDomain(owner.address, await publicClient.getChainId()),
      types: revocationTypes,
      primaryType: "Revocation",
      message: { items: signed.plan.encoded, atomic: false, nonce: 0n, deadline },
    });
    expect(await account.read.revocationDigest([signed.plan.encoded, false, 0n, deadline])).to.equal(digest);
  });

  it("a signed revocation cannot be replayed", async function () {
    const { owner, tokenA, items } = await exposedOwner();
    const relayer = await newOwner();
    const deadline = (await latestTimestamp()) + ONE_HOUR;
    const signed = await signRevocation(owner.wallet, publicClient, { revoker: revoker.address, items, deadline });
    await relayRevocation(relayer.wallet, publicClient, signed);
    await mined(tokenA.write.approve([spender, ALLOWANCE], { account: owner.wallet.account }));

    const account = await viem.getContractAt("BatchRevoker", owner.address);
    await viem.assertions.revertWithCustomError(
      account.write.revokeWithSignature([signed.plan.encoded, false, deadline, signed.signature], {
        account: relayer.wallet.account,
      }),
      account,
      "InvalidSignature",
    );
    expect(await tokenA.read.allowance([owner.address, spender])).to.equal(ALLOWANCE);
  });

  it("undelegation (authorization to address 0) clears the code and keeps used signatures used", async function () {
    const { owner, tokenA, items } = await exposedOwner();
    const relayer = await newOwner();
    const deadline = (await latestTimestamp()) + ONE_HOUR;
    const signed = await signRevocation(owner.wallet, publicClient, { revoker: revoker.address, items, deadline });
    await relayRevocation(relayer.wallet, publicClient, signed);

    await undelegate(owner.wallet, { publicClient });
    expect(await publicClient.getCode({ address: owner.address })).to.equal(undefined);
    expect(await getDelegation(publicClient, { address: owner.address })).to.equal(undefined);

    // The nonce lives in the EOA's storage and survives: after delegating again, the old signature stays spent.
    expect(await revocationNonceOf(publicClient, owner.address, revoker.address)).to.equal(1n);
    await mined(tokenA.write.approve([spender, ALLOWANCE], { account: owner.wallet.account }));
    await revokeWithDelegation(owner.wallet, publicClient, {
      revoker: revoker.address,
      items: [{ kind: "erc20", token: tokenA.address, spender: otherSpender }],
    });
    const account = await viem.getContractAt("BatchRevoker", owner.address);
    await viem.assertions.revertWithCustomError(
      account.write.revokeWithSignature([signed.plan.encoded, false, deadline, signed.signature], {
        account: relayer.wallet.account,
      }),
      account,
      "InvalidSignature",
    );
    expect(await tokenA.read.allowance([owner.address, spender])).to.equal(ALLOWANCE);
  });

  it("the delegated account still receives ETH and safe NFT transfers", async function () {
    const { owner, items } = await exposedOwner();
    await revokeWithDelegation(owner.wallet, publicClient, { revoker: revoker.address, items });
    const before = await publicClient.getBalance({ address: owner.address });
    await mined(deployer.sendTransaction({ to: owner.address, value: parseEther("0.5") }));
    expect(await publicClient.getBalance({ address: owner.address })).to.equal(before + parseEther("0.5"));

    const nft = await viem.deployContract("TestERC721");
    await mined(nft.write.mint([deployer.account.address, 1n]));
    await mined(nft.write.safeTransferFrom([deployer.account.address, owner.address, 1n]));
    expect(await nft.read.ownerOf([1n])).to.equal(owner.address);
  });
});

describe("BatchRevoker: relayed permit revocation", function () {
  it("relays EIP-2612 and DAI zero permits; the owners pay nothing", async function () {
    const alice = await newOwner();
    const bob = await newOwner();
    const token = await viem.deployContract("TestToken", ["P", "P"]);
    const dai = await viem.deployContract("DaiPermitToken");
    await mined(token.write.approve([spender, ALLOWANCE], { account: alice.wallet.account }));
    await mined(dai.write.approve([spender, maxUint256], { account: bob.wallet.account }));
    await networkHelpers.setBalance(alice.address, 0n);
    await networkHelpers.setBalance(bob.address, 0n);
    const deadline = (await latestTimestamp()) + ONE_HOUR;

    const permits = [
      await signZeroPermit(alice.wallet, publicClient, { token: token.address, spender, deadline }),
      await signDaiZeroPermit(bob.wallet, publicClient, { token: dai.address, spender, expiry: deadline }),
    ];
    const result = await revokeWithPermits(deployer, publicClient, { revoker: revoker.address, permits });

    expect(result.outcomes.map(({ outcome }) => outcome)).to.deep.equal(["revoked", "revoked"]);
    expect(await token.read.allowance([alice.address, spender])).to.equal(0n);
    expect(await dai.read.allowance([bob.address, spender])).to.equal(0n);
  });

  it("reports a WETH-style phantom permit as failed and a front-run permit as revoked", async function () {
    const owner = await newOwner();
    const token = await viem.deployContract("TestToken", ["P", "P"]);
    const weth = await viem.deployContract("WethLikeToken");
    const as = { account: owner.wallet.account };
    await mined(token.write.approve([spender, ALLOWANCE], as));
    await mined(weth.write.approve([spender, ALLOWANCE], as));
    const deadline = (await latestTimestamp()) + ONE_HOUR;
    const tokenPermit = await signZeroPermit(owner.wallet, publicClient, { token: token.address, spender, deadline });
    // WETH has no permit: its fallback takes any signed-looking call and does nothing.
    const phantomPermit: PermitRevocation = { ...tokenPermit, token: weth.address };
    // Someone submits the token's permit first.
    await mined(
      token.write.permit([owner.address, spender, 0n, deadline, tokenPermit.v, tokenPermit.r, tokenPermit.s], {
        account: deployer.account,
      }),
    );

    const result = await revokeWithPermits(deployer, publicClient, {
      revoker: revoker.address,
      permits: [tokenPermit, phantomPermit],
    });

    expect(result.outcomes.map(({ outcome }) => outcome)).to.deep.equal(["revoked", "failed"]);
    expect(await weth.read.allowance([owner.address, spender])).to.equal(ALLOWANCE);
  });
});

describe("BatchRevoker fallbacks: plain transactions", function () {
  it("sendRevocationTransactions revokes the same approvals, one transaction each, for any account", async function () {
    const { owner, items, exposure, cleared } = await exposedOwner();
    await networkHelpers.impersonateAccount(owner.address);
    const jsonRpcOwner = await viem.getWalletClient(owner.address);

    const results = await sendRevocationTransactions(jsonRpcOwner, publicClient, items);

    expect(results.map(({ status }) => status)).to.deep.equal(revocationCalls(items).map(() => "success"));
    expect(results).to.have.length(items.length);
    expect(await exposure()).to.deep.equal(cleared);
  });

  it("reports a call that cannot be sent and sends the rest", async function () {
    const owner = await newOwner();
    const good = await viem.deployContract("TestToken", ["G", "G"]);
    const bnb = await viem.deployContract("RevertOnZeroApprovalToken");
    await mined(good.write.approve([spender, ALLOWANCE], { account: owner.wallet.account }));
    await mined(bnb.write.approve([spender, ALLOWANCE], { account: owner.wallet.account }));

    const results = await sendRevocationTransactions(owner.wallet, publicClient, [
      { kind: "erc20", token: bnb.address, spender },
      { kind: "erc20", token: good.address, spender },
    ]);

    expect(results.map(({ status }) => status)).to.deep.equal(["not-sent", "success"]);
    expect(await good.read.allowance([owner.address, spender])).to.equal(0n);
  });
});
