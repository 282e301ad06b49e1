import { expect } from "chai";
import { decodeFunctionData, getAddress, maxUint160, maxUint256, parseAbi, zeroAddress, type Address } from "viem";

import { allowanceRouterAbi } from "../src/abi/allowanceRouter.js";
import {
  reduceApprovalCall,
  revokeApprovalCall,
  setExpiryCall,
  setGuardianCall,
  setMaxDurationCall,
  voidSignedPermitsCall,
  type ApprovalTarget,
} from "../src/actions/approval-calls.js";
import { ActionInputError } from "../src/actions/errors.js";

const tokenAbi = parseAbi([
  "function approve(address spender, uint256 amount) returns (bool)",
  "function setApprovalForAll(address operator, bool approved)",
]);
const address = (n: number): Address => getAddress(`0x${n.toString(16).padStart(40, "0")}`);
const TOKEN = address(0x70);
const SPENDER = address(0x5e);
const ROUTER = address(0x40);
const token = { address: TOKEN, standard: "erc20", symbol: "TT", decimals: 18, totalSupply: null, supportsPermit: false, metadataError: null } as const;

const erc20: ApprovalTarget = {
  kind: "erc20",
  token,
  spender: SPENDER,
  router: null,
  amount: maxUint256,
  expiresAt: null,
  nonce: null,
  revocation: { kind: "erc20", token: TOKEN, spender: SPENDER },
};
const grant: ApprovalTarget = {
  kind: "router",
  token,
  spender: SPENDER,
  router: ROUTER,
  amount: 1_000n,
  expiresAt: 2_000_000_000,
  nonce: 7,
  revocation: { kind: "router", router: ROUTER, token: TOKEN, spender: SPENDER },
};
const operator: ApprovalTarget = {
  ...erc20,
  kind: "erc721-operator",
  amount: null,
  token: { ...token, standard: "erc721" },
  revocation: { kind: "erc721-operator", token: TOKEN, operator: SPENDER },
};

describe("per-approval call builders (dashboard row actions)", function () {
  it("revokes each kind with the token's or router's own zeroing call", function () {
    const plain = revokeApprovalCall(erc20);
    expect(plain.to).to.equal(TOKEN);
    expect(decodeFunctionData({ abi: tokenAbi, data: plain.data })).to.deep.include({ functionName: "approve", args: [SPENDER, 0n] });
    const nft = revokeApprovalCall(operator);
    expect(decodeFunctionData({ abi: tokenAbi, data: nft.data })).to.deep.include({ functionName: "setApprovalForAll", args: [SPENDER, false] });
    const router = revokeApprovalCall(grant);
    expect(router.to).to.equal(ROUTER);
    expect(decodeFunctionData({ abi: allowanceRouterAbi, data: router.data })).to.deep.include({
      functionName: "lockdown",
      args: [[{ token: TOKEN, spender: SPENDER }]],
    });
    expect(router.value).to.equal(0n);
    expect(router.description).to.match(/^revoke: /);
  });

  it("reduces an ERC-20 allowance with approve(spender, N) and a grant keeping its expiry", function () {
    expect(decodeFunctionData({ abi: tokenAbi, data: reduceApprovalCall(erc20, 25n).data }).args).to.deep.equal([SPENDER, 25n]);
    const reduced = reduceApprovalCall(grant, 10n);
    expect(reduced.to).to.equal(ROUTER);
    expect(decodeFunctionData({ abi: allowanceRouterAbi, data: reduced.data })).to.deep.include({
      functionName: "approve",
      args: [TOKEN, SPENDER, 10n, 2_000_000_000],
    });
  });

  it("refuses to 'reduce' to an amount that is not lower, below zero, or an NFT approval", function () {
    expect(() => reduceApprovalCall(grant, 1_000n)).to.throw(ActionInputError, /not below the current allowance 1000/);
    expect(() => reduceApprovalCall(grant, -1n)).to.throw(ActionInputError, /0 or more/);
    expect(() => reduceApprovalCall(operator, 1n)).to.throw(ActionInputError, /no amount to reduce: revoke it instead/);
  });

  it("sets a grant's expiry keeping its amount, and refuses past times and plain approvals", function () {
    const call = setExpiryCall(grant, 1_900_000_000, 1_800_000_000);
    expect(decodeFunctionData({ abi: allowanceRouterAbi, data: call.data }).args).to.deep.equal([TOKEN, SPENDER, 1_000n, 1_900_000_000]);
    const unlimited = setExpiryCall({ ...grant, amount: null }, 1_900_000_000);
    expect(decodeFunctionData({ abi: allowanceRouterAbi, data: unlimited.data }).args![2]).to.equal(maxUint160);
    expect(() => setExpiryCall(grant, 1_700_000_000, 1_800_000_000)).to.throw(ActionInputError, /not in the future/);
    expect(() => setExpiryCall(grant, 2 ** 48)).to.throw(ActionInputError, /not a unix time/);
    expect(() => setExpiryCall(erc20, 1_900_000_000)).to.throw(ActionInputError, /router and Permit2 grants only/);
  });

  it("voids signed permits by moving the grant's nonce past the current one", function () {
    const call = voidSignedPermitsCall(grant);
    expect(decodeFunctionData({ abi: allowanceRouterAbi, data: call.data })).to.deep.include({
      functionName: "invalidateNonces",
      args: [TOKEN, SPENDER, 8],
    });
    expect(() => voidSignedPermitsCall({ ...grant, nonce: null })).to.throw(ActionInputError, /nonce is unknown/);
    expect(() => voidSignedPermitsCall(grant, 70_000n)).to.throw(ActionInputError, /outside 1\.\.65535/);
    expect(() => voidSignedPermitsCall(erc20)).to.throw(ActionInputError, /router and Permit2 grants only/);
  });

  it("builds the router settings calls and rejects a bad guardian or cap", function () {
    expect(decodeFunctionData({ abi: allowanceRouterAbi, data: setMaxDurationCall({ router: ROUTER, seconds: 86_400 }).data }).args).to.deep.equal([86_400]);
    expect(setMaxDurationCall({ router: ROUTER, seconds: 0 }).description).to.equal("remove the duration cap");
    expect(() => setMaxDurationCall({ router: ROUTER, seconds: -1 })).to.throw(ActionInputError);
    const guardian = setGuardianCall({ router: ROUTER, guardian: SPENDER.toLowerCase() });
    expect(decodeFunctionData({ abi: allowanceRouterAbi, data: guardian.data }).args).to.deep.equal([SPENDER]);
    expect(setGuardianCall({ router: ROUTER, guardian: zeroAddress }).description).to.equal("clear the guardian");
    expect(() => setGuardianCall({ router: ROUTER, guardian: "0x12" })).to.throw(ActionInputError, /not an address/);
  });
});
