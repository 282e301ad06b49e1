export * from "./scan/index.js";
export * from "./risk/index.js";
export * from "./cache/index.js";
