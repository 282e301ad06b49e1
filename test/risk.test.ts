import { expect } from "chai";
import { getAddress, maxUint160, maxUint256, parseEther, parseUnits, type Address } from "viem";

import { formatTokenAmount, roundUpSignificant, typeMaxBits } from "../src/risk/amounts.js";
import { bundledDenylist, findDenylistEntry, parseDenylist, type DenylistFile } from "../src/data/denylist.js";
import { gradeRisk } from "../src/risk/grade.js";
import { recommend } from "../src/risk/recommend.js";
import { RISK_WEIGHTS } from "../src/risk/weights.js";
import type { Approval, Pull, SpenderProfile } from "../src/scan/types.js";

const DAY = 86_400;
const NOW = 1_800_000_000;
const TOKEN: Address = getAddress("0x00000000000000000000000000000000000000aa");
const SPENDER: Address = getAddress("0x00000000000000000000000000000000000000bb");
const SOCKET_GATEWAY: Address = "0x3a23F943181408EAC424116Af7b7790c94Cb97a5";

function approval(overrides: Partial<Approval> = {}): Approval {
  return {
    id: `erc20:${TOKEN}:${SPENDER}`.toLowerCase(),
    chainId: 31337,
    owner: getAddress("0x00000000000000000000000000000000000000cc"),
    kind: "erc20",
    token: {
      address: TOKEN,
      standard: "erc20",
      symbol: "USDC",
      decimals: 6,
      totalSupply: parseUnits("1000000000", 6),
      supportsPermit: true,
      metadataError: null,
    },
    spender: SPENDER,
    router: null,
    tokenId: null,
    amount: parseUnits("100", 6),
    expiresAt: null,
    nonce: null,
    balance: parseUnits("500", 6),
    valueAtRisk: parseUnits("100", 6),
    grantedAt: { blockNumber: 1n, timestamp: NOW - 30 * DAY, transactionHash: "0x01" },
    pulls: [],
    lastUsedAt: NOW - 5 * DAY,
    revocation: { kind: "erc20", token: TOKEN, spender: SPENDER },
    ...overrides,
  };
}

function contract(overrides: Partial<SpenderProfile> = {}): SpenderProfile {
  return {
    address: SPENDER,
    codeKind: "contract",
    delegatedTo: null,
    proxy: null,
    deployedRecently: false,
    upgradedRecently: false,
    label: null,
    router: false,
    ...overrides,
  };
}

function pull(amount: bigint, daysAgo: number): Pull {
  return {
    amount,
    tokenId: null,
    recipient: SPENDER,
    sender: SPENDER,
    at: { blockNumber: 2n, timestamp: NOW - daysAgo * DAY, transactionHash: "0x02" },
  };
}

const factorNames = (grade: ReturnType<typeof gradeRisk>) => grade.factors.map((factor) => factor.name).sort();

