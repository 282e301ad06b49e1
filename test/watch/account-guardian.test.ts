import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { encodeFunctionData, getAddress, maxUint160, maxUint256, parseEther, parseEventLogs, parseGwei, zeroAddress, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { batchRevokerAbi } from "../../src/abi/batchRevoker.js";
import { setRevokeGuardian } from "../../src/revoke/guardian.js";
import { DEFAULT_WATCH_SETTINGS, type WatchSettings } from "../../src/watch/config.js";
import { startWatchService, type ExploitReport, type WatchService } from "../../src/watch/service.js";
import { openSqliteWatchStore } from "../../src/watch/sqlite-store.js";
import type { WatchAlert } from "../../src/watch/types.js";
import { FAST_RETRY, labelled, manualDriver, startWatchChain, waitFor, type WatchChain } from "./world.js";

const DAY = 86_400;
const NFT_ID = 7n;
const ERC1155_ID = 1n;

// Auto-revoke of plain approvals through the BatchRevoker guardian of EIP-7702 accounts, end to end
// on an in-process Hardhat network over HTTP: carol (a local key) delegates her EOA to BatchRevoker
// and appoints the service's key as guardian; dave (not delegated) and erin (delegated, another
// guardian) have the same approvals. Real type-4 transactions, real receipts, the SQLite store.
describe("allowance watch: auto-revoke of plain approvals as an EIP-7702 account's BatchRevoker guardian", function () {
  this.timeout(120_000);
  let chain: WatchChain;
  let dir: string;
  let storePath: string;
  let settings: WatchSettings;
  let service: WatchService;
  let lines: string[];
  let revoker: { address: Address };
  let nft: any;
  let multi: any;
  const guardian = privateKeyToAccount(generatePrivateKey());
  const otherGuardian = labelled("somebody else's guardian key");
  const exploited = labelled("a spender about to be exploited");
  let carol: Awaited<ReturnType<typeof localKey>>;
  let erin: Awaited<ReturnType<typeof localKey>>;
  let dave: Address;

  const alertsOf = (rule: string) => lines.map((line) => JSON.parse(line) as WatchAlert).filter((alert) => alert.rule === rule);
  const localKey = async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    await chain.connection.networkHelpers.setBalance(account.address, parseEther("10"));
    const wallet = await chain.connection.viem.getWalletClient(account.address, { account });
    return { address: account.address, account, wallet };
  };
  const mined = async (hash: `0x${string}`) => {
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status, `transaction ${hash}`).to.equal("success");
    return receipt;
  };
  const guardianNonce = () => chain.publicClient.getTransactionCount({ address: guardian.address });
  const start = () =>
    startWatchService({
      rpcUrl: chain.node.url,
      store: openSqliteWatchStore(storePath),
      settings,
      apiPort: 0,
      retry: FAST_RETRY,
      driver: manualDriver(),
      output: (line) => lines.push(line),
      guardian,
    });
  /** Every kind of plain approval to `spender`, and a router grant with it. */
  const approveEverything = async (owner: { address: Address; account: any }, spender: Address) => {
    const as = { account: owner.account };
    await mined(await chain.token.write.approve([spender, maxUint256], as));
    await mined(await nft.write.approve([spender, NFT_ID], as));
    await mined(await nft.write.setApprovalForAll([spender, true], as));
    await mined(await multi.write.setApprovalForAll([spender, true], as));
    const block = await chain.publicClient.getBlock();
    await mined(await chain.router.write.approve([chain.token.address, spender, maxUint160, Number(block.timestamp) + DAY], as));
  };
  const exposure = async (owner: Address, spender: Address) => ({
    erc20: await chain.token.read.allowance([owner, spender]),
    erc721: getAddress(await nft.read.getApproved([NFT_ID])) === getAddress(spender),
    erc721Operator: await nft.read.isApprovedForAll([owner, spender]),
    erc1155Operator: await multi.read.isApprovedForAll([owner, spender]),
    router: (await chain.router.read.allowance([owner, chain.token.address, spender])) as readonly [bigint, number, number],
  });
  const postExploits = async (spenders: Address[]) => {
    const response = await fetch(`${service.apiUrl}/exploits`, { method: "POST", body: JSON.stringify({ spenders }) });
    expect(response.status).to.equal(200);
    return (await response.json()) as ExploitReport;
  };

  before(async function () {
    chain = await startWatchChain();
    dir = mkdtempSync(join(tmpdir(), "watch-7702-"));
    storePath = join(dir, "watch.sqlite");
    lines = [];
    revoker = await chain.connection.viem.deployContract("BatchRevoker");
    nft = await chain.connection.viem.deployContract("TestERC721");
    multi = await chain.connection.viem.deployContract("TestERC1155");
    await chain.connection.networkHelpers.setBalance(guardian.address, parseEther("1"));
    carol = await localKey();
    erin = await localKey();
    dave = getAddress(chain.wallets[1]!.account.address);
    await mined((await setRevokeGuardian(carol.wallet, { revoker: revoker.address, guardian: guardian.address })).hash);
    await mined((await setRevokeGuardian(erin.wallet, { revoker: revoker.address, guardian: otherGuardian })).hash);
    for (const owner of [carol.address, erin.address, dave]) {
      await chain.token.write.mint([owner, parseEther("100")]);
      await multi.write.mint([owner, ERC1155_ID, 5n]);
    }
    // Each owner holds one NFT: carol NFT_ID, the others their own ids (getApproved is per token id).
    await nft.write.mint([carol.address, NFT_ID]);
    await nft.write.mint([erin.address, NFT_ID + 1n]);
    await nft.write.mint([dave, NFT_ID + 2n]);
    for (const owner of [carol, erin]) await mined(await chain.token.write.approve([chain.router.address, maxUint256], { account: owner.account }));
    await mined(await chain.token.write.approve([chain.router.address, maxUint256], { account: chain.wallets[1]!.account }));
    await approveEverything(carol, exploited);
    for (const owner of [{ address: erin.address, account: erin.account }, { address: dave, account: chain.wallets[1]!.account }]) {
      await mined(await chain.token.write.approve([exploited, maxUint256], { account: owner.account }));
      await mined(await multi.write.setApprovalForAll([exploited, true], { account: owner.account }));
    }
    await chain.mine(2);
    settings = { ...DEFAULT_WATCH_SETTINGS, routers: [chain.router.address], revoker: revoker.address };
    service = await start();
    await service.addOwners([carol.address, erin.address, dave].map((address) => ({ address })));
    await service.step();
  });

  after(async function () {
    await chain?.request("evm_setAutomine", [true]).catch(() => {});
    await service?.stop();
    await chain?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("POST /exploits: one revokeAsGuardian for carol, mined in the next block; every approval 0 on-chain, outcomes in the alert and the store", async function () {
    expect(await exposure(carol.address, exploited)).to.deep.include({ erc20: maxUint256, erc721: true, erc721Operator: true, erc1155Operator: true });
    const headBefore = await chain.publicClient.getBlockNumber();
    const nonceBefore = await guardianNonce();
    const report = await postExploits([exploited]);

    expect(report.accountRevocations).to.have.length(1);
    const [revocation] = report.accountRevocations;
    expect(revocation!.owner).to.equal(carol.address);
    expect(revocation!.status).to.equal("success");
    expect(revocation!.items.map((item) => item.outcome)).to.deep.equal(["revoked", "revoked", "revoked", "revoked", "revoked"]);
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: revocation!.transactionHash });
    expect(receipt.blockNumber).to.equal(headBefore + 1n);
    expect(getAddress(receipt.from)).to.equal(guardian.address);
    expect(getAddress(receipt.to!)).to.equal(carol.address);
    const [event] = parseEventLogs({ abi: batchRevokerAbi, eventName: "GuardianRevocation", logs: receipt.logs });
    expect(event!.args).to.deep.equal({ guardian: guardian.address, itemCount: 5n });
    expect(await guardianNonce()).to.equal(nonceBefore + 1);

    const after = await exposure(carol.address, exploited);
    expect(after).to.deep.include({ erc20: 0n, erc721: false, erc721Operator: false, erc1155Operator: false });
    expect(after.router[0]).to.equal(0n);
    expect(after.router[2]).to.equal(1, "the router item also voided carol's pending permits (nonce moved on)");

    const [alert] = alertsOf("auto-revoked");
    expect(alert!.owner).to.equal(carol.address);
    expect(alert!.severity).to.equal("info");
    expect(alert!.transactionHash).to.equal(revocation!.transactionHash);
    expect(alert!.message).to.match(/revoked 5 of 5 approval\(s\) of 0x[0-9a-fA-F]{40} as its BatchRevoker guardian$/);
    expect(alert!.items!.map((item) => item.outcome)).to.deep.equal(["revoked", "revoked", "revoked", "revoked", "revoked"]);
    const store = openSqliteWatchStore(storePath);
    const stored = await store.approvals([carol.address]);
    expect(stored.filter((approval) => approval.spender === exploited).map((approval) => approval.live)).to.deep.equal([false, false, false, false, false]);
    expect(await store.pendingRevocations()).to.deep.equal([]);
    await store.close();
  });

  it("dave (not delegated) and erin (another guardian) get an alert each and nothing is sent for them", async function () {
    const alerts = alertsOf("auto-revoke-skipped");
    expect(alerts.map((alert) => alert.owner).sort()).to.deep.equal([dave, erin.address].sort());
    expect(alerts.find((alert) => alert.owner === dave)!.message).to.match(/is not an EIP-7702 account delegated to BatchRevoker/);
    expect(alerts.find((alert) => alert.owner === erin.address)!.message).to.contain(`BatchRevoker guardian is ${otherGuardian}, not this service's key ${guardian.address}`);
    for (const alert of alerts) expect(alert.items).to.have.length(2);
    for (const owner of [dave, erin.address]) {
      const left = await exposure(owner, exploited);
      expect(left.erc20).to.equal(maxUint256);
      expect(left.erc1155Operator).to.equal(true);
    }
    // Reported again: carol has nothing live left, nothing is sent, the skipped alerts are not repeated.
    const nonce = await guardianNonce();
    const again = await postExploits([exploited]);
    expect(again.accountRevocations).to.deep.equal([]);
    expect(again.skipped.map((skip) => skip.owner).sort()).to.deep.equal([dave, erin.address].sort());
    expect(await guardianNonce()).to.equal(nonce);
    expect(alertsOf("auto-revoke-skipped")).to.have.length(2);
  });

  it("a restart while the revocation is in flight settles the recorded transaction and never sends a second one", async function () {
    const second = labelled("a second exploited spender");
    await mined(await chain.token.write.approve([second, parseEther("3")], { account: carol.account }));
    await chain.mine(2);
    await service.step();
    const nonceBefore = await guardianNonce();
    await chain.request("evm_setAutomine", [false]);
    const inFlight = service.reportExploits([second]);
    const store = openSqliteWatchStore(storePath);
    await waitFor("the signed revocation recorded", async () => (await store.pendingRevocations()).length === 1);
    const [pending] = await store.pendingRevocations();
    await waitFor("the revocation broadcast", async () => (await chain.request("eth_getTransactionByHash", [pending!.transactionHash])) !== null);

    // The service goes away with the transaction unmined; a new one starts on the same store and is
    // told about the exploit again before the block is mined.
    await service.stop();
    service = await start();
    const reportedAgain = service.reportExploits([second]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await chain.request("evm_mine");
    await chain.request("evm_setAutomine", [true]);
    const [first, again] = await Promise.all([inFlight, reportedAgain]);
    await service.idle();

    expect(first.accountRevocations.map((revocation) => revocation.transactionHash)).to.deep.equal([pending!.transactionHash]);
    expect(again.accountRevocations).to.deep.equal([], "the restarted service sent nothing of its own");
    expect(await guardianNonce()).to.equal(nonceBefore + 1);
    expect(await chain.token.read.allowance([carol.address, second])).to.equal(0n);
    expect(alertsOf("auto-revoked").filter((alert) => alert.transactionHash === pending!.transactionHash)).to.have.length(1);
    expect(await store.pendingRevocations()).to.deep.equal([]);
    await store.close();
  });

  it("a revocation that reverts (carol removed the guardian in the same block) is recorded as reverted, with a critical alert", async function () {
    const third = labelled("a third exploited spender");
    await mined(await chain.token.write.approve([third, parseEther("4")], { account: carol.account }));
    await chain.mine(2);
    await service.step();
    await chain.request("evm_setAutomine", [false]);
    const report = service.reportExploits([third]);
    const store = openSqliteWatchStore(storePath);
    await waitFor("the signed revocation recorded", async () => (await store.pendingRevocations()).length === 1);
    const [pending] = await store.pendingRevocations();
    await waitFor("the revocation broadcast", async () => (await chain.request("eth_getTransactionByHash", [pending!.transactionHash])) !== null);
    // Carol's own setGuardian(0), with a higher tip, is mined first in the same block.
    await carol.wallet.sendTransaction({
      to: carol.address,
      data: encodeFunctionData({ abi: batchRevokerAbi, functionName: "setGuardian", args: [zeroAddress] }),
      maxPriorityFeePerGas: parseGwei("50"),
      maxFeePerGas: parseGwei("500"),
    });
    await chain.request("evm_mine");
    await chain.request("evm_setAutomine", [true]);
    const { accountRevocations } = await report;

    expect(accountRevocations.map((revocation) => revocation.status)).to.deep.equal(["reverted"]);
    expect(accountRevocations[0]!.items.map((item) => item.outcome)).to.deep.equal([null]);
    const alert = alertsOf("auto-revoked").find((found) => found.transactionHash === pending!.transactionHash)!;
    expect(alert.severity).to.equal("critical");
    expect(alert.message).to.match(/reverted .*: revoke by hand/);
    expect(await chain.token.read.allowance([carol.address, third])).to.equal(parseEther("4"));
    const stored = (await store.approvals([carol.address])).find((approval) => approval.spender === third)!;
    expect(stored.live).to.equal(true);
    expect(await store.pendingRevocations()).to.deep.equal([]);
    await store.close();
  });
});
