import { expect } from "chai";
import hre, { network } from "hardhat";
import { encodeAbiParameters, getAddress, getContractAddress, keccak256, parseAbi, type Address, type Hex } from "viem";

import AllowanceRouterModule from "../ignition/modules/AllowanceRouter.js";

// CreateX v0.1.0: the factory Ignition's create2 strategy deploys through, at
// the same address on every chain that has it.
const CREATEX_ADDRESS: Address = "0xba5Ed099633D3B313e4D5F7bdc1305d3c28ba5Ed";
const createXAbi = parseAbi([
  "function computeCreate2Address(bytes32 salt, bytes32 initCodeHash) view returns (address)",
]);
const MAINNET_CHAIN_ID = 1;

type Connection = Awaited<ReturnType<typeof network.create>>;

function configuredSalt(): Hex {
  const salt = hre.config.ignition.strategyConfig?.create2?.salt;
  if (salt === undefined) {
    throw new Error("hardhat.config.ts has no ignition.strategyConfig.create2.salt; the deterministic deployment needs it.");
  }
  return salt as Hex;
}

/**
 * CreateX hashes a salt whose first 20 bytes are zero and whose 21st byte is
 * 0x00 as keccak256(abi.encode(salt)) before CREATE2: neither the sender nor
 * the chain id enters the address.
 */
function createXGuardedSalt(salt: Hex): Hex {
  return keccak256(encodeAbiParameters([{ type: "bytes32" }], [salt]));
}

async function deployRouter(connection: Connection, defaultSender?: Address): Promise<Address> {
  const { allowanceRouter } = await connection.ignition.deploy(AllowanceRouterModule, {
    strategy: "create2",
    defaultSender,
  });
  return getAddress(allowanceRouter.address);
}

describe("AllowanceRouterModule (Ignition, create2)", function () {
  it("is built for deployment with the compiler settings the tests and benchmarks use", function () {
    // `ignition deploy` builds with the production profile; the address and the gas depend on its settings.
    const [testedCompiler] = hre.config.solidity.profiles.default.compilers;
    const [deployedCompiler] = hre.config.solidity.profiles.production.compilers;

    expect(deployedCompiler.version).to.equal(testedCompiler.version);
    expect(deployedCompiler.settings).to.deep.equal(testedCompiler.settings);
  });

  it("deploys the same code to the same address on two fresh networks", async function () {
    const first = await network.create();
    const second = await network.create();

    const firstAddress = await deployRouter(first);
    const secondAddress = await deployRouter(second);

    expect(secondAddress).to.equal(firstAddress);
    const firstCode = await (await first.viem.getPublicClient()).getCode({ address: firstAddress });
    const secondCode = await (await second.viem.getPublicClient()).getCode({ address: secondAddress });
    expect(firstCode).to.not.equal(undefined);
    expect(secondCode).to.equal(firstCode);
  });

  it("deploys to the address CREATE2 predicts from CreateX, the configured salt and the init code", async function () {
    const connection = await network.create();
    const publicClient = await connection.viem.getPublicClient();
    const { bytecode } = await hre.artifacts.readArtifact("AllowanceRouter");
    const guardedSalt = createXGuardedSalt(configuredSalt());

    const predicted = getContractAddress({
      opcode: "CREATE2",
      from: CREATEX_ADDRESS,
      salt: guardedSalt,
      bytecode: bytecode as Hex,
    });
    const deployed = await deployRouter(connection);

    expect(deployed).to.equal(predicted);
    // CreateX's own view agrees, so the prediction does not rest on our reading of its salt rules alone.
    const createXPrediction = await publicClient.readContract({
      address: CREATEX_ADDRESS,
      abi: createXAbi,
      functionName: "computeCreate2Address",
      args: [guardedSalt, keccak256(bytecode as Hex)],
    });
    expect(createXPrediction).to.equal(predicted);
  });

  it("deploys to the same address whoever sends the deployment", async function () {
    const byDefaultAccount = await deployRouter(await network.create());

    const connection = await network.create();
    const [, otherDeployer] = await connection.viem.getWalletClients();
    const byOtherAccount = await deployRouter(connection, otherDeployer.account.address);

    expect(byOtherAccount).to.equal(byDefaultAccount);
  });

  it("deploys to the same address on another chain that has CreateX, with that chain's EIP-712 domain", async function () {
    const local = await network.create();
    const localAddress = await deployRouter(local);
    const createXCode = await (await local.viem.getPublicClient()).getCode({ address: CREATEX_ADDRESS });
    if (createXCode === undefined) throw new Error("Ignition did not install CreateX on the local network.");

    const mainnetLike = await network.create({ override: { chainId: MAINNET_CHAIN_ID } });
    // On any chain id other than 31337 Ignition only uses an existing CreateX, as on a live chain.
    await mainnetLike.networkHelpers.setCode(CREATEX_ADDRESS, createXCode);
    const mainnetAddress = await deployRouter(mainnetLike);

    expect(mainnetAddress).to.equal(localAddress);
    const router = await mainnetLike.viem.getContractAt("AllowanceRouter", mainnetAddress);
    const [, name, , chainId, verifyingContract] = await router.read.eip712Domain();
    expect(name).to.equal("AllowanceRouter");
    expect(chainId).to.equal(BigInt(MAINNET_CHAIN_ID));
    expect(getAddress(verifyingContract)).to.equal(mainnetAddress);
  });

  it("refuses a chain without CreateX instead of deploying to an unpredictable address", async function () {
    const withoutCreateX = await network.create({ override: { chainId: MAINNET_CHAIN_ID } });

    let failure: unknown;
    try {
      await deployRouter(withoutCreateX);
    } catch (error) {
      failure = error;
    }

    expect(failure).to.be.instanceOf(Error);
    expect((failure as Error).message).to.include(`CreateX not deployed on current network ${MAINNET_CHAIN_ID}`);
    const [deployer] = await withoutCreateX.viem.getWalletClients();
    const publicClient = await withoutCreateX.viem.getPublicClient();
    expect(await publicClient.getTransactionCount({ address: deployer.account.address })).to.equal(0);
  });
});
