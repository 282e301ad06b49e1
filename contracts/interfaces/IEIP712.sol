// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IEIP712
/// @notice The EIP-712 domain separator getter shared with Uniswap Permit2.
interface IEIP712 {
    /// @notice The EIP-712 domain separator for this chain and contract.
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
