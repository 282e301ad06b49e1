// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A ZRX-style token: failures return false instead of reverting. While `refusing` is set,
/// approve returns false and changes nothing (a frozen account, say).
contract FalseReturnToken {
    mapping(address owner => mapping(address spender => uint256)) public allowance;
    bool public refusing;

    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice Test control: while set, approve returns false and changes nothing.
    function setRefusing(bool refusing_) external {
        refusing = refusing_;
    }

    /// @notice Sets the allowance and returns true, or returns false while refusing.
    function approve(address spender, uint256 amount) external returns (bool) {
        if (refusing) return false;
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }
}
