// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A token that reports failure instead of reverting: transferFrom and transfer move
/// nothing and return false (as some pre-2017 tokens do), so a caller that ignores the return
/// value would believe a transfer happened.
contract FalseReturnToken {
    mapping(address account => uint256) public balanceOf;
    mapping(address owner => mapping(address spender => uint256)) public allowance;

    /// @notice Credits `amount` to `to`; test-only, anyone may call it.
    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
    }

    /// @notice Records the allowance and reports success, like any ERC-20.
    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        return true;
    }

    /// @notice Moves nothing and reports failure.
    function transfer(address, uint256) external pure returns (bool) {
        return false;
    }

    /// @notice Moves nothing and reports failure.
    function transferFrom(address, address, uint256) external pure returns (bool) {
        return false;
    }
}
