import { expect } from "chai";
import { network } from "hardhat";
import { domainSeparator, getAddress, keccak256, maxUint48 } from "viem";

import {
  PERMIT2_ADDRESS,
  PERMIT2_CODE_HASH,
  PERMIT2_MAINNET_DOMAIN_SEPARATOR,
  PERMIT2_MAINNET_RUNTIME_CODE,
  PERMIT2_RUNTIME_CODE,
  etchPermit2,
} from "./fixtures/permit2.js";

const permit2Abi = [
  { type: "function", name: "DOMAIN_SEPARATOR", stateMutability: "view", inputs: [], outputs: [{ type: "bytes32" }] },
  {
    type: "function",
    name: "approve",
    stateMutability: "nonpayable",
    inputs: [{ type: "address" }, { type: "address" }, { type: "uint160" }, { type: "uint48" }],
    outputs: [],
  },
  {
    type: "function",
    name: "allowance",
    stateMutability: "view",
    inputs: [{ type: "address" }, { type: "address" }, { type: "address" }],
    outputs: [{ type: "uint160" }, { type: "uint48" }, { type: "uint48" }],
  },
] as const;

describe("test/fixtures/permit2", function () {
  it("holds the pinned runtime code", function () {
    expect(keccak256(PERMIT2_RUNTIME_CODE)).to.equal(PERMIT2_CODE_HASH);
  });

  it("etchPermit2 installs a working Permit2 at the canonical address", async function () {
    const { viem, provider } = await network.create({ override: { chainId: 1 } });
    expect(await etchPermit2(provider)).to.equal(PERMIT2_ADDRESS);
    const publicClient = await viem.getPublicClient();
    const [wallet] = await viem.getWalletClients();
    expect(await publicClient.readContract({ address: PERMIT2_ADDRESS, abi: permit2Abi, functionName: "DOMAIN_SEPARATOR" }))
      .to.equal(PERMIT2_MAINNET_DOMAIN_SEPARATOR);
    const token = getAddress("0x00000000000000000000000000000000000070ce");
    const spender = getAddress("0x0000000000000000000000000000000000005be4");
    const hash = await wallet.writeContract({ address: PERMIT2_ADDRESS, abi: permit2Abi, functionName: "approve", args: [token, spender, 1_000n, Number(maxUint48)] });
    await publicClient.waitForTransactionReceipt({ hash });
    expect(await publicClient.readContract({ address: PERMIT2_ADDRESS, abi: permit2Abi, functionName: "allowance", args: [wallet.account.address, token, spender] }))
      .to.deep.equal([1_000n, Number(maxUint48), 0]);
  });

  it("etchPermit2 installs mainnet's code: on a chain-31337 network it signs for its own address, not the packaged deployment's", async function () {
    // The packaged code caches the separator of a chain-31337 deployment at another address;
    // with it, every permit signed for the canonical address would be refused here.
    expect(PERMIT2_MAINNET_RUNTIME_CODE.length).to.equal(PERMIT2_RUNTIME_CODE.length);
    expect(PERMIT2_MAINNET_RUNTIME_CODE).to.not.equal(PERMIT2_RUNTIME_CODE);
    const { viem, provider } = await network.create({ override: { chainId: 31337 } });
    await etchPermit2(provider);
    const publicClient = await viem.getPublicClient();
    const expected = domainSeparator({ domain: { name: "Permit2", chainId: 31337, verifyingContract: PERMIT2_ADDRESS } });
    expect(await publicClient.readContract({ address: PERMIT2_ADDRESS, abi: permit2Abi, functionName: "DOMAIN_SEPARATOR" })).to.equal(expected);
  });
});
