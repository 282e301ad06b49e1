// planRevocations / sendRevocations against a real JSON-RPC node on loopback: every way of
// revoking (7702 batch, relayed 7702, relayed permits, router lockdown, EIP-5792, one transaction
// each), `auto`'s choice among them, real type-4 transactions from local keys, and input errors.
import { expect } from "chai";
import { network } from "hardhat";
import {
  createPublicClient,
  createWalletClient,
  custom,
  getAddress,
  http,
  isAddressEqual,
  maxUint256,
  type Address,
  type Chain,
  type PublicClient,
} from "viem";

import {
  ActionInputError,
  EmptyRevocationError,
  OwnerMismatchError,
  ViaUnsupportedError,
  delegationDesignator,
  isRevoked,
  isRiskyApproval,
  permitSupportOf,
  planRevocations,
  selectApprovals,
  sendRevocations,
  type AnyWalletClient,
  type PlannedRevocations,
  type RevocationContext,
  type RevocationVia,
  type Route,
  type ViaChoice,
} from "../src/index.js";
import { buildReport, type ReportEntry } from "../src/cli/report.js";
import { DEFAULT_RISK_THRESHOLDS, type RiskLevel } from "../src/risk/weights.js";
import { createRpcClient } from "../src/scan/client.js";
import { scanApprovals } from "../src/scan/scan.js";
import type { Approval } from "../src/scan/types.js";
import { batchingWallet } from "./fixtures/batching-wallet.js";
import { seedRevokeWorld, type RevokeWorld } from "./fixtures/revoke-world.js";
import { serveProvider, type RunningServer } from "./fixtures/rpc-server.js";

type Connection = Awaited<ReturnType<typeof network.create>>;

