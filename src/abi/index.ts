// `allowance-router/abi`: the contracts' ABIs (typed `as const`) without the rest of the SDK.
export { allowanceRouterAbi } from "./allowanceRouter.js";
export { batchRevokerAbi } from "./batchRevoker.js";
export * from "./erc20.js";
export * from "./tokens.js";
