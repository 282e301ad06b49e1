// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {FeeOnTransferToken} from "../../contracts/mocks/FeeOnTransferToken.sol";
import {RouterAttackHandler} from "./RouterAttackHandler.sol";
import {SecurityFixture} from "./SecurityFixture.sol";

/// @notice Scenario 11 — the invariant campaign: a random sequence of grants, permits (fresh,
/// leaked, replayed), spends (single, batch, sweep), time jumps, owner and guardian lockdowns,
/// guardian changes, duration caps and nonce invalidations never lets the attacker take more
/// than the live grants allowed. Sequence depth and count come from the Solidity test profile:
/// `default` in `npm test`, `deep` in `npm run test:security:deep`.
contract Scenario11InvariantsTest is SecurityFixture {
    RouterAttackHandler private handler;
    FeeOnTransferToken private feeToken;
    uint256 private attackerBalanceAtStart;

    function setUp() public override {
        super.setUp();
        feeToken = new FeeOnTransferToken();
        _fund(IERC20(address(feeToken)), alice);
        _fund(IERC20(address(feeToken)), bob);
        _approveRouter(IERC20(address(token)), alice);
        _approveRouter(IERC20(address(token)), bob);
        _approveRouter(IERC20(address(feeToken)), alice);
        _approveRouter(IERC20(address(feeToken)), bob);

        (, uint256 bobKey) = makeAddrAndKey("bob");
        address[] memory owners = new address[](2);
        owners[0] = alice;
        owners[1] = bob;
        uint256[] memory keys = new uint256[](2);
        keys[0] = aliceKey;
        keys[1] = bobKey;
        IERC20[] memory tokens = new IERC20[](2);
        tokens[0] = IERC20(address(token));
        tokens[1] = IERC20(address(feeToken));
        handler = new RouterAttackHandler(router, drainer, attacker, makeAddr("security team"), owners, keys, tokens);
        targetContract(address(handler));
    }

    /// @dev Every router decision matched the model of live grants: no spend after expiry or
    /// beyond the amount, no replayed or stale permit accepted, no guardian power for the attacker.
    function invariant_S11_everyRouterDecisionMatchesTheLiveGrants() public view {
        assertEq(handler.violations(), 0, handler.lastViolation());
    }

    /// @dev Measured as real balance changes: each owner lost exactly what the live grants allowed.
    function invariant_S11_ownersLostExactlyWhatLiveGrantsAllowed() public view {
        for (uint256 o; o < handler.ownerCount(); ++o) {
            address owner = handler.ownerAt(o);
            for (uint256 t; t < handler.tokenCount(); ++t) {
                IERC20 asset = handler.tokenAt(t);
                uint256 loss = VICTIM_BALANCE - asset.balanceOf(owner);
                assertEq(loss, handler.allowedLoss(owner, address(asset)), "loss beyond the live grants");
            }
        }
    }

    /// @dev The router never holds tokens, so there is nothing in it to steal.
    function invariant_S11_routerHoldsNothing() public view {
        for (uint256 t; t < handler.tokenCount(); ++t) {
            assertEq(handler.tokenAt(t).balanceOf(address(router)), 0, "router holds tokens");
        }
    }

    /// @dev The attacker's gain never exceeds the owners' loss (a fee only shrinks it).
    function invariant_S11_attackerGainBoundedByOwnersLoss() public view {
        for (uint256 t; t < handler.tokenCount(); ++t) {
            IERC20 asset = handler.tokenAt(t);
            uint256 ownersLoss;
            for (uint256 o; o < handler.ownerCount(); ++o) {
                ownersLoss += VICTIM_BALANCE - asset.balanceOf(handler.ownerAt(o));
            }
            assertLe(asset.balanceOf(attacker), ownersLoss, "attacker gained more than owners lost");
        }
    }
}
