import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The AllowanceRouter: no constructor arguments, no admin, no initialisation.
 *
 * Deploy it with `--strategy create2` (salt in hardhat.config.ts,
 * `ignition.strategyConfig.create2.salt`): the CreateX factory then places it
 * at the same address on every chain, whoever sends the transaction.
 */
export default buildModule("AllowanceRouterModule", (m) => {
  const allowanceRouter = m.contract("AllowanceRouter");
  return { allowanceRouter };
});
