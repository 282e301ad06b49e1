// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IAllowanceTransfer} from "../../contracts/interfaces/IAllowanceTransfer.sol";
import {SecurityFixture} from "./SecurityFixture.sol";

/// @notice Scenario 2 — a router grant, the spender compromised after the grant expired:
/// nothing moves, through any router path, and the error is AllowanceExpired(expiration).
contract Scenario02ExpiredGrantTest is SecurityFixture {
    uint160 private constant GRANT = 400e18;
    /// @dev Far beyond any grant lifetime used here: how long a compromise may come after expiry.
    uint256 private constant MAX_DELAY = 100 * 365 days;

    uint48 private expiration;

    function setUp() public override {
        super.setUp();
        expiration = uint48(block.timestamp + GRANT_LIFETIME);
        _grant(IERC20(address(token)), alice, GRANT, expiration);
        _grant(IERC20(address(token)), bob, type(uint160).max, expiration);
    }

    function test_S02_compromiseAfterExpiry_nothingMoves_allowanceExpired() public {
        vm.warp(expiration + 1);
        uint256 aliceBefore = _balance(IERC20(address(token)), alice);
        uint256 bobBefore = _balance(IERC20(address(token)), bob);

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, expiration));
        vm.prank(attacker);
        drainer.drainRouter(router, address(token), alice);

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, expiration));
        vm.prank(attacker);
        drainer.pullFromRouter(router, address(token), bob, 1);

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, expiration));
        vm.prank(attacker);
        drainer.pullBatchFromRouter(router, _batch(1));

        assertEq(_loss(IERC20(address(token)), alice, aliceBefore), 0, "alice lost nothing");
        assertEq(_loss(IERC20(address(token)), bob, bobBefore), 0, "bob lost nothing (unlimited grant)");
        assertEq(_balance(IERC20(address(token)), attacker), 0, "attacker got nothing");
    }

    function test_S02_boundary_liveAtExpirationSecond_deadOneSecondLater() public {
        uint256 aliceBefore = _balance(IERC20(address(token)), alice);

        vm.warp(expiration);
        vm.prank(attacker);
        drainer.pullFromRouter(router, address(token), alice, 1);
        assertEq(_loss(IERC20(address(token)), alice, aliceBefore), 1, "still live at the expiration second");

        vm.warp(expiration + 1);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, expiration));
        vm.prank(attacker);
        drainer.pullFromRouter(router, address(token), alice, 1);
        assertEq(_loss(IERC20(address(token)), alice, aliceBefore), 1, "nothing more one second later");
    }

    /// @dev However long after expiry, and whatever amount is asked for: nothing moves.
    function testFuzz_S02_anyDelayAfterExpiry_nothingMoves(uint256 delay, uint160 amount) public {
        delay = bound(delay, 1, MAX_DELAY);
        vm.warp(expiration + delay);
        uint256 aliceBefore = _balance(IERC20(address(token)), alice);
        uint256 bobBefore = _balance(IERC20(address(token)), bob);

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, expiration));
        vm.prank(attacker);
        drainer.pullFromRouter(router, address(token), alice, amount);

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, expiration));
        vm.prank(attacker);
        drainer.pullBatchFromRouter(router, _batch(amount));

        assertEq(_loss(IERC20(address(token)), alice, aliceBefore), 0, "alice lost nothing");
        assertEq(_loss(IERC20(address(token)), bob, bobBefore), 0, "bob lost nothing");
    }

    /// @dev One transfer from each victim: a batch fails as a whole on its first expired grant.
    function _batch(uint160 amount) private view returns (IAllowanceTransfer.AllowanceTransferDetails[] memory transfers) {
        transfers = new IAllowanceTransfer.AllowanceTransferDetails[](2);
        transfers[0] = IAllowanceTransfer.AllowanceTransferDetails({from: bob, to: attacker, amount: amount, token: address(token)});
        transfers[1] = IAllowanceTransfer.AllowanceTransferDetails({from: alice, to: attacker, amount: amount, token: address(token)});
    }
}
