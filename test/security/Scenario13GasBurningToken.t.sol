// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {BatchRevoker} from "../../contracts/BatchRevoker.sol";
import {IBatchRevoker} from "../../contracts/interfaces/IBatchRevoker.sol";
import {GasBurningToken} from "../../contracts/mocks/GasBurningToken.sol";
import {TestToken} from "../../contracts/mocks/TestToken.sol";
import {RevokerFixture} from "./RevokerFixture.sol";

/// @notice Scenario 13 — one gas-burning token in a batch. Alice revokes 20 approvals to the
/// compromised spender in one EIP-7702 self-call; one of the "tokens" burns every unit of gas it is
/// given. Each item's call is bounded by the BatchRevoker's stipend, so the burner costs one stipend,
/// is reported OutOfGas, and the 19 real approvals are revoked in the same transaction: the sweep
/// that follows takes nothing from Alice, while Bob, with the same 19 approvals unrevoked, loses
/// them all. Only a caller who gives too little gas for the stipend gets InsufficientGas.
contract Scenario13GasBurningTokenTest is RevokerFixture {
    uint256 private constant ITEM_COUNT = 20;
    uint256 private constant BURNER_INDEX = 11;
    uint256 private constant APPROVED = 50e18;
    /// @dev BatchRevoker's ITEM_GAS_STIPEND.
    uint256 private constant ITEM_GAS_STIPEND = 100_000;
    /// @dev Enough for the eleven items before the burner, not for a full stipend at the burner.
    uint256 private constant CALLER_GAS_TOO_LOW = 170_000;
    /// @dev Enough for 19 real approve(0) calls and one full stipend.
    uint256 private constant ENOUGH_GAS = 1_500_000;

    GasBurningToken private burner;
    address[] private tokens;

    function setUp() public override {
        super.setUp();
        burner = new GasBurningToken();
        for (uint256 i; i < ITEM_COUNT; ++i) {
            if (i == BURNER_INDEX) {
                tokens.push(address(burner));
                continue;
            }
            TestToken asset = new TestToken("Approved Token", "APT");
            tokens.push(address(asset));
            _fund(IERC20(address(asset)), alice);
            _fund(IERC20(address(asset)), bob);
            vm.prank(alice);
            asset.approve(address(drainer), APPROVED);
            vm.prank(bob);
            asset.approve(address(drainer), APPROVED);
        }
    }

    function test_S13_twentyItemsOneBurner_19Revoked1OutOfGas_oneTransaction() public {
        BatchRevoker account = _delegate(alice);
        vm.expectEmit(alice);
        emit IBatchRevoker.RevocationIncomplete(BURNER_INDEX, address(burner), IBatchRevoker.Outcome.OutOfGas);
        uint256 gasBefore = gasleft();
        vm.prank(alice);
        bytes memory outcomes = account.revoke{gas: ENOUGH_GAS}(_erc20Items(address(drainer), tokens), false);
        uint256 used = gasBefore - gasleft();

        assertEq(outcomes.length, ITEM_COUNT, "one outcome per item");
        uint256 revoked;
        for (uint256 i; i < ITEM_COUNT; ++i) {
            IBatchRevoker.Outcome expected = i == BURNER_INDEX ? IBatchRevoker.Outcome.OutOfGas : IBatchRevoker.Outcome.Revoked;
            _assertOutcome(outcomes, i, expected, "item outcome");
            if (_outcome(outcomes, i) == IBatchRevoker.Outcome.Revoked) ++revoked;
        }
        assertEq(revoked, ITEM_COUNT - 1, "19 revoked");
        // The burner cost its stipend and no more.
        assertLe(used, ITEM_GAS_STIPEND + (ITEM_COUNT - 1) * 20_000, "the batch paid one stipend for the burner");

        _assertSweep();
    }

    function test_S13_everyKindBounded_outOfGasReported_restRevoked() public {
        // The burner as an ERC-721 collection, an operator's collection and a router, each before a real item.
        address realToken = tokens[0];
        bytes memory items = bytes.concat(
            _operatorItem(address(burner), address(drainer)),
            _erc721Item(address(burner), 1),
            abi.encodePacked(KIND_LOCKDOWN, address(burner), uint8(1), address(token), address(drainer)),
            _erc20Item(realToken, address(drainer))
        );
        BatchRevoker account = _delegate(alice);
        vm.prank(alice);
        bytes memory outcomes = account.revoke{gas: ENOUGH_GAS * 2}(items, false);
        for (uint256 i; i < 3; ++i) {
            _assertOutcome(outcomes, i, IBatchRevoker.Outcome.OutOfGas, "burner item");
        }
        _assertOutcome(outcomes, 3, IBatchRevoker.Outcome.Revoked, "the real item after them");
        assertEq(IERC20(realToken).allowance(alice, address(drainer)), 0);
    }

    /// @dev Too little gas for the burner's stipend: that is the caller's fault, not the token's, so
    /// nothing is reported and nothing changes.
    function test_S13_callerGivesTooLittleGas_insufficientGas_nothingChanges() public {
        BatchRevoker account = _delegate(alice);
        vm.prank(alice);
        vm.expectRevert(IBatchRevoker.InsufficientGas.selector);
        account.revoke{gas: CALLER_GAS_TOO_LOW}(_erc20Items(address(drainer), tokens), false);
        assertEq(IERC20(tokens[0]).allowance(alice, address(drainer)), APPROVED, "first item still approved");
    }

    function test_S13_atomic_burnerRevertsTheList_itemNotRevoked() public {
        BatchRevoker account = _delegate(alice);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IBatchRevoker.ItemNotRevoked.selector, BURNER_INDEX, IBatchRevoker.Outcome.OutOfGas)
        );
        account.revoke{gas: ENOUGH_GAS}(_erc20Items(address(drainer), tokens), true);
    }

    function _assertSweep() private {
        vm.startPrank(attacker);
        for (uint256 i; i < ITEM_COUNT; ++i) {
            if (i == BURNER_INDEX) continue;
            IERC20 asset = IERC20(tokens[i]);
            uint256 aliceBefore = _balance(asset, alice);
            uint256 bobBefore = _balance(asset, bob);
            drainer.drainErc20(asset, alice);
            drainer.drainErc20(asset, bob);
            assertEq(_loss(asset, alice, aliceBefore), 0, "alice's revoked approval yields nothing");
            assertEq(_loss(asset, bob, bobBefore), APPROVED, "bob's live approval is drained");
        }
        vm.stopPrank();
    }
}
