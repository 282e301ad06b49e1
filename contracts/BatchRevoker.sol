// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IBatchRevoker} from "./interfaces/IBatchRevoker.sol";

/// @title BatchRevoker
/// @notice A revoke-only EIP-7702 delegate and a relay for zero-value permits. Delegated to, it lets
/// an EOA remove any number of its own ERC-20 allowances, ERC-721 token approvals, ERC-721/1155
/// operator approvals and AllowanceRouter/Permit2 grants in one transaction, and it can do nothing
/// else: every call it makes has a fixed selector and a zero/false amount, except one documented
/// fallback that lowers (never raises) an allowance to 1 for tokens that refuse approve(_, 0).
/// @dev Under delegation this code runs in the EOA's context: address(this) is the EOA and any
/// storage is the EOA's. The only slots used, in an ERC-7201 namespace, are the signed-revocation
/// nonce and the account's revoke-only guardian. Because the delegation outlives the transaction, the delegate also keeps the account
/// usable as before: it accepts ETH and safe transfers, and answers EIP-1271 for the EOA's own key.
///
/// This contract must never expose `approve`, `setApprovalForAll`, `lockdown` or `allowance`
/// itself: an item that targets the account receives exactly those selectors and must fail.
contract BatchRevoker is IBatchRevoker, IERC1271, IERC721Receiver, IERC1155Receiver, IERC5267 {
    // ------------------------------------------------------------ packed list layout
    uint256 private constant HEADER_LENGTH = 22;
    uint256 private constant ADDRESS_LENGTH = 20;
    uint256 private constant TOKEN_ID_LENGTH = 32;
    uint256 private constant PAIR_LENGTH = 40;
    /// @dev Header word: kind in byte 0, subject in bytes 1..20, count in byte 21.
    uint256 private constant KIND_SHIFT = 248;
    uint256 private constant SUBJECT_SHIFT = 88;
    uint256 private constant COUNT_SHIFT = 80;
    uint256 private constant ADDRESS_SHIFT = 96;
    uint256 private constant BYTE_MASK = 0xff;
    /// @dev Places a selector at bytes 0x10..0x13 of a word, where scratch-space calldata starts.
    uint256 private constant SELECTOR_AT_0X10_SHIFT = 96;

    uint8 private constant KIND_ERC20 = 0;
    uint8 private constant KIND_OPERATOR = 1;
    uint8 private constant KIND_ERC721 = 2;
    uint8 private constant KIND_LOCKDOWN = 3;
    uint8 private constant KIND_LOCKDOWN_KEEP_PERMITS = 4;

    // ------------------------------------------------------------ calls made
    /// @dev approve(address,uint256): ERC-20 allowance and ERC-721 token approval alike.
    bytes4 private constant APPROVE_SELECTOR = 0x095ea7b3;
    /// @dev APPROVE_SELECTOR at bytes 0x10..0x13 of a word, where scratch-space calldata starts.
    uint256 private constant APPROVE_SELECTOR_WORD = 0x095ea7b3000000000000000000000000;
    /// @dev setApprovalForAll(address,bool): ERC-721 and ERC-1155 alike.
    bytes4 private constant SET_APPROVAL_FOR_ALL_SELECTOR = 0xa22cb465;
    /// @dev lockdown((address,address)[]) of IAllowanceTransfer (AllowanceRouter, Permit2).
    bytes4 private constant LOCKDOWN_SELECTOR = 0xcc53287f;
    /// @dev allowance(address,address,address) of IAllowanceTransfer: (amount, expiration, nonce).
    bytes4 private constant ROUTER_ALLOWANCE_SELECTOR = 0x927da105;
    /// @dev invalidateNonces(address,address,uint48) of IAllowanceTransfer.
    bytes4 private constant INVALIDATE_NONCES_SELECTOR = 0x65d9723c;
    /// @dev The largest uint48: a router nonce there cannot move on.
    uint256 private constant UINT48_MAX = type(uint48).max;
    /// @dev The router's allowance answer is three words; the nonce is the third.
    uint256 private constant ROUTER_ALLOWANCE_LENGTH = 0x60;
    uint256 private constant ROUTER_NONCE_WORD = 0x40;
    /// @dev allowance(address,address) of ERC-20.
    bytes4 private constant ALLOWANCE_SELECTOR = 0xdd62ed3e;
    /// @dev EIP-2612 permit(address,address,uint256,uint256,uint8,bytes32,bytes32).
    bytes4 private constant PERMIT_SELECTOR = 0xd505accf;
    /// @dev DAI permit(address,address,uint256,uint256,bool,uint8,bytes32,bytes32).
    bytes4 private constant DAI_PERMIT_SELECTOR = 0x8fcbaf0c;

    /// @dev supportsInterface(bytes4) of ERC-165, and the ERC-721 interface id.
    bytes4 private constant SUPPORTS_INTERFACE_SELECTOR = 0x01ffc9a7;
    bytes4 private constant ERC721_INTERFACE_ID = 0x80ac58cd;

    /// @dev How a token answered approve(spender, 0) when it did not return true.
    uint256 private constant REFUSAL_REJECTED = 1; // reverted, returned false or a malformed answer
    uint256 private constant REFUSAL_SILENT = 2; // succeeded without a return value
    uint256 private constant REFUSAL_OUT_OF_GAS = 3; // used its whole stipend

    /// @dev How a bounded call (_boundedCall) ended.
    uint256 private constant CALL_SUCCEEDED = 0;
    uint256 private constant CALL_REJECTED = 1; // reverted before its stipend ran out
    uint256 private constant CALL_OUT_OF_GAS = 2; // used its whole stipend

    /// @dev The most gas one item's call may use: several times the heaviest approve(spender, 0) of
    /// the common-token mocks that scripts/bench/revoker.ts traces (every slot cold; README, Gas), so
    /// that a real token never runs out, while a token that burns all gas it is given costs the batch
    /// this much and no more. Router lockdowns get it once per pair.
    uint256 private constant ITEM_GAS_STIPEND = 100_000;
    /// @dev What a call costs the caller before the callee's gas (a cold account, memory), kept
    /// on top of the stipend so that the callee really receives all of it.
    uint256 private constant CALL_OVERHEAD_GAS = 5_000;
    /// @dev EIP-150: a call forwards at most 63/64 of the gas left.
    uint256 private constant FORWARDED_GAS_DIVISOR = 63;
    /// @dev When there is not enough gas for a full stipend, a failed call left with less than
    /// 1/CALL_GAS_FRACTION of the gas before it may have been starved: the caller gave too little.
    uint256 private constant CALL_GAS_FRACTION = 64;
    /// @dev The gas above which a call can be given a full ITEM_GAS_STIPEND.
    uint256 private constant FULL_STIPEND_GAS =
        ITEM_GAS_STIPEND + ITEM_GAS_STIPEND / FORWARDED_GAS_DIVISOR + CALL_OVERHEAD_GAS;

    /// @dev The smallest allowance a token that refuses approve(_, 0) (BNB) can be left with.
    uint256 private constant SMALLEST_ALLOWANCE = 1;

    // ------------------------------------------------------------ signatures
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    string private constant DOMAIN_NAME = "BatchRevoker";
    string private constant DOMAIN_VERSION = "1";
    bytes32 private constant DOMAIN_NAME_HASH = keccak256(bytes(DOMAIN_NAME));
    bytes32 private constant DOMAIN_VERSION_HASH = keccak256(bytes(DOMAIN_VERSION));
    /// @dev ERC-5267 field bitmap: name, version, chainId, verifyingContract.
    bytes1 private constant DOMAIN_FIELDS = hex"0f";

    bytes32 private constant REVOCATION_TYPEHASH =
        keccak256("Revocation(bytes items,bool atomic,uint256 nonce,uint256 deadline)");

    uint256 private constant COMPACT_SIGNATURE_LENGTH = 64;
    bytes4 private constant INVALID_SIGNATURE = 0xffffffff;

    // ------------------------------------------------------------ storage
    /// @custom:storage-location erc7201:allowancerouter.BatchRevoker
    struct RevokerStorage {
        // the nonce the account's next signed revocation must carry
        uint256 nonce;
        // who may make the account revoke (revokeAsGuardian), address(0) = nobody
        address guardian;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("allowancerouter.BatchRevoker")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x2d4b0422049ed89c5eff998b8bc9a3a4ac75ead74d7b72185c0897c50ab0e500;

    /// @dev The deployment's own address: permits are relayed there and never by a delegated account.
    address private immutable _deployment = address(this);

    // ================================================================ revocation

    /// @inheritdoc IBatchRevoker
    function revoke(bytes calldata items, bool atomic) external returns (bytes memory outcomes) {
        if (msg.sender != address(this)) revert NotSelf(msg.sender);
        return _revokeAll(items, atomic);
    }

    /// @inheritdoc IBatchRevoker
    function revokeAsGuardian(bytes calldata items, bool atomic) external returns (bytes memory outcomes) {
        // msg.sender is never address(0), so an account without a guardian refuses every caller.
        if (msg.sender != _storage().guardian) revert NotGuardian(msg.sender);
        outcomes = _revokeAll(items, atomic);
        emit GuardianRevocation(msg.sender, outcomes.length);
    }

    /// @inheritdoc IBatchRevoker
    function setGuardian(address guardian) external {
        if (msg.sender != address(this)) revert NotSelf(msg.sender);
        RevokerStorage storage $ = _storage();
        emit GuardianChanged($.guardian, guardian);
        $.guardian = guardian;
    }

    /// @inheritdoc IBatchRevoker
    function guardianOf() external view returns (address) {
        return _storage().guardian;
    }

    /// @inheritdoc IBatchRevoker
    function revokeWithSignature(bytes calldata items, bool atomic, uint256 deadline, bytes calldata signature)
        external
        returns (bytes memory outcomes)
    {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        RevokerStorage storage $ = _storage();
        uint256 nonce = $.nonce;
        if (!_isOwnSignature(_revocationDigest(items, atomic, nonce, deadline), signature)) revert InvalidSignature();
        // Consumed before any token is called: a reentrant replay finds the nonce gone. A signer
        // cannot exhaust a uint256 one signature at a time.
        unchecked {
            $.nonce = nonce + 1;
        }
        return _revokeAll(items, atomic);
    }

    /// @inheritdoc IBatchRevoker
    function revokeWithPermits(PermitRevocation[] calldata permits) external returns (bytes memory outcomes) {
        if (address(this) != _deployment) revert PermitRelayOnlyAtDeployment();
        uint256 count = permits.length;
        if (count == 0) revert NoItems();
        outcomes = new bytes(count);
        for (uint256 index; index < count; ++index) {
            PermitRevocation calldata permit = permits[index];
            _relayPermit(permit);
            // The permit's own result is ignored (a front-run or replayed permit reverts, a phantom
            // one succeeds): only the allowance read back afterwards decides.
            (bool readable, uint256 remaining) = _allowanceOf(permit.token, permit.owner, permit.spender);
            if (!readable || remaining != 0) _record(outcomes, index, permit.token, Outcome.Failed);
        }
    }

    /// @inheritdoc IBatchRevoker
    function revocationNonce() external view returns (uint256) {
        return _storage().nonce;
    }

    /// @inheritdoc IBatchRevoker
    function revocationDigest(bytes calldata items, bool atomic, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        return _revocationDigest(items, atomic, nonce, deadline);
    }

    /// @notice The EIP-712 domain separator of this account's signed revocations.
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparator();
    }

    /// @inheritdoc IERC5267
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (DOMAIN_FIELDS, DOMAIN_NAME, DOMAIN_VERSION, block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    // ================================================================ good citizen

    /// @notice Accepts ETH, as the EOA did before delegating. The deployment itself refuses it: it
    /// has no way to send ETH on, so whatever reached it would be locked.
    receive() external payable {
        if (address(this) == _deployment) revert DeploymentTakesNoEther();
    }

    /// @inheritdoc IERC1271
    /// @dev Valid exactly when the account's own key signed `hash` (65-byte or EIP-2098 64-byte
    /// signature, low s): verifiers that call EIP-1271 on any address with code (Permit2, the
    /// AllowanceRouter) accept what they would have accepted from the EOA without code.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        return _isOwnSignature(hash, signature) ? IERC1271.isValidSignature.selector : INVALID_SIGNATURE;
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC1155Receiver.onERC1155Received.selector;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155BatchReceived(address, address, uint256[] calldata, uint256[] calldata, bytes calldata)
        external
        pure
        returns (bytes4)
    {
        return IERC1155Receiver.onERC1155BatchReceived.selector;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC165).interfaceId || interfaceId == type(IERC721Receiver).interfaceId
            || interfaceId == type(IERC1155Receiver).interfaceId || interfaceId == type(IERC1271).interfaceId
            || interfaceId == type(IBatchRevoker).interfaceId;
    }

    // ================================================================ internal: the list

    /// @dev Walks the packed list group by group. Every call made is a revocation; malformed input
    /// reverts the whole call, so nothing changes.
    function _revokeAll(bytes calldata items, bool atomic) private returns (bytes memory outcomes) {
        uint256 length = items.length;
        if (length == 0) revert NoItems();
        // Every entry is at least ADDRESS_LENGTH bytes, which bounds the item count; the array is
        // shrunk to the real count at the end. Zeroed memory reads as Outcome.Revoked.
        outcomes = new bytes(length / ADDRESS_LENGTH);
        uint256 index;
        uint256 offset;
        // Unchecked: offsets stay within the calldata (length < 2^64), groups hold at most 255
        // entries of at most PAIR_LENGTH bytes, and index counts entries.
        unchecked {
            while (offset < length) {
                uint256 groupOffset = offset;
                offset += HEADER_LENGTH;
                if (offset > length) revert MalformedItems(groupOffset);
                (uint8 kind, address subject, uint256 count) = _header(items, groupOffset);
                if (count == 0) revert MalformedItems(groupOffset);
                if (kind == KIND_ERC20) {
                    uint256 end = _groupEnd(offset, count, ADDRESS_LENGTH, length, groupOffset);
                    while (true) {
                        // Hot path: every token that returns true from approve(spender, 0). It stops at the
                        // first other answer, which is settled here, then resumes after it.
                        (uint256 refusedAt, uint256 refusal) = _approveZeroUntilRefused(items, offset, end, subject);
                        index += (refusedAt - offset) / ADDRESS_LENGTH;
                        offset = refusedAt;
                        if (offset == end) break;
                        address token = _addressAt(items, offset);
                        Outcome outcome;
                        if (refusal == REFUSAL_SILENT) outcome = _confirmSilentApproval(token, subject);
                        else if (refusal == REFUSAL_REJECTED) outcome = _reduce(token, subject);
                        else outcome = Outcome.OutOfGas;
                        _settle(outcomes, index, token, outcome, atomic);
                        ++index;
                        offset += ADDRESS_LENGTH;
                        if (offset == end) break;
                    }
                } else if (kind == KIND_OPERATOR) {
                    uint256 end = _groupEnd(offset, count, ADDRESS_LENGTH, length, groupOffset);
                    for (; offset < end; offset += ADDRESS_LENGTH) {
                        address token = _addressAt(items, offset);
                        Outcome outcome = _outcomeOf(_callWithAccount(token, SET_APPROVAL_FOR_ALL_SELECTOR, subject, 0));
                        _settle(outcomes, index, token, outcome, atomic);
                        ++index;
                    }
                } else if (kind == KIND_ERC721) {
                    uint256 end = _groupEnd(offset, count, TOKEN_ID_LENGTH, length, groupOffset);
                    // approve(address(0), id) on an ERC-20 would be an allowance of `id` to the zero
                    // address, so the token must say it is an ERC-721 first.
                    bool isErc721 = _supportsErc721(subject);
                    for (; offset < end; offset += TOKEN_ID_LENGTH) {
                        uint256 tokenId = uint256(bytes32(items[offset:offset + TOKEN_ID_LENGTH]));
                        Outcome outcome = isErc721
                            ? _outcomeOf(_callWithAccount(subject, APPROVE_SELECTOR, address(0), tokenId))
                            : Outcome.Failed;
                        _settle(outcomes, index, subject, outcome, atomic);
                        ++index;
                    }
                } else if (kind == KIND_LOCKDOWN || kind == KIND_LOCKDOWN_KEEP_PERMITS) {
                    uint256 end = _groupEnd(offset, count, PAIR_LENGTH, length, groupOffset);
                    Outcome lockedDown = _outcomeOf(_lockdown(subject, items[offset:end], count));
                    for (; offset < end; offset += PAIR_LENGTH) {
                        Outcome outcome = lockedDown;
                        if (outcome == Outcome.Revoked && kind == KIND_LOCKDOWN) {
                            outcome = _voidPermits(subject, _addressAt(items, offset), _addressAt(items, offset + ADDRESS_LENGTH));
                        }
                        _settle(outcomes, index, subject, outcome, atomic);
                        ++index;
                    }
                } else {
                    revert UnknownKind(groupOffset, kind);
                }
            }
        }
        assembly ("memory-safe") {
            mstore(outcomes, index)
        }
    }

    /// @dev Records a non-Revoked outcome, or reverts the whole list when atomic.
    function _settle(bytes memory outcomes, uint256 index, address target, Outcome outcome, bool atomic) private {
        if (outcome == Outcome.Revoked) return;
        if (atomic) revert ItemNotRevoked(index, outcome);
        _record(outcomes, index, target, outcome);
    }

    function _record(bytes memory outcomes, uint256 index, address target, Outcome outcome) private {
        assembly ("memory-safe") {
            mstore8(add(add(outcomes, 0x20), index), outcome)
        }
        emit RevocationIncomplete(index, target, outcome);
    }

    function _header(bytes calldata items, uint256 offset)
        private
        pure
        returns (uint8 kind, address subject, uint256 count)
    {
        uint256 word;
        assembly ("memory-safe") {
            word := calldataload(add(items.offset, offset))
        }
        kind = uint8(word >> KIND_SHIFT);
        subject = address(uint160(word >> SUBJECT_SHIFT));
        count = (word >> COUNT_SHIFT) & BYTE_MASK;
    }

    /// @dev The end offset of a group of `count` entries of `entryLength` bytes; reverts if truncated.
    function _groupEnd(uint256 offset, uint256 count, uint256 entryLength, uint256 length, uint256 groupOffset)
        private
        pure
        returns (uint256 end)
    {
        // Cannot overflow: offset < 2^64, count <= 255, entryLength <= PAIR_LENGTH.
        unchecked {
            end = offset + count * entryLength;
        }
        if (end > length) revert MalformedItems(groupOffset);
    }

    /// @dev The 20-byte address at `offset`; the caller has checked the bounds.
    function _addressAt(bytes calldata items, uint256 offset) private pure returns (address value) {
        assembly ("memory-safe") {
            value := shr(ADDRESS_SHIFT, calldataload(add(items.offset, offset)))
        }
    }

    // ================================================================ internal: ERC-20

    /// @dev Sends approve(spender, 0) to each token of items[offset:end] (20 bytes each, at least
    /// one) until a token answers anything but `true`; returns that token's offset (or `end`) and how
    /// it answered. This is the per-item hot path, so it is one assembly loop: the calldata stays in
    /// scratch space and only the selector word is rewritten. Each call gets ITEM_GAS_STIPEND, as
    /// in _boundedCall.
    function _approveZeroUntilRefused(bytes calldata items, uint256 offset, uint256 end, address spender)
        private
        returns (uint256 refusedAt, uint256 refusal)
    {
        uint256 fullStipendGas = FULL_STIPEND_GAS;
        bool starved;
        assembly ("memory-safe") {
            // Calldata at 0x10: selector ‖ spender ‖ 0. It runs into the upper bytes of the free
            // memory pointer (0x40..0x53), which are zero already and stay zero.
            mstore(0x14, spender)
            mstore(0x34, 0)
            let entry := add(items.offset, offset)
            let last := add(items.offset, end)
            for {} 1 {} {
                // Return data lands on this word; it stays the selector unless a full word came back.
                mstore(0x00, APPROVE_SELECTOR_WORD)
                let gasBefore := gas()
                let capped := gt(gasBefore, fullStipendGas)
                let budget := gasBefore
                if capped { budget := ITEM_GAS_STIPEND }
                let ok := call(budget, shr(ADDRESS_SHIFT, calldataload(entry)), 0, 0x10, 0x44, 0x00, 0x20)
                if iszero(and(ok, eq(mload(0x00), 1))) {
                    refusal := REFUSAL_REJECTED
                    if and(ok, iszero(returndatasize())) { refusal := REFUSAL_SILENT }
                    if iszero(ok) {
                        if and(capped, iszero(lt(sub(gasBefore, gas()), ITEM_GAS_STIPEND))) {
                            refusal := REFUSAL_OUT_OF_GAS
                        }
                        starved := and(iszero(capped), lt(gas(), div(gasBefore, CALL_GAS_FRACTION)))
                    }
                    break
                }
                entry := add(entry, ADDRESS_LENGTH)
                if iszero(lt(entry, last)) { break }
            }
            refusedAt := sub(entry, items.offset)
        }
        if (starved) revert InsufficientGas();
    }

    /// @dev approve(spender, 0) succeeded without a return value. USDT does that, and so do an
    /// address without code and an ERC-721, for which it approved `spender` for token id 0. Only
    /// an allowance read back as zero counts; a contract without allowance() gets that token-0
    /// approval cleared again.
    function _confirmSilentApproval(address token, address spender) private returns (Outcome) {
        (bool readable, uint256 remaining) = _allowanceOf(token, address(this), spender);
        if (readable) return remaining == 0 ? Outcome.Revoked : Outcome.Failed;
        if (token.code.length != 0) _callWithAccount(token, APPROVE_SELECTOR, address(0), 0);
        return Outcome.Failed;
    }

    /// @dev The fallback for a token that rejected approve(spender, 0) (BNB reverts on it): leave
    /// the smallest allowance it accepts. It only ever lowers: approve(spender, 1) is sent only over
    /// a larger allowance, and the result is read back.
    function _reduce(address token, address spender) private returns (Outcome) {
        (bool readable, uint256 current) = _allowanceOf(token, address(this), spender);
        if (!readable) return Outcome.Failed;
        if (current > SMALLEST_ALLOWANCE) {
            if (!_approveReturnedTrue(token, spender, SMALLEST_ALLOWANCE)) return Outcome.Failed;
            (readable, current) = _allowanceOf(token, address(this), spender);
            if (!readable || current > SMALLEST_ALLOWANCE) return Outcome.Failed;
        }
        return current == 0 ? Outcome.Revoked : Outcome.Reduced;
    }

    /// @dev ERC-20 approve(spender, amount) for the fallback; accepted when it returned true or
    /// nothing (the allowance is read back either way).
    function _approveReturnedTrue(address token, address spender, uint256 amount) private returns (bool) {
        uint256 data = _calldata(APPROVE_SELECTOR, uint256(uint160(spender)), amount);
        (uint256 result, uint256 returned) = _boundedCall(token, data, 0x44, ITEM_GAS_STIPEND, false, 0x00, 0x20);
        if (result != CALL_SUCCEEDED) return false;
        if (returned == 0) return true;
        uint256 answer;
        assembly ("memory-safe") {
            answer := mload(0x00)
        }
        return returned > 0x1f && answer == 1;
    }

    // ================================================================ internal: other calls
    //
    // Every call is bounded: it gets ITEM_GAS_STIPEND (a lockdown, that per pair) when the caller
    // has that much to give, so that a token that burns all gas it is given costs one stipend and
    // is reported OutOfGas while the rest of the list goes on. Below that, the call gets what there
    // is, and one that failed holding at most 1/64 of the gas there was before it may have failed
    // only because the transaction got too little gas (EIP-150 passes on at most 63/64): the list
    // then reverts with InsufficientGas instead of recording Failed, so a relayer cannot burn a
    // signed revocation by underfunding it.

    /// @dev Calls `target` with memory[data : data + size], at most `stipend` gas, copying up to
    /// `outSize` bytes of return data to `out`. Reverts InsufficientGas when the caller gave too
    /// little gas to tell a refusal from starvation.
    function _boundedCall(
        address target,
        uint256 data,
        uint256 size,
        uint256 stipend,
        bool readOnly,
        uint256 out,
        uint256 outSize
    ) private returns (uint256 result, uint256 returned) {
        bool starved;
        uint256 fullStipendGas;
        // Cannot overflow: stipend is at most ITEM_GAS_STIPEND * 255.
        unchecked {
            fullStipendGas = stipend + stipend / FORWARDED_GAS_DIVISOR + CALL_OVERHEAD_GAS;
        }
        assembly ("memory-safe") {
            let gasBefore := gas()
            let capped := gt(gasBefore, fullStipendGas)
            let budget := gasBefore
            if capped { budget := stipend }
            let ok := 0
            switch readOnly
            case 0 { ok := call(budget, target, 0, data, size, out, outSize) }
            default { ok := staticcall(budget, target, data, size, out, outSize) }
            returned := returndatasize()
            if iszero(ok) {
                result := CALL_REJECTED
                if and(capped, iszero(lt(sub(gasBefore, gas()), stipend))) { result := CALL_OUT_OF_GAS }
                starved := and(iszero(capped), lt(gas(), div(gasBefore, CALL_GAS_FRACTION)))
            }
        }
        if (starved) revert InsufficientGas();
    }

    /// @dev Writes `selector ‖ first ‖ second` past the free memory pointer (never allocated) and
    /// returns where.
    function _calldata(bytes4 selector, uint256 first, uint256 second) private pure returns (uint256 data) {
        assembly ("memory-safe") {
            data := mload(0x40)
            mstore(data, selector)
            mstore(add(data, 0x04), first)
            mstore(add(data, 0x24), second)
        }
    }

    /// @dev `selector(account, word)` for calls that return nothing by standard (setApprovalForAll,
    /// ERC-721 approve): succeeded at an address with code.
    function _callWithAccount(address target, bytes4 selector, address account, uint256 word)
        private
        returns (uint256 result)
    {
        uint256 data = _calldata(selector, uint256(uint160(account)), word);
        (result,) = _boundedCall(target, data, 0x44, ITEM_GAS_STIPEND, false, 0x00, 0x00);
        if (result == CALL_SUCCEEDED && target.code.length == 0) result = CALL_REJECTED;
    }

    /// @dev router.lockdown(pairs) for a group of packed (token, spender) pairs.
    function _lockdown(address router, bytes calldata pairs, uint256 count) private returns (uint256 result) {
        bytes4 selector = LOCKDOWN_SELECTOR;
        uint256 data;
        uint256 size;
        assembly ("memory-safe") {
            // ABI calldata built past the free memory pointer, never allocated:
            // selector ‖ offset 0x20 ‖ count ‖ (token, spender) × count
            data := mload(0x40)
            mstore(data, selector)
            mstore(add(data, 0x04), 0x20)
            mstore(add(data, 0x24), count)
            let word := add(data, 0x44)
            let pairsEnd := add(pairs.offset, pairs.length)
            for { let pair := pairs.offset } lt(pair, pairsEnd) { pair := add(pair, PAIR_LENGTH) } {
                mstore(word, shr(ADDRESS_SHIFT, calldataload(pair)))
                mstore(add(word, 0x20), shr(ADDRESS_SHIFT, calldataload(add(pair, ADDRESS_LENGTH))))
                word := add(word, 0x40)
            }
            size := sub(word, data)
        }
        // Cannot overflow: count <= 255.
        unchecked {
            (result,) = _boundedCall(router, data, size, ITEM_GAS_STIPEND * count, false, 0x00, 0x00);
        }
        if (result == CALL_SUCCEEDED && router.code.length == 0) result = CALL_REJECTED;
    }

    /// @dev Voids the account's signed but unused router/Permit2 permits for (token, spender): reads
    /// the pair's nonce and calls invalidateNonces(token, spender, nonce + 1), which both the
    /// AllowanceRouter and Permit2 have. Revoked only if both calls succeeded.
    function _voidPermits(address router, address token, address spender) private returns (Outcome) {
        uint256 data = _calldata(ROUTER_ALLOWANCE_SELECTOR, uint256(uint160(address(this))), uint256(uint160(token)));
        uint256 nonce;
        assembly ("memory-safe") {
            mstore(add(data, 0x44), spender)
        }
        // The answer overwrites the calldata: three words at `data`.
        (uint256 result, uint256 returned) =
            _boundedCall(router, data, 0x64, ITEM_GAS_STIPEND, true, data, ROUTER_ALLOWANCE_LENGTH);
        if (result != CALL_SUCCEEDED) return _outcomeOf(result);
        assembly ("memory-safe") {
            nonce := mload(add(data, ROUTER_NONCE_WORD))
        }
        if (returned < ROUTER_ALLOWANCE_LENGTH || nonce >= UINT48_MAX) return Outcome.Failed;
        data = _calldata(INVALIDATE_NONCES_SELECTOR, uint256(uint160(token)), uint256(uint160(spender)));
        // nonce < UINT48_MAX: nonce + 1 fits the uint48.
        assembly ("memory-safe") {
            mstore(add(data, 0x44), add(nonce, 1))
        }
        (result,) = _boundedCall(router, data, 0x64, ITEM_GAS_STIPEND, false, 0x00, 0x00);
        return _outcomeOf(result);
    }

    /// @dev ERC-165 supportsInterface(ERC-721) answered true.
    function _supportsErc721(address token) private returns (bool) {
        uint256 data = _calldata(SUPPORTS_INTERFACE_SELECTOR, uint256(bytes32(ERC721_INTERFACE_ID)), 0);
        (uint256 result, uint256 returned) = _boundedCall(token, data, 0x24, ITEM_GAS_STIPEND, true, 0x00, 0x20);
        uint256 answer;
        assembly ("memory-safe") {
            answer := mload(0x00)
        }
        return result == CALL_SUCCEEDED && returned > 0x1f && answer == 1;
    }

    /// @dev allowance(owner, spender), readable only if the call succeeded with a full word.
    function _allowanceOf(address token, address owner, address spender)
        private
        returns (bool readable, uint256 value)
    {
        uint256 data = _calldata(ALLOWANCE_SELECTOR, uint256(uint160(owner)), uint256(uint160(spender)));
        (uint256 result, uint256 returned) = _boundedCall(token, data, 0x44, ITEM_GAS_STIPEND, true, 0x00, 0x20);
        assembly ("memory-safe") {
            value := mload(0x00)
        }
        readable = result == CALL_SUCCEEDED && returned > 0x1f;
    }

    /// @dev Sends the permit, ignoring its result and any return data.
    function _relayPermit(PermitRevocation calldata permit) private {
        bytes memory data = permit.style == PermitStyle.DAI
            ? abi.encodeWithSelector(
                DAI_PERMIT_SELECTOR,
                permit.owner,
                permit.spender,
                permit.nonce,
                permit.deadline,
                false,
                permit.v,
                permit.r,
                permit.s
            )
            : abi.encodeWithSelector(
                PERMIT_SELECTOR, permit.owner, permit.spender, 0, permit.deadline, permit.v, permit.r, permit.s
            );
        uint256 pointer;
        assembly ("memory-safe") {
            pointer := add(data, 0x20)
        }
        _boundedCall(permit.token, pointer, data.length, ITEM_GAS_STIPEND, false, 0x00, 0x00);
    }

    /// @dev A bounded call's result as an item's outcome.
    function _outcomeOf(uint256 result) private pure returns (Outcome) {
        if (result == CALL_SUCCEEDED) return Outcome.Revoked;
        return result == CALL_OUT_OF_GAS ? Outcome.OutOfGas : Outcome.Failed;
    }

    // ================================================================ internal: signatures

    function _revocationDigest(bytes calldata items, bool atomic, uint256 nonce, uint256 deadline)
        private
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(REVOCATION_TYPEHASH, keccak256(items), atomic, nonce, deadline));
        return keccak256(abi.encodePacked("\x19\x01", _domainSeparator(), structHash));
    }

    /// @dev Computed on every use: under delegation address(this) is whichever EOA runs the code.
    function _domainSeparator() private view returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, DOMAIN_NAME_HASH, DOMAIN_VERSION_HASH, block.chainid, address(this))
        );
    }

    /// @dev True when `signature` is by the key of address(this). OpenZeppelin's recovery rejects
    /// high-s values and returns an error rather than address(0) for an invalid signature.
    function _isOwnSignature(bytes32 hash, bytes calldata signature) private view returns (bool) {
        address signer;
        ECDSA.RecoverError error;
        if (signature.length == COMPACT_SIGNATURE_LENGTH) {
            (signer, error,) = ECDSA.tryRecover(hash, bytes32(signature[:32]), bytes32(signature[32:]));
        } else {
            (signer, error,) = ECDSA.tryRecoverCalldata(hash, signature);
        }
        return error == ECDSA.RecoverError.NoError && signer == address(this);
    }

    function _storage() private pure returns (RevokerStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_LOCATION
        }
    }
}
