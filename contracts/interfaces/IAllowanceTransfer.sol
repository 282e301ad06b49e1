// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IEIP712} from "./IEIP712.sol";

/// @title IAllowanceTransfer
/// @notice Uniswap Permit2's allowance-transfer interface, selector for selector: events,
/// errors, structs and functions keep Permit2's names and types so that tooling written for
/// Permit2 (signing code, decoders, scanners) works unchanged.
interface IAllowanceTransfer is IEIP712 {
    /// @notice A spend was attempted after the grant's expiration.
    /// @param deadline The grant's expiration timestamp.
    error AllowanceExpired(uint256 deadline);

    /// @notice A spend asked for more than the grant holds.
    /// @param amount The amount the grant holds.
    error InsufficientAllowance(uint256 amount);

    /// @notice invalidateNonces tried to skip more than `type(uint16).max` nonces at once.
    error ExcessiveInvalidation();

    /// @notice The permit's nonce is not the stored one, or a nonce invalidation does not move forward.
    error InvalidNonce();

    /// @notice The signature's deadline has passed.
    /// @param signatureDeadline The deadline the signature carried.
    error SignatureExpired(uint256 signatureDeadline);

    /// @notice The owner invalidated nonces for (token, spender).
    event NonceInvalidation(
        address indexed owner, address indexed token, address indexed spender, uint48 newNonce, uint48 oldNonce
    );

    /// @notice The owner set a grant by transaction.
    event Approval(
        address indexed owner, address indexed token, address indexed spender, uint160 amount, uint48 expiration
    );

    /// @notice A grant was set from the owner's signature.
    event Permit(
        address indexed owner,
        address indexed token,
        address indexed spender,
        uint160 amount,
        uint48 expiration,
        uint48 nonce
    );

    /// @notice A grant's amount was set to zero.
    event Lockdown(address indexed owner, address token, address spender);

    /// @notice The signed terms of one grant.
    struct PermitDetails {
        // ERC-20 token address
        address token;
        // the maximum amount allowed to spend
        uint160 amount;
        // timestamp at which a spender's token allowances become invalid
        uint48 expiration;
        // an incrementing value indexed per owner, token and spender for each signature
        uint48 nonce;
    }

    /// @notice A signed grant for one token.
    struct PermitSingle {
        PermitDetails details;
        address spender;
        // deadline on the permit signature
        uint256 sigDeadline;
    }

    /// @notice A signed grant for several tokens to one spender.
    struct PermitBatch {
        PermitDetails[] details;
        address spender;
        // deadline on the permit signature
        uint256 sigDeadline;
    }

    /// @notice One (owner, token, spender) grant as stored: a single 256-bit slot.
    struct PackedAllowance {
        // amount allowed
        uint160 amount;
        // permission expiry
        uint48 expiration;
        // an incrementing value indexed per owner, token and spender for each signature
        uint48 nonce;
    }

    /// @notice A (token, spender) pair whose grant is to be revoked.
    struct TokenSpenderPair {
        address token;
        address spender;
    }

    /// @notice One transfer of a batch.
    struct AllowanceTransferDetails {
        address from;
        address to;
        uint160 amount;
        address token;
    }

    /// @notice The grant of `user` to `spender` over `token`.
    /// @return amount The amount the spender may still pull.
    /// @return expiration The last timestamp at which it may pull.
    /// @return nonce The nonce the next permit for this pair must carry.
    function allowance(address user, address token, address spender)
        external
        view
        returns (uint160 amount, uint48 expiration, uint48 nonce);

    /// @notice Grants `spender` the right to pull up to `amount` of `token` until `expiration`.
    /// @dev Expiration 0 means "this block only". The nonce is left unchanged.
    function approve(address token, address spender, uint160 amount, uint48 expiration) external;

    /// @notice Sets a grant from the owner's EIP-712 signature over a PermitSingle.
    function permit(address owner, PermitSingle memory permitSingle, bytes calldata signature) external;

    /// @notice Sets grants for several tokens from the owner's EIP-712 signature over a PermitBatch.
    function permit(address owner, PermitBatch memory permitBatch, bytes calldata signature) external;

    /// @notice Moves `amount` of `token` from `from` to `to` within the caller's grant.
    function transferFrom(address from, address to, uint160 amount, address token) external;

    /// @notice Moves several amounts within the caller's grants.
    function transferFrom(AllowanceTransferDetails[] calldata transferDetails) external;

    /// @notice Sets the caller's grants for each pair to zero.
    function lockdown(TokenSpenderPair[] calldata approvals) external;

    /// @notice Moves the caller's nonce for (token, spender) forward, voiding signed but unused permits.
    function invalidateNonces(address token, address spender, uint48 newNonce) external;
}
