// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A WETH9-style token: no permit, but a payable fallback that deposits, so a call to
/// permit(...) succeeds silently and changes nothing (the "phantom permit"). Its transferFrom is
/// WETH9's, so an allowance it keeps can really be spent.
contract WethLikeToken {
    mapping(address account => uint256) public balanceOf;
    mapping(address owner => mapping(address spender => uint256)) public allowance;

    /// @notice `account` holds less than `needed`.
    error InsufficientBalance(address account, uint256 needed);
    /// @notice The caller's allowance from `owner` is less than `needed`.
    error InsufficientAllowance(address owner, uint256 needed);

    event Transfer(address indexed from, address indexed to, uint256 value);
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

    /// @notice WETH9's transferFrom: a caller other than `from` spends its allowance, which an
    /// unlimited (type(uint256).max) allowance never runs out of.
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        if (balanceOf[from] < amount) revert InsufficientBalance(from, amount);
        if (from != msg.sender) {
            uint256 allowed = allowance[from][msg.sender];
            if (allowed != type(uint256).max) {
                if (allowed < amount) revert InsufficientAllowance(from, amount);
                allowance[from][msg.sender] = allowed - amount;
            }
        }
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
        return true;
    }
}
