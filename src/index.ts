// `allowance-router`: the browser-safe core. Nothing reachable from here imports a Node
// built-in (the package test bundles it for the browser to prove it); what needs Node is in
// `allowance-router/node`.
export * from "./abi/index.js";
export * from "./errors.js";
export * from "./router/errors.js";
export * from "./router/typedData.js";
export * from "./router/grant.js";
export * from "./cache/index.js";
export * from "./scan/index.js";
export * from "./risk/index.js";
export * from "./revoke/index.js";
export * from "./actions/index.js";
