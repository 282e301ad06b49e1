// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IBatchRevoker} from "../../contracts/interfaces/IBatchRevoker.sol";
import {BlocklistPausableToken} from "../../contracts/mocks/BlocklistPausableToken.sol";
import {Drainer} from "../../contracts/mocks/Drainer.sol";
import {FalseReturnToken} from "../../contracts/mocks/FalseReturnToken.sol";
import {FeeOnTransferToken} from "../../contracts/mocks/FeeOnTransferToken.sol";
import {NoReturnToken} from "../../contracts/mocks/NoReturnToken.sol";
import {RevertOnZeroApprovalToken} from "../../contracts/mocks/RevertOnZeroApprovalToken.sol";
import {RevokerFixture} from "./RevokerFixture.sol";

/// @notice Scenario 10, the BatchRevoker half — misbehaving tokens through the revoker, then the
/// compromise. Whatever a token does with approve(spender, 0) (returns nothing, returns false,
/// reverts, charges fees on transfers, is paused or has the owner blocklisted), the revoker's
/// report is the truth: what it calls Revoked loses nothing to the sweep, what it calls Reduced
/// loses at most the 1 unit left, and what it calls Failed is drained exactly as far as the
/// remaining allowance reaches. Losses are the victims' actual balance changes. The delegation is
/// simulated by etching (see RevokerFixture); the router half is Scenario10MisbehavingTokens.
contract Scenario10RevokerMisbehavingTokensTest is RevokerFixture {
    /// @dev The returns-false token's approval: less than the balance, so its exposure is this.
    uint256 private constant FALSE_TOKEN_ALLOWANCE = 400e18;
    /// @dev A USDC-like approval: less than the balance, so its exposure is this.
    uint256 private constant PAUSED_TOKEN_ALLOWANCE = 700e18;
    /// @dev What a BNB-like token (approve(_, 0) reverts) can at best be cut down to.
    uint256 private constant SMALLEST_ALLOWANCE = 1;
    uint256 private constant BPS_DENOMINATOR = 10_000;
    uint256 private constant UNLIMITED = type(uint256).max;

    address private issuer;

    function setUp() public override {
        super.setUp();
        issuer = makeAddr("issuer");
    }

    // ------------------------------------------------------------------ USDT-like

    /// @dev approve returns nothing, and non-zero to non-zero reverts (race protection): the
    /// revoker reads the allowance back, finds zero and reports Revoked; the sweep takes nothing.
    function test_S10_revoker_usdtLikeNoReturnToken_revokedFromUnlimited_thenSweep_nothingMoves() public {
        IERC20 usdtLike = IERC20(address(new NoReturnToken()));
        _exposeAlice(usdtLike, UNLIMITED);

        bytes memory outcomes = _revokeAsVictim(alice, _erc20Item(address(usdtLike), address(drainer)), false);

        _assertAllRevoked(outcomes, 1);
        assertEq(usdtLike.allowance(alice, address(drainer)), 0, "allowance read back as zero");
        _assertSweepTakes(usdtLike, 0);
    }

    // -------------------------------------------------------------- returns false

    /// @dev The token refuses approve(spender, 0) and approve(spender, 1) by returning false: the
    /// revoker reports Failed (never Revoked), the allowance is untouched, and the sweep takes
    /// exactly that remaining exposure.
    function test_S10_revoker_returnsFalseToken_refusing_reportedFailed_exposureDrainedExactly() public {
        FalseReturnToken falseToken = new FalseReturnToken();
        falseToken.setTransfersWork(true);
        IERC20 asset = IERC20(address(falseToken));
        _exposeAlice(asset, FALSE_TOKEN_ALLOWANCE);
        falseToken.setRefusing(true);

        vm.expectEmit(alice);
        emit IBatchRevoker.RevocationIncomplete(0, address(falseToken), IBatchRevoker.Outcome.Failed);
        bytes memory outcomes = _revokeAsVictim(alice, _erc20Item(address(falseToken), address(drainer)), false);

        _assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Failed, "reported failed");
        assertEq(asset.allowance(alice, address(drainer)), FALSE_TOKEN_ALLOWANCE, "the approval is still live");
        _assertSweepTakes(asset, FALSE_TOKEN_ALLOWANCE);
    }

    // ------------------------------------------------------------ BNB-like approve

    /// @dev approve(spender, 0) reverts: the revoker falls back to the smallest allowance, reports
    /// Reduced, and the attacker takes exactly that 1 unit, never more.
    function test_S10_revoker_revertOnZeroApproveToken_reducedToOne_attackerTakesAtMostOne() public {
        IERC20 bnbLike = IERC20(address(new RevertOnZeroApprovalToken()));
        _exposeAlice(bnbLike, UNLIMITED);

        vm.expectEmit(alice);
        emit IBatchRevoker.RevocationIncomplete(0, address(bnbLike), IBatchRevoker.Outcome.Reduced);
        bytes memory outcomes = _revokeAsVictim(alice, _erc20Item(address(bnbLike), address(drainer)), false);

        _assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Reduced, "reported reduced");
        assertEq(bnbLike.allowance(alice, address(drainer)), SMALLEST_ALLOWANCE, "cut to 1");
        _assertSweepTakes(bnbLike, SMALLEST_ALLOWANCE);
    }

    // ------------------------------------------------------------ fee on transfer

    function test_S10_revoker_feeOnTransferToken_revoked_thenSweep_nothingMoves() public {
        IERC20 feeToken = IERC20(address(new FeeOnTransferToken()));
        _exposeAlice(feeToken, UNLIMITED);

        _assertAllRevoked(_revokeAsVictim(alice, _erc20Item(address(feeToken), address(drainer)), false), 1);

        _assertSweepTakes(feeToken, 0);
        assertEq(_balance(feeToken, attacker), 0, "the attacker received nothing");
    }

    // ------------------------------------------------------- blocklist / pause

    /// @dev Mid-incident the issuer pauses the token and blocklists alice. This token gates
    /// transfers only, not approve, so revoking still works. Once the token is unpaused and alice
    /// unblocked, the sweep takes nothing. (A token that gates approve too is the next test.)
    function test_S10_revoker_pausedTokenAndBlocklistedOwner_revocationStillWorks_nothingMovesAfter() public {
        BlocklistPausableToken pausable = new BlocklistPausableToken(issuer);
        IERC20 asset = IERC20(address(pausable));
        _exposeAlice(asset, UNLIMITED);
        vm.startPrank(issuer);
        pausable.pause();
        pausable.setBlocked(alice, true);
        vm.stopPrank();

        _assertAllRevoked(_revokeAsVictim(alice, _erc20Item(address(pausable), address(drainer)), false), 1);

        vm.startPrank(issuer);
        pausable.unpause();
        pausable.setBlocked(alice, false);
        vm.stopPrank();
        _assertSweepTakes(asset, 0);
    }

    /// @dev A USDC-like token whose approve is itself paused (simulated with a mocked revert on
    /// approve): the revocation cannot happen and is reported Failed. The pause holds the
    /// attacker off too; once it lifts, the sweep takes exactly the allowance the report said
    /// was still live.
    function test_S10_revoker_tokenWhoseApproveIsPaused_reportedFailed_drainedExactlyOnUnpause() public {
        BlocklistPausableToken pausable = new BlocklistPausableToken(issuer);
        IERC20 asset = IERC20(address(pausable));
        _exposeAlice(asset, PAUSED_TOKEN_ALLOWANCE);
        vm.prank(issuer);
        pausable.pause();
        vm.mockCallRevert(
            address(pausable), abi.encodeWithSelector(IERC20.approve.selector), abi.encodeWithSelector(Pausable.EnforcedPause.selector)
        );

        bytes memory outcomes = _revokeAsVictim(alice, _erc20Item(address(pausable), address(drainer)), false);

        _assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Failed, "reported failed");
        vm.clearMockedCalls();
        assertEq(asset.allowance(alice, address(drainer)), PAUSED_TOKEN_ALLOWANCE, "the approval is still live");
        _assertSweepTakes(asset, 0);
        vm.prank(issuer);
        pausable.unpause();
        _assertSweepTakes(asset, PAUSED_TOKEN_ALLOWANCE);
    }

    // --------------------------------------------------------------- one batch

    /// @dev All five in one batch (one ERC-20 group, refusals in the middle of it): each token is
    /// settled on its own, and the sweep takes exactly what the report left exposed. Bob, with
    /// the same approvals and no revocation, shows what the sweep takes otherwise.
    function test_S10_revoker_allMisbehavingTokensInOneBatch_eachSettledOnItsOwn_lossesExactlyAsReported() public {
        FalseReturnToken falseToken = new FalseReturnToken();
        falseToken.setTransfersWork(true);
        address[] memory tokens = new address[](5);
        tokens[0] = address(new NoReturnToken());
        tokens[1] = address(falseToken);
        tokens[2] = address(new RevertOnZeroApprovalToken());
        tokens[3] = address(new FeeOnTransferToken());
        tokens[4] = address(new BlocklistPausableToken(issuer));
        uint256[5] memory allowances = [UNLIMITED, FALSE_TOKEN_ALLOWANCE, UNLIMITED, UNLIMITED, UNLIMITED];
        for (uint256 i; i < tokens.length; ++i) {
            _expose(IERC20(tokens[i]), alice, allowances[i]);
            _expose(IERC20(tokens[i]), bob, allowances[i]);
        }
        falseToken.setRefusing(true);

        bytes memory outcomes = _revokeAsVictim(alice, _erc20Items(address(drainer), tokens), false);

        assertEq(outcomes.length, tokens.length, "one outcome per token");
        _assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked, "USDT-like");
        _assertOutcome(outcomes, 1, IBatchRevoker.Outcome.Failed, "returns-false");
        _assertOutcome(outcomes, 2, IBatchRevoker.Outcome.Reduced, "BNB-like");
        _assertOutcome(outcomes, 3, IBatchRevoker.Outcome.Revoked, "fee-on-transfer");
        _assertOutcome(outcomes, 4, IBatchRevoker.Outcome.Revoked, "blocklist/pausable");
        uint256[5] memory aliceExpectedLoss = [uint256(0), FALSE_TOKEN_ALLOWANCE, SMALLEST_ALLOWANCE, 0, 0];
        uint256[5] memory bobExpectedLoss =
            [VICTIM_BALANCE, FALSE_TOKEN_ALLOWANCE, VICTIM_BALANCE, VICTIM_BALANCE, VICTIM_BALANCE];
        uint256[] memory aliceBefore = _balances(tokens, alice);
        uint256[] memory bobBefore = _balances(tokens, bob);

        vm.prank(attacker);
        drainer.drainEverything(_sweepOf(tokens));

        for (uint256 i; i < tokens.length; ++i) {
            assertEq(_loss(IERC20(tokens[i]), alice, aliceBefore[i]), aliceExpectedLoss[i], "alice: as reported");
            assertEq(_loss(IERC20(tokens[i]), bob, bobBefore[i]), bobExpectedLoss[i], "bob: what the approval reached");
        }
        uint256 fee = VICTIM_BALANCE * FeeOnTransferToken(tokens[3]).FEE_BPS() / BPS_DENOMINATOR;
        assertEq(_balance(IERC20(tokens[3]), attacker), VICTIM_BALANCE - fee, "fee token: bob's balance less the fee");
    }

    // ------------------------------------------------------------------ helpers

    function _exposeAlice(IERC20 asset, uint256 allowance) private {
        _expose(asset, alice, allowance);
    }

    /// @dev Funds `victim` and approves the spender for `allowance`, by a low-level call so that
    /// tokens without a return value work.
    function _expose(IERC20 asset, address victim, uint256 allowance) private {
        _fund(asset, victim);
        vm.prank(victim);
        (bool ok,) = address(asset).call(abi.encodeCall(IERC20.approve, (address(drainer), allowance)));
        assertTrue(ok, "approval to the spender failed");
    }

    /// @dev The compromised spender sweeps alice's approval of `asset`: her actual loss must be `expected`.
    function _assertSweepTakes(IERC20 asset, uint256 expected) private {
        address[] memory tokens = new address[](1);
        tokens[0] = address(asset);
        Drainer.Targets memory targets = _sweepOf(tokens);
        targets.victims = new address[](1);
        targets.victims[0] = alice;
        uint256 before = _balance(asset, alice);
        vm.prank(attacker);
        drainer.drainEverything(targets);
        assertEq(_loss(asset, alice, before), expected, "alice's loss");
    }

    function _sweepOf(address[] memory tokens) private view returns (Drainer.Targets memory targets) {
        targets.victims = new address[](2);
        targets.victims[0] = alice;
        targets.victims[1] = bob;
        targets.erc20s = new IERC20[](tokens.length);
        for (uint256 i; i < tokens.length; ++i) {
            targets.erc20s[i] = IERC20(tokens[i]);
        }
        targets.erc721s = new Drainer.Erc721Target[](0);
        targets.erc1155s = new Drainer.Erc1155Target[](0);
        targets.router = router;
        targets.routerTokens = new address[](0);
    }

    function _balances(address[] memory tokens, address victim) private view returns (uint256[] memory balances) {
        balances = new uint256[](tokens.length);
        for (uint256 i; i < tokens.length; ++i) {
            balances[i] = _balance(IERC20(tokens[i]), victim);
        }
    }
}
