// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A ZRX-style token: failures return false instead of reverting. By default transferFrom
/// moves nothing and always returns false, so a caller that ignored the return value would believe
/// the transfer happened; while `transfersWork` is set it moves tokens within the allowance and the
/// balance, as ZRX does, and returns false (moving nothing) beyond them. approve sets the allowance
/// and returns true, or, while `refusing` is set (a frozen account, say), returns false and changes
/// nothing.
contract FalseReturnToken {
    mapping(address account => uint256) public balanceOf;
    mapping(address owner => mapping(address spender => uint256)) public allowance;
    bool public refusing;
    bool public transfersWork;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice Credits `amount` to `to`; test-only, anyone may call it.
    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
    }

    /// @notice Test control: while set, approve returns false and changes nothing.
    function setRefusing(bool refusing_) external {
        refusing = refusing_;
    }

    /// @notice Test control: while set, transferFrom moves tokens as ZRX does instead of refusing everything.
    function setTransfersWork(bool transfersWork_) external {
        transfersWork = transfersWork_;
    }

    /// @notice Sets the allowance and returns true, or returns false while refusing.
    function approve(address spender, uint256 amount) external returns (bool) {
        if (refusing) return false;
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @notice Moves nothing and reports failure, whatever the balance; while `transfersWork` is set,
    /// moves `amount` within the allowance (not decremented when unlimited) and the balance, and
    /// reports failure beyond them.
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        if (!transfersWork) return false;
        uint256 allowed = allowance[from][msg.sender];
        if (allowed < amount || balanceOf[from] < amount) return false;
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - amount;
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
        return true;
    }
}
