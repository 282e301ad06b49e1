export * from "./abi/allowanceRouter.js";
export * from "./abi/erc20.js";
export * from "./router/errors.js";
export * from "./router/typedData.js";
export * from "./router/grant.js";
export * from "./scan/index.js";
export * from "./risk/index.js";
export * from "./cache/index.js";
