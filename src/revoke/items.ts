import type { Address } from "viem";

/** An ERC-20 allowance of `spender` over `token`; revoked with `approve(spender, 0)`. */
export type Erc20Revocation = { kind: "erc20"; token: Address; spender: Address };

/** The single-token approval of ERC-721 `tokenId`; revoked with `approve(address(0), tokenId)`. */
export type Erc721Revocation = { kind: "erc721"; token: Address; tokenId: bigint };

/** An ERC-721 operator; revoked with `setApprovalForAll(operator, false)`. */
export type Erc721OperatorRevocation = { kind: "erc721-operator"; token: Address; operator: Address };

/** An ERC-1155 operator; revoked with `setApprovalForAll(operator, false)`. */
export type Erc1155OperatorRevocation = { kind: "erc1155-operator"; token: Address; operator: Address };

/**
 * An AllowanceRouter or Permit2 grant; revoked with `router.lockdown([{ token, spender }])`, and its
 * signed but unused permits voided with `router.invalidateNonces(token, spender, nonce + 1)` (a leaked
 * or phished permit would otherwise restore the grant). `keepPermits: true` only locks down.
 */
export type RouterRevocation = { kind: "router"; router: Address; token: Address; spender: Address; keepPermits?: true };

/** One approval to remove. */
export type RevocationItem =
  | Erc20Revocation
  | Erc721Revocation
  | Erc721OperatorRevocation
  | Erc1155OperatorRevocation
  | RouterRevocation;

export type RevocationKind = RevocationItem["kind"];

export const revocationKinds = [
  "erc20",
  "erc721",
  "erc721-operator",
  "erc1155-operator",
  "router",
] as const satisfies readonly RevocationKind[];

/** The contract whose state changes: the token, or the router for a router grant. */
export function revocationTarget(item: RevocationItem): Address {
  return item.kind === "router" ? item.router : item.token;
}