describe("gradeRisk", function () {
  it("grades a limited, recently used approval to a plain contract low, on its lack of expiry alone", function () {
    const grade = gradeRisk(approval(), { now: NOW, spender: contract() });
    expect(factorNames(grade)).to.deep.equal(["longExpiry"]);
    expect(grade.factors[0]!.reason).to.equal("never expires");
    expect(grade).to.include({ score: RISK_WEIGHTS.longExpiry, level: "low" });
  });

  it("calls an allowance unlimited at a uint type's max (naming uint96) or at the total supply", function () {
    const uint96 = gradeRisk(approval({ amount: (1n << 96n) - 1n }), { now: NOW, spender: contract() });
    expect(uint96.factors.find((f) => f.name === "unlimited")!.reason).to.match(/type\(uint96\)\.max/);
    const uint256 = gradeRisk(approval({ amount: maxUint256 }), { now: NOW, spender: contract() });
    expect(uint256.factors.find((f) => f.name === "unlimited")!.reason).to.equal("allowance is type(uint256).max");
    const supply = gradeRisk(approval({ amount: parseUnits("1000000000", 6) }), { now: NOW, spender: contract() });
    expect(supply.factors.find((f) => f.name === "unlimited")!.reason).to.match(/total supply \(1,000,000,000 USDC\)/);
    const justBelow = gradeRisk(approval({ amount: parseUnits("999999999", 6) }), { now: NOW, spender: contract() });
    expect(factorNames(justBelow)).to.not.include("unlimited");
    const operator = gradeRisk(approval({ kind: "erc721-operator", amount: null }), { now: NOW, spender: contract() });
    expect(operator.factors.find((f) => f.name === "unlimited")!.reason).to.equal("operator over the whole collection");
  });

  it("flags an allowance above the balance, with the exposed balance", function () {
    const above = gradeRisk(approval({ amount: parseUnits("501", 6) }), { now: NOW, spender: contract() });
    expect(above.factors.find((f) => f.name === "exceedsBalance")!.reason).to.equal("allowance exceeds the balance: all 500 USDC exposed");
    expect(factorNames(gradeRisk(approval({ amount: parseUnits("500", 6) }), { now: NOW, spender: contract() }))).to.not.include("exceedsBalance");
  });

  it("flags EOA, 7702-delegated, proxy and recently deployed or upgraded spenders", function () {
    const grade = (profile: SpenderProfile) => factorNames(gradeRisk(approval(), { now: NOW, spender: profile }));
    expect(grade(contract({ codeKind: "eoa" }))).to.include("eoaSpender");
    const delegated = gradeRisk(approval(), { now: NOW, spender: contract({ codeKind: "delegated-eoa", delegatedTo: TOKEN }) });
    expect(delegated.factors.find((f) => f.name === "delegatedSpender")!.reason).to.include(TOKEN);
    expect(grade(contract({ proxy: { standard: "eip1822", implementation: TOKEN } }))).to.include("upgradeableProxy");
    const deployed = gradeRisk(approval(), { now: NOW, spender: contract({ deployedRecently: true }), recentDays: 14 });
    expect(deployed.factors.find((f) => f.name === "recentSpender")!.reason).to.equal("spender's code appeared or changed in the last 14 days");
    const upgraded = gradeRisk(approval(), { now: NOW, spender: contract({ upgradedRecently: true }) });
    expect(upgraded.factors.find((f) => f.name === "recentSpender")!.reason).to.equal("spender was upgraded in the last 30 days");
    // Unknown facts (no archive state) grade nothing.
    expect(grade(contract({ deployedRecently: null, upgradedRecently: null }))).to.not.include("recentSpender");
  });

  it("flags stale and never-used approvals against the staleness threshold", function () {
    const stale = gradeRisk(approval({ lastUsedAt: NOW - 100 * DAY }), { now: NOW, spender: contract() });
    expect(stale.factors.find((f) => f.name === "stale")!.reason).to.equal("unused for 100 days");
    const neverUsedOld = gradeRisk(approval({ lastUsedAt: null, grantedAt: { ...approval().grantedAt, timestamp: NOW - 120 * DAY } }), {
      now: NOW,
      spender: contract(),
    });
    expect(neverUsedOld.factors.map((f) => f.reason)).to.include.members(["never used in the 120 days since granted", "no pull by this spender seen"]);
    const neverUsedNew = gradeRisk(approval({ lastUsedAt: null }), { now: NOW, spender: contract() });
    expect(factorNames(neverUsedNew)).to.deep.equal(["longExpiry", "neverUsed"]);
    const custom = gradeRisk(approval({ lastUsedAt: NOW - 20 * DAY }), { now: NOW, spender: contract(), thresholds: { staleDays: 14 } });
    expect(factorNames(custom)).to.include("stale");
  });

  it("flags expiries more than a year away, not nearer ones", function () {
    const far = gradeRisk(approval({ kind: "router", expiresAt: NOW + 730 * DAY }), { now: NOW, spender: contract() });
    expect(far.factors.find((f) => f.name === "longExpiry")!.reason).to.equal("expires in 2.0 years");
    const near = gradeRisk(approval({ kind: "router", expiresAt: NOW + 30 * DAY }), { now: NOW, spender: contract() });
    expect(near).to.include({ score: 0, level: "low" });
  });

  it("makes a denylisted spender critical, on the approval's own chain only", function () {
    const onMainnet = gradeRisk(approval({ chainId: 1, spender: SOCKET_GATEWAY }), { now: NOW, spender: contract() });
    expect(onMainnet.level).to.equal("critical");
    expect(onMainnet.factors[0]!.name).to.equal("denylisted");
    expect(onMainnet.factors[0]!.reason).to.match(/^spender is Socket Gateway, drained 2024-01-16/);
    const elsewhere = gradeRisk(approval({ chainId: 10, spender: SOCKET_GATEWAY }), { now: NOW, spender: contract() });
    expect(factorNames(elsewhere)).to.not.include("denylisted");
    const overridden = gradeRisk(approval({ chainId: 1, spender: SOCKET_GATEWAY }), { now: NOW, spender: contract(), denylistEntry: null });
    expect(overridden.level).to.equal("low");
  });

  it("adds nothing for an approval of a router, whose own grants are graded instead, unless it is denylisted", function () {
    const router = contract({ router: true, label: "Permit2" });
    const unused = approval({ amount: maxUint256, lastUsedAt: null, grantedAt: { ...approval().grantedAt, timestamp: NOW - 400 * DAY } });
    expect(gradeRisk(unused, { now: NOW, spender: router })).to.deep.equal({ score: 0, level: "low", factors: [] });
    const listed = gradeRisk(approval({ chainId: 1, spender: SOCKET_GATEWAY }), { now: NOW, spender: contract({ router: true }) });
    expect(listed.level).to.equal("critical");
  });

  it("sums the weights, caps the score at 100 and maps it to levels", function () {
    const unlimitedEverywhere = gradeRisk(
      approval({ amount: maxUint256, lastUsedAt: null, grantedAt: { ...approval().grantedAt, timestamp: NOW - 200 * DAY } }),
      { now: NOW, spender: contract({ codeKind: "delegated-eoa", delegatedTo: TOKEN, deployedRecently: true }) },
    );
    const names = ["unlimited", "delegatedSpender", "recentSpender", "stale", "exceedsBalance", "longExpiry", "neverUsed"];
    expect(factorNames(unlimitedEverywhere)).to.deep.equal([...names].sort());
    const expected = names.reduce(
      (sum, name) => sum + RISK_WEIGHTS[name as keyof typeof RISK_WEIGHTS],
      0,
    );
    expect(expected).to.be.greaterThan(100);
    expect(unlimitedEverywhere).to.include({ score: 100, level: "critical" });
    const high = gradeRisk(approval({ amount: maxUint256 }), { now: NOW, spender: contract() });
    expect(high).to.include({ score: RISK_WEIGHTS.unlimited + RISK_WEIGHTS.exceedsBalance + RISK_WEIGHTS.longExpiry, level: "high" });
    const medium = gradeRisk(approval({ kind: "router", expiresAt: NOW + DAY, amount: maxUint160 }), { now: NOW, spender: contract() });
    expect(medium).to.include({ score: RISK_WEIGHTS.unlimited + RISK_WEIGHTS.exceedsBalance, level: "medium" });
    expect(medium.factors.map((f) => f.weight)).to.deep.equal([...medium.factors.map((f) => f.weight)].sort((a, b) => b - a));
  });
});

