import { parseAbi, parseAbiItem } from "viem";

// Events are matched by topic0 across every contract (no address filter), so each ABI item
// here is exactly the signature the standards (and Permit2) emit.

/** ERC-20 Approval (3 topics) and ERC-721 Approval (4 topics, the token id indexed) share this signature. */
export const approvalEvent = parseAbiItem("event Approval(address indexed owner, address indexed spender, uint256 value)");
export const approvalForAllEvent = parseAbiItem(
  "event ApprovalForAll(address indexed owner, address indexed operator, bool approved)",
);
/** ERC-20 Transfer (3 topics) and ERC-721 Transfer (4 topics, the token id indexed) share this signature. */
export const transferEvent = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");

/** Permit2 / AllowanceRouter grant events (IAllowanceTransfer). */
export const routerApprovalEvent = parseAbiItem(
  "event Approval(address indexed owner, address indexed token, address indexed spender, uint160 amount, uint48 expiration)",
);
export const routerPermitEvent = parseAbiItem(
  "event Permit(address indexed owner, address indexed token, address indexed spender, uint160 amount, uint48 expiration, uint48 nonce)",
);
export const routerLockdownEvent = parseAbiItem("event Lockdown(address indexed owner, address token, address spender)");

export const erc20ReadAbi = parseAbi([
  "function allowance(address owner, address spender) view returns (uint256)",
  "function balanceOf(address account) view returns (uint256)",
  "function totalSupply() view returns (uint256)",
  "function decimals() view returns (uint8)",
  "function symbol() view returns (string)",
  "function nonces(address owner) view returns (uint256)",
  "function DOMAIN_SEPARATOR() view returns (bytes32)",
]);

/** MKR-style tokens return symbol() as bytes32. */
export const bytes32SymbolAbi = parseAbi(["function symbol() view returns (bytes32)"]);

export const nftReadAbi = parseAbi([
  "function getApproved(uint256 tokenId) view returns (address)",
  "function ownerOf(uint256 tokenId) view returns (address)",
  "function isApprovedForAll(address owner, address operator) view returns (bool)",
  "function supportsInterface(bytes4 interfaceId) view returns (bool)",
]);

export const routerReadAbi = parseAbi([
  "function allowance(address user, address token, address spender) view returns (uint160 amount, uint48 expiration, uint48 nonce)",
]);
