// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Vm} from "./Vm.sol";

/// @notice The small part of forge-std's Test this project needs: the cheatcode handle,
/// assertions that revert with both values, `bound`, deterministic test keys, and the
/// invariant-target registry the runner reads (`targetContracts()` and friends).
abstract contract Test {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    /// @dev The address at which the test runner answers cheatcodes.
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @dev The secp256k1 curve order: private keys must be below it.
    uint256 internal constant SECP256K1_ORDER =
        0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;

    address[] private _targetContracts;
    address[] private _targetSenders;
    address[] private _excludeSenders;
    FuzzSelector[] private _targetSelectors;

    // ---------------------------------------------------------------- invariant targets

    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }

    function targetSenders() public view returns (address[] memory) {
        return _targetSenders;
    }

    function excludeSenders() public view returns (address[] memory) {
        return _excludeSenders;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetSelectors;
    }

    function targetContract(address target) internal {
        _targetContracts.push(target);
    }

    function targetSender(address sender) internal {
        _targetSenders.push(sender);
    }

    function excludeSender(address sender) internal {
        _excludeSenders.push(sender);
    }

    function targetSelector(FuzzSelector memory selector) internal {
        _targetSelectors.push(selector);
    }

    // ---------------------------------------------------------------- keys

    /// @dev A labelled address derived from `name`, the same in every run.
    function makeAddr(string memory name) internal returns (address account) {
        (account,) = makeAddrAndKey(name);
    }

    /// @dev A labelled address and its private key, derived from `name`.
    function makeAddrAndKey(string memory name) internal returns (address account, uint256 privateKey) {
        privateKey = uint256(keccak256(bytes(name))) % (SECP256K1_ORDER - 1) + 1;
        account = vm.addr(privateKey);
        vm.label(account, name);
    }

    // ---------------------------------------------------------------- fuzz helpers

    /// @dev Maps `x` into [min, max], keeping values already inside unchanged (forge-std's rule).
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        ++size;
        if (x > max) {
            uint256 offset = (x - max) % size;
            return offset == 0 ? max : min + offset - 1;
        }
        uint256 under = (min - x) % size;
        return under == 0 ? min : max - under + 1;
    }

    // ---------------------------------------------------------------- assertions

    function fail(string memory message) internal pure {
        revert(string.concat("assertion failed: ", message));
    }

    function assertTrue(bool condition) internal pure {
        if (!condition) fail("expected true");
    }

    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) fail(message);
    }

    function assertFalse(bool condition) internal pure {
        if (condition) fail("expected false");
    }

    function assertFalse(bool condition, string memory message) internal pure {
        if (condition) fail(message);
    }

    function assertEq(uint256 actual, uint256 expected) internal pure {
        assertEq(actual, expected, "");
    }

    function assertEq(uint256 actual, uint256 expected, string memory message) internal pure {
        if (actual != expected) {
            fail(string.concat(message, " (", vm.toString(actual), " != ", vm.toString(expected), ")"));
        }
    }

    function assertEq(int256 actual, int256 expected) internal pure {
        assertEq(actual, expected, "");
    }

    function assertEq(int256 actual, int256 expected, string memory message) internal pure {
        if (actual != expected) {
            fail(string.concat(message, " (", vm.toString(actual), " != ", vm.toString(expected), ")"));
        }
    }

    function assertEq(address actual, address expected) internal pure {
        assertEq(actual, expected, "");
    }

    function assertEq(address actual, address expected, string memory message) internal pure {
        if (actual != expected) {
            fail(string.concat(message, " (", vm.toString(actual), " != ", vm.toString(expected), ")"));
        }
    }

    function assertEq(bytes32 actual, bytes32 expected) internal pure {
        assertEq(actual, expected, "");
    }

    function assertEq(bytes32 actual, bytes32 expected, string memory message) internal pure {
        if (actual != expected) {
            fail(string.concat(message, " (", vm.toString(actual), " != ", vm.toString(expected), ")"));
        }
    }

    function assertEq(bool actual, bool expected) internal pure {
        assertEq(actual, expected, "");
    }

    function assertEq(bool actual, bool expected, string memory message) internal pure {
        if (actual != expected) {
            fail(string.concat(message, " (", vm.toString(actual), " != ", vm.toString(expected), ")"));
        }
    }

    function assertEq(bytes memory actual, bytes memory expected) internal pure {
        assertEq(actual, expected, "");
    }

    function assertEq(bytes memory actual, bytes memory expected, string memory message) internal pure {
        if (keccak256(actual) != keccak256(expected)) {
            fail(string.concat(message, " (", vm.toString(actual), " != ", vm.toString(expected), ")"));
        }
    }

    function assertEq(string memory actual, string memory expected) internal pure {
        if (keccak256(bytes(actual)) != keccak256(bytes(expected))) {
            fail(string.concat('"', actual, '" != "', expected, '"'));
        }
    }

    function assertLe(uint256 actual, uint256 limit) internal pure {
        assertLe(actual, limit, "");
    }

    function assertLe(uint256 actual, uint256 limit, string memory message) internal pure {
        if (actual > limit) fail(string.concat(message, " (", vm.toString(actual), " > ", vm.toString(limit), ")"));
    }

    function assertGe(uint256 actual, uint256 limit) internal pure {
        assertGe(actual, limit, "");
    }

    function assertGe(uint256 actual, uint256 limit, string memory message) internal pure {
        if (actual < limit) fail(string.concat(message, " (", vm.toString(actual), " < ", vm.toString(limit), ")"));
    }

    function assertLt(uint256 actual, uint256 limit) internal pure {
        if (actual >= limit) fail(string.concat(vm.toString(actual), " >= ", vm.toString(limit)));
    }

    function assertGt(uint256 actual, uint256 limit) internal pure {
        if (actual <= limit) fail(string.concat(vm.toString(actual), " <= ", vm.toString(limit)));
    }
}
