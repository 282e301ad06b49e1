// Finds every owner and token exposed to one spender, from logs filtered by the spender topic,
// each confirmed by a current on-chain read: lingering ERC-20 approvals, router (Permit2-shaped)
// grants, and ERC-721/1155 operator approvals. One getLogs per event over the whole range: on
// a node that limits ranges, pass a recent `fromBlock`.
import { getAddress, type Address, type PublicClient } from "viem";

import {
  approvalForAllEvent,
  ERC1155_INTERFACE_ID,
  erc20Abi,
  erc20ApprovalEvent,
  operatorAbi,
  routerAbi,
  routerApprovalEvent,
  routerPermitEvent,
  transferBatchEvent,
  transferSingleEvent,
} from "./abis.js";

export type ExposureKind = "erc20-approval" | "router-grant" | "erc721-operator" | "erc1155-operator";

export type Exposure = {
  kind: ExposureKind;
  owner: Address;
  /// The token or collection at risk.
  token: Address;
  symbol: string;
  /// Decimals for display (0 for NFTs and tokens without decimals()).
  decimals: number;
  /// The router holding the grant (router grants only).
  router?: Address;
  /// What the spender may take by its approval alone (the NFT count for operator approvals).
  approved: bigint;
  /// What the owner holds that the approval reaches.
  balance: bigint;
  /// What the spender could take right now: min(approval, balance, and for a router grant the
  /// owner's token allowance to the router); zero for an expired grant.
  valueAtRisk: bigint;
  /// Unix seconds after which a router grant is dead.
  expiresAt?: bigint;
};

const UNLIMITED_GRANT = 2n ** 160n - 1n;
/// How much of an address names a token that has no symbol().
const ADDRESS_PREFIX_LENGTH = 10;

const min = (...values: bigint[]) => values.reduce((a, b) => (a < b ? a : b));

const pairKey = (contract: Address, owner: Address) => `${contract}:${owner}`;

/// Unique (contract, owner) pairs from logs, checksummed, in first-seen order.
function uniquePairs(logs: { address: Address; owner: Address }[]) {
  const seen = new Map<string, { contract: Address; owner: Address }>();
  for (const log of logs) {
    const contract = getAddress(log.address);
    const owner = getAddress(log.owner);
    seen.set(pairKey(contract, owner), { contract, owner });
  }
  return [...seen.values()];
}

/// Symbol and decimals for display; a token without them shows its address and raw units.
async function tokenInfo(client: PublicClient, token: Address, nonFungible = false) {
  const [symbol, decimals] = await Promise.all([
    client.readContract({ address: token, abi: erc20Abi, functionName: "symbol" }).catch(() => `${token.slice(0, ADDRESS_PREFIX_LENGTH)}…`),
    nonFungible ? 0 : client.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }).catch(() => 0),
  ]);
  return { symbol, decimals };
}

async function erc20Exposures(client: PublicClient, spender: Address, fromBlock: bigint): Promise<Exposure[]> {
  // strict: ERC-721's Approval shares the topic but indexes its third field; it is skipped here.
  const logs = await client.getLogs({ event: erc20ApprovalEvent, args: { spender }, fromBlock, strict: true });
  const pairs = uniquePairs(logs.map((log) => ({ address: log.address, owner: log.args.owner })));
  const exposures: Exposure[] = [];
  for (const { contract: token, owner } of pairs) {
    const approved = await client.readContract({ address: token, abi: erc20Abi, functionName: "allowance", args: [owner, spender] });
    if (approved === 0n) continue;
    const balance = await client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
    exposures.push({ kind: "erc20-approval", owner, token, ...(await tokenInfo(client, token)), approved, balance, valueAtRisk: min(approved, balance) });
  }
  return exposures;
}

