import { concatHex, numberToHex, type Address, type Hex } from "viem";

import type { RevocationItem } from "./items.js";
import { validateRevocationItems } from "./validate.js";

/** Group kinds of BatchRevoker's packed list (see contracts/interfaces/IBatchRevoker.sol). */
export const GroupKind = { erc20: 0, operator: 1, erc721: 2, lockdown: 3, lockdownKeepPermits: 4 } as const;

/** A group holds at most this many entries: its count is one byte. */
export const MAX_GROUP_ENTRIES = 255;

/** Revocations checked and packed for BatchRevoker. */
export type EncodedRevocations = {
  /** The validated items (checksummed), in the caller's order. */
  items: readonly RevocationItem[];
  /** The packed list passed to `revoke` / `revokeWithSignature`, and signed over. */
  encoded: Hex;
  /** For each on-chain item index (outcome index), the index in `items` it stands for. */
  order: readonly number[];
};

type Group = { kind: number; subject: Address; entries: Hex[]; itemIndexes: number[] };

/**
 * Validates revocations and packs them into BatchRevoker's list format. Items sharing a kind and a
 * subject (one spender over many tokens, one operator, one router, one ERC-721 collection) share a
 * 22-byte group header, so each further ERC-20 item costs only its token's 20 bytes of calldata.
 * Groups keep first-appearance order. Throws a RevocationInputError for bad input.
 */
export function encodeRevocations(input: readonly RevocationItem[]): EncodedRevocations {
  const items = validateRevocationItems(input);
  const open = new Map<string, Group>();
  const groups: Group[] = [];
  items.forEach((item, itemIndex) => {
    const { kind, subject, entry } = groupingOf(item);
    const key = `${kind}:${subject}`;
    let group = open.get(key);
    if (group === undefined || group.entries.length === MAX_GROUP_ENTRIES) {
      group = { kind, subject, entries: [], itemIndexes: [] };
      open.set(key, group);
      groups.push(group);
    }
    group.entries.push(entry);
    group.itemIndexes.push(itemIndex);
  });
  return {
    items,
    // Lower case: the canonical hex, whatever casing the addresses came in.
    encoded: concatHex(groups.map(encodeGroup)).toLowerCase() as Hex,
    order: groups.flatMap((group) => group.itemIndexes),
  };
}

function encodeGroup(group: Group): Hex {
  return concatHex([
    numberToHex(group.kind, { size: 1 }),
    group.subject,
    numberToHex(group.entries.length, { size: 1 }),
    ...group.entries,
  ]);
}

function groupingOf(item: RevocationItem): { kind: number; subject: Address; entry: Hex } {
  switch (item.kind) {
    case "erc20":
      return { kind: GroupKind.erc20, subject: item.spender, entry: item.token };
    case "erc721-operator":
    case "erc1155-operator":
      return { kind: GroupKind.operator, subject: item.operator, entry: item.token };
    case "erc721":
      return { kind: GroupKind.erc721, subject: item.token, entry: numberToHex(item.tokenId, { size: 32 }) };
    case "router":
      return {
        kind: item.keepPermits === true ? GroupKind.lockdownKeepPermits : GroupKind.lockdown,
        subject: item.router,
        entry: concatHex([item.token, item.spender]),
      };
  }
}
