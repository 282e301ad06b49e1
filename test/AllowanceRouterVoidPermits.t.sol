// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AllowanceRouter} from "../contracts/AllowanceRouter.sol";
import {IAllowanceRouter} from "../contracts/interfaces/IAllowanceRouter.sol";
import {IAllowanceTransfer} from "../contracts/interfaces/IAllowanceTransfer.sol";
import {Test} from "./utils/Test.sol";

/// @notice Unit tests of the revocations that also void signed permits: the guardian's lockdownFor
/// and the owner's lockdownAndVoidPermits. Each pair: amount 0, expiration kept, nonce + 1, and the
/// events Lockdown then NonceInvalidation.
contract AllowanceRouterVoidPermitsTest is Test {
    uint256 internal constant START = 1_700_000_000;
    uint160 internal constant AMOUNT = 1_000;
    uint48 internal constant LIFETIME = 1 days;
    /// @dev Storage slot of the `allowance` mapping: EIP712Domain's `_name` string takes slot 0.
    uint256 internal constant ALLOWANCE_MAPPING_SLOT = 1;
    uint256 internal constant NONCE_OFFSET = 208;

    AllowanceRouter internal router;
    address internal owner = makeAddr("owner");
    address internal guardian = makeAddr("guardian");
    address internal token = makeAddr("token");
    address internal otherToken = makeAddr("other token");
    address internal spender = makeAddr("spender");
    uint48 internal expiration;

    function setUp() public {
        vm.warp(START);
        router = new AllowanceRouter();
        expiration = uint48(block.timestamp + LIFETIME);
        vm.startPrank(owner);
        router.approve(token, spender, AMOUNT, expiration);
        router.approve(otherToken, spender, AMOUNT, expiration);
        router.invalidateNonces(otherToken, spender, 7);
        router.setGuardian(guardian);
        vm.stopPrank();
    }

    function test_lockdownAndVoidPermits_zeroesKeepsExpirationMovesNonce_emitsEvents() public {
        IAllowanceTransfer.TokenSpenderPair[] memory pairs = _pairs();
        _expectLockdownAndVoidOfBothPairs();
        vm.prank(owner);
        router.lockdownAndVoidPermits(pairs);
        _assertGrant(token, 0, expiration, 1);
        _assertGrant(otherToken, 0, expiration, 8);
    }

    function test_lockdownAndVoidPermits_onlyTheCallersGrants() public {
        vm.prank(guardian);
        router.lockdownAndVoidPermits(_pairs());
        _assertGrant(token, AMOUNT, expiration, 0);
    }

    function test_lockdownFor_alsoVoidsPermits_emitsGuardianLockdownLast() public {
        _expectLockdownAndVoidOfBothPairs();
        vm.expectEmit(address(router));
        emit IAllowanceRouter.GuardianLockdown(owner, guardian, 2);
        vm.prank(guardian);
        router.lockdownFor(owner, _pairs());
        _assertGrant(token, 0, expiration, 1);
        _assertGrant(otherToken, 0, expiration, 8);
    }

    /// @dev No guardian stored (address(0)): every caller is refused, whatever its address.
    function testFuzz_lockdownFor_withoutGuardian_refusesEveryone(address caller) public {
        // No transaction comes from address(0) (nobody holds its key); only a cheatcode could.
        vm.assume(caller != address(0));
        vm.prank(owner);
        router.setGuardian(address(0));
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceRouter.NotGuardian.selector, caller, owner));
        router.lockdownFor(owner, _pairs());
    }

    /// @dev Permit2's lockdown keeps Permit2's semantics: the nonce stays.
    function test_lockdown_keepsTheNonce() public {
        vm.prank(owner);
        router.lockdown(_pairs());
        _assertGrant(token, 0, expiration, 0);
        _assertGrant(otherToken, 0, expiration, 7);
    }

    /// @dev At type(uint48).max the nonce cannot move on: it stays (and the amount still goes).
    function test_lockdownAndVoidPermits_atTheLargestNonce_saturates() public {
        bytes32 slot = _allowanceSlot(owner, token, spender);
        uint256 word = uint256(vm.load(address(router), slot));
        word |= uint256(type(uint48).max) << NONCE_OFFSET;
        vm.store(address(router), slot, bytes32(word));
        vm.prank(owner);
        router.lockdownAndVoidPermits(_single());
        _assertGrant(token, 0, expiration, type(uint48).max);
    }

    function _assertGrant(address asset, uint160 amount, uint48 grantExpiration, uint48 nonce) internal view {
        (uint160 storedAmount, uint48 storedExpiration, uint48 storedNonce) = router.allowance(owner, asset, spender);
        assertEq(storedAmount, amount, "amount");
        assertEq(storedExpiration, grantExpiration, "expiration kept");
        assertEq(storedNonce, nonce, "nonce");
    }

    function _pairs() internal view returns (IAllowanceTransfer.TokenSpenderPair[] memory pairs) {
        pairs = new IAllowanceTransfer.TokenSpenderPair[](2);
        pairs[0] = IAllowanceTransfer.TokenSpenderPair({token: token, spender: spender});
        pairs[1] = IAllowanceTransfer.TokenSpenderPair({token: otherToken, spender: spender});
    }

    function _single() internal view returns (IAllowanceTransfer.TokenSpenderPair[] memory pairs) {
        pairs = new IAllowanceTransfer.TokenSpenderPair[](1);
        pairs[0] = IAllowanceTransfer.TokenSpenderPair({token: token, spender: spender});
    }

    function _allowanceSlot(address grantor, address asset, address grantee) internal pure returns (bytes32) {
        bytes32 outer = keccak256(abi.encode(grantor, ALLOWANCE_MAPPING_SLOT));
        bytes32 middle = keccak256(abi.encode(asset, outer));
        return keccak256(abi.encode(grantee, middle));
    }

    /// @dev Each pair, in order: its Lockdown, then the NonceInvalidation that voids its signed permits.
    function _expectLockdownAndVoidOfBothPairs() internal {
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Lockdown(owner, token, spender);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.NonceInvalidation(owner, token, spender, 1, 0);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Lockdown(owner, otherToken, spender);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.NonceInvalidation(owner, otherToken, spender, 8, 7);
    }
}
