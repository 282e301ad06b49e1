// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "./utils/Test.sol";
import {BatchRevoker} from "../contracts/BatchRevoker.sol";
import {IBatchRevoker} from "../contracts/interfaces/IBatchRevoker.sol";
import {DaiPermitToken} from "../contracts/mocks/DaiPermitToken.sol";
import {TestToken} from "../contracts/mocks/TestToken.sol";
import {WethLikeToken} from "../contracts/mocks/WethLikeToken.sol";

/// @notice Relayed permit revocation: anyone submits zero-value permits, each tried on its own,
/// each allowance read back.
contract BatchRevokerPermitsTest is Test {
    bytes32 internal constant EIP2612_PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
    bytes32 internal constant DAI_PERMIT_TYPEHASH =
        keccak256("Permit(address holder,address spender,uint256 nonce,uint256 expiry,bool allowed)");
    uint256 internal constant ALLOWANCE = 1_000e18;
    uint256 internal constant VALIDITY = 1 hours;

    BatchRevoker internal revoker;
    TestToken internal token;
    address internal owner;
    uint256 internal ownerKey;
    address internal spender;
    address internal relayer;
    uint256 internal deadline;

    function setUp() public {
        revoker = new BatchRevoker();
        token = new TestToken("T", "T");
        (owner, ownerKey) = makeAddrAndKey("owner");
        spender = makeAddr("spender");
        relayer = makeAddr("relayer");
        deadline = block.timestamp + VALIDITY;
        vm.prank(owner);
        token.approve(spender, ALLOWANCE);
    }

    function eip2612ZeroPermit(TestToken target, uint256 key, address holder, address to, uint256 until)
        internal
        view
        returns (IBatchRevoker.PermitRevocation memory permit)
    {
        bytes32 structHash =
            keccak256(abi.encode(EIP2612_PERMIT_TYPEHASH, holder, to, 0, target.nonces(holder), until));
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(key, keccak256(abi.encodePacked("\x19\x01", target.DOMAIN_SEPARATOR(), structHash)));
        permit = IBatchRevoker.PermitRevocation({
            style: IBatchRevoker.PermitStyle.EIP2612,
            token: address(target),
            owner: holder,
            spender: to,
            deadline: until,
            nonce: 0,
            v: v,
            r: r,
            s: s
        });
    }

    function daiDisallowPermit(DaiPermitToken dai, uint256 nonce, uint256 expiry)
        internal
        view
        returns (IBatchRevoker.PermitRevocation memory permit)
    {
        bytes32 structHash = keccak256(abi.encode(DAI_PERMIT_TYPEHASH, owner, spender, nonce, expiry, false));
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(ownerKey, keccak256(abi.encodePacked("\x19\x01", dai.DOMAIN_SEPARATOR(), structHash)));
        permit = IBatchRevoker.PermitRevocation({
            style: IBatchRevoker.PermitStyle.DAI,
            token: address(dai),
            owner: owner,
            spender: spender,
            deadline: expiry,
            nonce: nonce,
            v: v,
            r: r,
            s: s
        });
    }

    function relay(IBatchRevoker.PermitRevocation[] memory permits) internal returns (bytes memory) {
        vm.prank(relayer);
        return revoker.revokeWithPermits(permits);
    }

    function one(IBatchRevoker.PermitRevocation memory permit)
        internal
        pure
        returns (IBatchRevoker.PermitRevocation[] memory permits)
    {
        permits = new IBatchRevoker.PermitRevocation[](1);
        permits[0] = permit;
    }

    function outcome(bytes memory outcomes, uint256 index) internal pure returns (uint256) {
        return uint256(uint8(outcomes[index]));
    }

    // ------------------------------------------------------------------ EIP-2612

    function test_revokeWithPermits_relaysZeroPermitsOfManyOwnersAndTokens() public {
        (address owner2, uint256 key2) = makeAddrAndKey("owner2");
        TestToken token2 = new TestToken("U", "U");
        vm.prank(owner2);
        token2.approve(relayer, ALLOWANCE);

        IBatchRevoker.PermitRevocation[] memory permits = new IBatchRevoker.PermitRevocation[](2);
        permits[0] = eip2612ZeroPermit(token, ownerKey, owner, spender, deadline);
        permits[1] = eip2612ZeroPermit(token2, key2, owner2, relayer, deadline);
        bytes memory outcomes = relay(permits);

        assertEq(outcomes.length, 2);
        assertEq(outcome(outcomes, 0), uint256(IBatchRevoker.Outcome.Revoked));
        assertEq(outcome(outcomes, 1), uint256(IBatchRevoker.Outcome.Revoked));
        assertEq(token.allowance(owner, spender), 0);
        assertEq(token2.allowance(owner2, relayer), 0);
    }

    function test_revokeWithPermits_frontRunPermitIsNoError() public {
        IBatchRevoker.PermitRevocation memory permit = eip2612ZeroPermit(token, ownerKey, owner, spender, deadline);
        // Someone submits the same permit first: the relayed one reverts inside, the allowance is zero.
        token.permit(owner, spender, 0, deadline, permit.v, permit.r, permit.s);
        bytes memory outcomes = relay(one(permit));
        assertEq(outcome(outcomes, 0), uint256(IBatchRevoker.Outcome.Revoked));
    }

    function test_revokeWithPermits_expiredPermitIsReportedFailed() public {
        IBatchRevoker.PermitRevocation memory permit = eip2612ZeroPermit(token, ownerKey, owner, spender, deadline);
        vm.warp(deadline + 1);
        vm.expectEmit(address(revoker));
        emit IBatchRevoker.RevocationIncomplete(0, address(token), IBatchRevoker.Outcome.Failed);
        bytes memory outcomes = relay(one(permit));
        assertEq(outcome(outcomes, 0), uint256(IBatchRevoker.Outcome.Failed));
        assertEq(token.allowance(owner, spender), ALLOWANCE);
    }

    function test_revokeWithPermits_badPermitDoesNotStopTheRest() public {
        (, uint256 strangerKey) = makeAddrAndKey("stranger");
        TestToken token2 = new TestToken("U", "U");
        vm.prank(owner);
        token2.approve(spender, ALLOWANCE);
        IBatchRevoker.PermitRevocation[] memory permits = new IBatchRevoker.PermitRevocation[](2);
        permits[0] = eip2612ZeroPermit(token, strangerKey, owner, spender, deadline); // signed by the wrong key
        permits[1] = eip2612ZeroPermit(token2, ownerKey, owner, spender, deadline);
        bytes memory outcomes = relay(permits);
        assertEq(outcome(outcomes, 0), uint256(IBatchRevoker.Outcome.Failed));
        assertEq(outcome(outcomes, 1), uint256(IBatchRevoker.Outcome.Revoked));
        assertEq(token.allowance(owner, spender), ALLOWANCE);
        assertEq(token2.allowance(owner, spender), 0);
    }

    function test_revokeWithPermits_phantomPermitIsReportedFailed() public {
        // WETH has no permit; its fallback swallows the call. Only the read-back tells.
        WethLikeToken weth = new WethLikeToken();
        vm.prank(owner);
        weth.approve(spender, ALLOWANCE);
        IBatchRevoker.PermitRevocation memory permit = eip2612ZeroPermit(token, ownerKey, owner, spender, deadline);
        permit.token = address(weth);
        vm.expectEmit(address(revoker));
        emit IBatchRevoker.RevocationIncomplete(0, address(weth), IBatchRevoker.Outcome.Failed);
        bytes memory outcomes = relay(one(permit));
        assertEq(outcome(outcomes, 0), uint256(IBatchRevoker.Outcome.Failed));
        assertEq(weth.allowance(owner, spender), ALLOWANCE);
    }

    function test_revokeWithPermits_addressWithoutCodeIsReportedFailed() public {
        IBatchRevoker.PermitRevocation memory permit = eip2612ZeroPermit(token, ownerKey, owner, spender, deadline);
        permit.token = makeAddr("nothing here");
        bytes memory outcomes = relay(one(permit));
        assertEq(outcome(outcomes, 0), uint256(IBatchRevoker.Outcome.Failed));
    }

    // ------------------------------------------------------------------ DAI

    function test_revokeWithPermits_daiStyleDisallowRevokes() public {
        DaiPermitToken dai = new DaiPermitToken();
        vm.prank(owner);
        dai.approve(spender, type(uint256).max);
        bytes memory outcomes = relay(one(daiDisallowPermit(dai, 0, deadline)));
        assertEq(outcome(outcomes, 0), uint256(IBatchRevoker.Outcome.Revoked));
        assertEq(dai.allowance(owner, spender), 0);
        assertEq(dai.nonces(owner), 1);
    }

    function test_revokeWithPermits_daiStyleWithAStaleNonceIsReportedFailed() public {
        DaiPermitToken dai = new DaiPermitToken();
        vm.prank(owner);
        dai.approve(spender, type(uint256).max);
        bytes memory outcomes = relay(one(daiDisallowPermit(dai, 1, deadline)));
        assertEq(outcome(outcomes, 0), uint256(IBatchRevoker.Outcome.Failed));
        assertEq(dai.allowance(owner, spender), type(uint256).max);
    }

    // ------------------------------------------------------------------ input and context

    function test_revokeWithPermits_revertsOnAnEmptyList() public {
        vm.expectRevert(IBatchRevoker.NoItems.selector);
        relay(new IBatchRevoker.PermitRevocation[](0));
    }

    function test_revokeWithPermits_refusesToRunInADelegatedAccount() public {
        // A delegated EOA must not make calls for strangers: permits go through the deployment.
        (address eoa,) = makeAddrAndKey("delegated");
        vm.etch(eoa, abi.encodePacked(hex"ef0100", address(revoker)));
        IBatchRevoker.PermitRevocation memory permit = eip2612ZeroPermit(token, ownerKey, owner, spender, deadline);
        vm.prank(relayer);
        vm.expectRevert(IBatchRevoker.PermitRelayOnlyAtDeployment.selector);
        BatchRevoker(payable(eoa)).revokeWithPermits(one(permit));
        assertEq(token.allowance(owner, spender), ALLOWANCE);
    }

    /// @dev Whoever relays and whatever the amount granted, a valid zero permit ends Revoked.
    function testFuzz_revokeWithPermits_anyGrantAnyRelayer(uint256 amount, address anyRelayer) public {
        amount = bound(amount, 1, type(uint256).max);
        vm.prank(owner);
        token.approve(spender, amount);
        vm.prank(anyRelayer);
        bytes memory outcomes =
            revoker.revokeWithPermits(one(eip2612ZeroPermit(token, ownerKey, owner, spender, deadline)));
        assertEq(outcome(outcomes, 0), uint256(IBatchRevoker.Outcome.Revoked));
        assertEq(token.allowance(owner, spender), 0);
    }
}
