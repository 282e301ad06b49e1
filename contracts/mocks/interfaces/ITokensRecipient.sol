// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ITokensRecipient
/// @notice The receive hook of an ERC-777-style token, called on the recipient after every
/// balance change that credits it (ERC-777's `tokensReceived`, without user data).
interface ITokensRecipient {
    /// @notice `operator` moved `amount` from `from` to `to`; `to`'s balance is already credited.
    function tokensReceived(address operator, address from, address to, uint256 amount) external;
}
