// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IAllowanceTransfer} from "../../contracts/interfaces/IAllowanceTransfer.sol";
import {SecurityFixture} from "./SecurityFixture.sol";

/// @notice Scenario 3 — a router grant, the spender compromised before expiry: at most the
/// granted amount moves, through any mix of paths, never more; a max-uint160 grant is bounded
/// by time only.
contract Scenario03LiveGrantTest is SecurityFixture {
    uint160 private constant GRANT = 400e18;
    uint160 private constant UNLIMITED = type(uint160).max;
    /// @dev A late top-up of the victim's balance, to show an expired unlimited grant cannot reach it.
    uint256 private constant TOP_UP = 5_000e18;

    uint48 private expiration;

    function setUp() public override {
        super.setUp();
        expiration = uint48(block.timestamp + GRANT_LIFETIME);
        _grant(IERC20(address(token)), alice, GRANT, expiration);
    }

    function test_S03_compromiseBeforeExpiry_sweepTakesExactlyTheGrant() public {
        uint256 before = _balance(IERC20(address(token)), alice);

        vm.prank(attacker);
        drainer.drainRouter(router, address(token), alice);
        assertEq(_loss(IERC20(address(token)), alice, before), GRANT, "exactly the grant moved");

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0));
        vm.prank(attacker);
        drainer.pullFromRouter(router, address(token), alice, 1);
        assertEq(_loss(IERC20(address(token)), alice, before), GRANT, "not one unit more");
    }

    function test_S03_askingForMoreThanTheGrant_reverts_insufficientAllowance() public {
        uint256 before = _balance(IERC20(address(token)), alice);

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, GRANT));
        vm.prank(attacker);
        drainer.pullFromRouter(router, address(token), alice, GRANT + 1);

        assertEq(_loss(IERC20(address(token)), alice, before), 0, "a refused pull moves nothing");
    }

    /// @dev Two batch entries that each fit the grant but together exceed it: the whole batch fails.
    function test_S03_batchSplittingPastTheGrant_revertsAsAWhole() public {
        uint256 before = _balance(IERC20(address(token)), alice);
        IAllowanceTransfer.AllowanceTransferDetails[] memory transfers =
            new IAllowanceTransfer.AllowanceTransferDetails[](2);
        transfers[0] = IAllowanceTransfer.AllowanceTransferDetails({from: alice, to: attacker, amount: GRANT, token: address(token)});
        transfers[1] = IAllowanceTransfer.AllowanceTransferDetails({from: alice, to: attacker, amount: 1, token: address(token)});

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0));
        vm.prank(attacker);
        drainer.pullBatchFromRouter(router, transfers);

        assertEq(_loss(IERC20(address(token)), alice, before), 0, "nothing moved");
    }

    function test_S03_maxUint160Grant_boundedOnlyByTime() public {
        vm.prank(alice);
        router.approve(address(token), address(drainer), UNLIMITED, expiration);
        uint256 before = _balance(IERC20(address(token)), alice);

        vm.prank(attacker);
        drainer.drainRouter(router, address(token), alice);
        assertEq(_loss(IERC20(address(token)), alice, before), VICTIM_BALANCE, "an unlimited live grant takes everything");
        (uint160 amountLeft,,) = router.allowance(alice, address(token), address(drainer));
        assertEq(amountLeft, UNLIMITED, "unlimited grant is not decremented");

        // New funds after expiry are out of reach.
        vm.warp(expiration + 1);
        token.mint(alice, TOP_UP);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, expiration));
        vm.prank(attacker);
        drainer.drainRouter(router, address(token), alice);
        assertEq(_balance(IERC20(address(token)), alice), TOP_UP, "the top-up is safe");
    }

    /// @dev Any sequence of pulls, single or batched, any sizes: the total taken never exceeds the grant.
    function testFuzz_S03_anyPullSequence_neverExceedsGrant(uint160[8] calldata amounts, bool[8] calldata batched)
        public
    {
        uint256 before = _balance(IERC20(address(token)), alice);
        uint256 taken;
        for (uint256 i; i < amounts.length; ++i) {
            uint160 amount = uint160(bound(amounts[i], 0, GRANT * 2));
            (uint160 remaining,,) = router.allowance(alice, address(token), address(drainer));
            if (amount > remaining) {
                vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, remaining));
            } else {
                taken += amount;
            }
            vm.prank(attacker);
            if (batched[i]) {
                IAllowanceTransfer.AllowanceTransferDetails[] memory transfers =
                    new IAllowanceTransfer.AllowanceTransferDetails[](1);
                transfers[0] = IAllowanceTransfer.AllowanceTransferDetails({from: alice, to: attacker, amount: amount, token: address(token)});
                drainer.pullBatchFromRouter(router, transfers);
            } else {
                drainer.pullFromRouter(router, address(token), alice, amount);
            }
        }
        uint256 loss = _loss(IERC20(address(token)), alice, before);
        assertEq(loss, taken, "loss is exactly what the router let through");
        assertLe(loss, GRANT, "never more than the grant");
    }
}
