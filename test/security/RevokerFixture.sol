// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BatchRevoker} from "../../contracts/BatchRevoker.sol";
import {IBatchRevoker} from "../../contracts/interfaces/IBatchRevoker.sol";
import {SecurityFixture} from "./SecurityFixture.sol";

/// @notice SecurityFixture plus the BatchRevoker: a deployment, an EIP-7702 delegation simulated by
/// etching `0xef0100 ‖ implementation` into a victim's EOA (Hardhat's Solidity runner has no
/// signDelegation/attachDelegation; real type-4 transactions are in the TypeScript scenarios), and
/// builders for the packed revocation list of IBatchRevoker.
abstract contract RevokerFixture is SecurityFixture {
    uint8 internal constant KIND_ERC20 = 0;
    uint8 internal constant KIND_OPERATOR = 1;
    uint8 internal constant KIND_ERC721 = 2;
    uint8 internal constant KIND_LOCKDOWN = 3;
    bytes3 internal constant DELEGATION_PREFIX = 0xef0100;

    BatchRevoker internal revoker;

    function setUp() public virtual override {
        super.setUp();
        revoker = new BatchRevoker();
        vm.label(address(revoker), "revoker");
    }

    // ------------------------------------------------------------- delegation

    /// @dev Gives `eoa` the delegation designator pointing at the revoker, as a type-4 transaction would.
    function _delegate(address eoa) internal returns (BatchRevoker account) {
        vm.etch(eoa, abi.encodePacked(DELEGATION_PREFIX, address(revoker)));
        return BatchRevoker(payable(eoa));
    }

    /// @dev The victim delegates to the revoker and calls `revoke` on itself: what
    /// `revokeWithDelegation` sends as one type-4 transaction.
    function _revokeAsVictim(address victim, bytes memory items, bool atomic) internal returns (bytes memory outcomes) {
        BatchRevoker account = _delegate(victim);
        vm.prank(victim);
        return account.revoke(items, atomic);
    }

    // ------------------------------------------------------------- list builders

    function _erc20Items(address spender, address[] memory tokens) internal pure returns (bytes memory group) {
        group = abi.encodePacked(KIND_ERC20, spender, uint8(tokens.length));
        for (uint256 i; i < tokens.length; ++i) {
            group = bytes.concat(group, abi.encodePacked(tokens[i]));
        }
    }

    function _erc20Item(address asset, address spender) internal pure returns (bytes memory) {
        return abi.encodePacked(KIND_ERC20, spender, uint8(1), asset);
    }

    /// @dev setApprovalForAll(operator, false): ERC-721 and ERC-1155 alike.
    function _operatorItem(address collection, address operator) internal pure returns (bytes memory) {
        return abi.encodePacked(KIND_OPERATOR, operator, uint8(1), collection);
    }

    /// @dev approve(address(0), tokenId) on an ERC-721.
    function _erc721Item(address collection, uint256 tokenId) internal pure returns (bytes memory) {
        return abi.encodePacked(KIND_ERC721, collection, uint8(1), tokenId);
    }

    /// @dev router.lockdown([(asset, spender)]).
    function _lockdownItem(address asset, address spender) internal view returns (bytes memory) {
        return abi.encodePacked(KIND_LOCKDOWN, address(router), uint8(1), asset, spender);
    }

    // ------------------------------------------------------------- outcomes

    function _outcome(bytes memory outcomes, uint256 index) internal pure returns (IBatchRevoker.Outcome) {
        return IBatchRevoker.Outcome(uint8(outcomes[index]));
    }

    function _assertOutcome(bytes memory outcomes, uint256 index, IBatchRevoker.Outcome expected, string memory what)
        internal
        pure
    {
        assertEq(uint256(uint8(outcomes[index])), uint256(expected), what);
    }

    function _assertAllRevoked(bytes memory outcomes, uint256 count) internal pure {
        assertEq(outcomes.length, count, "one outcome per item");
        for (uint256 i; i < count; ++i) {
            assertEq(uint256(uint8(outcomes[i])), uint256(IBatchRevoker.Outcome.Revoked), "item revoked");
        }
    }
}
