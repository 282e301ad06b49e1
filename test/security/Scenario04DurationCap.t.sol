// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IAllowanceTransfer} from "../../contracts/interfaces/IAllowanceTransfer.sol";
import {SecurityFixture} from "./SecurityFixture.sol";

/// @notice Scenario 4 — the owner's duration cap: a dapp asks for a "forever" grant (on-chain
/// or by signature), the spender is compromised after the cap has run out: nothing moves.
contract Scenario04DurationCapTest is SecurityFixture {
    uint48 private constant CAP = 7 days;
    uint48 private constant FOREVER = type(uint48).max;
    uint160 private constant UNLIMITED = type(uint160).max;
    uint256 private constant SIGNATURE_LIFETIME = 1 hours;

    function setUp() public override {
        super.setUp();
        vm.prank(alice);
        router.setMaxDuration(CAP);
        _approveRouter(IERC20(address(token)), alice);
    }

    function test_S04_foreverApprove_clampedToCap_compromiseAfterCap_nothingMoves() public {
        uint48 cappedAt = uint48(block.timestamp + CAP);
        vm.prank(alice);
        router.approve(address(token), address(drainer), UNLIMITED, FOREVER);
        (, uint48 storedExpiration,) = router.allowance(alice, address(token), address(drainer));
        assertEq(storedExpiration, cappedAt, "forever was clamped to the cap");

        _assertNothingMovesAfter(cappedAt);
    }

    function test_S04_foreverPermit_clampedToCap_compromiseAfterCap_nothingMoves() public {
        uint48 cappedAt = uint48(block.timestamp + CAP);
        IAllowanceTransfer.PermitSingle memory permitSingle =
            _permitSingle(address(token), UNLIMITED, FOREVER, 0, block.timestamp + SIGNATURE_LIFETIME);
        router.permit(alice, permitSingle, _signPermit(aliceKey, permitSingle));
        (, uint48 storedExpiration,) = router.allowance(alice, address(token), address(drainer));
        assertEq(storedExpiration, cappedAt, "forever was clamped to the cap");

        _assertNothingMovesAfter(cappedAt);
    }

    /// @dev The documented limit of the cap: it bounds grants made after it is set, not earlier
    /// ones. An owner who sets a cap late must also lock down (Scenario 5) what is already live.
    function test_S04_capDoesNotShortenEarlierGrants_documentedLimit() public {
        vm.prank(bob);
        router.setMaxDuration(0);
        _grant(IERC20(address(token)), bob, UNLIMITED, FOREVER);
        vm.prank(bob);
        router.setMaxDuration(CAP);

        vm.warp(block.timestamp + CAP + 1);
        uint256 before = _balance(IERC20(address(token)), bob);
        vm.prank(attacker);
        drainer.drainRouter(router, address(token), bob);
        assertEq(_loss(IERC20(address(token)), bob, before), VICTIM_BALANCE, "the earlier forever grant is still live");
    }

    function _assertNothingMovesAfter(uint48 cappedAt) private {
        uint256 before = _balance(IERC20(address(token)), alice);

        vm.warp(cappedAt + 1);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, cappedAt));
        vm.prank(attacker);
        drainer.drainRouter(router, address(token), alice);

        assertEq(_loss(IERC20(address(token)), alice, before), 0, "nothing moved after the cap");
    }
}