describe("recommend", function () {
  it("revokes an approval to a denylisted spender whatever its use", function () {
    const risky = approval({ chainId: 1, spender: SOCKET_GATEWAY });
    const risk = gradeRisk(risky, { now: NOW, spender: contract() });
    const recommendation = recommend(risky, { pulls: [pull(1n, 1)], now: NOW }, { risk });
    expect(recommendation.action).to.equal("revoke");
    expect(recommendation.reason).to.match(/Socket Gateway/);
  });

  it("revokes what was never used past the grace period, keeps what is too young to judge", function () {
    expect(recommend(approval(), { pulls: [], now: NOW })).to.deep.equal({ action: "revoke", reason: "never used in the 30 days since granted" });
    const young = approval({ grantedAt: { ...approval().grantedAt, timestamp: NOW - 2 * DAY } });
    expect(recommend(young, { pulls: [], now: NOW })).to.deep.equal({ action: "keep", reason: "granted 2 days ago, not used yet" });
  });

  it("revokes what has not been used within the window", function () {
    expect(recommend(approval(), { pulls: [pull(5n, 120)], now: NOW })).to.deep.equal({ action: "revoke", reason: "last used 120 days ago" });
    expect(recommend(approval(), { pulls: [pull(5n, 120)], now: NOW }, { windowDays: 180 }).action).to.not.equal("revoke");
  });

  it("reduces to the largest pull in the window plus headroom, rounded up to two significant digits, with an expiry from the gaps", function () {
    const unlimited = approval({ amount: maxUint256 });
    const pulls = [pull(parseUnits("2000", 6), 200), pull(parseUnits("100", 6), 20), pull(parseUnits("1234.5", 6), 10), pull(parseUnits("7", 6), 4)];
    const recommendation = recommend(unlimited, { pulls, now: NOW });
    // 1,234.5 x 1.25 = 1,543.125 -> 1,600 (the 2,000 pull is outside the 90-day window); gaps 10 and 6 days -> 20 days.
    expect(recommendation).to.deep.equal({
      action: "reduce",
      amount: parseUnits("1600", 6),
      expiresInSeconds: 20 * DAY,
      reason: "largest pull 1,234.5 USDC (3 pulls in 90 days); 25% headroom",
    });
  });

  it("derives the expiry of a single use from the grant and from now, within bounds", function () {
    const single = recommend(approval({ amount: maxUint256 }), { pulls: [pull(parseUnits("10", 6), 5)], now: NOW });
    // Granted 30 days ago, used 5 days ago: the longest gap is 25 days -> 50 days.
    expect(single).to.include({ action: "reduce", expiresInSeconds: 50 * DAY });
    const bounded = recommend(approval({ amount: maxUint256 }), { pulls: [pull(parseUnits("10", 6), 5)], now: NOW }, { maxExpiryDays: 7 });
    expect(bounded).to.include({ expiresInSeconds: 7 * DAY });
  });

  it("sets only an expiry when the amount fits, and keeps a grant that fits in both", function () {
    const pulls = [pull(parseUnits("90", 6), 12), pull(parseUnits("80", 6), 2)];
    expect(recommend(approval(), { pulls, now: NOW })).to.deep.equal({
      action: "set-expiry",
      expiresInSeconds: 20 * DAY,
      reason: "2 pulls in 90 days; longest gap sets the expiry",
    });
    const bounded = approval({ kind: "router", expiresAt: NOW + 10 * DAY });
    expect(recommend(bounded, { pulls, now: NOW })).to.deep.equal({ action: "keep", reason: "amount and expiry fit its use (2 pulls in 90 days)" });
  });

  it("keeps an approval of a router: its grants are what to tune", function () {
    const recommendation = recommend(approval({ amount: maxUint256 }), { pulls: [], now: NOW }, { spender: contract({ router: true }) });
    expect(recommendation).to.deep.equal({ action: "keep", reason: "router approval: its grants, listed separately, bound what it can move" });
  });

  it("keeps an NFT approval that is in use", function () {
    const operator = approval({ kind: "erc721-operator", amount: null });
    expect(recommend(operator, { pulls: [pull(1n, 3)], now: NOW })).to.deep.equal({ action: "keep", reason: "in use: last pull 3 days ago" });
  });
});

