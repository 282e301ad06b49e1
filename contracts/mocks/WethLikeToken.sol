// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A WETH9-style token: no permit, but a payable fallback that deposits, so a call to
/// permit(...) succeeds silently and changes nothing (the "phantom permit").
contract WethLikeToken {
    mapping(address account => uint256) public balanceOf;
    mapping(address owner => mapping(address spender => uint256)) public allowance;

    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Deposit(address indexed account, uint256 amount);

    /// @notice Any unknown call (permit, say) deposits msg.value and succeeds, as WETH9's fallback does.
    fallback() external payable {
        deposit();
    }

    /// @notice Plain ETH deposits.
    receive() external payable {
        deposit();
    }

    /// @notice Credits msg.value to the sender.
    function deposit() public payable {
        balanceOf[msg.sender] += msg.value;
        emit Deposit(msg.sender, msg.value);
    }

    /// @notice Sets the allowance.
    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }
}
