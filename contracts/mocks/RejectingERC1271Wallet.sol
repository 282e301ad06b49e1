// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// @notice A contract account that answers EIP-1271 but accepts no signature: it returns a
/// value that is not the magic value, whatever it is asked. Used to prove that a contract owner
/// is judged by its own answer alone, never by an ECDSA fallback.
contract RejectingERC1271Wallet is IERC1271 {
    /// @dev Anything but IERC1271.isValidSignature.selector means "rejected".
    bytes4 public constant REJECTION = 0xffffffff;

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32, bytes calldata) external pure returns (bytes4) {
        return REJECTION;
    }
}
