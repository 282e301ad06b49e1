import { decodeAbiParameters, getAddress, hexToBigInt, toEventSelector, type Address, type Hex } from "viem";

import {
  approvalEvent,
  approvalForAllEvent,
  routerApprovalEvent,
  routerLockdownEvent,
  routerPermitEvent,
  transferEvent,
} from "./abis.js";
import type { RawLog } from "../cache/types.js";

export const TOPIC = {
  approval: toEventSelector(approvalEvent),
  approvalForAll: toEventSelector(approvalForAllEvent),
  routerApproval: toEventSelector(routerApprovalEvent),
  routerPermit: toEventSelector(routerPermitEvent),
  routerLockdown: toEventSelector(routerLockdownEvent),
  transfer: toEventSelector(transferEvent),
} as const;

/** topic0 values of every event the scan asks for (all have the owner as topic1). */
export const SCANNED_TOPICS: Hex[] = Object.values(TOPIC);

export function ownerTopic(owner: Address): Hex {
  return `0x${owner.slice(2).toLowerCase().padStart(64, "0")}`;
}

const topicAddress = (topic: Hex): Address => getAddress(`0x${topic.slice(26)}`);

/** An approval some event says may exist; its current value must still be read on-chain. */
export type Candidate =
  | { kind: "erc20"; token: Address; spender: Address; lastSet: RawLog }
  | { kind: "erc721"; token: Address; tokenId: bigint; lastSet: RawLog }
  | { kind: "operator"; token: Address; operator: Address; lastSet: RawLog }
  | { kind: "router"; router: Address; token: Address; spender: Address; lastSet: RawLog };

/** A transfer out of the owner's wallet: ERC-20 (`tokenId` null) or ERC-721. */
export interface OutgoingTransfer {
  token: Address;
  recipient: Address;
  amount: bigint;
  tokenId: bigint | null;
  log: RawLog;
}

export function candidateKey(candidate: Candidate): string {
  switch (candidate.kind) {
    case "erc20":
      return `erc20:${candidate.token}:${candidate.spender}`.toLowerCase();
    case "erc721":
      return `erc721:${candidate.token}:${candidate.tokenId}`.toLowerCase();
    case "operator":
      return `operator:${candidate.token}:${candidate.operator}`.toLowerCase();
    case "router":
      return `router:${candidate.router}:${candidate.token}:${candidate.spender}`.toLowerCase();
  }
}

/**
 * Every (token, spender), (collection, token id), (collection, operator) and
 * (router, token, spender) the owner's events ever touched, each with the latest event that
 * set it (a later event that only clears it does not move `lastSet`, so a re-grant after a
 * revocation still dates from the re-grant). Router events count only from `routers`.
 */
export function extractCandidates(logs: readonly RawLog[], routers: ReadonlySet<string>): Candidate[] {
  const byKey = new Map<string, Candidate>();
  const record = (candidate: Candidate, sets: boolean) => {
    const key = candidateKey(candidate);
    if (byKey.get(key) === undefined || sets) byKey.set(key, candidate);
  };
  for (const log of logs) {
    const [topic0] = log.topics;
    const isRouter = routers.has(log.address.toLowerCase());
    if (topic0 === TOPIC.approval && log.topics.length === 3) {
      const value = log.data === "0x" ? 0n : hexToBigInt(log.data);
      record({ kind: "erc20", token: getAddress(log.address), spender: topicAddress(log.topics[2]!), lastSet: log }, value > 0n);
    } else if (topic0 === TOPIC.approval && log.topics.length === 4) {
      const approved = topicAddress(log.topics[2]!);
      const tokenId = hexToBigInt(log.topics[3]!);
      record({ kind: "erc721", token: getAddress(log.address), tokenId, lastSet: log }, BigInt(approved) !== 0n);
    } else if (topic0 === TOPIC.approvalForAll && log.topics.length === 3) {
      const [approved] = decodeAbiParameters([{ type: "bool" }], log.data);
      record({ kind: "operator", token: getAddress(log.address), operator: topicAddress(log.topics[2]!), lastSet: log }, approved);
    } else if (isRouter && (topic0 === TOPIC.routerApproval || topic0 === TOPIC.routerPermit) && log.topics.length === 4) {
      const [amount] = decodeAbiParameters([{ type: "uint160" }], log.data);
      const token = topicAddress(log.topics[2]!);
      const spender = topicAddress(log.topics[3]!);
      record({ kind: "router", router: getAddress(log.address), token, spender, lastSet: log }, amount > 0n);
    } else if (isRouter && topic0 === TOPIC.routerLockdown) {
      const [token, spender] = decodeAbiParameters([{ type: "address" }, { type: "address" }], log.data);
      record({ kind: "router", router: getAddress(log.address), token, spender, lastSet: log }, false);
    }
  }
  return [...byKey.values()];
}

/** Transfers out of the owner (Transfer events with the owner as `from`). */
export function extractOutgoingTransfers(logs: readonly RawLog[]): OutgoingTransfer[] {
  const transfers: OutgoingTransfer[] = [];
  for (const log of logs) {
    if (log.topics[0] !== TOPIC.transfer) continue;
    const recipient = topicAddress(log.topics[2]!);
    if (log.topics.length === 3 && log.data.length >= 66) {
      transfers.push({ token: getAddress(log.address), recipient, amount: hexToBigInt(log.data.slice(0, 66) as Hex), tokenId: null, log });
    } else if (log.topics.length === 4) {
      transfers.push({ token: getAddress(log.address), recipient, amount: 1n, tokenId: hexToBigInt(log.topics[3]!), log });
    }
  }
  return transfers;
}
