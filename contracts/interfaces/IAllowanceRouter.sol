// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAllowanceTransfer} from "./IAllowanceTransfer.sol";

/// @title IAllowanceRouter
/// @notice Permit2's allowance interface plus what Permit2 lacks: a per-owner cap on how long
/// any grant may last, a guardian that can only revoke, and a batch read for dashboards.
interface IAllowanceRouter is IAllowanceTransfer {
    /// @notice The caller is not the guardian `owner` appointed.
    error NotGuardian(address caller, address owner);

    /// @notice `owner` capped every future grant at `maxDuration` seconds (0 = no cap).
    event MaxDurationSet(address indexed owner, uint48 maxDuration);

    /// @notice `owner` appointed `guardian` (address(0) = none).
    event GuardianSet(address indexed owner, address indexed guardian);

    /// @notice `guardian` revoked `pairCount` of `owner`'s grants; a Lockdown event per pair precedes it.
    event GuardianLockdown(address indexed owner, address indexed guardian, uint256 pairCount);

    /// @notice Caps every later approve or permit of the caller at `maxDuration` seconds from the
    /// moment it is set; a longer request is clamped, not rejected. 0 removes the cap.
    function setMaxDuration(uint48 maxDuration) external;

    /// @notice Appoints `guardian`, who may revoke the caller's grants and do nothing else.
    /// address(0) removes the guardian.
    function setGuardian(address guardian) external;

    /// @notice Sets `owner`'s grants for each pair to zero and voids `owner`'s signed but unused
    /// permits for them (each pair's nonce moves on by one). Callable only by `owner`'s guardian.
    /// @dev Emits Lockdown and NonceInvalidation per pair, then GuardianLockdown.
    function lockdownFor(address owner, TokenSpenderPair[] calldata approvals) external;

    /// @notice Sets the caller's grants for each pair to zero and voids its signed but unused
    /// permits for them: `lockdown` and `invalidateNonces(token, spender, nonce + 1)` in one call.
    /// Permit2's `lockdown`, kept as it is, leaves signed permits usable.
    /// @dev Emits Lockdown and NonceInvalidation per pair. The expiration is kept.
    function lockdownAndVoidPermits(TokenSpenderPair[] calldata approvals) external;

    /// @notice The settings of `owner`: its guardian (address(0) = none) and the cap on its
    /// grants' duration in seconds (0 = no cap).
    /// @dev One getter for both keeps the dispatcher short: every selector that sorts before
    /// `lockdown` costs each lockdown a comparison.
    function settingsOf(address owner) external view returns (address guardian, uint48 maxDuration);

    /// @notice The grants of `owner` for each pair, in order.
    function allowances(address owner, TokenSpenderPair[] calldata pairs)
        external
        view
        returns (PackedAllowance[] memory);
}
