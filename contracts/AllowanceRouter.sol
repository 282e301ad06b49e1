// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {EIP712Domain} from "./EIP712Domain.sol";
import {IAllowanceRouter} from "./interfaces/IAllowanceRouter.sol";
import {IAllowanceTransfer} from "./interfaces/IAllowanceTransfer.sol";
import {PermitHash} from "./libraries/PermitHash.sol";
import {SignatureVerification} from "./libraries/SignatureVerification.sol";

/// @title AllowanceRouter
/// @notice Expiring, amount-capped token allowances held outside the token. An owner approves
/// the router once on the token; spenders then pull only within a live grant, set by the owner
/// on-chain or by EIP-712 signature. A compromise of a spender after its grant's expiration
/// drains nothing.
/// @dev Compatible with Uniswap Permit2's IAllowanceTransfer, selector for selector and
/// semantics for semantics. There is no admin, no owner, no pause and no upgrade path: nothing
/// but a spender inside a live grant can move a user's tokens, and the router never holds any.
/// The extensions (duration cap, guardian) live in their own per-owner slot, which the spend
/// path never reads.
contract AllowanceRouter is IAllowanceRouter, EIP712Domain {
    using SafeERC20 for IERC20;
    using SignatureVerification for bytes;
    using PermitHash for PermitSingle;
    using PermitHash for PermitBatch;

    /// @dev invalidateNonces may skip at most this many nonces in one call, as in Permit2, so
    /// that a signed-away nonce space cannot be exhausted by mistake.
    uint256 private constant MAX_NONCE_INVALIDATION = type(uint16).max;

    /// @dev An amount of type(uint160).max is never decremented: bounded by time only.
    uint160 private constant UNLIMITED = type(uint160).max;

    /// @dev Bit offsets in a PackedAllowance slot, Solidity's own layout of the struct: amount in
    /// bits 0-159, expiration in bits 160-207, nonce in bits 208-255. Grants are written as one
    /// word: member-wise writes compile to a read-modify-write of the slot per member.
    uint256 private constant EXPIRATION_OFFSET = 160;
    uint256 private constant NONCE_OFFSET = 208;

    /// @dev The largest nonce or expiration, and the mask of either field once shifted down.
    uint256 private constant UINT48_MAX = 0xffffffffffff;

    /// @dev Per-owner settings, packed into one slot: 160 bits guardian, 48 bits duration cap.
    struct OwnerSettings {
        address guardian;
        uint48 maxDuration;
    }

    /// @notice The grant of owner to spender over token: amount, expiration and nonce in one slot.
    /// @dev Indexed owner => token => spender, as in Permit2.
    mapping(address owner => mapping(address token => mapping(address spender => PackedAllowance))) public allowance;

    mapping(address owner => OwnerSettings) private _settings;

    constructor() EIP712Domain("AllowanceRouter") {}

    // ------------------------------------------------------------------ grants

    /// @inheritdoc IAllowanceTransfer
    /// @dev An expiration beyond the owner's duration cap is clamped to now + cap; the
    /// Approval event carries the expiration actually stored.
    function approve(address token, address spender, uint160 amount, uint48 expiration) external {
        uint48 effectiveExpiration = _effectiveExpiration(msg.sender, expiration);
        PackedAllowance storage allowed = allowance[msg.sender][token][spender];
        _storeAmountAndExpiration(allowed, amount, effectiveExpiration);
        emit Approval(msg.sender, token, spender, amount, effectiveExpiration);
    }

    /// @inheritdoc IAllowanceTransfer
    function permit(address owner, PermitSingle memory permitSingle, bytes calldata signature) external {
        if (block.timestamp > permitSingle.sigDeadline) revert SignatureExpired(permitSingle.sigDeadline);
        signature.verify(_hashTypedData(permitSingle.hash()), owner);
        uint48 maxDuration = _settings[owner].maxDuration;
        _updateApproval(permitSingle.details, owner, permitSingle.spender, maxDuration);
    }

    /// @inheritdoc IAllowanceTransfer
    function permit(address owner, PermitBatch memory permitBatch, bytes calldata signature) external {
        if (block.timestamp > permitBatch.sigDeadline) revert SignatureExpired(permitBatch.sigDeadline);
        signature.verify(_hashTypedData(permitBatch.hash()), owner);
        uint48 maxDuration = _settings[owner].maxDuration;
        address spender = permitBatch.spender;
        uint256 count = permitBatch.details.length;
        for (uint256 i; i < count; ++i) {
            _updateApproval(permitBatch.details[i], owner, spender, maxDuration);
        }
    }

    // ------------------------------------------------------------------ spends

    /// @inheritdoc IAllowanceTransfer
    function transferFrom(address from, address to, uint160 amount, address token) external {
        _transfer(from, to, amount, token);
    }

    /// @inheritdoc IAllowanceTransfer
    function transferFrom(AllowanceTransferDetails[] calldata transferDetails) external {
        uint256 count = transferDetails.length;
        for (uint256 i; i < count; ++i) {
            AllowanceTransferDetails calldata transfer = transferDetails[i];
            _transfer(transfer.from, transfer.to, transfer.amount, transfer.token);
        }
    }

    // ------------------------------------------------------------- revocation

    /// @inheritdoc IAllowanceTransfer
    function lockdown(TokenSpenderPair[] calldata approvals) external {
        _lockdown(msg.sender, approvals);
    }

    /// @inheritdoc IAllowanceRouter
    /// @dev Also moves each pair's nonce on, voiding the owner's signed but unused permits: a
    /// leaked or phished signature would otherwise restore the grant the guardian just removed.
    function lockdownFor(address owner, TokenSpenderPair[] calldata approvals) external {
        // No owner appoints address(0) as a guardian that can act: msg.sender is never zero, so
        // an owner without a guardian (address(0) stored) fails this comparison for every caller.
        if (msg.sender != _settings[owner].guardian) revert NotGuardian(msg.sender, owner);
        _lockdownAndVoidPermits(owner, approvals);
        emit GuardianLockdown(owner, msg.sender, approvals.length);
    }

    /// @inheritdoc IAllowanceRouter
    function lockdownAndVoidPermits(TokenSpenderPair[] calldata approvals) external {
        _lockdownAndVoidPermits(msg.sender, approvals);
    }

    /// @inheritdoc IAllowanceTransfer
    function invalidateNonces(address token, address spender, uint48 newNonce) external {
        PackedAllowance storage allowed = allowance[msg.sender][token][spender];
        uint48 oldNonce = allowed.nonce;
        if (newNonce <= oldNonce) revert InvalidNonce();
        // Cannot underflow: newNonce > oldNonce was checked above.
        unchecked {
            if (newNonce - oldNonce > MAX_NONCE_INVALIDATION) revert ExcessiveInvalidation();
        }
        allowed.nonce = newNonce;
        emit NonceInvalidation(msg.sender, token, spender, newNonce, oldNonce);
    }

    // --------------------------------------------------------------- settings

    /// @inheritdoc IAllowanceRouter
    function setMaxDuration(uint48 maxDuration) external {
        _settings[msg.sender].maxDuration = maxDuration;
        emit MaxDurationSet(msg.sender, maxDuration);
    }

    /// @inheritdoc IAllowanceRouter
    function setGuardian(address guardian) external {
        _settings[msg.sender].guardian = guardian;
        emit GuardianSet(msg.sender, guardian);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IAllowanceRouter
    function settingsOf(address owner) external view returns (address guardian, uint48 maxDuration) {
        OwnerSettings storage settings = _settings[owner];
        return (settings.guardian, settings.maxDuration);
    }

    /// @inheritdoc IAllowanceRouter
    function allowances(address owner, TokenSpenderPair[] calldata pairs)
        external
        view
        returns (PackedAllowance[] memory result)
    {
        uint256 count = pairs.length;
        result = new PackedAllowance[](count);
        for (uint256 i; i < count; ++i) {
            result[i] = allowance[owner][pairs[i].token][pairs[i].spender];
        }
    }

    // --------------------------------------------------------------- internal

    /// @dev Permit2's nonce rule: the signed nonce must equal the stored one, which then moves on.
    function _updateApproval(PermitDetails memory details, address owner, address spender, uint48 maxDuration)
        private
    {
        PackedAllowance storage allowed = allowance[owner][details.token][spender];
        uint48 nonce = details.nonce;
        if (allowed.nonce != nonce) revert InvalidNonce();
        uint48 effectiveExpiration = _clamp(details.expiration, maxDuration);
        // A uint48 nonce cannot be exhausted one signature at a time; wrapping is unreachable.
        unchecked {
            _store(allowed, details.amount, effectiveExpiration, nonce + 1);
        }
        emit Permit(owner, details.token, spender, details.amount, effectiveExpiration, nonce);
    }

    /// @dev The spend path reads exactly one slot: the grant itself.
    function _transfer(address from, address to, uint160 amount, address token) private {
        PackedAllowance storage allowed = allowance[from][token][msg.sender];
        uint48 expiration = allowed.expiration;
        if (block.timestamp > expiration) revert AllowanceExpired(expiration);
        uint160 maxAmount = allowed.amount;
        if (maxAmount != UNLIMITED) {
            if (amount > maxAmount) revert InsufficientAllowance(maxAmount);
            // Cannot underflow: amount <= maxAmount was checked above.
            unchecked {
                allowed.amount = maxAmount - amount;
            }
        }
        // Effects above, interaction last: a reentrant token sees the decremented grant.
        IERC20(token).safeTransferFrom(from, to, amount);
    }

    /// @dev The whole grant in one SSTORE.
    function _store(PackedAllowance storage allowed, uint160 amount, uint48 expiration, uint48 nonce) private {
        uint256 word = (uint256(nonce) << NONCE_OFFSET) | (uint256(expiration) << EXPIRATION_OFFSET) | uint256(amount);
        assembly ("memory-safe") {
            sstore(allowed.slot, word)
        }
    }

    /// @dev Amount and expiration in one SLOAD and one SSTORE; the nonce bits are kept as stored.
    function _storeAmountAndExpiration(PackedAllowance storage allowed, uint160 amount, uint48 expiration) private {
        uint256 amountAndExpiration = (uint256(expiration) << EXPIRATION_OFFSET) | uint256(amount);
        assembly ("memory-safe") {
            let slot := allowed.slot
            sstore(slot, or(shl(NONCE_OFFSET, shr(NONCE_OFFSET, sload(slot))), amountAndExpiration))
        }
    }

    /// @dev Per pair, one SLOAD and one SSTORE: amount 0, expiration kept, nonce + 1. A nonce at
    /// type(uint48).max stays there (unreachable: 2^48 permits or 2^32 maximal invalidations).
    function _lockdownAndVoidPermits(address owner, TokenSpenderPair[] calldata approvals) private {
        uint256 count = approvals.length;
        for (uint256 i; i < count; ++i) {
            address token = approvals[i].token;
            address spender = approvals[i].spender;
            PackedAllowance storage allowed = allowance[owner][token][spender];
            uint48 oldNonce;
            uint48 newNonce;
            assembly ("memory-safe") {
                let slot := allowed.slot
                let word := sload(slot)
                oldNonce := shr(NONCE_OFFSET, word)
                newNonce := add(oldNonce, lt(oldNonce, UINT48_MAX))
                // Keeps the expiration bits, clears the amount, writes the new nonce.
                let expirationBits := and(shr(EXPIRATION_OFFSET, word), UINT48_MAX)
                sstore(slot, or(shl(NONCE_OFFSET, newNonce), shl(EXPIRATION_OFFSET, expirationBits)))
            }
            emit Lockdown(owner, token, spender);
            emit NonceInvalidation(owner, token, spender, newNonce, oldNonce);
        }
    }

    function _lockdown(address owner, TokenSpenderPair[] calldata approvals) private {
        uint256 count = approvals.length;
        for (uint256 i; i < count; ++i) {
            address token = approvals[i].token;
            address spender = approvals[i].spender;
            allowance[owner][token][spender].amount = 0;
            emit Lockdown(owner, token, spender);
        }
    }

    function _effectiveExpiration(address owner, uint48 expiration) private view returns (uint48) {
        return _clamp(expiration, _settings[owner].maxDuration);
    }

    /// @dev 0 means "this block only"; a request beyond now + maxDuration is clamped to it.
    function _clamp(uint48 expiration, uint48 maxDuration) private view returns (uint48) {
        if (expiration == 0) return uint48(block.timestamp);
        if (maxDuration != 0) {
            uint256 latest = block.timestamp + maxDuration;
            if (expiration > latest) return uint48(latest);
        }
        return expiration;
    }
}
