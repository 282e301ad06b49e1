// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A fee-on-transfer token (STA, PAXG-style): every transfer burns a fixed share, so the
/// sender loses the full amount while the recipient receives less. Losses must be measured as
/// the sender's balance change, never as the amount the recipient got.
contract FeeOnTransferToken is ERC20 {
    /// @notice The share of every transfer that is burnt, in basis points (1%).
    uint256 public constant FEE_BPS = 100;
    uint256 private constant BPS_DENOMINATOR = 10_000;

    constructor() ERC20("Fee On Transfer Token", "FOT") {}

    /// @notice Mints `amount` to `to` without a fee; test-only, anyone may call it.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev Mints and burns are fee-free; a transfer burns FEE_BPS of `value` from the sender.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = value * FEE_BPS / BPS_DENOMINATOR;
        super._update(from, to, value - fee);
        super._update(from, address(0), fee);
    }
}
