import { encodeAbiParameters, getContractAddress, keccak256, size, sliceHex, type Address, type Hex } from "viem";
import { AllowanceRouterError } from "../errors.js";

/** CreateX v0.1.0, the factory behind Ignition's create2 strategy, at one address on every chain that has it. */
export const CREATEX_ADDRESS: Address = "0xba5Ed099633D3B313e4D5F7bdc1305d3c28ba5Ed";

/**
 * The CreateX salt of the project's deployments (hardhat.config.ts, `ignition.strategyConfig.create2.salt`):
 * bytes 0-19 zero (no sender lock), byte 20 zero (no chain-id mixing), then the label "AllowRouter".
 */
export const DEPLOYMENT_SALT: Hex = "0x000000000000000000000000000000000000000000416c6c6f77526f75746572";

/** keccak256 of BatchRevoker's init code as `ignition deploy` builds it (production profile = test profile). */
export const BATCH_REVOKER_INIT_CODE_HASH: Hex = "0x97bd7ad5c30181dd25de3f1a1d791811caf579abbd4aea5a8be6e3e8ceb49992";

/** keccak256 of AllowanceRouter's init code as `ignition deploy` builds it. */
export const ALLOWANCE_ROUTER_INIT_CODE_HASH: Hex = "0x0feb834a9772e9156ed44ded8b5554f7026c9e199e888783423a27084daa96d7";

const SENDER_LOCK_BYTES = 20;
const NO_CHAIN_MIXING_FLAG = "0x00";

/**
 * Where CreateX's `deployCreate2(salt, initCode)` places a contract, for a salt with no sender
 * lock and no chain-id mixing: CreateX then hashes the salt alone (keccak256(abi.encode(salt))),
 * so the address depends on nothing but the salt and the init code — the same on every chain,
 * whoever sends the deployment.
 */
export function createXCreate2Address(initCodeHash: Hex, salt: Hex = DEPLOYMENT_SALT): Address {
  const unlocked = /^0x0{40}$/.test(sliceHex(salt, 0, SENDER_LOCK_BYTES));
  const unmixed = sliceHex(salt, SENDER_LOCK_BYTES, SENDER_LOCK_BYTES + 1) === NO_CHAIN_MIXING_FLAG;
  if (size(salt) !== 32 || !unlocked || !unmixed) {
    throw new AllowanceRouterError(`Salt ${salt} locks the sender or mixes in the chain id: its CreateX address is not chain-independent.`);
  }
  const guardedSalt = keccak256(encodeAbiParameters([{ type: "bytes32" }], [salt]));
  return getContractAddress({ opcode: "CREATE2", from: CREATEX_ADDRESS, salt: guardedSalt, bytecodeHash: initCodeHash });
}

/** BatchRevoker deployed by `npx hardhat ignition deploy ignition/modules/BatchRevoker.ts --strategy create2`. */
export const BATCH_REVOKER_ADDRESS: Address = createXCreate2Address(BATCH_REVOKER_INIT_CODE_HASH);

/** AllowanceRouter deployed by `npx hardhat ignition deploy ignition/modules/AllowanceRouter.ts --strategy create2`. */
export const ALLOWANCE_ROUTER_ADDRESS: Address = createXCreate2Address(ALLOWANCE_ROUTER_INIT_CODE_HASH);
