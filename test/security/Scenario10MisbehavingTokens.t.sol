// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IAllowanceTransfer} from "../../contracts/interfaces/IAllowanceTransfer.sol";
import {BlocklistPausableToken} from "../../contracts/mocks/BlocklistPausableToken.sol";
import {FalseReturnToken} from "../../contracts/mocks/FalseReturnToken.sol";
import {FeeOnTransferToken} from "../../contracts/mocks/FeeOnTransferToken.sol";
import {NoReturnToken} from "../../contracts/mocks/NoReturnToken.sol";
import {ReentrantHookToken} from "../../contracts/mocks/ReentrantHookToken.sol";
import {RevertOnZeroApprovalToken} from "../../contracts/mocks/RevertOnZeroApprovalToken.sol";
import {SecurityFixture} from "./SecurityFixture.sol";

/// @notice Scenario 10 — misbehaving tokens through the router: whatever the token does (no
/// return value, `false` instead of a revert, a fee, a re-entrant hook, a pause or blocklist,
/// a revert on approve(0)), the victim never loses more than the live grant, measured as the
/// victim's actual balance change. The BatchRevoker half is Scenario10RevokerMisbehavingTokens.
contract Scenario10MisbehavingTokensTest is SecurityFixture {
    uint160 private constant GRANT = 400e18;
    uint160 private constant QUARTER_GRANT = GRANT / 4;
    uint256 private constant BPS_DENOMINATOR = 10_000;
    /// @dev The smallest allowance a BNB-style token lets an owner leave behind.
    uint256 private constant SMALLEST_ALLOWANCE = 1;

    uint48 private expiration;

    function setUp() public override {
        super.setUp();
        expiration = uint48(block.timestamp + GRANT_LIFETIME);
    }

    // ------------------------------------------------------------------ USDT-like

    function test_S10_usdtLikeNoReturnToken_boundedByGrantThenExpiry() public {
        NoReturnToken usdtLike = new NoReturnToken();
        IERC20 asset = IERC20(address(usdtLike));
        _fund(asset, alice);
        _grant(asset, alice, GRANT, expiration);
        uint256 before = _balance(asset, alice);

        vm.prank(attacker);
        drainer.drainRouter(router, address(usdtLike), alice);
        assertEq(_loss(asset, alice, before), GRANT, "exactly the grant");

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0));
        vm.prank(attacker);
        drainer.pullFromRouter(router, address(usdtLike), alice, 1);

        vm.prank(alice);
        router.approve(address(usdtLike), address(drainer), GRANT, expiration);
        vm.warp(expiration + 1);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, expiration));
        vm.prank(attacker);
        drainer.pullFromRouter(router, address(usdtLike), alice, 1);
        assertEq(_loss(asset, alice, before), GRANT, "nothing after expiry");
    }

    // -------------------------------------------------------------- returns false

    /// @dev The token refuses by returning false instead of reverting: the router must treat
    /// that as failure, move nothing and leave the grant unspent, not book a phantom spend.
    function test_S10_returnsFalseToken_refusalIsARevert_grantUntouched() public {
        FalseReturnToken falseToken = new FalseReturnToken();
        IERC20 asset = IERC20(address(falseToken));
        falseToken.mint(alice, VICTIM_BALANCE);
        _grant(asset, alice, GRANT, expiration);

        vm.expectRevert(abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, address(falseToken)));
        vm.prank(attacker);
        drainer.pullFromRouter(router, address(falseToken), alice, GRANT);

        assertEq(_balance(asset, alice), VICTIM_BALANCE, "nothing moved");
        (uint160 remaining,,) = router.allowance(alice, address(falseToken), address(drainer));
        assertEq(remaining, GRANT, "grant not consumed by a refused transfer");
    }

    // ------------------------------------------------------------ fee on transfer

    function test_S10_feeOnTransferToken_victimLosesExactlyTheGrant_notMore() public {
        FeeOnTransferToken feeToken = new FeeOnTransferToken();
        IERC20 asset = IERC20(address(feeToken));
        _fund(asset, alice);
        _grant(asset, alice, GRANT, expiration);
        uint256 before = _balance(asset, alice);

        vm.prank(attacker);
        uint256 received = drainer.drainRouter(router, address(feeToken), alice);

        uint256 fee = uint256(GRANT) * feeToken.FEE_BPS() / BPS_DENOMINATOR;
        assertEq(_loss(asset, alice, before), GRANT, "alice's balance fell by exactly the grant");
        assertEq(received, GRANT - fee, "the attacker received the grant less the fee");
        assertEq(_balance(asset, attacker), GRANT - fee, "attacker balance");

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0));
        vm.prank(attacker);
        drainer.pullFromRouter(router, address(feeToken), alice, 1);
    }

    // ------------------------------------------------------------------ re-entry

    /// @dev The hook re-enters transferFrom for the full grant again: refused, because the
    /// grant is decremented before the token is called. No double spend.
    function test_S10_reentrantHookToken_fullGrantReentry_noDoubleSpend() public {
        ReentrantHookToken hookToken = _hookTokenWithGrant(GRANT);
        IERC20 asset = IERC20(address(hookToken));
        uint256 before = _balance(asset, alice);

        vm.prank(attacker);
        drainer.drainWithReentry(router, address(hookToken), alice, GRANT, 1);

        assertEq(_loss(asset, alice, before), GRANT, "exactly the grant, not twice");
        assertEq(drainer.reentriesSucceeded(), 0, "the re-entrant pull was refused");
        assertEq(
            drainer.lastReentryError(),
            abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0),
            "refused because the grant was already spent"
        );
        assertEq(_balance(asset, address(router)), 0, "the router holds nothing");
    }

    /// @dev Pulls of a quarter each, re-entering up to ten times: the fifth pull is refused and
    /// the total is the grant.
    function test_S10_reentrantHookToken_chainedReentries_stopAtTheGrant() public {
        ReentrantHookToken hookToken = _hookTokenWithGrant(GRANT);
        IERC20 asset = IERC20(address(hookToken));
        uint256 before = _balance(asset, alice);
        uint256 reentries = 10;

        vm.prank(attacker);
        drainer.drainWithReentry(router, address(hookToken), alice, QUARTER_GRANT, reentries);

        assertEq(_loss(asset, alice, before), GRANT, "four quarters, never a fifth");
        assertEq(drainer.reentriesSucceeded(), 3, "three re-entrant pulls fit the grant");
        assertEq(
            drainer.lastReentryError(),
            abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0),
            "the fourth re-entry was refused"
        );
    }

    // ------------------------------------------------------- blocklist / pause

    function test_S10_pausedToken_nothingMoves_andThePauseDoesNotExtendTheGrant() public {
        address issuer = makeAddr("issuer");
        BlocklistPausableToken pausable = new BlocklistPausableToken(issuer);
        IERC20 asset = IERC20(address(pausable));
        _fund(asset, alice);
        _grant(asset, alice, GRANT, expiration);
        uint256 before = _balance(asset, alice);
        vm.prank(issuer);
        pausable.pause();

        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(attacker);
        drainer.drainRouter(router, address(pausable), alice);
        (uint160 remaining,,) = router.allowance(alice, address(pausable), address(drainer));
        assertEq(remaining, GRANT, "grant not consumed while paused");

        // Unpaused after the grant expired: still nothing.
        vm.warp(expiration + 1);
        vm.prank(issuer);
        pausable.unpause();
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, expiration));
        vm.prank(attacker);
        drainer.drainRouter(router, address(pausable), alice);
        assertEq(_loss(asset, alice, before), 0, "nothing moved");
    }

    /// @dev A blocklisted victim cannot be pulled from; blocklisting the attacker's address does
    /// not help, because the attacker picks the recipient: only the grant bounds the loss.
    function test_S10_blocklistToken_blockedVictimSafe_blockedAttackerReroutes_boundedByGrant() public {
        address issuer = makeAddr("issuer");
        address freshAddress = makeAddr("attacker's fresh address");
        BlocklistPausableToken blocklist = new BlocklistPausableToken(issuer);
        IERC20 asset = IERC20(address(blocklist));
        _fund(asset, alice);
        _fund(asset, bob);
        _grant(asset, alice, GRANT, expiration);
        _grant(asset, bob, GRANT, expiration);
        uint256 aliceBefore = _balance(asset, alice);
        uint256 bobBefore = _balance(asset, bob);

        vm.startPrank(issuer);
        blocklist.setBlocked(alice, true);
        blocklist.setBlocked(attacker, true);
        vm.stopPrank();

        vm.expectRevert(abi.encodeWithSelector(BlocklistPausableToken.AccountBlocked.selector, alice));
        vm.prank(attacker);
        drainer.pullFromRouter(router, address(blocklist), alice, GRANT);

        vm.expectRevert(abi.encodeWithSelector(BlocklistPausableToken.AccountBlocked.selector, attacker));
        vm.prank(attacker);
        drainer.drainRouter(router, address(blocklist), bob);

        IAllowanceTransfer.AllowanceTransferDetails[] memory rerouted = new IAllowanceTransfer.AllowanceTransferDetails[](1);
        rerouted[0] = IAllowanceTransfer.AllowanceTransferDetails({from: bob, to: freshAddress, amount: GRANT, token: address(blocklist)});
        vm.prank(attacker);
        drainer.pullBatchFromRouter(router, rerouted);

        assertEq(_loss(asset, alice, aliceBefore), 0, "blocked alice lost nothing");
        assertEq(_loss(asset, bob, bobBefore), GRANT, "bob lost exactly the grant");
        assertEq(_balance(asset, freshAddress), GRANT, "rerouted to a fresh address");
    }

    // ------------------------------------------------------------ BNB-like approve

    /// @dev A BNB-style token cannot be approved to zero: a legacy approval can only be cut to
    /// the smallest allowance (the attacker still takes that), while a router grant on the same
    /// token is revoked completely by lockdown, which never touches the token's approve.
    function test_S10_revertOnZeroApproveToken_legacyCutToOne_routerLockdownRevokesFully() public {
        RevertOnZeroApprovalToken bnbLike = new RevertOnZeroApprovalToken();
        IERC20 asset = IERC20(address(bnbLike));
        _fund(asset, alice);
        _fund(asset, bob);
        vm.startPrank(alice);
        bnbLike.approve(address(drainer), type(uint256).max);
        vm.expectRevert(RevertOnZeroApprovalToken.ZeroApproval.selector);
        bnbLike.approve(address(drainer), 0);
        bnbLike.approve(address(drainer), SMALLEST_ALLOWANCE);
        vm.stopPrank();
        _grant(asset, bob, GRANT, expiration);
        vm.prank(bob);
        router.lockdown(_single(address(bnbLike), address(drainer)));
        uint256 aliceBefore = _balance(asset, alice);
        uint256 bobBefore = _balance(asset, bob);

        vm.startPrank(attacker);
        drainer.drainErc20(asset, alice);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0));
        drainer.pullFromRouter(router, address(bnbLike), bob, 1);
        vm.stopPrank();

        assertEq(_loss(asset, alice, aliceBefore), SMALLEST_ALLOWANCE, "legacy: the residual 1 is exposed");
        assertEq(_loss(asset, bob, bobBefore), 0, "router: nothing after lockdown");
    }

    // ------------------------------------------------------------------ helpers

    function _hookTokenWithGrant(uint160 amount) private returns (ReentrantHookToken hookToken) {
        hookToken = new ReentrantHookToken();
        _fund(IERC20(address(hookToken)), alice);
        _grant(IERC20(address(hookToken)), alice, amount, expiration);
        vm.prank(attacker);
        drainer.execute(address(hookToken), abi.encodeCall(ReentrantHookToken.registerHook, (address(drainer))));
    }
}
