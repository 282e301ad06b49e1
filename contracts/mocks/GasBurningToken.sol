// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A token whose every call burns all the gas it is given: it fails only for want of gas,
/// whatever the gas limit, like a call starved by a relayer that set too low a limit. It claims
/// every ERC-165 interface, so that callers checking for ERC-721 reach the burning call too.
contract GasBurningToken {
    uint256 public spins;

    /// @notice Claims every interface.
    function supportsInterface(bytes4) external pure returns (bool) {
        return true;
    }

    /// @notice Any other call loops until it runs out of gas.
    fallback() external {
        while (true) {
            ++spins;
        }
    }
}
