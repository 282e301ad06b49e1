// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A ZRX-style token: failures return false instead of reverting. transferFrom moves
/// nothing and always returns false, so a caller that ignored the return value would believe
/// the transfer happened. approve sets the allowance and returns true, or, while `refusing` is
/// set (a frozen account, say), returns false and changes nothing.
contract FalseReturnToken {
    mapping(address account => uint256) public balanceOf;
    mapping(address owner => mapping(address spender => uint256)) public allowance;
    bool public refusing;

    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice Credits `amount` to `to`; test-only, anyone may call it.
    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
    }

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

    /// @notice Moves nothing and reports failure, whatever the balance.
    function transferFrom(address, address, uint256) external pure returns (bool) {
        return false;
    }
}
