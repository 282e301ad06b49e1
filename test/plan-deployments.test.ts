// The SDK's deployment addresses are constants: these tests prove them equal to what
// `ignition deploy --strategy create2` produces from the compiled contracts and the configured salt.
import { expect } from "chai";
import hre, { network } from "hardhat";
import { encodeAbiParameters, getAddress, keccak256, parseAbi, type Hex } from "viem";

import AllowanceRouterModule from "../ignition/modules/AllowanceRouter.js";
import BatchRevokerModule from "../ignition/modules/BatchRevoker.js";
import {
  ALLOWANCE_ROUTER_ADDRESS,
  ALLOWANCE_ROUTER_INIT_CODE_HASH,
  BATCH_REVOKER_ADDRESS,
  BATCH_REVOKER_INIT_CODE_HASH,
  CREATEX_ADDRESS,
  DEPLOYMENT_SALT,
  createXCreate2Address,
} from "../src/index.js";

const createXAbi = parseAbi(["function computeCreate2Address(bytes32 salt, bytes32 initCodeHash) view returns (address)"]);

describe("deterministic deployments (SDK constants)", function () {
  it("use the salt configured for Ignition's create2 strategy", function () {
    expect(hre.config.ignition.strategyConfig?.create2?.salt).to.equal(DEPLOYMENT_SALT);
  });

  it("carry the init code hashes of the contracts as compiled now", async function () {
    for (const [name, hash] of [
      ["BatchRevoker", BATCH_REVOKER_INIT_CODE_HASH],
      ["AllowanceRouter", ALLOWANCE_ROUTER_INIT_CODE_HASH],
    ] as const) {
      const { bytecode } = await hre.artifacts.readArtifact(name);
      expect(keccak256(bytecode as Hex), `${name} changed: update its init code hash in src/router/deployments.ts`).to.equal(hash);
    }
  });

  it("are where `ignition deploy --strategy create2` puts BatchRevoker and AllowanceRouter, as CreateX itself computes", async function () {
    const connection = await network.create();
    const { batchRevoker } = await connection.ignition.deploy(BatchRevokerModule, { strategy: "create2" });
    const { allowanceRouter } = await connection.ignition.deploy(AllowanceRouterModule, { strategy: "create2" });
    expect(getAddress(batchRevoker.address)).to.equal(BATCH_REVOKER_ADDRESS);
    expect(getAddress(allowanceRouter.address)).to.equal(ALLOWANCE_ROUTER_ADDRESS);

    const publicClient = await connection.viem.getPublicClient();
    const guardedSalt = keccak256(encodeAbiParameters([{ type: "bytes32" }], [DEPLOYMENT_SALT]));
    const byCreateX = await publicClient.readContract({
      address: CREATEX_ADDRESS,
      abi: createXAbi,
      functionName: "computeCreate2Address",
      args: [guardedSalt, BATCH_REVOKER_INIT_CODE_HASH],
    });
    expect(byCreateX).to.equal(BATCH_REVOKER_ADDRESS);
  });

  it("refuses a salt whose CreateX address would depend on the sender or the chain", function () {
    const senderLocked = `0x${"11".repeat(20)}00${"22".repeat(11)}` as Hex;
    const chainMixed = `0x${"00".repeat(20)}01${"22".repeat(11)}` as Hex;
    for (const salt of [senderLocked, chainMixed]) {
      expect(() => createXCreate2Address(BATCH_REVOKER_INIT_CODE_HASH, salt)).to.throw(/not chain-independent/);
    }
  });
});
