// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {BatchRevokerBase} from "./BatchRevokerBase.sol";
import {AllowanceRouter} from "../contracts/AllowanceRouter.sol";
import {BatchRevoker} from "../contracts/BatchRevoker.sol";
import {IAllowanceTransfer} from "../contracts/interfaces/IAllowanceTransfer.sol";
import {IBatchRevoker} from "../contracts/interfaces/IBatchRevoker.sol";
import {PermitHash} from "../contracts/libraries/PermitHash.sol";
import {GasHeavyToken} from "../contracts/mocks/GasHeavyToken.sol";
import {ReentrantApproveToken} from "../contracts/mocks/ReentrantApproveToken.sol";
import {TestERC1155} from "../contracts/mocks/TestERC1155.sol";
import {TestERC721} from "../contracts/mocks/TestERC721.sol";
import {TestToken} from "../contracts/mocks/TestToken.sol";

/// @notice Relayed revocation by the account's EIP-712 signature, replay protection, the ERC-7201
/// nonce slot, and what keeps a delegated account a good citizen (ETH, safe transfers, EIP-1271).
contract BatchRevokerSignatureTest is BatchRevokerBase {
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant REVOCATION_TYPEHASH =
        keccak256("Revocation(bytes items,bool atomic,uint256 nonce,uint256 deadline)");
    string internal constant NAMESPACE = "allowancerouter.BatchRevoker";
    uint256 internal constant SECP256K1_HALF_ORDER = SECP256K1_ORDER / 2;
    uint256 internal constant ALLOWANCE = 1_000e18;
    uint256 internal constant VALIDITY = 1 hours;

    TestToken internal token;
    address internal spender;
    address internal relayer;
    bytes internal items;
    uint256 internal deadline;

    function setUp() public override {
        super.setUp();
        token = new TestToken("T", "T");
        spender = makeAddr("spender");
        relayer = makeAddr("relayer");
        vm.prank(owner);
        token.approve(spender, ALLOWANCE);
        items = erc20Item(address(token), spender);
        deadline = block.timestamp + VALIDITY;
    }

    // ------------------------------------------------------------------ signing, independently of the contract

    function domainSeparator(address verifyingContract) internal view returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("BatchRevoker"), keccak256("1"), block.chainid, verifyingContract)
        );
    }

    function digestOf(address verifyingContract, bytes memory list, bool atomic, uint256 nonce, uint256 until)
        internal
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(REVOCATION_TYPEHASH, keccak256(list), atomic, nonce, until));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(verifyingContract), structHash));
    }

    function sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function ownerSignature(bytes memory list, bool atomic, uint256 nonce, uint256 until)
        internal
        view
        returns (bytes memory)
    {
        return sign(ownerKey, digestOf(owner, list, atomic, nonce, until));
    }

    function relay(bytes memory list, bool atomic, uint256 until, bytes memory signature)
        internal
        returns (bytes memory)
    {
        vm.prank(relayer);
        return account.revokeWithSignature(list, atomic, until, signature);
    }

    // ------------------------------------------------------------------ relayed revocation

    function test_revocationDigest_matchesAnIndependentEip712Computation() public view {
        assertEq(account.revocationDigest(items, true, 3, deadline), digestOf(owner, items, true, 3, deadline));
        assertEq(account.DOMAIN_SEPARATOR(), domainSeparator(owner));
    }

    function test_revokeWithSignature_letsAnyoneRelayTheOwnersRevocation() public {
        bytes memory outcomes = relay(items, false, deadline, ownerSignature(items, false, 0, deadline));
        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked);
        assertEq(token.allowance(owner, spender), 0);
        assertEq(account.revocationNonce(), 1);
    }

    function test_revokeWithSignature_acceptsTheDeadlineItself() public {
        bytes memory signature = ownerSignature(items, false, 0, deadline);
        vm.warp(deadline);
        relay(items, false, deadline, signature);
        assertEq(token.allowance(owner, spender), 0);
    }

    function test_revokeWithSignature_revertsAfterTheDeadline() public {
        bytes memory signature = ownerSignature(items, false, 0, deadline);
        vm.warp(deadline + 1);
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.SignatureExpired.selector, deadline));
        account.revokeWithSignature(items, false, deadline, signature);
    }

    function test_revokeWithSignature_cannotBeReplayed() public {
        bytes memory signature = ownerSignature(items, false, 0, deadline);
        relay(items, false, deadline, signature);
        vm.prank(owner);
        token.approve(spender, ALLOWANCE); // the owner grants again; the old signature must not revoke it
        vm.prank(relayer);
        vm.expectRevert(IBatchRevoker.InvalidSignature.selector);
        account.revokeWithSignature(items, false, deadline, signature);
        assertEq(token.allowance(owner, spender), ALLOWANCE);
    }

    function test_revokeWithSignature_cannotBeReplayedOnAnotherAccount() public {
        (address other,) = makeAddrAndKey("other");
        BatchRevoker otherAccount = delegate(other);
        vm.prank(other);
        token.approve(spender, ALLOWANCE);
        bytes memory signature = ownerSignature(items, false, 0, deadline);
        vm.prank(relayer);
        vm.expectRevert(IBatchRevoker.InvalidSignature.selector);
        otherAccount.revokeWithSignature(items, false, deadline, signature);
        assertEq(token.allowance(other, spender), ALLOWANCE);
    }

    function test_revokeWithSignature_cannotBeReplayedOnAnotherChain() public {
        bytes memory signature = ownerSignature(items, false, 0, deadline);
        vm.chainId(block.chainid + 1);
        vm.prank(relayer);
        vm.expectRevert(IBatchRevoker.InvalidSignature.selector);
        account.revokeWithSignature(items, false, deadline, signature);
    }

    function test_revokeWithSignature_isBoundToEverySignedField() public {
        bytes memory signature = ownerSignature(items, false, 0, deadline);
        bytes memory otherItems = erc20Item(address(token), relayer);
        vm.startPrank(relayer);
        vm.expectRevert(IBatchRevoker.InvalidSignature.selector);
        account.revokeWithSignature(otherItems, false, deadline, signature);
        vm.expectRevert(IBatchRevoker.InvalidSignature.selector);
        account.revokeWithSignature(items, true, deadline, signature);
        vm.expectRevert(IBatchRevoker.InvalidSignature.selector);
        account.revokeWithSignature(items, false, deadline + 1, signature);
        vm.stopPrank();
    }

    function test_revokeWithSignature_rejectsAnotherKey() public {
        (, uint256 strangerKey) = makeAddrAndKey("stranger");
        bytes memory signature = sign(strangerKey, digestOf(owner, items, false, 0, deadline));
        vm.prank(relayer);
        vm.expectRevert(IBatchRevoker.InvalidSignature.selector);
        account.revokeWithSignature(items, false, deadline, signature);
    }

    function test_revokeWithSignature_rejectsAMalleableHighSSignature() public {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, digestOf(owner, items, false, 0, deadline));
        bytes32 highS = bytes32(SECP256K1_ORDER - uint256(s));
        uint8 flippedV = v == 27 ? 28 : 27;
        vm.prank(relayer);
        vm.expectRevert(IBatchRevoker.InvalidSignature.selector);
        account.revokeWithSignature(items, false, deadline, abi.encodePacked(r, highS, flippedV));
    }

    function test_revokeWithSignature_rejectsAnyoneOnTheUndelegatedDeployment() public {
        // The deployment's address has no key: no signature can be its own.
        bytes memory signature = sign(ownerKey, digestOf(address(implementation), items, false, 0, deadline));
        vm.prank(relayer);
        vm.expectRevert(IBatchRevoker.InvalidSignature.selector);
        implementation.revokeWithSignature(items, false, deadline, signature);
    }

    function test_revokeWithSignature_atomicFailureKeepsTheNonce() public {
        address noCode = makeAddr("noCode");
        bytes memory list = bytes.concat(items, erc20Item(noCode, spender));
        bytes memory signature = ownerSignature(list, true, 0, deadline);
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.ItemNotRevoked.selector, 1, IBatchRevoker.Outcome.Failed));
        account.revokeWithSignature(list, true, deadline, signature);
        assertEq(account.revocationNonce(), 0);
        assertEq(token.allowance(owner, spender), ALLOWANCE);
    }

    function test_revokeWithSignature_emptyListRevertsAndKeepsTheNonce() public {
        bytes memory signature = ownerSignature("", false, 0, deadline);
        vm.prank(relayer);
        vm.expectRevert(IBatchRevoker.NoItems.selector);
        account.revokeWithSignature("", false, deadline, signature);
        assertEq(account.revocationNonce(), 0);
    }

    function test_revokeWithSignature_consumesTheNonceBeforeAReentrantReplay() public {
        ReentrantApproveToken reentrant = new ReentrantApproveToken();
        vm.prank(owner);
        reentrant.approve(spender, ALLOWANCE);
        bytes memory list = erc20Item(address(reentrant), spender);
        bytes memory signature = ownerSignature(list, false, 0, deadline);
        reentrant.setReentry(abi.encodeCall(account.revokeWithSignature, (list, false, deadline, signature)), false);

        relay(list, false, deadline, signature);

        assertFalse(reentrant.reentrySucceeded());
        assertEq(reentrant.reentryResult(), abi.encodeWithSelector(IBatchRevoker.InvalidSignature.selector));
        assertEq(account.revocationNonce(), 1, "consumed once");
        assertEq(reentrant.allowance(owner, spender), 0);
    }

    /// @dev Whatever gas limit a relayer picks, it either gets the revocation done or reverts with
    /// the nonce intact: it can never burn the signature with items recorded as Failed. The
    /// token's calls cost about 40k gas (within the stipend), so some limits starve them while leaving the delegate
    /// the 1/64 it needs to go on.
    function testFuzz_revokeWithSignature_anUnderfundedRelayerCannotBurnTheSignature(uint256 gasLimit, bool asOperator)
        public
    {
        gasLimit = bound(gasLimit, 50_000, 800_000);
        GasHeavyToken heavy = new GasHeavyToken();
        vm.startPrank(owner);
        heavy.approve(spender, ALLOWANCE);
        heavy.setApprovalForAll(spender, true);
        vm.stopPrank();
        bytes memory list = asOperator ? operatorItem(address(heavy), spender) : erc20Item(address(heavy), spender);
        bytes memory signature = ownerSignature(list, false, 0, deadline);
        vm.prank(relayer);
        try account.revokeWithSignature{gas: gasLimit}(list, false, deadline, signature) returns (
            bytes memory outcomes
        ) {
            assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked);
            assertEq(account.revocationNonce(), 1);
        } catch {
            assertEq(account.revocationNonce(), 0, "a revert keeps the nonce");
        }
        bool revoked = account.revocationNonce() == 1;
        assertEq(heavy.allowance(owner, spender), revoked && !asOperator ? 0 : ALLOWANCE);
        assertEq(heavy.isApprovedForAll(owner, spender), !(revoked && asOperator));
    }

    // ------------------------------------------------------------------ storage

    function test_storage_nonceLivesInTheErc7201NamespaceAndNowhereElse() public {
        bytes32 expectedSlot =
            keccak256(abi.encode(uint256(keccak256(bytes(NAMESPACE))) - 1)) & ~bytes32(uint256(0xff));
        vm.record();
        relay(items, false, deadline, ownerSignature(items, false, 0, deadline));
        (, bytes32[] memory writes) = vm.accesses(owner);
        assertEq(writes.length, 1, "one slot written");
        assertEq(writes[0], expectedSlot);
        assertEq(vm.load(owner, expectedSlot), bytes32(uint256(1)));
    }

    function test_storage_nonceSurvivesUndelegationAndRedelegation() public {
        bytes memory signature = ownerSignature(items, false, 0, deadline);
        relay(items, false, deadline, signature);
        vm.etch(owner, ""); // authorization to address(0): the EOA has no code again
        assertEq(owner.code.length, 0);
        delegate(owner);
        vm.prank(owner);
        token.approve(spender, ALLOWANCE);
        vm.prank(relayer);
        vm.expectRevert(IBatchRevoker.InvalidSignature.selector);
        account.revokeWithSignature(items, false, deadline, signature);
        assertEq(account.revocationNonce(), 1);
    }

    // ------------------------------------------------------------------ good citizen

    function test_account_receivesEther() public {
        vm.deal(relayer, 1 ether);
        vm.prank(relayer);
        (bool ok,) = owner.call{value: 1 ether}("");
        assertTrue(ok);
        assertEq(owner.balance, 1 ether);
    }

    function test_deployment_refusesEtherItCouldNeverSendOn() public {
        vm.deal(relayer, 1 ether);
        vm.prank(relayer);
        (bool ok, bytes memory error) = address(implementation).call{value: 1 ether}("");
        assertFalse(ok);
        assertEq(error, abi.encodeWithSelector(IBatchRevoker.DeploymentTakesNoEther.selector));
        assertEq(address(implementation).balance, 0);
    }

    function test_account_acceptsErc721SafeTransfers() public {
        TestERC721 nft = new TestERC721();
        nft.mint(relayer, 1);
        vm.prank(relayer);
        nft.safeTransferFrom(relayer, owner, 1);
        assertEq(nft.ownerOf(1), owner);
    }

    function test_account_acceptsErc1155SafeTransfersSingleAndBatch() public {
        TestERC1155 multi = new TestERC1155();
        multi.mint(owner, 1, 5); // _mint is a safe transfer: the receiver hook must answer
        multi.mint(relayer, 2, 3);
        multi.mint(relayer, 3, 4);
        uint256[] memory ids = new uint256[](2);
        ids[0] = 2;
        ids[1] = 3;
        uint256[] memory amounts = new uint256[](2);
        amounts[0] = 3;
        amounts[1] = 4;
        vm.prank(relayer);
        multi.safeBatchTransferFrom(relayer, owner, ids, amounts, "");
        assertEq(multi.balanceOf(owner, 1), 5);
        assertEq(multi.balanceOf(owner, 2), 3);
        assertEq(multi.balanceOf(owner, 3), 4);
    }

    function test_isValidSignature_acceptsTheOwnersKeyFullAndCompact() public view {
        bytes32 hash = keccak256("any message");
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, hash);
        assertEq(account.isValidSignature(hash, abi.encodePacked(r, s, v)), IERC1271.isValidSignature.selector);
        (bytes32 cr, bytes32 vs) = vm.signCompact(ownerKey, hash);
        assertEq(account.isValidSignature(hash, abi.encodePacked(cr, vs)), IERC1271.isValidSignature.selector);
    }

    function test_isValidSignature_rejectsOtherKeysHashesAndShapesWithoutReverting() public {
        bytes32 hash = keccak256("any message");
        (, uint256 strangerKey) = makeAddrAndKey("stranger");
        bytes4 invalid = 0xffffffff;
        assertEq(account.isValidSignature(hash, sign(strangerKey, hash)), invalid);
        assertEq(account.isValidSignature(keccak256("other"), sign(ownerKey, hash)), invalid);
        assertEq(account.isValidSignature(hash, hex"1234"), invalid);
        assertEq(account.isValidSignature(hash, ""), invalid);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, hash);
        bytes32 highS = bytes32(SECP256K1_ORDER - uint256(s));
        assertEq(account.isValidSignature(hash, abi.encodePacked(r, highS, v == 27 ? 28 : 27)), invalid);
        assertEq(implementation.isValidSignature(hash, sign(ownerKey, hash)), invalid, "deployment has no key");
    }

    function test_isValidSignature_letsPermit2StyleVerifiersAcceptTheDelegatedOwner() public {
        // AllowanceRouter, like Permit2, asks EIP-1271 of any signer that has code.
        AllowanceRouter router = new AllowanceRouter();
        IAllowanceTransfer.PermitSingle memory permit = IAllowanceTransfer.PermitSingle({
            details: IAllowanceTransfer.PermitDetails({
                token: address(token),
                amount: 500,
                expiration: uint48(block.timestamp + 1 days),
                nonce: 0
            }),
            spender: spender,
            sigDeadline: deadline
        });
        bytes32 digest =
            keccak256(abi.encodePacked("\x19\x01", router.DOMAIN_SEPARATOR(), PermitHash.hash(permit)));
        assertTrue(owner.code.length != 0, "the owner has code: the router takes the EIP-1271 path");
        router.permit(owner, permit, sign(ownerKey, digest));
        (uint160 amount,,) = router.allowance(owner, address(token), spender);
        assertEq(amount, 500);
    }

    function test_supportsInterface_listsTheReceiverAndSignatureInterfaces() public view {
        assertTrue(account.supportsInterface(type(IERC165).interfaceId));
        assertTrue(account.supportsInterface(type(IERC721Receiver).interfaceId));
        assertTrue(account.supportsInterface(type(IERC1155Receiver).interfaceId));
        assertTrue(account.supportsInterface(type(IERC1271).interfaceId));
        assertTrue(account.supportsInterface(type(IBatchRevoker).interfaceId));
        assertFalse(account.supportsInterface(0xffffffff));
        assertFalse(account.supportsInterface(0x80ac58cd), "not an ERC-721");
    }

    function test_eip712Domain_describesTheAccountsOwnDomain() public view {
        (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        ) = account.eip712Domain();
        assertEq(uint256(uint8(fields)), 0x0f);
        assertEq(name, "BatchRevoker");
        assertEq(version, "1");
        assertEq(chainId, block.chainid);
        assertEq(verifyingContract, owner);
        assertEq(salt, bytes32(0));
        assertEq(extensions.length, 0);
    }
}
