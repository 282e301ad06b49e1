// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IAllowanceRouter} from "../../contracts/interfaces/IAllowanceRouter.sol";
import {IAllowanceTransfer} from "../../contracts/interfaces/IAllowanceTransfer.sol";
import {IBatchRevoker} from "../../contracts/interfaces/IBatchRevoker.sol";
import {PermitHash} from "../../contracts/libraries/PermitHash.sol";
import {RealPermit2} from "../utils/RealPermit2.sol";
import {RevokerFixture} from "./RevokerFixture.sol";

/// @notice Scenario 12 — a leaked permit after the revocation. The victim signed a PermitSingle for
/// the spender (phished, or leaked from a dapp's backend) that nobody has submitted yet. Then the
/// grant is revoked: by the guardian's lockdownFor, by the owner's lockdownAndVoidPermits, or by an
/// EIP-7702 batch (kind 3) against the router and against the real Permit2. The compromised spender
/// submits the leaked permit: refused with InvalidNonce, nothing moves. Carol, revoked the way that
/// keeps signatures alive (Permit2's plain lockdown, kind 4), is in the same replay and loses what
/// her leaked permit grants, so the replay is known to be live.
contract Scenario12LeakedPermitTest is RevokerFixture, RealPermit2 {
    using PermitHash for IAllowanceTransfer.PermitSingle;

    uint160 private constant GRANT = 300e18;
    uint160 private constant LEAKED_AMOUNT = 200e18;
    uint8 private constant KIND_LOCKDOWN_KEEP_PERMITS = 4;

    address private carol;
    uint256 private carolKey;
    address private guardian;
    uint48 private expiration;

    function setUp() public override {
        super.setUp();
        (carol, carolKey) = makeAddrAndKey("carol");
        guardian = makeAddr("security team");
        _fund(IERC20(address(token)), carol);
        _etchPermit2();
        expiration = uint48(block.timestamp + GRANT_LIFETIME);
        _grant(IERC20(address(token)), alice, GRANT, expiration);
        _grant(IERC20(address(token)), carol, GRANT, expiration);
    }

    function test_S12_leakedPermitAfterGuardianLockdown_invalidNonce() public {
        bytes memory aliceLeak = _leakedPermit(address(router), aliceKey);
        bytes memory carolLeak = _leakedPermit(address(router), carolKey);
        vm.prank(alice);
        router.setGuardian(guardian);
        vm.prank(guardian);
        router.lockdownFor(alice, _single(address(token), address(drainer)));
        // Carol's revocation has Permit2's semantics: the grant goes, her signature stays valid.
        vm.prank(carol);
        router.lockdown(_single(address(token), address(drainer)));

        _assertReplayRefusedAndControlDrained(address(router), aliceLeak, carolLeak);
    }

    function test_S12_leakedPermitAfterOwnerLockdownAndVoid_invalidNonce() public {
        bytes memory aliceLeak = _leakedPermit(address(router), aliceKey);
        bytes memory carolLeak = _leakedPermit(address(router), carolKey);
        vm.prank(alice);
        router.lockdownAndVoidPermits(_single(address(token), address(drainer)));
        vm.prank(carol);
        router.lockdown(_single(address(token), address(drainer)));

        _assertReplayRefusedAndControlDrained(address(router), aliceLeak, carolLeak);
    }

    function test_S12_leakedPermitAfter7702BatchRevoke_router_invalidNonce() public {
        bytes memory aliceLeak = _leakedPermit(address(router), aliceKey);
        bytes memory carolLeak = _leakedPermit(address(router), carolKey);
        _assertAllRevoked(_revokeAsVictim(alice, _lockdownItem(address(token), address(drainer)), true), 1);
        _assertAllRevoked(_revokeAsVictim(carol, _keepPermitsItem(address(router)), true), 1);

        _assertReplayRefusedAndControlDrained(address(router), aliceLeak, carolLeak);
    }

    function test_S12_leakedPermitAfter7702BatchRevoke_realPermit2_invalidNonce() public {
        _grantOnPermit2(alice);
        _grantOnPermit2(carol);
        bytes memory aliceLeak = _leakedPermit(PERMIT2, aliceKey);
        bytes memory carolLeak = _leakedPermit(PERMIT2, carolKey);
        bytes memory aliceItems = abi.encodePacked(KIND_LOCKDOWN, PERMIT2, uint8(1), address(token), address(drainer));
        _assertAllRevoked(_revokeAsVictim(alice, aliceItems, true), 1);
        _assertAllRevoked(_revokeAsVictim(carol, _keepPermitsItem(PERMIT2), true), 1);
        (,, uint48 nonce) = IAllowanceTransfer(PERMIT2).allowance(alice, address(token), address(drainer));
        assertEq(nonce, 1, "Permit2's nonce moved on by one");

        _assertReplayRefusedAndControlDrained(PERMIT2, aliceLeak, carolLeak);
    }

    // ------------------------------------------------------------------ helpers

    /// @dev Both victims' leaked permits go to the compromised spender, which then sweeps.
    function _assertReplayRefusedAndControlDrained(address grantRouter, bytes memory aliceLeak, bytes memory carolLeak)
        private
    {
        IAllowanceTransfer target = IAllowanceTransfer(grantRouter);
        uint256 aliceBefore = _balance(IERC20(address(token)), alice);
        uint256 carolBefore = _balance(IERC20(address(token)), carol);
        IAllowanceTransfer.PermitSingle memory leaked = _leak();

        vm.startPrank(attacker);
        vm.expectRevert(IAllowanceTransfer.InvalidNonce.selector);
        drainer.replayPermit(target, alice, leaked, aliceLeak);
        drainer.replayPermit(target, carol, leaked, carolLeak);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0));
        drainer.pullFromRouter(target, address(token), alice, 1);
        assertEq(drainer.drainRouter(target, address(token), carol), LEAKED_AMOUNT, "carol's leak restored her grant");
        vm.stopPrank();

        assertEq(_loss(IERC20(address(token)), alice, aliceBefore), 0, "alice lost nothing");
        assertEq(_loss(IERC20(address(token)), carol, carolBefore), LEAKED_AMOUNT, "carol lost what her leak granted");
    }

    function _leak() private view returns (IAllowanceTransfer.PermitSingle memory) {
        return _permitSingle(address(token), LEAKED_AMOUNT, expiration, 0, block.timestamp + GRANT_LIFETIME);
    }

    /// @dev The victim's signature over `_leak()` (nonce 0, the current one) for `grantRouter`.
    function _leakedPermit(address grantRouter, uint256 privateKey) private view returns (bytes memory) {
        bytes32 separator = IAllowanceTransfer(grantRouter).DOMAIN_SEPARATOR();
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", separator, _leak().hash()));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, digest);
        return abi.encodePacked(r, s, v);
    }

    function _grantOnPermit2(address victim) private {
        vm.startPrank(victim);
        token.approve(PERMIT2, type(uint256).max);
        IAllowanceTransfer(PERMIT2).approve(address(token), address(drainer), GRANT, expiration);
        vm.stopPrank();
    }

    /// @dev Kind 4: the lockdown alone, Permit2's own semantics.
    function _keepPermitsItem(address grantRouter) private view returns (bytes memory) {
        return abi.encodePacked(KIND_LOCKDOWN_KEEP_PERMITS, grantRouter, uint8(1), address(token), address(drainer));
    }
}
