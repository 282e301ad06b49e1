// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A UNI/COMP-style token: allowances are uint96; approve(type(uint256).max) stores
/// type(uint96).max and any other amount above 96 bits reverts.
contract Uint96AllowanceToken {
    mapping(address owner => mapping(address spender => uint96)) internal _allowances;

    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice The allowance, at most type(uint96).max.
    function allowance(address owner, address spender) external view returns (uint256) {
        return _allowances[owner][spender];
    }

    /// @notice Sets the allowance; type(uint256).max means type(uint96).max, and more than 96 bits reverts.
    function approve(address spender, uint256 rawAmount) external returns (bool) {
        uint96 amount;
        if (rawAmount == type(uint256).max) {
            amount = type(uint96).max;
        } else {
            require(rawAmount <= type(uint96).max, "UNI: amount exceeds 96 bits");
            amount = uint96(rawAmount);
        }
        _allowances[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }
}
