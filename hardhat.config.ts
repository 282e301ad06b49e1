import { createRequire } from "node:module";

import hardhatIgnitionViem from "@nomicfoundation/hardhat-ignition-viem";
import hardhatKeystore from "@nomicfoundation/hardhat-keystore";
import hardhatMocha from "@nomicfoundation/hardhat-mocha";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import hardhatViemAssertions from "@nomicfoundation/hardhat-viem-assertions";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// The compiler comes from the pinned npm `solc` package: nothing is
// downloaded at compile time.
const SOLC_VERSION = "0.8.30";
const solcPath = require.resolve("solc/soljson.js");
const compilerSettings = {
  evmVersion: "prague",
  viaIR: true,
  optimizer: { enabled: true, runs: 1_000_000 },
  // No metadata hash in the bytecode: a comment or NatSpec edit no longer changes the init code,
  // so the CREATE2 addresses (src/actions/deployments.ts) move only when the code does. The CBOR
  // block then holds just the compiler version; keeping it lets verifiers tell which solc built it.
  metadata: { bytecodeHash: "none" },
};

// Solidity fuzz/invariant effort for `npm test`; the `deep` profile is the
// long campaign behind `npm run test:security:deep`.
const FUZZ_RUNS = 256;
const INVARIANT_RUNS = 64;
const INVARIANT_DEPTH = 64;

// test/utils/RealPermit2.sol reads Permit2's real runtime code from this npm file.
const SOLIDITY_TEST_FS_PERMISSIONS = {
  readFile: ["node_modules/@uniswap/v4-periphery/lib/permit2/test/utils/DeployPermit2.sol"],
};

// CreateX salt for `ignition deploy --strategy create2`. CreateX reads its
// layout: bytes 0-19 zero = no sender lock (the router has no admin and no
// constructor arguments, so whoever deploys it deploys the same thing);
// byte 20 = 0x00 = no chain-id mixing, so the address is the same on every
// chain; bytes 21-31 = a free label, ASCII "AllowRouter".
const ALLOWANCE_ROUTER_SALT = "0x000000000000000000000000000000000000000000416c6c6f77526f75746572";

export default defineConfig({
  plugins: [
    hardhatViem,
    hardhatViemAssertions,
    hardhatNetworkHelpers,
    hardhatIgnitionViem,
    hardhatKeystore,
    hardhatMocha,
  ],
  solidity: {
    profiles: {
      default: { version: SOLC_VERSION, path: solcPath, settings: compilerSettings },
      // Hardhat's implicit production profile (used by `ignition deploy`)
      // copies only the version, compiling without via-IR at 200 runs: spell
      // it out so that what is deployed is what is tested and benchmarked.
      production: { version: SOLC_VERSION, path: solcPath, settings: compilerSettings },
    },
  },
  test: {
    mocha: { timeout: 120_000 },
    solidity: {
      profiles: {
        default: {
          fsPermissions: SOLIDITY_TEST_FS_PERMISSIONS,
          fuzz: { runs: FUZZ_RUNS },
          invariant: { runs: INVARIANT_RUNS, depth: INVARIANT_DEPTH },
        },
        deep: {
          fsPermissions: SOLIDITY_TEST_FS_PERMISSIONS,
          fuzz: { runs: 10_000 },
          invariant: { runs: 512, depth: 256 },
        },
      },
    },
  },
  ignition: {
    strategyConfig: { create2: { salt: ALLOWANCE_ROUTER_SALT } },
  },
  networks: {
    // Any EVM chain: RPC URL and deployer key come from configuration
    // variables (environment or `npx hardhat keystore set`), never the repo.
    target: {
      type: "http",
      chainType: "l1",
      url: configVariable("ALLOWANCE_ROUTER_RPC_URL"),
      accounts: [configVariable("ALLOWANCE_ROUTER_DEPLOYER_KEY")],
    },
  },
});
