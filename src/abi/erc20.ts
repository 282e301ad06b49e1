// The standard ERC-20 ABI (including the optional name/symbol/decimals), from viem rather
// than a hand-written copy.
export { erc20Abi } from "viem";
