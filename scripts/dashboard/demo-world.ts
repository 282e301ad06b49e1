// The demo world behind `npm start`, the dashboard's browser tests and its bench: Hardhat's
// in-process network served over HTTP JSON-RPC on loopback, the project's contracts at their
// documented addresses (AllowanceRouter, BatchRevoker, and the real Permit2 at its canonical
// address), a demo owner holding approvals of every kind with a usage history, and the built
// dashboard served with its runtime configuration (GET /config.json).
//
// The chain starts DEMO_HISTORY_DAYS in the past and the seed moves time forward in steps, so
// that approvals were granted and used days or months ago and chain time ends near the wall
// clock: "last used 12 days ago" and "expires in 30 days" read as they would on a real chain.
import { createServer } from "node:http";

import { network } from "hardhat";
import {
  createWalletClient,
  custom,
  encodeFunctionData,
  getAddress,
  keccak256,
  maxUint160,
  maxUint256,
  parseEther,
  parseUnits,
  slice,
  toHex,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

import AllowanceRouterModule from "../../ignition/modules/AllowanceRouter.js";
import BatchRevokerModule from "../../ignition/modules/BatchRevoker.js";
import { ALLOWANCE_ROUTER_ADDRESS, BATCH_REVOKER_ADDRESS } from "../../src/router/deployments.js";
import { PortInUseError, serveDashboard, type DashboardConfig } from "../../src/cli/dashboard-server.js";
import { findDenylistEntry, type DenylistEntry } from "../../src/data/denylist.js";
import { PERMIT2_ADDRESS } from "../../src/scan/constants.js";
import { serveProviderOn, type RequestProvider } from "../../test/fixtures/rpc-server.js";
import { etchPermit2 } from "../../test/fixtures/permit2.js";

const DAY = 86_400;
/** How far back the chain's genesis is: the seed's history spans this, ending near the wall clock. */
const DEMO_HISTORY_DAYS = 400;
const CHAIN_ID = 31337;

/**
 * The demo owner's key: a fixed, public test key (not one of Hardhat's unlocked accounts), so the
 * page's demo-wallet connector can sign locally, EIP-7702 authorizations included. Never fund it
 * anywhere else.
 */
export const DEMO_OWNER_KEY: Hex = "0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d";
/** A second owner with a few approvals, for read-only views of "another address". */
export const DEMO_OTHER_OWNER_KEY: Hex = "0x6cbed15c793ce57650b9877cf6fa156fbef513c4e6134f022a85b1ffdd59b2a1";
/** The EIP-7702-delegated spender's key (a JSON-RPC account cannot sign an authorization). */
const DELEGATED_SPENDER_KEY: Hex = "0x6370fd033278c143179d81c5526140625662b8daa446c22ee2d73db3707e620c";
/**
 * The denylisted spender stands at the address of a contract that really was drained (the
 * bundled list's entry on mainnet): the demo chain lists that entry for itself through
 * /config.json, since the bundled list only names real chains.
 */
const DENYLISTED_MAINNET_SPENDER: Address = "0x044b75f554b886A065b9567891e45c79542d7357";
const MAINNET = 1;

/**
 * The base seed's live approvals of the demo owner: 12 plain (ERC-20, ERC-721, operators), the
 * ERC-20 approvals of the router (3) and Permit2 (2), and their live grants (3 and 2).
 */
export const BASE_APPROVAL_COUNT = 22;
/** Spenders per bulk token when `approvals` asks for more than the base seed. */
const BULK_SPENDERS_PER_TOKEN = 10;

export interface DemoWorldOptions {
  /** The JSON-RPC port on 127.0.0.1; 0 (the default) = any free port. */
  chainPort?: number;
  /** The dashboard's port on 127.0.0.1; 0 (the default) = any free port. */
  dashboardPort?: number;
  /**
   * How many live approvals the demo owner holds in total (default: the base seed's
   * BASE_APPROVAL_COUNT). More adds plain ERC-20 approvals over bulk tokens (the bench's 1,000).
   */
  approvals?: number;
  /** The built page to serve; defaults to app/dist. */
  distDir?: string;
}

export interface DemoTokens {
  /** EIP-2612 permit token (OpenZeppelin ERC20Permit), 18 decimals. */
  permitToken: Address;
  /** A stablecoin-like EIP-2612 token, 18 decimals: the busiest one, with router and Permit2 grants. */
  dollar: Address;
  /** A WETH-like EIP-2612 token, 18 decimals, with router and Permit2 grants. */
  ether: Address;
  /** DAI-style permit (holder, spender, nonce, expiry, allowed). */
  dai: Address;
  /** USDT-style: no return values, 6 decimals, approval-race protection. */
  noReturn: Address;
  /** BNB-style: `approve(spender, 0)` reverts. */
  refusesZeroApproval: Address;
  nft721: Address;
  nft1155: Address;
  /** Tokens added for `approvals` above the base seed (empty otherwise). */
  bulk: Address[];
}

export interface DemoSpenders {
  /** A contract (PullSpender) that pulls regularly through modest allowances. */
  exchange: Address;
  /** A contract never used since it was approved. */
  idle: Address;
  /** An EIP-1967 proxy (upgraded during the seed) over PullSpender. */
  proxy: Address;
  proxyImplementation: Address;
  /** An address without code: whoever holds its key can pull; it did, once. */
  eoa: Address;
  /** An EOA delegated (EIP-7702) to PullSpender. */
  delegated: Address;
  /** A spender at a denylisted address (see `denylist`). */
  denylisted: Address;
}

export interface DemoContracts {
  allowanceRouter: Address;
  batchRevoker: Address;
  permit2: Address;
  tokens: DemoTokens;
  spenders: DemoSpenders;
}

export interface DemoAccount {
  address: Address;
  privateKey: Hex;
}

export interface DemoWorld {
  /** `http://127.0.0.1:<port>/` */
  dashboardUrl: string;
  /** `http://127.0.0.1:<port>` */
  rpcUrl: string;
  chainId: number;
  owner: Address;
  ownerPrivateKey: Hex;
  accounts: {
    /** Hardhat's unlocked account that deployed the contracts. */
    deployer: Address;
    /** Hardhat's unlocked account that calls the contract spenders' pulls. */
    keeper: Address;
    /** A second owner with a few approvals of its own (an EOA-spender grant, an operator, a router grant). */
    otherOwner: DemoAccount;
    /** A funded key with no approvals, e.g. to act as another wallet. */
    stranger: DemoAccount;
  };
  contracts: DemoContracts;
  /** Spenders denylisted on this chain, also served in /config.json. */
  denylist: DenylistEntry[];
  /** What GET /config.json answers. */
  config: DashboardConfig;
  /** Whether app/dist was found (otherwise the server shows how to build it). */
  dashboardBuilt: boolean;
  /** The in-process network itself, for tests that move time or mine. */
  provider: RequestProvider;
  /** Returns the chain to its state right after seeding (any number of times). */
  restore(): Promise<void>;
  /** Stops both servers and the network. */
  stop(): Promise<void>;
}

/** A taken port: says which setting changes it. */
export class DemoPortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly what: "chain" | "dashboard",
  ) {
    super(`port ${port} on 127.0.0.1 (the ${what}) is already in use`);
    this.name = "DemoPortInUseError";
  }
}

