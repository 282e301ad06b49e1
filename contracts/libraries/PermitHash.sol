// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAllowanceTransfer} from "../interfaces/IAllowanceTransfer.sol";

/// @title PermitHash
/// @notice EIP-712 struct hashes of Permit2's PermitSingle and PermitBatch. The type strings are
/// Permit2's, so any Permit2 signing code signs for the router once the domain is swapped.
library PermitHash {
    bytes32 internal constant PERMIT_DETAILS_TYPEHASH =
        keccak256("PermitDetails(address token,uint160 amount,uint48 expiration,uint48 nonce)");

    bytes32 internal constant PERMIT_SINGLE_TYPEHASH = keccak256(
        "PermitSingle(PermitDetails details,address spender,uint256 sigDeadline)PermitDetails(address token,uint160 amount,uint48 expiration,uint48 nonce)"
    );

    bytes32 internal constant PERMIT_BATCH_TYPEHASH = keccak256(
        "PermitBatch(PermitDetails[] details,address spender,uint256 sigDeadline)PermitDetails(address token,uint160 amount,uint48 expiration,uint48 nonce)"
    );

    /// @notice The struct hash of a PermitSingle.
    function hash(IAllowanceTransfer.PermitSingle memory permitSingle) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                PERMIT_SINGLE_TYPEHASH,
                _hashDetails(permitSingle.details),
                permitSingle.spender,
                permitSingle.sigDeadline
            )
        );
    }

    /// @notice The struct hash of a PermitBatch.
    function hash(IAllowanceTransfer.PermitBatch memory permitBatch) internal pure returns (bytes32) {
        uint256 count = permitBatch.details.length;
        bytes32[] memory detailHashes = new bytes32[](count);
        for (uint256 i; i < count; ++i) {
            detailHashes[i] = _hashDetails(permitBatch.details[i]);
        }
        return keccak256(
            abi.encode(
                PERMIT_BATCH_TYPEHASH,
                keccak256(abi.encodePacked(detailHashes)),
                permitBatch.spender,
                permitBatch.sigDeadline
            )
        );
    }

    function _hashDetails(IAllowanceTransfer.PermitDetails memory details) private pure returns (bytes32) {
        return keccak256(abi.encode(PERMIT_DETAILS_TYPEHASH, details));
    }
}