/** Expects `promise` to reject with an instance of `type`, and returns the error. */
async function rejection<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}, nothing was thrown`);
}

describe("planRevocations and sendRevocations", function () {
  let connection: Connection;
  let world: RevokeWorld;
  let node: RunningServer;
  let publicClient: PublicClient;
  let owner: AnyWalletClient;
  let relayer: AnyWalletClient;
  let restore: () => Promise<void>;
  let chain: Chain;

  /** What the owner's wallet (`owner`, the actions' client) plans and sends with. */
  const context = (extra: Partial<RevocationContext> & { via?: ViaChoice } = {}): RevocationContext & { via?: ViaChoice } => ({
    publicClient,
    ...extra,
  });

  /** The owner's live approvals, graded, as `allowance scan` reports them. */
  const report = async (ownerAddress: Address = world.owner.address): Promise<ReportEntry[]> => {
    const result = await scanApprovals(createRpcClient({ rpcUrl: node.url }), { owner: ownerAddress, routers: [world.router, world.otherRouter] });
    return buildReport(result, { minRisk: "low", thresholds: DEFAULT_RISK_THRESHOLDS, recentDays: 30 }).entries;
  };
  const risky = async (ownerAddress?: Address) => selectApprovals(await report(ownerAddress), { kind: "risky" }).map(({ approval }) => approval);
  const revokedFlags = (plan: PlannedRevocations, ownerAddress: Address = world.owner.address) =>
    Promise.all(plan.items.map((item) => isRevoked(publicClient, ownerAddress, item)));
  const nonceOf = (address: Address) => publicClient.getTransactionCount({ address });
  const erc20Allowance = (token: Address, holder: Address, spender: Address) =>
    publicClient.readContract({ address: token, abi: world.abis.token, functionName: "allowance", args: [holder, spender] }) as Promise<bigint>;
  const indexOfToken = (plan: PlannedRevocations, token: Address) =>
    plan.items.findIndex((item) => item.kind === "erc20" && isAddressEqual(item.token, token));
  const routeOf = <V extends RevocationVia>(plan: PlannedRevocations, via: V) => {
    expect(plan.route.via).to.equal(via);
    return plan.route as Route & { via: V };
  };

  before(async function () {
    connection = await network.create();
    world = await seedRevokeWorld(connection as never);
    node = await serveProvider(connection.provider);
    chain = (await connection.viem.getPublicClient()).chain;
    publicClient = createPublicClient({ chain, transport: http(node.url), pollingInterval: 50 });
    owner = createWalletClient({ account: world.owner, chain, transport: http(node.url), pollingInterval: 50 });
    relayer = createWalletClient({ account: world.relayer, chain, transport: http(node.url), pollingInterval: 50 });
    const snapshot = await connection.networkHelpers.takeSnapshot();
    restore = () => snapshot.restore();
  });

  afterEach(async function () {
    await restore();
  });

  after(async function () {
    await node?.close();
  });

  it("selects as risky exactly the approvals to revoke or graded high or critical", async function () {
    const entries = await report();
    const { tokens, spenders, router, otherRouter } = world;
    const id = (...parts: (string | bigint)[]) => parts.join(":").toLowerCase();
    const riskyIds = selectApprovals(entries, { kind: "risky" }).map(({ approval }) => approval.id).sort();
    expect(riskyIds).to.deep.equal(
      [
        id("erc20", tokens.permitA, spenders.eoa),
        id("erc20", tokens.permitB, spenders.idle),
        id("erc20", tokens.permitB, spenders.eoa),
        id("erc20", tokens.dai, spenders.eoa),
        id("erc20", tokens.noReturn, spenders.idle),
        id("erc20", tokens.revertOnZero, spenders.eoa),
        id("erc721", tokens.nft, 1n),
        id("operator", tokens.nft, spenders.idle),
        id("operator", tokens.multi, spenders.eoa),
        id("router", router, tokens.permitA, spenders.eoa),
        id("router", router, tokens.busyToken, spenders.eoa),
        id("router", otherRouter, tokens.permitA, spenders.eoa),
      ].sort(),
    );
    // Left alone: the modest allowance in use, and the owner's one approval of each router.
    const kept = entries.filter((entry) => !riskyIds.includes(entry.approval.id));
    expect(kept.map((entry) => entry.approval.id).sort()).to.deep.equal(
      [
        id("erc20", tokens.busyToken, spenders.busy),
        id("erc20", tokens.permitA, router),
        id("erc20", tokens.busyToken, router),
        id("erc20", tokens.permitA, otherRouter),
      ].sort(),
    );
    for (const entry of kept) {
      expect(entry.recommendation.action).to.not.equal("revoke");
      expect(["low", "medium"]).to.include(entry.risk.level);
    }
    expect(selectApprovals(entries, { kind: "all" })).to.have.length(entries.length);
    expect(selectApprovals(entries, { kind: "spender", address: spenders.idle }).map(({ approval }) => approval.id).sort()).to.deep.equal(
      [id("erc20", tokens.permitB, spenders.idle), id("erc20", tokens.noReturn, spenders.idle), id("operator", tokens.nft, spenders.idle)].sort(),
    );
    const ofPermitA = selectApprovals(entries, { kind: "token", address: tokens.permitA.toLowerCase() as Address });
    expect(ofPermitA.every(({ approval }) => approval.token.address === tokens.permitA)).to.equal(true);
    expect(ofPermitA).to.have.length(5);
  });

  it("risky means: the recommendation is to revoke, or the grade is high or critical", function () {
    const grade = (level: RiskLevel) => ({ level, score: 0, factors: [] });
    const keep = { action: "keep", reason: "" } as const;
    const revoke = { action: "revoke", reason: "" } as const;
    const reduce = { action: "reduce", amount: 1n, expiresInSeconds: null, reason: "" } as const;
    const approval = { kind: "erc20", amount: 10n ** 18n } as Approval;
    expect(isRiskyApproval({ approval, risk: grade("low"), recommendation: revoke })).to.equal(true);
    expect(isRiskyApproval({ approval, risk: grade("high"), recommendation: keep })).to.equal(true);
    expect(isRiskyApproval({ approval, risk: grade("critical"), recommendation: reduce })).to.equal(true);
    expect(isRiskyApproval({ approval, risk: grade("medium"), recommendation: reduce })).to.equal(false);
    expect(isRiskyApproval({ approval, risk: grade("low"), recommendation: keep })).to.equal(false);
    // At its smallest value (1 base unit: all a token that refuses approve(0) can be lowered to), never risky.
    const atOne = { kind: "erc20", amount: 1n } as Approval;
    expect(isRiskyApproval({ approval: atOne, risk: grade("critical"), recommendation: revoke })).to.equal(false);
    expect(isRiskyApproval({ approval: { kind: "router", amount: 1n } as Approval, risk: grade("high"), recommendation: keep })).to.equal(true);
  });

  it("reads how to sign a zero permit from each token: EIP-2612 or DAI style, and a domain that matches its DOMAIN_SEPARATOR", async function () {
    expect(await permitSupportOf(publicClient, world.tokens.permitA, 31337)).to.deep.equal({
      style: "eip2612",
      domain: { name: "Permit A", version: "1" },
    });
    expect(await permitSupportOf(publicClient, world.tokens.dai, 31337)).to.deep.equal({
      style: "dai",
      domain: { name: "Dai Stablecoin", version: "1" },
    });
    expect(await permitSupportOf(publicClient, world.tokens.noReturn, 31337)).to.deep.equal({ unsupported: "it has no DOMAIN_SEPARATOR()" });
    // The same token seen from another chain id: no domain it could have signed over matches.
    expect(await permitSupportOf(publicClient, world.tokens.permitA, 1)).to.deep.equal({
      unsupported: "its DOMAIN_SEPARATOR() matches no (name, version, chain, address) domain",
    });
  });

  it("auto, with a local key and BatchRevoker deployed: one type-4 transaction revokes every risky approval, router grants included", async function () {
    const approvals = await risky();
    const plan = await planRevocations(owner, { ...context(), approvals });

    const route = routeOf(plan, "7702");
    expect(plan.why).to.match(/^auto chose 7702: /);
    expect(route.transactions).to.have.length(1);
    expect(route.authorizes).to.equal(true);
    expect(route.signed).to.equal(null);
    const bnb = indexOfToken(plan, world.tokens.revertOnZero);
    expect(route.preview).to.deep.equal(plan.items.map((_, index) => (index === bnb ? "reduced" : "revoked")));
    const assessed = Object.fromEntries(plan.candidates.map((candidate) => [candidate.via, candidate]));
    expect(plan.candidates.map(({ via }) => via)).to.deep.equal(["7702", "5792", "permit", "tx"]);
    expect(assessed["5792"]).to.deep.include({ available: false });
    expect((assessed["5792"] as { reason: string }).reason).to.match(/wallet_getCapabilities/);
    expect(assessed.permit!.available && assessed.tx!.available).to.equal(true);

    const sent = await sendRevocations(owner, { ...context(), plan });

    expect(sent.via).to.equal("7702");
    expect(sent.transactions).to.have.length(1);
    const [transaction] = sent.transactions;
    expect(transaction!.from).to.equal(world.owner.address);
    expect(transaction!.gasUsed <= route.transactions[0]!.estimatedGas!).to.equal(true);
    const mined = await publicClient.getTransaction({ hash: transaction!.hash });
    expect(mined.type).to.equal("eip7702");
    expect(mined.to).to.equal(world.owner.address.toLowerCase());
    expect(await publicClient.getCode({ address: world.owner.address })).to.equal(delegationDesignator(world.revoker).toLowerCase());
    expect(sent.results.map(({ outcome }) => outcome)).to.deep.equal(route.preview);
    // On-chain: all gone, except the token refusing approve(0), now at 1.
    expect(await revokedFlags(plan)).to.deep.equal(plan.items.map((_, index) => index !== bnb));
    expect(await erc20Allowance(world.tokens.revertOnZero, world.owner.address, world.spenders.eoa)).to.equal(1n);
    // Not selected, so untouched.
    expect(await erc20Allowance(world.tokens.busyToken, world.owner.address, world.spenders.busy)).to.equal(80n * 10n ** 18n);
    expect(await erc20Allowance(world.tokens.permitA, world.owner.address, world.router)).to.equal(maxUint256);
  });

  it("auto takes the way that leaves the fewest approvals live, then costs the owner the least gas, and says why", async function () {
    const plan = await planRevocations(owner, { ...context(), approvals: await risky() });
    const available = plan.candidates.filter((candidate): candidate is Route => candidate.available);
    expect(available.map(({ via }) => via)).to.deep.equal(["7702", "permit", "tx"]);
    for (const candidate of available) {
      const [chosen, other] = [plan.route.costs, candidate.costs];
      expect(chosen.expectedFailures <= other.expectedFailures).to.equal(true);
      if (chosen.expectedFailures === other.expectedFailures) expect(chosen.ownerGas <= other.ownerGas).to.equal(true);
      expect(plan.why).to.include(`${candidate.via}: ${candidate.costs.ownerGas.toLocaleString("en-US")} gas for the owner`);
    }
    // The token refusing approve(0) makes its own transaction revert: tx and permit would leave it live.
    const tx = available.find(({ via }) => via === "tx")!;
    expect(tx.costs.expectedFailures).to.equal(1);
    expect(tx.transactions.find(({ estimatedGas }) => estimatedGas === null)!.failure).to.match(/reverted with custom error 'ZeroApproval\(\)'/);
    expect(plan.why).to.match(/^auto chose 7702: it leaves fewer approvals live \(\w+ would leave 1\)/);

    // One approval alone: its own approve costs less than delegating, so auto takes a plain transaction.
    const single = (await risky()).filter((approval) => approval.kind === "erc20" && approval.token.address === world.tokens.permitA);
    const one = await planRevocations(owner, { ...context(), approvals: single });
    expect(one.route.via).to.equal("tx");
    expect(one.why).to.match(/^auto chose tx: it costs the owner the least gas\. /);
    const delegating = one.candidates.find((candidate) => candidate.via === "7702") as Route;
    expect(one.route.costs.ownerGas < delegating.costs.ownerGas).to.equal(true);
  });

  it("an EOA already delegated to BatchRevoker revokes later with a plain self-call, no new authorization", async function () {
    const [first, ...rest] = await risky();
    await sendRevocations(owner, { ...context(), plan: await planRevocations(owner, { ...context({ via: "7702" }), approvals: [first!] }) });

    const plan = await planRevocations(owner, { ...context({ via: "7702" }), approvals: rest });
    const route = routeOf(plan, "7702");
    expect(route.authorizes).to.equal(false);
    const sent = await sendRevocations(owner, { ...context(), plan });
    const mined = await publicClient.getTransaction({ hash: sent.transactions[0]!.hash });
    expect(mined.type).to.equal("eip1559");
    expect(mined.to).to.equal(world.owner.address.toLowerCase());
    const bnb = indexOfToken(plan, world.tokens.revertOnZero);
    expect(sent.results.map(({ outcome }) => outcome)).to.deep.equal(plan.items.map((_, index) => (index === bnb ? "reduced" : "revoked")));
  });

  it("with a relayer, 7702 is relayed: the owner only signs, sends nothing and pays nothing", async function () {
    const plan = await planRevocations(owner, { ...context({ relayer }), approvals: await risky() });
    const route = routeOf(plan, "7702");
    expect(route.signed).to.not.equal(null);
    expect(route.signed!.authorization).to.not.equal(undefined);
    expect(route.costs.ownerGas).to.equal(0n);
    expect(route.transactions[0]!.from).to.equal(world.relayer.address);
    const [ownerNonce, ownerBalance] = await Promise.all([nonceOf(world.owner.address), publicClient.getBalance({ address: world.owner.address })]);

    const sent = await sendRevocations(owner, { ...context({ relayer }), plan });

    expect(sent.transactions.map(({ from }) => from)).to.deep.equal([world.relayer.address]);
    expect((await publicClient.getTransaction({ hash: sent.transactions[0]!.hash })).type).to.equal("eip7702");
    expect(await nonceOf(world.owner.address)).to.equal(ownerNonce + 1); // the authorization's nonce, not a transaction
    expect(await publicClient.getBalance({ address: world.owner.address })).to.equal(ownerBalance);
    const bnb = indexOfToken(plan, world.tokens.revertOnZero);
    expect(await revokedFlags(plan)).to.deep.equal(plan.items.map((_, index) => index !== bnb));
    await rejection(sendRevocations(owner, { ...context(), plan }), Error).then((error) => expect(error.message).to.match(/made with a relayer/));
  });

  it("via permit: zero permits relayed through BatchRevoker (EIP-2612 and DAI), one per token; the rest by the owner, router grants one lockdown per router", async function () {
    const plan = await planRevocations(owner, { ...context({ relayer, via: "permit" }), approvals: await risky() });
    const route = routeOf(plan, "permit");
    const permitted = route.permits.map(({ itemIndex }) => plan.items[itemIndex]!);
    // PMB has two allowances, so one is relayed and the other sent by the owner: a second permit would reuse its nonce.
    expect(permitted.map((item) => (item.kind === "erc20" ? item.token : null)).sort()).to.deep.equal(
      [world.tokens.permitA, world.tokens.permitB, world.tokens.dai].sort(),
    );
    expect(route.permits.map(({ permit }) => permit.style).sort()).to.deep.equal(["dai", "eip2612", "eip2612"]);
    const [relay, ...own] = route.transactions;
    expect(relay!.from).to.equal(world.relayer.address);
    expect(relay!.to).to.equal(world.revoker);
    expect(own.every(({ from }) => from === world.owner.address)).to.equal(true);
    const lockdowns = own.filter(({ description }) => description.includes(".lockdown("));
    expect(lockdowns.map(({ to, itemIndexes }) => `${to}:${itemIndexes.length}`).sort()).to.deep.equal(
      [`${world.router}:2`, `${world.otherRouter}:1`].sort(),
    );
    expect(own).to.have.length(plan.items.length - 3 - 1);

    const sent = await sendRevocations(owner, { ...context({ relayer }), plan });

    expect(sent.transactions[0]!.from).to.equal(world.relayer.address);
    const byIndex = sent.results.map(({ outcome }) => outcome);
    for (const { itemIndex } of route.permits) expect(byIndex[itemIndex]).to.equal("revoked");
    const bnb = indexOfToken(plan, world.tokens.revertOnZero);
    expect(byIndex[bnb]).to.equal("not-sent");
    expect(sent.results[bnb]!.error).to.match(/reverted with custom error 'ZeroApproval\(\)'/);
    expect(await revokedFlags(plan)).to.deep.equal(plan.items.map((_, index) => index !== bnb));
    expect(sent.transactions).to.have.length(own.length); // the relay, and every owner transaction but the refused one
  });

  it("a DAI-style token without version(), or one whose nonces() reverts, blocks neither permit nor auto: each probe is per token (issue 9, point 2)", async function () {
    const versionless = await connection.viem.deployContract("DaiPermitNoVersionToken", [false]);
    const broken = await connection.viem.deployContract("DaiPermitNoVersionToken", [true]);
    for (const token of [versionless, broken]) {
      const hash = await owner.writeContract({ address: token.address, abi: token.abi, functionName: "approve", args: [world.spenders.eoa, maxUint256], chain });
      await publicClient.waitForTransactionReceipt({ hash });
    }
    const entries = await report();
    const ofToken = (address: Address) => entries.find(({ approval }) => approval.kind === "erc20" && isAddressEqual(approval.token.address, address))!.approval;
    // The scanner saw no nonces() on the broken one; an SDK caller may still claim a permit for it.
    const approvals = [ofToken(world.tokens.permitA), ofToken(versionless.address), { ...ofToken(broken.address), token: { ...ofToken(broken.address).token, supportsPermit: true } }];

    const auto = await planRevocations(owner, { ...context(), approvals });
    expect(auto.candidates.find(({ via }) => via === "permit")!.available).to.equal(true);

    const plan = await planRevocations(owner, { ...context({ via: "permit" }), approvals });
    const route = routeOf(plan, "permit");
    expect(route.permits.map(({ itemIndex, permit }) => `${itemIndex}:${permit.style}`)).to.deep.equal(["0:eip2612", "1:dai"]);
    expect(route.refusals).to.have.length(1);
    expect(route.refusals[0]).to.match(/^0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}: signing its permit failed \(.*nonces unavailable/);
    expect(route.transactions.slice(1).map(({ itemIndexes }) => itemIndexes)).to.deep.equal([[2]]);
    const sent = await sendRevocations(owner, { ...context(), plan });
    expect(sent.results.map(({ outcome }) => outcome)).to.deep.equal(["revoked", "revoked", "revoked"]);
  });

  it("via tx: one transaction each, router grants one lockdown per router; a token refusing approve(0) is not sent, the rest still go out", async function () {
    const plan = await planRevocations(owner, { ...context({ via: "tx" }), approvals: await risky() });
    const route = routeOf(plan, "tx");
    expect(plan.why).to.equal("tx was asked for");
    expect(plan.candidates.map(({ via }) => via)).to.deep.equal(["tx"]);
    expect(route.transactions).to.have.length(plan.items.length - 1);
    const nonceBefore = await nonceOf(world.owner.address);

    const sent = await sendRevocations(owner, { ...context(), plan });

    expect(await nonceOf(world.owner.address)).to.equal(nonceBefore + route.transactions.length - 1);
    expect(sent.transactions.every(({ status, from }) => status === "success" && from === world.owner.address)).to.equal(true);
    const bnb = indexOfToken(plan, world.tokens.revertOnZero);
    expect(sent.results.map(({ outcome }) => outcome)).to.deep.equal(plan.items.map((_, index) => (index === bnb ? "not-sent" : "revoked")));
    expect(await revokedFlags(plan)).to.deep.equal(plan.items.map((_, index) => index !== bnb));
    const lockdown = sent.transactions.find(({ itemIndexes }) => itemIndexes.length === 2)!;
    expect(lockdown.itemIndexes.map((index) => plan.items[index]!.kind)).to.deep.equal(["router", "router"]);
  });

  it("via lockdown revokes router grants only, one lockdown per router, and refuses plain approvals without sending anything", async function () {
    const approvals = await risky();
    const grants = approvals.filter((approval) => approval.kind === "router");
    const plan = await planRevocations(owner, { ...context({ via: "lockdown" }), approvals: grants });
    expect(routeOf(plan, "lockdown").transactions.map(({ to }) => to).sort()).to.deep.equal([world.router, world.otherRouter].sort());
    const sent = await sendRevocations(owner, { ...context(), plan });
    expect(sent.results.map(({ outcome }) => outcome)).to.deep.equal(["revoked", "revoked", "revoked"]);
    expect(await revokedFlags(plan)).to.deep.equal([true, true, true]);

    const nonceBefore = await nonceOf(world.owner.address);
    const error = await rejection(planRevocations(owner, { ...context({ via: "lockdown" }), approvals }), ViaUnsupportedError);
    expect(error).to.be.instanceOf(ActionInputError);
    expect(error.shortMessage).to.equal(
      "cannot revoke via lockdown: 9 of the 12 approvals are not router or Permit2 grants, and lockdown revokes only those; choose another way (auto picks one that works)",
    );
    expect(await nonceOf(world.owner.address)).to.equal(nonceBefore);
  });

  it("7702 refuses a JSON-RPC account, a chain without BatchRevoker, an account delegated elsewhere and a contract account", async function () {
    const approvals = await risky();
    const [, , , unlocked] = await connection.viem.getWalletClients();
    const jsonRpc = createWalletClient({ account: unlocked!.account.address, transport: http(node.url) });
    await world.seedApprovals(createWalletClient({ account: unlocked!.account.address, chain, transport: custom(connection.provider) }));
    const theirs = await risky(unlocked!.account.address);
    expect(
      (await rejection(planRevocations(jsonRpc, { publicClient, approvals: theirs, via: "7702" }), ViaUnsupportedError)).reason,
    ).to.equal("only a local private key can sign an EIP-7702 authorization, and this account is a JSON-RPC one");

    const nowhere = getAddress("0x000000000000000000000000000000000000dEaD");
    expect((await rejection(planRevocations(owner, { ...context({ via: "7702", revoker: nowhere }), approvals }), ViaUnsupportedError)).reason).to.equal(
      `BatchRevoker is not deployed at ${nowhere} on chain 31337`,
    );
    const withoutRevoker = await planRevocations(owner, { ...context({ revoker: nowhere }), approvals });
    expect(withoutRevoker.route.via).to.equal("tx");
    expect(withoutRevoker.candidates.filter(({ available }) => !available).map(({ via }) => via)).to.deep.equal(["7702", "5792", "permit"]);

    // Delegated to another contract (a smart account, say): replacing that delegation is not ours to do.
    const authorization = await owner.signAuthorization({ account: world.owner, contractAddress: world.spenders.idle, executor: "self" });
    await publicClient.waitForTransactionReceipt({
      hash: await owner.sendTransaction({ account: world.owner, chain, to: world.relayer.address, authorizationList: [authorization] }),
    });
    expect((await rejection(planRevocations(owner, { ...context({ via: "7702" }), approvals }), ViaUnsupportedError)).reason).to.equal(
      `${world.owner.address} is delegated to ${world.spenders.idle}; delegating it to BatchRevoker would replace that smart account`,
    );
    await connection.provider.request({ method: "hardhat_setCode", params: [world.owner.address, "0x6080"] });
    expect((await rejection(planRevocations(owner, { ...context({ via: "7702" }), approvals }), ViaUnsupportedError)).reason).to.equal(
      `${world.owner.address} is a contract, not an EOA`,
    );
  });

  it("5792: a wallet that answers wallet_getCapabilities gets the whole plan as one wallet_sendCalls request", async function () {
    const [, , , unlocked] = await connection.viem.getWalletClients();
    const holder = unlocked!.account.address;
    await world.seedApprovals(createWalletClient({ account: holder, chain, transport: custom(connection.provider) }));
    // This stand-in wallet sends each call as its own transaction; one the token refuses would abort it.
    const approvals = (await risky(holder)).filter((approval) => approval.token.address !== world.tokens.revertOnZero);
    const wallet = batchingWallet(connection.provider, 31337);
    const walletClient = createWalletClient({ account: holder, chain, transport: custom(wallet), pollingInterval: 50 });

    const plan = await planRevocations(walletClient, { publicClient, approvals });
    const route = routeOf(plan, "5792");
    expect(route.costs.ownerRequests).to.equal(1);
    const tx = plan.candidates.find((candidate) => candidate.via === "tx") as Route;
    expect(route.costs.ownerGas).to.equal(tx.costs.ownerGas);
    expect(plan.why).to.match(/^auto chose 5792: it costs the owner as little gas as tx in fewer wallet requests\. /);
    expect(plan.candidates.find(({ via }) => via === "permit")).to.deep.include({
      available: false,
      reason: "not tried: the wallet batches calls, and permits would ask for a signature per token",
    });
    expect(wallet.requests).to.not.include("eth_signTypedData_v4");

    const sent = await sendRevocations(walletClient, { publicClient, plan });

    expect(wallet.requests.filter((method) => method === "wallet_sendCalls")).to.have.length(1);
    expect(sent.transactions).to.have.length(route.transactions.length);
    expect(sent.results.every(({ outcome }) => outcome === "revoked")).to.equal(true);
    expect(await revokedFlags(plan, holder)).to.deep.equal(plan.items.map(() => true));
  });

  it("bad input throws before anything is signed or sent", async function () {
    const approvals = await risky();
    const nonceBefore = await nonceOf(world.owner.address);
    await rejection(planRevocations(owner, { ...context(), approvals: [] }), EmptyRevocationError);
    const stranger = getAddress("0x1111111111111111111111111111111111111111");
    const mismatch = await rejection(planRevocations(owner, { ...context(), approvals: [{ ...approvals[0]!, owner: stranger }] }), OwnerMismatchError);
    expect(mismatch.shortMessage).to.equal(
      `the approval belongs to ${stranger}, but the wallet's account is ${world.owner.address}: revoke with the owner's own key`,
    );
    const unknown = await rejection(planRevocations(owner, { ...context({ via: "carrier-pigeon" as never }), approvals }), ActionInputError);
    expect(unknown.shortMessage).to.equal('unknown way of revoking "carrier-pigeon": use auto, 7702, 5792, permit, lockdown, tx');
    const onlyPlain = approvals.filter((approval) => !approval.token.supportsPermit);
    expect((await rejection(planRevocations(owner, { ...context({ via: "permit" }), approvals: onlyPlain }), ViaUnsupportedError)).reason).to.match(
      /^none of the \d+ approvals is an ERC-20 allowance of a token with a permit$/,
    );
    expect(await nonceOf(world.owner.address)).to.equal(nonceBefore);
  });
});