const labelled = (label: string): Address => getAddress(slice(keccak256(toHex(label)), 12));

interface Deployed {
  address: Address;
  abi: Abi;
}

/** Starts the demo chain, seeds it, and serves it and the dashboard. */
export async function startDemoWorld(options: DemoWorldOptions = {}): Promise<DemoWorld> {
  const wanted = options.approvals ?? BASE_APPROVAL_COUNT;
  if (!Number.isInteger(wanted) || wanted < BASE_APPROVAL_COUNT) {
    throw new Error(`approvals: ${wanted} is not an integer >= ${BASE_APPROVAL_COUNT} (the base seed's own approvals)`);
  }
  const initialDate = new Date(Date.now() - DEMO_HISTORY_DAYS * DAY * 1000);
  const connection = await network.create({ override: { initialDate, chainId: CHAIN_ID } });
  const { viem, networkHelpers, ignition, provider } = connection;
  const publicClient = await viem.getPublicClient();
  const [deployerWallet, keeperWallet, eoaWallet] = await viem.getWalletClients();
  const deployer = getAddress(deployerWallet!.account.address);
  const keeper = getAddress(keeperWallet!.account.address);

  const owner = privateKeyToAccount(DEMO_OWNER_KEY);
  const otherOwner = privateKeyToAccount(DEMO_OTHER_OWNER_KEY);
  const delegatedAccount = privateKeyToAccount(DELEGATED_SPENDER_KEY);
  // The EOA spender is one of Hardhat's unlocked accounts, so it can really pull.
  const eoa = getAddress(eoaWallet!.account.address);
  const stranger = privateKeyToAccount(keccak256(toHex("allowance-router demo: stranger")));
  for (const account of [owner, otherOwner, delegatedAccount, stranger]) {
    await networkHelpers.setBalance(account.address, parseEther("100"));
    await networkHelpers.impersonateAccount(account.address);
  }

  /** One transaction from `from` (unlocked or impersonated), mined; a revert throws with the call's name. */
  const send = async (from: Address, contract: Deployed, functionName: string, args: readonly unknown[]) => {
    const data = encodeFunctionData({ abi: contract.abi, functionName, args } as never);
    const hash = (await provider.request({ method: "eth_sendTransaction", params: [{ from, to: contract.address, data }] })) as Hex;
    const receipt = await publicClient.getTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`demo seed: ${functionName} on ${contract.address} from ${from} reverted`);
  };
  const passDays = (days: number) => networkHelpers.time.increase(days * DAY);
  const deploy = (name: string, args: unknown[] = []): Promise<Deployed> => viem.deployContract(name, args) as Promise<Deployed>;

  // ---------------------------------------------------------------- contracts at their addresses
  const { batchRevoker } = await ignition.deploy(BatchRevokerModule, { strategy: "create2" });
  const { allowanceRouter } = await ignition.deploy(AllowanceRouterModule, { strategy: "create2" });
  for (const [name, deployed, documented] of [
    ["BatchRevoker", batchRevoker.address, BATCH_REVOKER_ADDRESS],
    ["AllowanceRouter", allowanceRouter.address, ALLOWANCE_ROUTER_ADDRESS],
  ] as const) {
    if (getAddress(deployed) !== documented) {
      throw new Error(
        `${name} deployed at ${deployed}, not at the SDK's ${documented}: its bytecode changed, so recompute its init code hash in src/router/deployments.ts`,
      );
    }
  }
  await etchPermit2(provider);
  const routerContract = await viem.getContractAt("AllowanceRouter", ALLOWANCE_ROUTER_ADDRESS);
  const router: Deployed = { address: ALLOWANCE_ROUTER_ADDRESS, abi: routerContract.abi as Abi };
  // Permit2's IAllowanceTransfer is the router's surface, selector for selector.
  const permit2: Deployed = { address: PERMIT2_ADDRESS, abi: routerContract.abi as Abi };

  const permitToken = await deploy("TestToken", ["Demo Permit Token", "DPT"]);
  const dollar = await deploy("TestToken", ["Demo Dollar", "DUSD"]);
  const ether = await deploy("TestToken", ["Demo Wrapped Ether", "DWETH"]);
  const dai = await deploy("DemoDaiToken");
  const noReturn = await deploy("NoReturnToken");
  const refusesZero = await deploy("RevertOnZeroApprovalToken");
  const nft721 = await deploy("FixtureNft721", ["Demo Apes", "DAPE"]);
  const nft1155 = await deploy("FixtureMultiToken1155");

  const exchange = await deploy("PullSpender");
  const idle = await deploy("PullSpender");
  const implementationV1 = await deploy("UpgradeablePullSpender");
  const implementationV2 = await deploy("UpgradeablePullSpender");
  const proxyDeployment = await deploy("FixtureProxy", [implementationV1.address]);
  const proxy: Deployed = { address: proxyDeployment.address, abi: implementationV1.abi };
  // The drained contract's address, with a PullSpender's code so that it pulled like one.
  await networkHelpers.setCode(DENYLISTED_MAINNET_SPENDER, (await publicClient.getCode({ address: exchange.address }))!);
  const denylisted: Deployed = { address: getAddress(DENYLISTED_MAINNET_SPENDER), abi: exchange.abi };
  const mainnetEntry = findDenylistEntry(MAINNET, DENYLISTED_MAINNET_SPENDER);
  if (mainnetEntry === null) throw new Error(`demo: ${DENYLISTED_MAINNET_SPENDER} is no longer in the bundled denylist (src/data/denylist-entries.ts); pick another listed spender`);
  const denylist: DenylistEntry[] = [{ ...mainnetEntry, chainId: CHAIN_ID }];

  // EIP-7702: a local key delegates its EOA to PullSpender with a real type-4 transaction.
  const delegatedSigner = createWalletClient({ account: delegatedAccount, chain: publicClient.chain, transport: custom(provider) });
  const authorization = await delegatedSigner.signAuthorization({ contractAddress: exchange.address, executor: "self" });
  // Sent to another account: a call to itself would run PullSpender, which has no receive().
  await publicClient.waitForTransactionReceipt({
    hash: await delegatedSigner.sendTransaction({ to: deployer, authorizationList: [authorization], chain: publicClient.chain }),
  });
  const delegated = delegatedAccount.address;

  // ---------------------------------------------------------------- balances
  const holder = owner.address;
  for (const token of [permitToken, dollar, ether]) await send(deployer, token, "mint", [holder, parseEther("10000")]);
  await send(deployer, dai, "mint", [holder, parseEther("2500")]);
  await send(deployer, noReturn, "mint", [holder, parseUnits("8000", 6)]);
  await send(deployer, refusesZero, "mint", [holder, parseEther("40")]);
  for (const id of [1n, 2n, 3n]) await send(deployer, nft721, "mint", [holder, id]);
  await send(deployer, nft1155, "mint", [holder, 7n, 25n]);

  // ---------------------------------------------------------------- ~400 days ago: old approvals
  await send(holder, dollar, "approve", [denylisted.address, maxUint256]);
  await send(holder, dai, "approve", [idle.address, maxUint256]);
  await send(holder, refusesZero, "approve", [idle.address, maxUint256]);
  await send(holder, permitToken, "approve", [eoa, maxUint256]);
  await send(holder, nft721, "setApprovalForAll", [idle.address, true]);
  await send(holder, nft1155, "setApprovalForAll", [eoa, true]);
  await passDays(5);
  await send(keeper, denylisted, "pull", [dollar.address, holder, parseEther("25")]);
  await send(eoa, permitToken, "transferFrom", [holder, eoa, parseEther("10")]);

  // ---------------------------------------------------------------- ~200 days ago
  await passDays(195);
  await send(holder, ether, "approve", [proxy.address, maxUint256]);
  await send(holder, noReturn, "approve", [exchange.address, parseUnits("5000", 6)]);
  await send(holder, nft721, "approve", [eoa, 1n]);
  await send(keeper, proxy, "pull", [ether.address, holder, parseEther("2")]);
  await send(keeper, exchange, "pull", [noReturn.address, holder, parseUnits("1200", 6)]);
  // Its upgrade key is "compromised": the spender's code changed after the approval.
  await passDays(100);
  await send(deployer, proxy, "upgradeToAndCall", [implementationV2.address, "0x"]);

  // ---------------------------------------------------------------- ~60 days ago: router and Permit2
  await passDays(40);
  const now = async () => Number((await publicClient.getBlock()).timestamp);
  const endOfHistory = (await now()) + 60 * DAY;
  await send(holder, dollar, "approve", [exchange.address, parseEther("1000")]);
  await send(holder, nft721, "setApprovalForAll", [exchange.address, true]);
  await send(holder, permitToken, "approve", [delegated, parseEther("300")]);
  for (const token of [dollar, ether, permitToken]) await send(holder, token, "approve", [router.address, maxUint256]);
  await send(holder, router, "approve", [dollar.address, exchange.address, parseEther("500"), endOfHistory + 30 * DAY]);
  await send(holder, router, "approve", [ether.address, eoa, maxUint160, endOfHistory + 730 * DAY]);
  await send(holder, router, "approve", [permitToken.address, idle.address, parseEther("100"), endOfHistory + 2 * DAY]);
  for (const token of [dollar, ether]) await send(holder, token, "approve", [permit2.address, maxUint256]);
  // Pulls name no router, so a spender pulling one token through both would be ambiguous: the
  // Permit2 grant that is used is of another token than the router's.
  await send(holder, permit2, "approve", [ether.address, exchange.address, parseEther("250"), endOfHistory + 14 * DAY]);
  await send(holder, permit2, "approve", [dollar.address, proxy.address, maxUint160, endOfHistory + 365 * DAY]);
  // Expired before the end of the seed: not live, so not shown.
  await send(holder, permit2, "approve", [dollar.address, eoa, parseEther("40"), endOfHistory - 20 * DAY]);

  // ---------------------------------------------------------------- the last 60 days: usage
  await passDays(10);
  await send(keeper, exchange, "pull", [dollar.address, holder, parseEther("150")]);
  await send(keeper, exchange, "pullViaRouter", [router.address, dollar.address, holder, parseEther("40")]);
  await passDays(20);
  await send(keeper, exchange, "pullNft", [nft721.address, holder, 2n]);
  await send(keeper, exchange, "pullViaRouter", [permit2.address, ether.address, holder, parseEther("3")]);
  await send(delegated, permitToken, "transferFrom", [holder, delegated, parseEther("12")]);
  await passDays(25);
  await send(keeper, exchange, "pull", [dollar.address, holder, parseEther("150")]);
  await send(keeper, exchange, "pullViaRouter", [router.address, dollar.address, holder, parseEther("60")]);

  // ---------------------------------------------------------------- the other owner
  await send(deployer, permitToken, "mint", [otherOwner.address, parseEther("500")]);
  await send(deployer, nft1155, "mint", [otherOwner.address, 8n, 3n]);
  await send(otherOwner.address, permitToken, "approve", [eoa, maxUint256]);
  await send(otherOwner.address, nft1155, "setApprovalForAll", [exchange.address, true]);
  await send(otherOwner.address, permitToken, "approve", [router.address, maxUint256]);
  await send(otherOwner.address, router, "approve", [permitToken.address, exchange.address, parseEther("50"), endOfHistory + 7 * DAY]);

  // ---------------------------------------------------------------- bulk approvals (the bench)
  const bulk = await seedBulkApprovals(wanted - BASE_APPROVAL_COUNT, {
    holder,
    deployer,
    spenders: [exchange.address, idle.address, proxy.address, eoa, delegated, denylisted.address].map((address) => getAddress(address)),
    deploy,
    send,
  });
  await passDays(4);

  for (const account of [owner, otherOwner, delegatedAccount, stranger]) await networkHelpers.stopImpersonatingAccount(account.address);
  const snapshot = await networkHelpers.takeSnapshot();

  // ---------------------------------------------------------------- servers
  const rpcServer = createServer();
  let rpc: Awaited<ReturnType<typeof serveProviderOn>>;
  try {
    rpc = await serveProviderOn(provider, rpcServer, options.chainPort ?? 0);
  } catch (error) {
    await connection.close();
    throw error instanceof PortInUseError ? new DemoPortInUseError(error.port, "chain") : error;
  }
  const config: DashboardConfig = {
    rpcUrl: rpc.url,
    chainId: CHAIN_ID,
    demo: { address: owner.address, privateKey: DEMO_OWNER_KEY },
    denylist,
  };
  let dashboard: Awaited<ReturnType<typeof serveDashboard>>;
  try {
    dashboard = await serveDashboard({ config, port: options.dashboardPort ?? 0, distDir: options.distDir });
  } catch (error) {
    await rpc.close();
    await connection.close();
    throw error instanceof PortInUseError ? new DemoPortInUseError(error.port, "dashboard") : error;
  }

  return {
    dashboardUrl: dashboard.url,
    rpcUrl: rpc.url,
    chainId: CHAIN_ID,
    owner: owner.address,
    ownerPrivateKey: DEMO_OWNER_KEY,
    accounts: {
      deployer,
      keeper,
      otherOwner: { address: otherOwner.address, privateKey: DEMO_OTHER_OWNER_KEY },
      stranger: { address: stranger.address, privateKey: keccak256(toHex("allowance-router demo: stranger")) },
    },
    contracts: {
      allowanceRouter: ALLOWANCE_ROUTER_ADDRESS,
      batchRevoker: BATCH_REVOKER_ADDRESS,
      permit2: PERMIT2_ADDRESS,
      tokens: {
        permitToken: getAddress(permitToken.address),
        dollar: getAddress(dollar.address),
        ether: getAddress(ether.address),
        dai: getAddress(dai.address),
        noReturn: getAddress(noReturn.address),
        refusesZeroApproval: getAddress(refusesZero.address),
        nft721: getAddress(nft721.address),
        nft1155: getAddress(nft1155.address),
        bulk,
      },
      spenders: {
        exchange: getAddress(exchange.address),
        idle: getAddress(idle.address),
        proxy: getAddress(proxy.address),
        proxyImplementation: getAddress(implementationV2.address),
        eoa,
        delegated,
        denylisted: denylisted.address,
      },
    },
    denylist,
    config,
    dashboardBuilt: dashboard.built,
    provider,
    restore: async () => {
      await snapshot.restore();
    },
    stop: async () => {
      await Promise.all([dashboard.close(), rpc.close()]);
      await connection.close();
    },
  };
}


