import { expect } from "chai";
import hre, { network } from "hardhat";
import {
  encodeAbiParameters,
  getAddress,
  getContractAddress,
  keccak256,
  maxUint256,
  parseEther,
  slice,
  toHex,
  type Address,
  type Hex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import BatchRevokerModule from "../ignition/modules/BatchRevoker.js";
import { revokeWithDelegation } from "../src/index.js";

// CreateX v0.1.0, the factory behind Ignition's create2 strategy.
const CREATEX_ADDRESS: Address = "0xba5Ed099633D3B313e4D5F7bdc1305d3c28ba5Ed";

type Connection = Awaited<ReturnType<typeof network.create>>;

async function deployRevoker(connection: Connection, defaultSender?: Address): Promise<Address> {
  const { batchRevoker } = await connection.ignition.deploy(BatchRevokerModule, { strategy: "create2", defaultSender });
  return getAddress(batchRevoker.address);
}

/** CreateX's guarded salt for a salt with no sender lock and no chain-id mixing (see test/ignition.test.ts). */
function createXGuardedSalt(): Hex {
  const salt = hre.config.ignition.strategyConfig?.create2?.salt;
  if (salt === undefined) throw new Error("hardhat.config.ts has no ignition.strategyConfig.create2.salt.");
  return keccak256(encodeAbiParameters([{ type: "bytes32" }], [salt as Hex]));
}

describe("BatchRevokerModule (Ignition, create2)", function () {
  it("deploys where CREATE2 predicts from CreateX, the salt and the init code, whoever sends it", async function () {
    const { bytecode } = await hre.artifacts.readArtifact("BatchRevoker");
    const predicted = getContractAddress({
      opcode: "CREATE2",
      from: CREATEX_ADDRESS,
      salt: createXGuardedSalt(),
      bytecode: bytecode as Hex,
    });

    const first = await network.create();
    const second = await network.create();
    const [, otherDeployer] = await second.viem.getWalletClients();

    expect(await deployRevoker(first)).to.equal(predicted);
    expect(await deployRevoker(second, otherDeployer.account.address)).to.equal(predicted);
    const firstCode = await (await first.viem.getPublicClient()).getCode({ address: predicted });
    expect(firstCode).to.not.equal(undefined);
    expect(await (await second.viem.getPublicClient()).getCode({ address: predicted })).to.equal(firstCode);
  });

  it("the deployed BatchRevoker works as an EIP-7702 delegate", async function () {
    const connection = await network.create();
    const revoker = await deployRevoker(connection);
    const { viem, networkHelpers } = connection;
    const publicClient = await viem.getPublicClient();
    const account = privateKeyToAccount(generatePrivateKey());
    await networkHelpers.setBalance(account.address, parseEther("1"));
    const owner = await viem.getWalletClient(account.address, { account });
    const token = await viem.deployContract("TestToken", ["T", "T"]);
    const spender = getAddress(slice(keccak256(toHex("ignition test spender")), 12));
    await publicClient.waitForTransactionReceipt({
      hash: await token.write.approve([spender, maxUint256], { account }),
    });

    const result = await revokeWithDelegation(owner, publicClient, {
      revoker,
      items: [{ kind: "erc20", token: token.address, spender }],
    });

    expect(result.outcomes.map(({ outcome }) => outcome)).to.deep.equal(["revoked"]);
    expect(await token.read.allowance([account.address, spender])).to.equal(0n);
  });
});
