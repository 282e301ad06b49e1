// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A BNB-style token: approve(spender, 0) reverts, so an allowance can be lowered to 1 at
/// best, never removed.
contract RevertOnZeroApprovalToken {
    mapping(address owner => mapping(address spender => uint256)) public allowance;

    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice Sets the allowance; reverts on 0, as BNB does.
    function approve(address spender, uint256 amount) external returns (bool) {
        require(amount > 0, "BNB: zero approval");
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }
}