interface BulkSeed {
  holder: Address;
  deployer: Address;
  spenders: Address[];
  deploy: (name: string, args?: unknown[]) => Promise<Deployed>;
  send: (from: Address, contract: Deployed, functionName: string, args: readonly unknown[]) => Promise<void>;
}

/**
 * `count` more live ERC-20 approvals: bulk tokens, each approved to up to
 * BULK_SPENDERS_PER_TOKEN spenders, amounts alternating unlimited and finite.
 */
async function seedBulkApprovals(count: number, seed: BulkSeed): Promise<Address[]> {
  const tokens: Address[] = [];
  const spenders = [...seed.spenders];
  while (spenders.length < BULK_SPENDERS_PER_TOKEN) spenders.push(labelled(`demo bulk spender ${spenders.length}`));
  for (let made = 0, index = 0; made < count; index++) {
    const token = await seed.deploy("TestToken", [`Bulk Token ${index}`, `BULK${index}`]);
    await seed.send(seed.deployer, token, "mint", [seed.holder, parseEther("1000")]);
    for (const spender of spenders.slice(0, Math.min(BULK_SPENDERS_PER_TOKEN, count - made))) {
      const amount = made % 2 === 0 ? maxUint256 : parseEther(String(10 + (made % 90)));
      await seed.send(seed.holder, token, "approve", [spender, amount]);
      made++;
    }
    tokens.push(getAddress(token.address));
  }
  return tokens;
}
