// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "./utils/Test.sol";
import {BatchRevoker} from "../contracts/BatchRevoker.sol";
import {IBatchRevoker} from "../contracts/interfaces/IBatchRevoker.sol";

/// @notice Shared setup for BatchRevoker tests: an implementation, an EOA "delegated" to it by
/// etching the EIP-7702 designator (Hardhat's runner has no signDelegation/attachDelegation), and
/// builders for the packed revocation list.
abstract contract BatchRevokerBase is Test {
    uint8 internal constant KIND_ERC20 = 0;
    uint8 internal constant KIND_OPERATOR = 1;
    uint8 internal constant KIND_ERC721 = 2;
    uint8 internal constant KIND_LOCKDOWN = 3;

    bytes3 internal constant DELEGATION_PREFIX = 0xef0100;

    BatchRevoker internal implementation;
    address internal owner;
    uint256 internal ownerKey;
    /// @dev The owner's EOA seen through the delegate's interface.
    BatchRevoker internal account;

    function setUp() public virtual {
        implementation = new BatchRevoker();
        (owner, ownerKey) = makeAddrAndKey("owner");
        account = delegate(owner);
    }

    /// @dev Gives `eoa` the delegation designator pointing at the implementation.
    function delegate(address eoa) internal returns (BatchRevoker) {
        vm.etch(eoa, abi.encodePacked(DELEGATION_PREFIX, address(implementation)));
        return BatchRevoker(payable(eoa));
    }

    // ------------------------------------------------------------ list builders

    function erc20Group(address spender, address[] memory tokens) internal pure returns (bytes memory group) {
        group = abi.encodePacked(KIND_ERC20, spender, uint8(tokens.length));
        for (uint256 i; i < tokens.length; ++i) {
            group = bytes.concat(group, abi.encodePacked(tokens[i]));
        }
    }

    function erc20Item(address token, address spender) internal pure returns (bytes memory) {
        return abi.encodePacked(KIND_ERC20, spender, uint8(1), token);
    }

    function operatorItem(address token, address operator) internal pure returns (bytes memory) {
        return abi.encodePacked(KIND_OPERATOR, operator, uint8(1), token);
    }

    function erc721Item(address token, uint256 tokenId) internal pure returns (bytes memory) {
        return abi.encodePacked(KIND_ERC721, token, uint8(1), tokenId);
    }

    function lockdownItem(address router, address token, address spender) internal pure returns (bytes memory) {
        return abi.encodePacked(KIND_LOCKDOWN, router, uint8(1), token, spender);
    }

    // ------------------------------------------------------------ calls

    /// @dev The owner's self-call, as a type-4 transaction to itself would make it.
    function revokeAsOwner(bytes memory items, bool atomic) internal returns (bytes memory outcomes) {
        vm.prank(owner);
        return account.revoke(items, atomic);
    }

    function outcomeAt(bytes memory outcomes, uint256 index) internal pure returns (IBatchRevoker.Outcome) {
        return IBatchRevoker.Outcome(uint8(outcomes[index]));
    }

    function assertOutcome(bytes memory outcomes, uint256 index, IBatchRevoker.Outcome expected) internal pure {
        assertEq(uint256(uint8(outcomes[index])), uint256(expected), "outcome");
    }
}
