// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IAllowanceRouter} from "../../contracts/interfaces/IAllowanceRouter.sol";
import {IAllowanceTransfer} from "../../contracts/interfaces/IAllowanceTransfer.sol";
import {SecurityFixture} from "./SecurityFixture.sol";

/// @notice Scenario 5 — guardian emergency lockdown: the attack starts, the owners' guardian
/// (a security team) locks the spender down in the next block, every remaining attempt moves
/// nothing. The guardian itself can only revoke.
contract Scenario05GuardianLockdownTest is SecurityFixture {
    uint160 private constant GRANT = 400e18;
    uint160 private constant FIRST_PULL = 100e18;
    uint160 private constant UNLIMITED = type(uint160).max;

    address private guardian;
    uint48 private expiration;

    function setUp() public override {
        super.setUp();
        guardian = makeAddr("security team");
        expiration = uint48(block.timestamp + GRANT_LIFETIME);
        _grant(IERC20(address(token)), alice, GRANT, expiration);
        _grant(IERC20(address(token)), bob, UNLIMITED, expiration);
        vm.prank(alice);
        router.setGuardian(guardian);
        vm.prank(bob);
        router.setGuardian(guardian);
    }

    function test_S05_guardianLocksDownNextBlock_remainingAttemptsMoveNothing() public {
        uint256 aliceBefore = _balance(IERC20(address(token)), alice);
        uint256 bobBefore = _balance(IERC20(address(token)), bob);

        // Block N: the attack starts.
        vm.startPrank(attacker);
        drainer.pullFromRouter(router, address(token), alice, FIRST_PULL);
        drainer.pullFromRouter(router, address(token), bob, FIRST_PULL);
        vm.stopPrank();

        // Block N+1: the guardian locks both owners down.
        _nextBlock();
        vm.startPrank(guardian);
        router.lockdownFor(alice, _single(address(token), address(drainer)));
        router.lockdownFor(bob, _single(address(token), address(drainer)));
        vm.stopPrank();

        // Block N+2 on: everything the attacker tries is refused or moves nothing.
        _nextBlock();
        vm.startPrank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0));
        drainer.pullFromRouter(router, address(token), alice, 1);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0));
        drainer.pullFromRouter(router, address(token), bob, 1);
        assertEq(drainer.drainRouter(router, address(token), alice), 0, "sweep of alice takes nothing");
        assertEq(drainer.drainRouter(router, address(token), bob), 0, "sweep of bob takes nothing");
        vm.stopPrank();

        assertEq(_loss(IERC20(address(token)), alice, aliceBefore), FIRST_PULL, "alice lost only block N's pull");
        assertEq(_loss(IERC20(address(token)), bob, bobBefore), FIRST_PULL, "bob (unlimited grant) lost only block N's pull");
    }

    function test_S05_attackerCannotActAsGuardian_notGuardian() public {
        vm.expectRevert(abi.encodeWithSelector(IAllowanceRouter.NotGuardian.selector, attacker, alice));
        vm.prank(attacker);
        router.lockdownFor(alice, _single(address(token), address(drainer)));

        // Nor through the compromised spender's arbitrary-call path.
        vm.expectRevert(abi.encodeWithSelector(IAllowanceRouter.NotGuardian.selector, address(drainer), alice));
        vm.prank(attacker);
        drainer.execute(address(router), abi.encodeCall(IAllowanceRouter.lockdownFor, (alice, _single(address(token), address(drainer)))));
    }

    /// @dev A guardian holds no grant: it cannot move the owner's tokens, and its own approve
    /// only writes its own slot.
    function test_S05_guardianCannotMoveOrGrant() public {
        uint256 before = _balance(IERC20(address(token)), alice);

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, 0));
        vm.prank(guardian);
        router.transferFrom(alice, guardian, 1, address(token));

        vm.prank(guardian);
        router.approve(address(token), guardian, UNLIMITED, expiration);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, 0));
        vm.prank(guardian);
        router.transferFrom(alice, guardian, 1, address(token));

        (uint160 aliceGrant,,) = router.allowance(alice, address(token), address(drainer));
        assertEq(aliceGrant, GRANT, "alice's grant untouched by the guardian's own approve");
        assertEq(_loss(IERC20(address(token)), alice, before), 0, "nothing moved");
    }
}
