import { expect } from "chai";
import { getAddress, maxUint256, type Address } from "viem";

import { denylistEntryFor, gradeApprovals, gradeTotals } from "../src/risk/graded.js";
import { buildReport } from "../src/cli/report.js";
import type { DenylistEntry } from "../src/data/denylist.js";
import type { Approval, ScanResult } from "../src/scan/types.js";

const address = (n: number): Address => getAddress(`0x${n.toString(16).padStart(40, "0")}`);
const NOW = 1_800_000_000;
const DAY = 86_400;

function approval(id: string, spender: Address, amount: bigint, usedDaysAgo: number | null): Approval {
  const token = address(0x70);
  const pulls =
    usedDaysAgo === null
      ? []
      : [{ amount: 10n, tokenId: null, recipient: address(1), sender: spender, at: { blockNumber: 2n, timestamp: NOW - usedDaysAgo * DAY, transactionHash: `0x${"22".repeat(32)}` as const } }];
  return {
    id,
    chainId: 31337,
    owner: address(0xaa),
    kind: "erc20",
    token: { address: token, standard: "erc20", symbol: "TT", decimals: 18, totalSupply: 10n ** 24n, supportsPermit: false, metadataError: null },
    spender,
    router: null,
    tokenId: null,
    amount,
    expiresAt: null,
    nonce: null,
    balance: 100n,
    valueAtRisk: 100n,
    grantedAt: { blockNumber: 1n, timestamp: NOW - 200 * DAY, transactionHash: `0x${"11".repeat(32)}` },
    pulls,
    lastUsedAt: pulls[0]?.at.timestamp ?? null,
    revocation: { kind: "erc20", token, spender },
  };
}

const contract = (spender: Address) => ({ address: spender, codeKind: "contract" as const, delegatedTo: null, proxy: null, deployedRecently: false, upgradedRecently: false, label: null, router: false });

function scanOf(approvals: Approval[]): ScanResult {
  return {
    chainId: 31337,
    owner: address(0xaa),
    fromBlock: 0n,
    toBlock: 10n,
    scannedAt: NOW,
    approvals,
    spenders: Object.fromEntries(approvals.map((entry) => [entry.spender.toLowerCase(), contract(entry.spender)])),
    warnings: [],
    stats: { blocksScanned: 11n, logRequests: 1, logsFetched: 3, reorgFrom: null },
  };
}

describe("gradeApprovals (src/risk: the dashboard's rows and the CLI report's)", function () {
  const busy = approval("busy", address(0xb1), 50n, 2);
  const stale = approval("stale", address(0xb2), maxUint256, null);
  const demoListed: DenylistEntry = {
    name: "Drainer",
    incident: "demo incident",
    date: "2024-01-01",
    chainId: 31337,
    address: address(0xb1),
    sources: ["https://example.invalid/post-mortem"],
  };

  it("grades every approval against the scan's own time, riskiest first", function () {
    const graded = gradeApprovals(scanOf([busy, stale]));
    expect(graded.map((entry) => entry.approval.id)).to.deep.equal(["stale", "busy"]);
    expect(graded[0]!.risk.score).to.be.greaterThan(graded[1]!.risk.score);
    expect(graded[0]!.risk.factors.map((factor) => factor.name)).to.include("unlimited");
    expect(graded[0]!.recommendation.action).to.equal("revoke");
    expect(graded[1]!.recommendation.action).to.not.equal("revoke");
  });

  it("treats a spender on the extra denylist as denylisted: critical, revoke", function () {
    const graded = gradeApprovals(scanOf([busy]), { denylist: [demoListed] });
    expect(graded[0]!.risk.level).to.equal("critical");
    expect(graded[0]!.recommendation.action).to.equal("revoke");
    expect(denylistEntryFor(busy, [demoListed])).to.equal(demoListed);
    expect(denylistEntryFor(stale, [demoListed])).to.equal(null);
    // Another chain's entry for the same address does not count.
    expect(denylistEntryFor(busy, [{ ...demoListed, chainId: 1 }])).to.equal(null);
  });

  it("uses the thresholds given (a shorter stale window makes a 2-day-old pull current, a 1-day one stale)", function () {
    const strict = gradeApprovals(scanOf([busy]), { thresholds: { staleDays: 1 } });
    const lenient = gradeApprovals(scanOf([busy]));
    expect(strict[0]!.risk.factors.map((factor) => factor.name)).to.include("stale");
    expect(lenient[0]!.risk.factors.map((factor) => factor.name)).to.not.include("stale");
  });

  it("keeps only approvals at minRisk or above, and counts them per level and action", function () {
    const all = gradeApprovals(scanOf([busy, stale]));
    const floor = all[0]!.risk.level;
    const kept = gradeApprovals(scanOf([busy, stale]), { minRisk: floor });
    expect(kept.map((entry) => entry.approval.id)).to.deep.equal(["stale"]);
    const totals = gradeTotals(all);
    expect(totals.approvals).to.equal(2);
    expect(totals.unlimited).to.equal(1);
    expect(totals.byAction.revoke).to.equal(all.filter((entry) => entry.recommendation.action === "revoke").length);
    expect(Object.values(totals.byLevel).reduce((sum, count) => sum + count, 0)).to.equal(2);
  });

  it("is what the CLI's report shows: buildReport only adds the totals", function () {
    const result = scanOf([busy, stale]);
    const report = buildReport(result, { denylist: [demoListed], minRisk: "low" });
    expect(report.entries).to.deep.equal(gradeApprovals(result, { denylist: [demoListed] }));
    expect(report.totals).to.deep.equal(gradeTotals(report.entries));
  });
});
