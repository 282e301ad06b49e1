// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// @title SignatureVerification
/// @notice Verifies an EIP-712 digest against a claimed signer: ECDSA (65-byte or EIP-2098
/// 64-byte compact) for accounts without code, EIP-1271 for contracts and EIP-7702 delegated
/// accounts. Errors keep Permit2's names and selectors. Unlike Permit2, a malleable high-s
/// signature is rejected.
library SignatureVerification {
    /// @notice The signature is neither 64 nor 65 bytes long.
    error InvalidSignatureLength();
    /// @notice The signature recovers to no address, or its s value is in the upper half.
    error InvalidSignature();
    /// @notice The signature recovers to an address other than the claimed signer.
    error InvalidSigner();
    /// @notice The claimed signer is a contract and did not accept the signature.
    error InvalidContractSignature();

    uint256 private constant COMPACT_SIGNATURE_LENGTH = 64;
    uint256 private constant FULL_SIGNATURE_LENGTH = 65;
    /// @dev EIP-2098: the top bit of `vs` is the parity of v, the rest is s.
    bytes32 private constant S_MASK = 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff;
    uint8 private constant V_OFFSET = 27;
    /// @dev EIP-2: the largest s of a canonical signature, secp256k1n / 2. The same bound as
    /// OpenZeppelin's ECDSA, checked inline to save its three-value return (about 120 gas).
    uint256 private constant MAX_CANONICAL_S = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @notice Reverts unless `signature` is `claimedSigner`'s over `digest`.
    function verify(bytes calldata signature, bytes32 digest, address claimedSigner) internal view {
        if (claimedSigner.code.length != 0) {
            bytes4 magicValue = IERC1271(claimedSigner).isValidSignature(digest, signature);
            if (magicValue != IERC1271.isValidSignature.selector) revert InvalidContractSignature();
            return;
        }

        bytes32 r;
        bytes32 s;
        uint8 v;
        if (signature.length == FULL_SIGNATURE_LENGTH) {
            (r, s) = abi.decode(signature, (bytes32, bytes32));
            v = uint8(signature[FULL_SIGNATURE_LENGTH - 1]);
        } else if (signature.length == COMPACT_SIGNATURE_LENGTH) {
            bytes32 vs;
            (r, vs) = abi.decode(signature, (bytes32, bytes32));
            s = vs & S_MASK;
            v = uint8(uint256(vs >> 255)) + V_OFFSET;
        } else {
            revert InvalidSignatureLength();
        }

        if (uint256(s) > MAX_CANONICAL_S) revert InvalidSignature();
        address signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
        if (signer != claimedSigner) revert InvalidSigner();
    }
}