async function routerExposures(client: PublicClient, spender: Address, fromBlock: bigint): Promise<Exposure[]> {
  const [approvals, permits] = await Promise.all([
    client.getLogs({ event: routerApprovalEvent, args: { spender }, fromBlock, strict: true }),
    client.getLogs({ event: routerPermitEvent, args: { spender }, fromBlock, strict: true }),
  ]);
  const grants = new Map<string, { router: Address; owner: Address; token: Address }>();
  for (const log of [...approvals, ...permits]) {
    const router = getAddress(log.address);
    const owner = getAddress(log.args.owner);
    const token = getAddress(log.args.token);
    grants.set(`${pairKey(router, owner)}:${token}`, { router, owner, token });
  }
  const now = (await client.getBlock()).timestamp;
  const exposures: Exposure[] = [];
  for (const { router, owner, token } of grants.values()) {
    const [amount, expiration] = await client.readContract({ address: router, abi: routerAbi, functionName: "allowance", args: [owner, token, spender] });
    const expiresAt = BigInt(expiration);
    if (amount === 0n || now > expiresAt) continue;
    const [balance, routerAllowance] = await Promise.all([
      client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [owner] }),
      client.readContract({ address: token, abi: erc20Abi, functionName: "allowance", args: [owner, router] }),
    ]);
    const approved = BigInt(amount);
    const valueAtRisk = approved === UNLIMITED_GRANT ? min(balance, routerAllowance) : min(approved, balance, routerAllowance);
    exposures.push({ kind: "router-grant", owner, token, ...(await tokenInfo(client, token)), router, approved, balance, valueAtRisk, expiresAt });
  }
  return exposures;
}

async function isErc1155(client: PublicClient, collection: Address): Promise<boolean> {
  try {
    return await client.readContract({ address: collection, abi: operatorAbi, functionName: "supportsInterface", args: [ERC1155_INTERFACE_ID] });
  } catch {
    return false;
  }
}

/// The ids an owner has ever received in an ERC-1155 collection, from its transfer logs.
async function erc1155IdsReceived(client: PublicClient, collection: Address, owner: Address, fromBlock: bigint) {
  const [singles, batches] = await Promise.all([
    client.getLogs({ address: collection, event: transferSingleEvent, args: { to: owner }, fromBlock, strict: true }),
    client.getLogs({ address: collection, event: transferBatchEvent, args: { to: owner }, fromBlock, strict: true }),
  ]);
  const ids = new Set<bigint>([...singles.map((log) => log.args.id), ...batches.flatMap((log) => [...log.args.ids])]);
  return [...ids];
}

async function operatorExposures(client: PublicClient, spender: Address, fromBlock: bigint): Promise<Exposure[]> {
  const logs = await client.getLogs({ event: approvalForAllEvent, args: { operator: spender }, fromBlock, strict: true });
  const pairs = uniquePairs(logs.map((log) => ({ address: log.address, owner: log.args.owner })));
  const exposures: Exposure[] = [];
  for (const { contract: collection, owner } of pairs) {
    const approved = await client.readContract({ address: collection, abi: operatorAbi, functionName: "isApprovedForAll", args: [owner, spender] });
    if (!approved) continue;
    const info = await tokenInfo(client, collection, true);
    if (await isErc1155(client, collection)) {
      const ids = await erc1155IdsReceived(client, collection, owner, fromBlock);
      const balances = await client.readContract({ address: collection, abi: operatorAbi, functionName: "balanceOfBatch", args: [ids.map(() => owner), ids] });
      const balance = balances.reduce((sum, units) => sum + units, 0n);
      exposures.push({ kind: "erc1155-operator", owner, token: collection, ...info, approved: balance, balance, valueAtRisk: balance });
    } else {
      const balance = await client.readContract({ address: collection, abi: operatorAbi, functionName: "balanceOf", args: [owner] });
      exposures.push({ kind: "erc721-operator", owner, token: collection, ...info, approved: balance, balance, valueAtRisk: balance });
    }
  }
  return exposures;
}

/// Every live exposure of any owner to `spender`, confirmed on-chain at the latest block.
export async function findExposures(client: PublicClient, spender: Address, fromBlock = 0n): Promise<Exposure[]> {
  const groups = await Promise.all([
    erc20Exposures(client, spender, fromBlock),
    routerExposures(client, spender, fromBlock),
    operatorExposures(client, spender, fromBlock),
  ]);
  return groups.flat();
}