describe("amounts", function () {
  it("formats token amounts with grouping, at most four decimals and a symbol", function () {
    expect(formatTokenAmount(parseUnits("1234567.891234", 6), 6, "USDC")).to.equal("1,234,567.8912 USDC");
    expect(formatTokenAmount(parseEther("0.5"), 18, null)).to.equal("0.5");
    expect(formatTokenAmount(1n, 18, "WETH")).to.equal("<0.0001 WETH");
    expect(formatTokenAmount(42n, null, null)).to.equal("42");
  });

  it("rounds up to significant digits and recognises uint maxima", function () {
    expect(roundUpSignificant(1543n, 2)).to.equal(1600n);
    expect(roundUpSignificant(1500n, 2)).to.equal(1500n);
    expect(roundUpSignificant(7n, 2)).to.equal(7n);
    expect(typeMaxBits(maxUint256)).to.equal(256);
    expect(typeMaxBits(maxUint160)).to.equal(160);
    expect(typeMaxBits((1n << 96n) - 1n)).to.equal(96);
    expect(typeMaxBits((1n << 96n) - 2n)).to.equal(null);
    expect(typeMaxBits((1n << 60n) - 1n)).to.equal(null);
  });
});

describe("denylist", function () {
  it("bundles the four incidents with their real addresses, dates and sources", function () {
    const entries = [...bundledDenylist().values()];
    expect(new Set(entries.map((entry) => entry.name))).to.deep.equal(
      new Set(["Transit Swap: claimTokens", "SushiSwap RouteProcessor2", "Socket Gateway", "LI.FI Diamond"]),
    );
    for (const entry of entries) expect(entry.sources.length).to.be.greaterThan(0);
    expect(findDenylistEntry(56, "0xed1afc8c4604958c2f38a3408fa63b32e737c428")!.date).to.equal("2022-10-02");
    expect(findDenylistEntry(1, "0x044b75f554b886A065b9567891e45c79542d7357")!.name).to.equal("SushiSwap RouteProcessor2");
    expect(findDenylistEntry(42161, "0xA7caC4207579A179c1069435d032ee0F9F150e5c")!.date).to.equal("2023-04-09");
    expect(findDenylistEntry(1, "0x1231DEB6f5749EF6cE6943a275A1D3E7486F4EaE")!.date).to.equal("2024-07-16");
    expect(findDenylistEntry(1, SPENDER)).to.equal(null);
  });

  it("rejects an entry without a source, with a bad date or a bad address", function () {
    const file = (entry: object) => ({ entries: [{ name: "x", incident: "y", date: "2024-01-01", contracts: [], sources: ["s"], ...entry }] }) as DenylistFile;
    expect(() => parseDenylist(file({ sources: [] }))).to.throw(/cites no source/);
    expect(() => parseDenylist(file({ date: "Jan 2024" }))).to.throw(/use YYYY-MM-DD/);
    expect(() => parseDenylist(file({ contracts: [{ chainId: 1, address: "0x12" }] }))).to.throw(/not an address/);
  });
});
