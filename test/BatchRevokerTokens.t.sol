// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BatchRevokerBase} from "./BatchRevokerBase.sol";
import {Vm} from "./utils/Vm.sol";
import {IBatchRevoker} from "../contracts/interfaces/IBatchRevoker.sol";
import {FalseReturnToken} from "../contracts/mocks/FalseReturnToken.sol";
import {GasBurningToken} from "../contracts/mocks/GasBurningToken.sol";
import {NoReturnToken} from "../contracts/mocks/NoReturnToken.sol";
import {ReentrantApproveToken} from "../contracts/mocks/ReentrantApproveToken.sol";
import {RevertOnZeroApprovalToken} from "../contracts/mocks/RevertOnZeroApprovalToken.sol";
import {TestToken} from "../contracts/mocks/TestToken.sol";
import {Uint96AllowanceToken} from "../contracts/mocks/Uint96AllowanceToken.sol";

/// @notice Misbehaving tokens, one at a time and mixed with good ones.
contract BatchRevokerTokensTest is BatchRevokerBase {
    uint256 internal constant ALLOWANCE = 5_000e6;

    TestToken internal good;
    TestToken internal goodAfter;
    address internal spender;

    function setUp() public override {
        super.setUp();
        good = new TestToken("Good", "GOOD");
        goodAfter = new TestToken("After", "AFTER");
        spender = makeAddr("spender");
        vm.startPrank(owner);
        good.approve(spender, ALLOWANCE);
        goodAfter.approve(spender, ALLOWANCE);
        vm.stopPrank();
    }

    /// @dev The misbehaving token's item between two good ones in one group; returns the middle
    /// outcome after checking that both good ones were revoked.
    function revokeBetweenGoodOnes(address token) internal returns (IBatchRevoker.Outcome) {
        address[] memory tokens = new address[](3);
        tokens[0] = address(good);
        tokens[1] = token;
        tokens[2] = address(goodAfter);
        bytes memory outcomes = revokeAsOwner(erc20Group(spender, tokens), false);
        assertEq(outcomes.length, 3);
        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked);
        assertOutcome(outcomes, 2, IBatchRevoker.Outcome.Revoked);
        assertEq(good.allowance(owner, spender), 0, "good token before");
        assertEq(goodAfter.allowance(owner, spender), 0, "good token after");
        return outcomeAt(outcomes, 1);
    }

    // ------------------------------------------------------------------ USDT: no return value

    function test_noReturnValueToken_isRevokedAndConfirmedByReadingBack() public {
        NoReturnToken usdt = new NoReturnToken();
        vm.prank(owner);
        usdt.approve(spender, ALLOWANCE);
        assertEq(uint256(revokeBetweenGoodOnes(address(usdt))), uint256(IBatchRevoker.Outcome.Revoked));
        assertEq(usdt.allowance(owner, spender), 0);
    }

    function test_noReturnValueToken_raceProtectionAllowsApproveZero() public {
        // USDT reverts on non-zero -> non-zero, never on -> 0: revoking works from any allowance.
        NoReturnToken usdt = new NoReturnToken();
        vm.startPrank(owner);
        usdt.approve(spender, type(uint256).max);
        vm.expectRevert(bytes("NRT: reset to 0 first"));
        usdt.approve(spender, 1);
        vm.stopPrank();
        bytes memory outcomes = revokeAsOwner(erc20Item(address(usdt), spender), true);
        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked);
        assertEq(usdt.allowance(owner, spender), 0);
    }

    // ------------------------------------------------------------------ ZRX: returns false

    function test_falseReturningToken_thatRefusesIsReportedFailed() public {
        FalseReturnToken zrx = new FalseReturnToken();
        vm.prank(owner);
        zrx.approve(spender, ALLOWANCE);
        zrx.setRefusing(true);

        vm.expectEmit(address(account));
        emit IBatchRevoker.RevocationIncomplete(1, address(zrx), IBatchRevoker.Outcome.Failed);
        assertEq(uint256(revokeBetweenGoodOnes(address(zrx))), uint256(IBatchRevoker.Outcome.Failed));
        assertEq(zrx.allowance(owner, spender), ALLOWANCE, "false means nothing changed");
    }

    function test_falseReturningToken_thatAcceptsIsRevoked() public {
        FalseReturnToken zrx = new FalseReturnToken();
        vm.prank(owner);
        zrx.approve(spender, ALLOWANCE);
        bytes memory outcomes = revokeAsOwner(erc20Item(address(zrx), spender), false);
        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked);
        assertEq(zrx.allowance(owner, spender), 0);
    }

    // ------------------------------------------------------------------ BNB: reverts on approve(_, 0)

    function test_revertOnZeroToken_isReducedToOneAndReported() public {
        RevertOnZeroApprovalToken bnb = new RevertOnZeroApprovalToken();
        vm.prank(owner);
        bnb.approve(spender, ALLOWANCE);

        vm.expectEmit(address(account));
        emit IBatchRevoker.RevocationIncomplete(1, address(bnb), IBatchRevoker.Outcome.Reduced);
        assertEq(uint256(revokeBetweenGoodOnes(address(bnb))), uint256(IBatchRevoker.Outcome.Reduced));
        assertEq(bnb.allowance(owner, spender), 1);
    }

    function test_revertOnZeroToken_atOneAlreadyIsReducedWithoutAnyApproval() public {
        RevertOnZeroApprovalToken bnb = new RevertOnZeroApprovalToken();
        vm.prank(owner);
        bnb.approve(spender, 1);
        vm.recordLogs();
        bytes memory outcomes = revokeAsOwner(erc20Item(address(bnb), spender), false);
        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Reduced);
        assertNoLogFrom(address(bnb));
        assertEq(bnb.allowance(owner, spender), 1);
    }

    function test_revertOnZeroToken_atZeroIsNeverRaisedToOne() public {
        RevertOnZeroApprovalToken bnb = new RevertOnZeroApprovalToken();
        vm.recordLogs();
        bytes memory outcomes = revokeAsOwner(erc20Item(address(bnb), spender), false);
        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked);
        assertNoLogFrom(address(bnb));
        assertEq(bnb.allowance(owner, spender), 0, "the fallback never grants");
    }

    function test_revertOnZeroToken_failsAnAtomicList() public {
        RevertOnZeroApprovalToken bnb = new RevertOnZeroApprovalToken();
        vm.prank(owner);
        bnb.approve(spender, ALLOWANCE);
        bytes memory items = bytes.concat(erc20Item(address(good), spender), erc20Item(address(bnb), spender));
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(IBatchRevoker.ItemNotRevoked.selector, 1, IBatchRevoker.Outcome.Reduced)
        );
        account.revoke(items, true);
        assertEq(bnb.allowance(owner, spender), ALLOWANCE);
        assertEq(good.allowance(owner, spender), ALLOWANCE);
    }

    // ------------------------------------------------------------------ UNI: uint96 allowances

    function test_uint96AllowanceToken_unlimitedAllowanceIsRevoked() public {
        Uint96AllowanceToken uni = new Uint96AllowanceToken();
        vm.prank(owner);
        uni.approve(spender, type(uint256).max);
        assertEq(uni.allowance(owner, spender), type(uint96).max);
        assertEq(uint256(revokeBetweenGoodOnes(address(uni))), uint256(IBatchRevoker.Outcome.Revoked));
        assertEq(uni.allowance(owner, spender), 0);
    }

    // ------------------------------------------------------------------ no code

    function test_addressWithoutCode_isReportedFailed() public {
        address nothing = makeAddr("nothing here");
        vm.expectEmit(address(account));
        emit IBatchRevoker.RevocationIncomplete(1, nothing, IBatchRevoker.Outcome.Failed);
        assertEq(uint256(revokeBetweenGoodOnes(nothing)), uint256(IBatchRevoker.Outcome.Failed));
    }

    function test_addressWithoutCode_failsEveryKind() public {
        address nothing = makeAddr("nothing here");
        bytes memory items = bytes.concat(
            erc20Item(nothing, spender),
            operatorItem(nothing, spender),
            erc721Item(nothing, 1),
            lockdownItem(nothing, address(good), spender)
        );
        bytes memory outcomes = revokeAsOwner(items, false);
        for (uint256 i; i < 4; ++i) {
            assertOutcome(outcomes, i, IBatchRevoker.Outcome.Failed);
        }
    }

    // ------------------------------------------------------------------ reentrancy

    function test_reentrantToken_cannotRevokeThroughTheAccountAndIsStillRevoked() public {
        ReentrantApproveToken reentrant = new ReentrantApproveToken();
        vm.prank(owner);
        reentrant.approve(spender, ALLOWANCE);
        // While being revoked, the token calls back into the account's revoke with its own list.
        reentrant.setReentry(abi.encodeCall(account.revoke, (erc20Item(address(good), spender), false)), false);

        assertEq(uint256(revokeBetweenGoodOnes(address(reentrant))), uint256(IBatchRevoker.Outcome.Revoked));
        assertFalse(reentrant.reentrySucceeded());
        assertEq(reentrant.reentryResult(), abi.encodeWithSelector(IBatchRevoker.NotSelf.selector, address(reentrant)));
        assertEq(reentrant.allowance(owner, spender), 0);
    }

    function test_reentrantToken_thatRevertsIsReportedFailedAndTheRestGoOn() public {
        ReentrantApproveToken reentrant = new ReentrantApproveToken();
        vm.prank(owner);
        reentrant.approve(spender, ALLOWANCE);
        reentrant.setReentry(abi.encodeCall(account.revoke, (erc20Item(address(good), spender), false)), true);

        assertEq(uint256(revokeBetweenGoodOnes(address(reentrant))), uint256(IBatchRevoker.Outcome.Failed));
        assertEq(reentrant.allowance(owner, spender), ALLOWANCE);
    }

    function test_reentrantToken_cannotDrainOrApproveThroughTheAccount() public {
        ReentrantApproveToken reentrant = new ReentrantApproveToken();
        good.mint(owner, 100);
        reentrant.setReentry(abi.encodeWithSignature("transfer(address,uint256)", spender, 100), false);
        revokeAsOwner(erc20Item(address(reentrant), spender), false);
        assertFalse(reentrant.reentrySucceeded());
        assertEq(good.balanceOf(owner), 100);
    }

    // ------------------------------------------------------------------ gas

    /// @dev Each call is bounded by the stipend: a token that burns all gas it is given costs one
    /// stipend and is reported OutOfGas; the rest of the list goes on.
    function test_gasBurningToken_reportedOutOfGas_theRestRevoked() public {
        GasBurningToken burner = new GasBurningToken();
        bytes memory items = bytes.concat(erc20Item(address(burner), spender), erc20Item(address(good), spender));
        vm.expectEmit(owner);
        emit IBatchRevoker.RevocationIncomplete(0, address(burner), IBatchRevoker.Outcome.OutOfGas);
        vm.prank(owner);
        bytes memory outcomes = account.revoke{gas: 300_000}(items, false);
        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.OutOfGas);
        assertOutcome(outcomes, 1, IBatchRevoker.Outcome.Revoked);
        assertEq(good.allowance(owner, spender), 0);
    }

    function test_gasBurningToken_everyKindReportedOutOfGas() public {
        GasBurningToken burner = new GasBurningToken();
        bytes[3] memory lists = [
            operatorItem(address(burner), spender),
            lockdownItem(address(burner), address(good), spender),
            erc721Item(address(burner), 1)
        ];
        for (uint256 i; i < lists.length; ++i) {
            vm.prank(owner);
            bytes memory outcomes = account.revoke{gas: 300_000}(lists[i], false);
            assertOutcome(outcomes, 0, IBatchRevoker.Outcome.OutOfGas);
        }
    }

    /// @dev A failure for want of gas is not the token's answer: with less gas than a stipend left,
    /// reporting it would let a relayer burn a signed revocation by setting a low gas limit.
    function test_gasBurningToken_tooLittleGasForTheStipend_revertsInsufficientGas() public {
        GasBurningToken burner = new GasBurningToken();
        bytes memory items = bytes.concat(erc20Item(address(good), spender), erc20Item(address(burner), spender));
        vm.prank(owner);
        vm.expectRevert(IBatchRevoker.InsufficientGas.selector);
        account.revoke{gas: 90_000}(items, false);
        assertEq(good.allowance(owner, spender), ALLOWANCE);
    }

    // ------------------------------------------------------------------ helpers

    function assertNoLogFrom(address emitter) internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            assertTrue(logs[i].emitter != emitter, "unexpected event from the token");
        }
    }
}
