import { parseAbi, parseAbiItem } from "viem";

export { approvalEvent, approvalForAllEvent, bytes32SymbolAbi, erc20ReadAbi, nftReadAbi, transferEvent } from "../abi/tokens.js";

/** Permit2 / AllowanceRouter grant events (IAllowanceTransfer). */
export const routerApprovalEvent = parseAbiItem(
  "event Approval(address indexed owner, address indexed token, address indexed spender, uint160 amount, uint48 expiration)",
);
export const routerPermitEvent = parseAbiItem(
  "event Permit(address indexed owner, address indexed token, address indexed spender, uint160 amount, uint48 expiration, uint48 nonce)",
);
export const routerLockdownEvent = parseAbiItem("event Lockdown(address indexed owner, address token, address spender)");

export const routerReadAbi = parseAbi([
  "function allowance(address user, address token, address spender) view returns (uint160 amount, uint48 expiration, uint48 nonce)",
]);
