// The minimal ABIs the blast-radius simulation reads: token approval events and getters
// (ERC-20, ERC-721, ERC-1155) and the Permit2-shaped router's grant events and getter. The
// router events match any IAllowanceTransfer contract, Uniswap Permit2 included.
import { parseAbi, parseAbiItem } from "viem";

export const erc20ApprovalEvent = parseAbiItem(
  "event Approval(address indexed owner, address indexed spender, uint256 value)",
);
export const approvalForAllEvent = parseAbiItem(
  "event ApprovalForAll(address indexed owner, address indexed operator, bool approved)",
);
export const transferSingleEvent = parseAbiItem(
  "event TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value)",
);
export const transferBatchEvent = parseAbiItem(
  "event TransferBatch(address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] values)",
);
export const routerApprovalEvent = parseAbiItem(
  "event Approval(address indexed owner, address indexed token, address indexed spender, uint160 amount, uint48 expiration)",
);
export const routerPermitEvent = parseAbiItem(
  "event Permit(address indexed owner, address indexed token, address indexed spender, uint160 amount, uint48 expiration, uint48 nonce)",
);

export const erc20Abi = parseAbi([
  "function allowance(address owner, address spender) view returns (uint256)",
  "function balanceOf(address account) view returns (uint256)",
  "function approve(address spender, uint256 value)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
]);

export const operatorAbi = parseAbi([
  "function isApprovedForAll(address owner, address operator) view returns (bool)",
  "function setApprovalForAll(address operator, bool approved)",
  "function supportsInterface(bytes4 interfaceId) view returns (bool)",
  "function balanceOf(address owner) view returns (uint256)",
  "function balanceOfBatch(address[] owners, uint256[] ids) view returns (uint256[])",
  "function symbol() view returns (string)",
]);

export const routerAbi = parseAbi([
  "struct TokenSpenderPair { address token; address spender; }",
  "function allowance(address user, address token, address spender) view returns (uint160 amount, uint48 expiration, uint48 nonce)",
  "function lockdown(TokenSpenderPair[] approvals)",
]);

/// ERC-165 interface id of ERC-1155.
export const ERC1155_INTERFACE_ID = "0xd9b67a26";
