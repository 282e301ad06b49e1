// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAllowanceTransfer} from "../../contracts/interfaces/IAllowanceTransfer.sol";
import {Vm} from "../utils/Vm.sol";

/// @notice The router's EIP-712 digests and signatures, computed from the type strings alone
/// (nothing is imported from the contract's own PermitHash or EIP712Domain), so the tests check
/// the contract against an independent implementation of the standard.
library PermitSigning {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,uint256 chainId,address verifyingContract)");
    bytes32 internal constant ROUTER_NAME_HASH = keccak256("AllowanceRouter");

    bytes32 internal constant PERMIT_DETAILS_TYPEHASH =
        keccak256("PermitDetails(address token,uint160 amount,uint48 expiration,uint48 nonce)");
    bytes32 internal constant PERMIT_SINGLE_TYPEHASH = keccak256(
        "PermitSingle(PermitDetails details,address spender,uint256 sigDeadline)PermitDetails(address token,uint160 amount,uint48 expiration,uint48 nonce)"
    );
    bytes32 internal constant PERMIT_BATCH_TYPEHASH = keccak256(
        "PermitBatch(PermitDetails[] details,address spender,uint256 sigDeadline)PermitDetails(address token,uint160 amount,uint48 expiration,uint48 nonce)"
    );

    /// @dev Half the secp256k1 order: canonical signatures have s at or below it.
    uint256 internal constant SECP256K1_HALF_ORDER =
        0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;
    uint256 internal constant SECP256K1_ORDER =
        0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;

    function domainSeparator(address router, uint256 chainId) internal pure returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, ROUTER_NAME_HASH, chainId, router));
    }

    function detailsHash(IAllowanceTransfer.PermitDetails memory details) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(PERMIT_DETAILS_TYPEHASH, details.token, details.amount, details.expiration, details.nonce)
        );
    }

    function singleStructHash(IAllowanceTransfer.PermitSingle memory permit) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(PERMIT_SINGLE_TYPEHASH, detailsHash(permit.details), permit.spender, permit.sigDeadline)
        );
    }

    function batchStructHash(IAllowanceTransfer.PermitBatch memory permit) internal pure returns (bytes32) {
        bytes32[] memory hashes = new bytes32[](permit.details.length);
        for (uint256 i; i < hashes.length; ++i) {
            hashes[i] = detailsHash(permit.details[i]);
        }
        return keccak256(
            abi.encode(PERMIT_BATCH_TYPEHASH, keccak256(abi.encodePacked(hashes)), permit.spender, permit.sigDeadline)
        );
    }

    /// @dev The digest the owner signs, on the current chain.
    function singleDigest(address router, IAllowanceTransfer.PermitSingle memory permit)
        internal
        view
        returns (bytes32)
    {
        return typedDataDigest(domainSeparator(router, block.chainid), singleStructHash(permit));
    }

    /// @dev The digest the owner signs, on the current chain.
    function batchDigest(address router, IAllowanceTransfer.PermitBatch memory permit)
        internal
        view
        returns (bytes32)
    {
        return typedDataDigest(domainSeparator(router, block.chainid), batchStructHash(permit));
    }

    function typedDataDigest(bytes32 separator, bytes32 structHash) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", separator, structHash));
    }

    /// @dev A 65-byte r ‖ s ‖ v signature.
    function sign(uint256 privateKey, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev A 64-byte EIP-2098 r ‖ vs signature.
    function signCompact(uint256 privateKey, bytes32 digest) internal pure returns (bytes memory) {
        (bytes32 r, bytes32 vs) = vm.signCompact(privateKey, digest);
        return abi.encodePacked(r, vs);
    }

    /// @dev The malleated twin of a valid signature: (r, n - s, v ^ 1) recovers the same signer
    /// through ecrecover, but with s in the upper half of the order.
    function signHighS(uint256 privateKey, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, digest);
        uint8 flippedV = v == 27 ? 28 : 27;
        return abi.encodePacked(r, bytes32(SECP256K1_ORDER - uint256(s)), flippedV);
    }
}
