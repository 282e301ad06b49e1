import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * BatchRevoker: no constructor arguments, no admin, no storage of its own.
 *
 * Deploy it with `--strategy create2` (salt in hardhat.config.ts,
 * `ignition.strategyConfig.create2.salt`): the CreateX factory then places it
 * at the same address on every chain, whoever sends the transaction, so an
 * EIP-7702 authorization with chain id 0 names the same delegate everywhere.
 */
export default buildModule("BatchRevokerModule", (m) => {
  const batchRevoker = m.contract("BatchRevoker");
  return { batchRevoker };
});
