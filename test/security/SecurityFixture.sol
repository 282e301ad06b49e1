// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AllowanceRouter} from "../../contracts/AllowanceRouter.sol";
import {IAllowanceTransfer} from "../../contracts/interfaces/IAllowanceTransfer.sol";
import {PermitHash} from "../../contracts/libraries/PermitHash.sol";
import {Drainer} from "../../contracts/mocks/Drainer.sol";
import {TestToken} from "../../contracts/mocks/TestToken.sol";
import {Test} from "../utils/Test.sol";

/// @notice What every security scenario starts from: a router, a standard token, two victims
/// holding it, an attacker and the spender it has compromised (a Drainer). Losses are always
/// measured as the victim's actual balance change, never as the amount a call claims to move.
abstract contract SecurityFixture is Test {
    using PermitHash for IAllowanceTransfer.PermitSingle;

    uint256 internal constant VICTIM_BALANCE = 1_000_000e18;
    /// @dev A grant's lifetime in the scenarios: one day.
    uint48 internal constant GRANT_LIFETIME = 1 days;
    /// @dev Time the scenarios start at, away from zero so that "expired" is unambiguous.
    uint256 internal constant START_TIME = 1_750_000_000;
    uint256 internal constant BLOCK_TIME = 12;

    AllowanceRouter internal router;
    TestToken internal token;
    Drainer internal drainer;

    address internal alice;
    uint256 internal aliceKey;
    address internal bob;
    address internal attacker;

    function setUp() public virtual {
        vm.warp(START_TIME);
        router = new AllowanceRouter();
        token = new TestToken("Standard Token", "STD");
        (alice, aliceKey) = makeAddrAndKey("alice");
        bob = makeAddr("bob");
        attacker = makeAddr("attacker");
        drainer = new Drainer(attacker);
        vm.label(address(router), "router");
        vm.label(address(token), "token");
        vm.label(address(drainer), "drainer");
        _fund(IERC20(address(token)), alice);
        _fund(IERC20(address(token)), bob);
    }

    // ------------------------------------------------------------- victim setup

    /// @dev Mints VICTIM_BALANCE of `asset` (any mock with `mint(address,uint256)`) to `victim`.
    function _fund(IERC20 asset, address victim) internal {
        (bool ok,) = address(asset).call(abi.encodeWithSignature("mint(address,uint256)", victim, VICTIM_BALANCE));
        assertTrue(ok, "mint failed");
    }

    /// @dev The victim's one-time unlimited token approval to the router (the project's flow).
    function _approveRouter(IERC20 asset, address victim) internal {
        vm.prank(victim);
        (bool ok,) = address(asset).call(abi.encodeCall(IERC20.approve, (address(router), type(uint256).max)));
        assertTrue(ok, "token approval to router failed");
    }

    /// @dev The victim approves the router on the token and grants the drainer `amount` until `expiration`.
    function _grant(IERC20 asset, address victim, uint160 amount, uint48 expiration) internal {
        _approveRouter(asset, victim);
        vm.prank(victim);
        router.approve(address(asset), address(drainer), amount, expiration);
    }

    /// @dev Moves to the next block, `BLOCK_TIME` seconds later.
    function _nextBlock() internal {
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + BLOCK_TIME);
    }

    // --------------------------------------------------------------- signatures

    /// @dev The victim's EIP-712 signature over `permitSingle` for this router, as a wallet signs it.
    function _signPermit(uint256 privateKey, IAllowanceTransfer.PermitSingle memory permitSingle)
        internal
        view
        returns (bytes memory)
    {
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", router.DOMAIN_SEPARATOR(), permitSingle.hash()));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, digest);
        return abi.encodePacked(r, s, v);
    }

    function _permitSingle(address asset, uint160 amount, uint48 expiration, uint48 nonce, uint256 sigDeadline)
        internal
        view
        returns (IAllowanceTransfer.PermitSingle memory)
    {
        return IAllowanceTransfer.PermitSingle({
            details: IAllowanceTransfer.PermitDetails({token: asset, amount: amount, expiration: expiration, nonce: nonce}),
            spender: address(drainer),
            sigDeadline: sigDeadline
        });
    }

    // ------------------------------------------------------------- measurement

    function _balance(IERC20 asset, address account) internal view returns (uint256) {
        return asset.balanceOf(account);
    }

    /// @dev What `victim` lost since `balanceBefore`: the actual balance change.
    function _loss(IERC20 asset, address victim, uint256 balanceBefore) internal view returns (uint256) {
        uint256 balanceNow = asset.balanceOf(victim);
        assertLe(balanceNow, balanceBefore, "victim balance grew");
        return balanceBefore - balanceNow;
    }

    function _single(address asset, address spender) internal pure returns (IAllowanceTransfer.TokenSpenderPair[] memory pairs) {
        pairs = new IAllowanceTransfer.TokenSpenderPair[](1);
        pairs[0] = IAllowanceTransfer.TokenSpenderPair({token: asset, spender: spender});
    }
}
