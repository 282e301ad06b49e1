// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @notice A USDC-style token: an issuer can pause every transfer and blocklist accounts, whose
/// transfers (in or out) then revert.
contract BlocklistPausableToken is ERC20, Pausable {
    /// @notice The caller is not the issuer.
    error NotIssuer(address caller);
    /// @notice `account` is blocklisted and can neither send nor receive.
    error AccountBlocked(address account);

    /// @notice The account that may pause and blocklist.
    address public immutable issuer;
    /// @notice Whether `account` is blocklisted.
    mapping(address account => bool) public isBlocked;

    event BlockedSet(address indexed account, bool blocked);

    constructor(address issuer_) ERC20("Blocklist Pausable Token", "BPT") {
        issuer = issuer_;
    }

    modifier onlyIssuer() {
        if (msg.sender != issuer) revert NotIssuer(msg.sender);
        _;
    }

    /// @notice Mints `amount` to `to`; test-only, anyone may call it.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Stops every transfer until unpause.
    function pause() external onlyIssuer {
        _pause();
    }

    /// @notice Resumes transfers.
    function unpause() external onlyIssuer {
        _unpause();
    }

    /// @notice Adds `account` to, or removes it from, the blocklist.
    function setBlocked(address account, bool blocked) external onlyIssuer {
        isBlocked[account] = blocked;
        emit BlockedSet(account, blocked);
    }

    function _update(address from, address to, uint256 value) internal override whenNotPaused {
        if (isBlocked[from]) revert AccountBlocked(from);
        if (isBlocked[to]) revert AccountBlocked(to);
        super._update(from, to, value);
    }
}
