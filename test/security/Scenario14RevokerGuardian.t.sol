// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

import {BatchRevoker} from "../../contracts/BatchRevoker.sol";
import {IAllowanceTransfer} from "../../contracts/interfaces/IAllowanceTransfer.sol";
import {IBatchRevoker} from "../../contracts/interfaces/IBatchRevoker.sol";
import {PermitHash} from "../../contracts/libraries/PermitHash.sol";
import {SignatureVerification} from "../../contracts/libraries/SignatureVerification.sol";
import {RevertOnZeroApprovalToken} from "../../contracts/mocks/RevertOnZeroApprovalToken.sol";
import {TestERC721} from "../../contracts/mocks/TestERC721.sol";
import {RevokerFixture} from "./RevokerFixture.sol";

/// @notice Scenario 14 — a revoke-only guardian for plain approvals. Alice's EOA, delegated to the
/// BatchRevoker (EIP-7702), appoints a security team's key as its guardian. When the spender is
/// compromised, the guardian makes Alice's account revoke her plain ERC-20 approval, her NFT
/// operator approval and her router grant, without holding her key; the sweep then takes nothing
/// from her while Bob, unrevoked, loses everything. The guardian can do nothing else: it cannot
/// approve, transfer, change the guardian, sign for the account (EIP-1271 stays her key), act for
/// another account or after being removed.
contract Scenario14RevokerGuardianTest is RevokerFixture {
    using PermitHash for IAllowanceTransfer.PermitSingle;

    uint256 private constant APPROVED = 500e18;
    uint160 private constant ROUTER_GRANT = 250e18;
    uint256 private constant ALICE_NFT = 1;
    uint256 private constant BOB_NFT = 2;
    /// @dev keccak256(abi.encode(uint256(keccak256("allowancerouter.BatchRevoker")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant NAMESPACE = 0x2d4b0422049ed89c5eff998b8bc9a3a4ac75ead74d7b72185c0897c50ab0e500;
    uint256 private constant GUARDIAN_SLOT_OFFSET = 1;

    address private guardian;
    uint256 private guardianKey;
    TestERC721 private nft;
    BatchRevoker private aliceAccount;

    function setUp() public override {
        super.setUp();
        (guardian, guardianKey) = makeAddrAndKey("security team");
        nft = new TestERC721();
        uint48 expiration = uint48(block.timestamp + GRANT_LIFETIME);
        _expose(alice, ALICE_NFT, expiration);
        _expose(bob, BOB_NFT, expiration);
        aliceAccount = _delegate(alice);
        vm.prank(alice);
        aliceAccount.setGuardian(guardian);
    }

    function test_S14_guardianRevokesPlainApprovals_sweepTakesNothing() public {
        bytes memory items = _aliceItems();
        vm.expectEmit(alice);
        emit IBatchRevoker.GuardianRevocation(guardian, 3);
        vm.prank(guardian);
        _assertAllRevoked(aliceAccount.revokeAsGuardian(items, true), 3);

        uint256 aliceBefore = _balance(IERC20(address(token)), alice);
        uint256 bobBefore = _balance(IERC20(address(token)), bob);
        uint256[] memory aliceIds = new uint256[](1);
        aliceIds[0] = ALICE_NFT;
        uint256[] memory bobIds = new uint256[](1);
        bobIds[0] = BOB_NFT;
        vm.startPrank(attacker);
        drainer.drainErc20(IERC20(address(token)), alice);
        drainer.drainErc20(IERC20(address(token)), bob);
        assertEq(drainer.drainErc721(IERC721(address(nft)), alice, aliceIds), 0, "alice's NFT stays");
        assertEq(drainer.drainErc721(IERC721(address(nft)), bob, bobIds), 1, "bob's NFT is taken");
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0));
        drainer.pullFromRouter(router, address(token), alice, 1);
        drainer.drainRouter(router, address(token), bob);
        vm.stopPrank();
        assertEq(_loss(IERC20(address(token)), alice, aliceBefore), 0, "alice lost nothing");
        assertEq(_loss(IERC20(address(token)), bob, bobBefore), APPROVED + ROUTER_GRANT, "bob lost both approvals");
        assertEq(nft.ownerOf(ALICE_NFT), alice);
    }

    function test_S14_appointChangeClear_emitGuardianChanged_onlyTheAccountItself() public {
        address successor = makeAddr("new security team");
        vm.expectEmit(alice);
        emit IBatchRevoker.GuardianChanged(guardian, successor);
        vm.prank(alice);
        aliceAccount.setGuardian(successor);
        assertEq(aliceAccount.guardianOf(), successor);

        // The old guardian is out at once: it cannot replay its revocation.
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.NotGuardian.selector, guardian));
        aliceAccount.revokeAsGuardian(_aliceItems(), false);

        vm.expectEmit(alice);
        emit IBatchRevoker.GuardianChanged(successor, address(0));
        vm.prank(alice);
        aliceAccount.setGuardian(address(0));
        assertEq(aliceAccount.guardianOf(), address(0));
        vm.prank(successor);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.NotGuardian.selector, successor));
        aliceAccount.revokeAsGuardian(_aliceItems(), false);
    }

    function test_S14_guardianCannotChangeTheGuardian_norRevokeAsSelf_norUseSignedRevocation() public {
        vm.startPrank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.NotSelf.selector, guardian));
        aliceAccount.setGuardian(attacker);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.NotSelf.selector, guardian));
        aliceAccount.revoke(_aliceItems(), false);
        bytes memory items = _aliceItems();
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 digest = aliceAccount.revocationDigest(items, false, 0, deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(guardianKey, digest);
        vm.expectRevert(IBatchRevoker.InvalidSignature.selector);
        aliceAccount.revokeWithSignature(items, false, deadline, abi.encodePacked(r, s, v));
        vm.stopPrank();
        assertEq(aliceAccount.guardianOf(), guardian);
        assertEq(token.allowance(alice, address(drainer)), APPROVED, "nothing was revoked");
    }

    /// @dev The router asks Alice's account (it has code) through EIP-1271; the guardian's key is not hers.
    function test_S14_guardianCannotSignForTheAccount_eip1271StaysTheOwnersKey() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _permitSingle(address(token), type(uint160).max, uint48(block.timestamp + 1 days), 0, block.timestamp + 1 days);
        bytes memory guardianSignature = _signPermit(guardianKey, permit);
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", router.DOMAIN_SEPARATOR(), _permitHash(permit)));
        assertTrue(aliceAccount.isValidSignature(digest, guardianSignature) == bytes4(0xffffffff), "guardian's signature refused");
        assertTrue(
            aliceAccount.isValidSignature(digest, _signPermit(aliceKey, permit)) == IERC1271.isValidSignature.selector,
            "alice's own signature accepted"
        );
        vm.prank(guardian);
        vm.expectRevert(SignatureVerification.InvalidContractSignature.selector);
        router.permit(alice, permit, guardianSignature);
    }

    /// @dev Every call a list makes is a revocation: whatever list the guardian writes, no allowance
    /// rises and nothing moves. The BNB-style fallback only lowers: over a zero allowance it sends nothing.
    function test_S14_guardianCannotApproveOrTransfer() public {
        RevertOnZeroApprovalToken bnbLike = new RevertOnZeroApprovalToken();
        _fund(IERC20(address(bnbLike)), alice);
        uint256 balanceBefore = _balance(IERC20(address(token)), alice);
        bytes memory items = bytes.concat(
            _erc20Item(address(bnbLike), guardian),
            _erc20Item(address(token), guardian),
            _operatorItem(address(nft), guardian),
            _erc721Item(address(nft), ALICE_NFT)
        );
        vm.prank(guardian);
        aliceAccount.revokeAsGuardian(items, false);
        assertEq(bnbLike.allowance(alice, guardian), 0, "BNB-like stays at zero");
        assertEq(token.allowance(alice, guardian), 0);
        assertFalse(nft.isApprovedForAll(alice, guardian));
        assertEq(nft.getApproved(ALICE_NFT), address(0));

        // The account has no transfer, approve or fallback for the guardian to call.
        vm.startPrank(guardian);
        (bool transferred,) = alice.call(abi.encodeCall(IERC20.transfer, (guardian, 1)));
        (bool approved,) = alice.call(abi.encodeCall(IERC20.approve, (guardian, 1)));
        (bool called,) = alice.call(abi.encodeWithSignature("execute(address,bytes)", address(token), ""));
        vm.stopPrank();
        assertFalse(transferred || approved || called, "no such entry point");
        assertEq(_loss(IERC20(address(token)), alice, balanceBefore), 0);
        assertEq(token.allowance(alice, address(drainer)), APPROVED, "the guardian's list named only itself");
    }

    function test_S14_guardianOfOneAccountCannotActForAnother_norCanAnAttacker() public {
        BatchRevoker bobAccount = _delegate(bob);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.NotGuardian.selector, guardian));
        bobAccount.revokeAsGuardian(_erc20Item(address(token), address(drainer)), false);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.NotGuardian.selector, attacker));
        aliceAccount.revokeAsGuardian(_aliceItems(), false);
        // Nor through the compromised spender's arbitrary-call path.
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.NotGuardian.selector, address(drainer)));
        drainer.execute(alice, abi.encodeCall(IBatchRevoker.revokeAsGuardian, (_aliceItems(), false)));
    }

    /// @dev What stays after undelegation: the namespace's two slots (nonce, guardian). Delegating
    /// to the BatchRevoker again brings the same guardian back into force.
    function test_S14_storage_guardianInTheNamespace_survivesUndelegation() public {
        bytes32 guardianSlot = bytes32(uint256(NAMESPACE) + GUARDIAN_SLOT_OFFSET);
        address successor = makeAddr("new security team");
        vm.record();
        vm.prank(alice);
        aliceAccount.setGuardian(successor);
        (, bytes32[] memory writes) = vm.accesses(alice);
        assertEq(writes.length, 1, "one slot written");
        assertEq(writes[0], guardianSlot);

        vm.etch(alice, ""); // an authorization to address(0): the EOA has no code again
        assertEq(vm.load(alice, guardianSlot), bytes32(uint256(uint160(successor))), "the slot stays");
        BatchRevoker again = _delegate(alice);
        assertEq(again.guardianOf(), successor, "and is in force after re-delegation");
    }

    // ------------------------------------------------------------------ helpers

    function _aliceItems() private view returns (bytes memory) {
        return bytes.concat(
            _erc20Item(address(token), address(drainer)),
            _operatorItem(address(nft), address(drainer)),
            _lockdownItem(address(token), address(drainer))
        );
    }

    /// @dev An ERC-20 approval of APPROVED, an NFT operator approval and a router grant, all to the drainer.
    function _expose(address victim, uint256 nftId, uint48 expiration) private {
        nft.mint(victim, nftId);
        vm.startPrank(victim);
        token.approve(address(drainer), APPROVED);
        nft.setApprovalForAll(address(drainer), true);
        vm.stopPrank();
        _grant(IERC20(address(token)), victim, ROUTER_GRANT, expiration);
    }

    function _permitHash(IAllowanceTransfer.PermitSingle memory permit) private pure returns (bytes32) {
        return permit.hash();
    }
}

