import { parseAbi, parseAbiItem } from "viem";

// The ERC-20 / ERC-721 / ERC-1155 (and EIP-2612 permit) fragments the SDK reads, writes and
// matches, in one place. Events are matched by topic0 across every contract (no address
// filter), so each item is exactly the signature the standards emit.

/** ERC-20 Approval (3 topics) and ERC-721 Approval (4 topics, the token id indexed) share this signature. */
export const approvalEvent = parseAbiItem("event Approval(address indexed owner, address indexed spender, uint256 value)");
export const approvalForAllEvent = parseAbiItem(
  "event ApprovalForAll(address indexed owner, address indexed operator, bool approved)",
);
/** ERC-20 Transfer (3 topics) and ERC-721 Transfer (4 topics, the token id indexed) share this signature. */
export const transferEvent = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");

/** ERC-20 reads, with EIP-2612's `nonces` and `DOMAIN_SEPARATOR`. */
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

/** ERC-721 / ERC-1155 reads. */
export const nftReadAbi = parseAbi([
  "function getApproved(uint256 tokenId) view returns (address)",
  "function ownerOf(uint256 tokenId) view returns (address)",
  "function isApprovedForAll(address owner, address operator) view returns (bool)",
  "function supportsInterface(bytes4 interfaceId) view returns (bool)",
]);

/** What signing a permit needs to know of a token besides `nonces` and `DOMAIN_SEPARATOR`. */
export const permitMetadataAbi = parseAbi([
  "function name() view returns (string)",
  "function version() view returns (string)",
  "function PERMIT_TYPEHASH() view returns (bytes32)",
]);

/** The owner's own revocation calls: ERC-20/721 `approve` and ERC-721/1155 `setApprovalForAll`. */
export const tokenApprovalAbi = parseAbi([
  "function approve(address spender, uint256 amount) returns (bool)",
  "function setApprovalForAll(address operator, bool approved)",
]);
