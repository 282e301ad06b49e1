// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A token that reports failure instead of reverting: transferFrom moves nothing and
/// returns false (as some early tokens do), so a caller that ignored the return value would
/// believe the transfer happened.
contract FalseReturnToken {
    mapping(address account => uint256) public balanceOf;

    /// @notice Credits `amount` to `to`; test-only, anyone may call it.
    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
    }

    /// @notice Moves nothing and reports failure, whatever the balance.
    function transferFrom(address, address, uint256) external pure returns (bool) {
        return false;
    }
}
