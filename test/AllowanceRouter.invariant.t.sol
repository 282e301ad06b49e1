// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AllowanceRouter} from "../contracts/AllowanceRouter.sol";
import {RouterHandler} from "./handlers/RouterHandler.sol";
import {RouterSettings} from "./helpers/RouterSettings.sol";
import {Test} from "./utils/Test.sol";

/// @notice Stateful invariants of AllowanceRouter under random sequences of approvals, permits,
/// pulls, lockdowns, nonce invalidations, caps, guardian changes, outsider attacks and time.
/// The handler is the only target; it keeps the model and ghost totals the invariants compare.
/// @dev The runner can only target a contract that has an artifact, and Hardhat emits artifacts
/// for test roots only: `npx hardhat test solidity` compiles every file under test/, but to run
/// this file alone, name the handler too:
/// `npx hardhat test solidity test/AllowanceRouter.invariant.t.sol test/handlers/RouterHandler.sol`.
contract AllowanceRouterInvariantTest is Test {
    using RouterSettings for AllowanceRouter;

    /// @dev Rounds of the sanity drive; each round calls every handler action once.
    uint256 internal constant SANITY_ROUNDS = 48;

    AllowanceRouter internal router;
    RouterHandler internal handler;

    function setUp() public {
        router = new AllowanceRouter();
        handler = new RouterHandler(router);

        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = RouterHandler.grantByApprove.selector;
        selectors[1] = RouterHandler.grantByPermit.selector;
        selectors[2] = RouterHandler.grantByPermitBatch.selector;
        selectors[3] = RouterHandler.pull.selector;
        selectors[4] = RouterHandler.pullBatch.selector;
        selectors[5] = RouterHandler.ownerLockdown.selector;
        selectors[6] = RouterHandler.guardianLockdown.selector;
        selectors[7] = RouterHandler.invalidateNonces.selector;
        selectors[8] = RouterHandler.setMaxDuration.selector;
        selectors[9] = RouterHandler.setGuardian.selector;
        selectors[10] = RouterHandler.outsiderAttack.selector;
        selectors[11] = RouterHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// @notice No transfer ever succeeds after its grant's expiration.
    function invariant_noSpendSucceedsAfterExpiration() public view {
        assertEq(handler.spendsAfterExpiry(), 0, "a spend succeeded after expiration");
    }

    /// @notice Per (owner, token, spender), the total pulled since the last reset is at most what
    /// was granted then, and a finite grant's remainder is exactly granted minus pulled.
    function invariant_pulledNeverExceedsGranted() public view {
        for (uint256 o; o < handler.OWNER_COUNT(); ++o) {
            for (uint256 t; t < handler.TOKEN_COUNT(); ++t) {
                for (uint256 s; s < handler.SPENDER_COUNT(); ++s) {
                    (address owner, address token, address spender) =
                        (handler.owners(o), handler.tokens(t), handler.spenders(s));
                    uint256 granted = handler.ghostGranted(owner, token, spender);
                    uint256 pulled = handler.ghostPulled(owner, token, spender);
                    assertLe(pulled, granted, "pulled more than granted");
                    (uint160 remaining,,) = router.allowance(owner, token, spender);
                    if (granted != type(uint160).max) assertEq(remaining, granted - pulled, "remaining");
                }
            }
        }
    }

    /// @notice The router never holds tokens: they move owner to recipient directly.
    function invariant_routerNeverHoldsTokens() public view {
        for (uint256 t; t < handler.TOKEN_COUNT(); ++t) {
            assertEq(IERC20(handler.tokens(t)).balanceOf(address(router)), 0, "router balance");
        }
    }

    /// @notice Tokens leave an owner only through pulls the router allowed, and all reach the recipient.
    function invariant_tokensMoveOnlyThroughAllowedPulls() public view {
        for (uint256 t; t < handler.TOKEN_COUNT(); ++t) {
            IERC20 token = IERC20(handler.tokens(t));
            for (uint256 o; o < handler.OWNER_COUNT(); ++o) {
                address owner = handler.owners(o);
                assertEq(
                    token.balanceOf(owner),
                    handler.INITIAL_BALANCE() - handler.totalPulledFrom(owner, address(token)),
                    "owner balance"
                );
            }
            assertEq(token.balanceOf(handler.recipient()), handler.totalPulledOf(address(token)), "recipient");
            assertEq(token.balanceOf(handler.outsider()), 0, "outsider balance");
        }
    }

    /// @notice Only the owner changes its grants and settings; its guardian may only lower
    /// amounts to zero; the outsider changes nothing. The router's state equals the model
    /// built from the owners' and guardians' actions alone.
    function invariant_onlyOwnerOrGuardianChangesGrants() public view {
        assertEq(handler.outsiderStateChanges(), 0, "an outsider changed an owner's state");
        assertEq(handler.guardianOverreach(), 0, "a guardian did more than revoke");
        for (uint256 o; o < handler.OWNER_COUNT(); ++o) {
            address owner = handler.owners(o);
            assertEq(router.guardianOf(owner), handler.expectedGuardian(owner), "guardian");
            assertEq(router.maxDurationOf(owner), handler.expectedMaxDuration(owner), "max duration");
            for (uint256 t; t < handler.TOKEN_COUNT(); ++t) {
                for (uint256 s; s < handler.SPENDER_COUNT(); ++s) {
                    (address token, address spender) = (handler.tokens(t), handler.spenders(s));
                    RouterHandler.Grant memory expected = handler.expectedGrant(owner, token, spender);
                    (uint160 amount, uint48 expiration, uint48 nonce) = router.allowance(owner, token, spender);
                    assertEq(amount, expected.amount, "amount");
                    assertEq(expiration, expected.expiration, "expiration");
                    assertEq(nonce, expected.nonce, "nonce");
                }
            }
        }
    }

    /// @notice Every call succeeded or reverted exactly as the specification predicts.
    function invariant_everyOutcomeMatchesTheSpecification() public view {
        assertEq(handler.unexpectedOutcomes(), 0, "an outcome differed from the specification");
    }

    /// @notice The handler is not vacuous: driven through deterministic pseudo-random rounds,
    /// every action both succeeds and (where the specification allows) fails as predicted,
    /// and every invariant holds at the end.
    function test_handler_exercisesEveryActionAndEveryFailureMode() public {
        uint256 startedAt = handler.clock();
        for (uint256 round; round < SANITY_ROUNDS; ++round) {
            uint256[6] memory seeds;
            for (uint256 k; k < seeds.length; ++k) {
                seeds[k] = uint256(keccak256(abi.encode(round, k)));
            }
            handler.setGuardian(seeds[0], seeds[1]);
            handler.setMaxDuration(seeds[1], seeds[2]);
            handler.grantByApprove(seeds[0], seeds[1], seeds[2], seeds[3], seeds[4]);
            handler.grantByPermit(seeds[1], seeds[2], seeds[3], seeds[4], seeds[5], seeds[0]);
            handler.grantByPermitBatch(seeds[2], seeds[3], seeds[4], seeds[5], seeds[1]);
            handler.pull(seeds[3], seeds[0], seeds[1], seeds[2]);
            handler.pull(seeds[2], seeds[1], seeds[4], seeds[5]);
            handler.pullBatch(seeds[4], seeds[5], seeds[0], seeds[1], seeds[2]);
            handler.ownerLockdown(seeds[5], seeds[0]);
            handler.guardianLockdown(seeds[0], seeds[1], seeds[2]);
            handler.invalidateNonces(seeds[1], seeds[2], seeds[3], seeds[4]);
            handler.outsiderAttack(seeds[2], seeds[3], seeds[4], seeds[5]);
            handler.warp(seeds[3]);
        }

        bytes32[11] memory succeeding = [
            bytes32("approve"),
            "permit",
            "permitBatch",
            "pull",
            "pullBatch",
            "lockdown",
            "lockdownFor",
            "invalidateNonces",
            "setMaxDuration",
            "setGuardian",
            "outsiderOwnAccount"
        ];
        for (uint256 i; i < succeeding.length; ++i) {
            string memory action = string(abi.encodePacked(succeeding[i]));
            assertTrue(handler.successes(succeeding[i]) > 0, string.concat("never succeeded: ", action));
        }
        bytes32[6] memory failing =
            [bytes32("permit"), "permitBatch", "pull", "lockdownFor", "invalidateNonces", "outsiderAttack"];
        for (uint256 i; i < failing.length; ++i) {
            string memory action = string(abi.encodePacked(failing[i]));
            assertTrue(handler.expectedFailures(failing[i]) > 0, string.concat("never failed: ", action));
        }
        assertTrue(handler.clock() > startedAt, "time moved");
        assertTrue(handler.successes("pullAtExpiration") > 0, "a pull landed exactly on its expiration");
        assertTrue(handler.expectedFailures("pullJustAfterExpiration") > 0, "a pull came one second late");

        invariant_noSpendSucceedsAfterExpiration();
        invariant_pulledNeverExceedsGranted();
        invariant_routerNeverHoldsTokens();
        invariant_tokensMoveOnlyThroughAllowedPulls();
        invariant_onlyOwnerOrGuardianChangesGrants();
        invariant_everyOutcomeMatchesTheSpecification();
    }
}
