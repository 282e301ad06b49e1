// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IEIP712} from "./interfaces/IEIP712.sol";

/// @title EIP712Domain
/// @notice Permit2's domain shape, `EIP712Domain(string name,uint256 chainId,address verifyingContract)`
/// (no version field), under this contract's own name. The separator is cached and rebuilt
/// only if the chain id changes (a fork), so a signature never carries over to another chain.
/// @dev OpenZeppelin's EIP712 always includes a version field, which Permit2's domain lacks.
abstract contract EIP712Domain is IEIP712, IERC5267 {
    bytes32 private constant TYPE_HASH =
        keccak256("EIP712Domain(string name,uint256 chainId,address verifyingContract)");

    /// @dev ERC-5267 field bitmap: name (bit 0), chainId (bit 2), verifyingContract (bit 3).
    bytes1 private constant DOMAIN_FIELDS = hex"0d";

    bytes32 private immutable _hashedName;
    uint256 private immutable _cachedChainId;
    bytes32 private immutable _cachedDomainSeparator;
    string private _name;

    constructor(string memory name_) {
        _name = name_;
        _hashedName = keccak256(bytes(name_));
        _cachedChainId = block.chainid;
        _cachedDomainSeparator = _buildDomainSeparator();
    }

    /// @inheritdoc IEIP712
    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return block.chainid == _cachedChainId ? _cachedDomainSeparator : _buildDomainSeparator();
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
        return (DOMAIN_FIELDS, _name, "", block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    /// @dev The EIP-712 digest of a struct hash under this domain.
    function _hashTypedData(bytes32 structHash) internal view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", DOMAIN_SEPARATOR(), structHash));
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(TYPE_HASH, _hashedName, block.chainid, address(this)));
    }
}
