// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A BNB-style token: `approve(spender, 0)` reverts, so a lingering approval can only be
/// cut down to the smallest non-zero allowance (1), never removed.
contract RevertOnZeroApprovalToken is ERC20 {
    /// @notice approve was called with a zero amount.
    error ZeroApproval();

    constructor() ERC20("Revert On Zero Approve Token", "BNBL") {}

    /// @notice Mints `amount` to `to`; test-only, anyone may call it.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Sets the caller's allowance for `spender`; reverts with ZeroApproval for 0.
    function approve(address spender, uint256 value) public override returns (bool) {
        if (value == 0) revert ZeroApproval();
        return super.approve(spender, value);
    }
}
