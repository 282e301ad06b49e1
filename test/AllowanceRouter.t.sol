// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {AllowanceRouter} from "../contracts/AllowanceRouter.sol";
import {IAllowanceRouter} from "../contracts/interfaces/IAllowanceRouter.sol";
import {IAllowanceTransfer} from "../contracts/interfaces/IAllowanceTransfer.sol";
import {SignatureVerification} from "../contracts/libraries/SignatureVerification.sol";
import {FalseReturnToken} from "../contracts/mocks/FalseReturnToken.sol";
import {MockERC1271Wallet} from "../contracts/mocks/MockERC1271Wallet.sol";
import {NoReturnToken} from "../contracts/mocks/NoReturnToken.sol";
import {ReentrantTransferToken} from "../contracts/mocks/ReentrantTransferToken.sol";
import {RejectingERC1271Wallet} from "../contracts/mocks/RejectingERC1271Wallet.sol";
import {TestToken} from "../contracts/mocks/TestToken.sol";
import {RouterSettings} from "./helpers/RouterSettings.sol";
import {PermitSigning} from "./helpers/PermitSigning.sol";
import {Test} from "./utils/Test.sol";

/// @notice Unit tests of AllowanceRouter: every external function, every revert path, every event.
contract AllowanceRouterTest is Test {
    using RouterSettings for AllowanceRouter;

    /// @dev A realistic start time, so that "expiration 0 = now" is distinguishable from 0.
    uint256 internal constant START = 1_700_000_000;
    uint256 internal constant INITIAL_BALANCE = 1_000_000 ether;
    uint160 internal constant UNLIMITED = type(uint160).max;
    uint48 internal constant ONE_DAY = 1 days;
    uint256 internal constant MAX_NONCE_DELTA = type(uint16).max;
    /// @dev Storage slot of the `allowance` mapping: EIP712Domain's `_name` string takes slot 0.
    uint256 internal constant ALLOWANCE_MAPPING_SLOT = 1;
    /// @dev ERC-5267 field bitmap for name, chainId and verifyingContract.
    bytes1 internal constant DOMAIN_FIELDS = hex"0d";
    uint256 internal constant FIRST_CHAIN_ID = 1;
    uint256 internal constant OTHER_CHAIN_ID = 10;
    /// @dev EIP-7702 delegation designator prefix.
    bytes3 internal constant DELEGATION_PREFIX = 0xef0100;

    AllowanceRouter internal router;
    TestToken internal token;
    TestToken internal otherToken;

    address internal owner;
    uint256 internal ownerKey;
    address internal otherOwner;
    uint256 internal otherOwnerKey;
    address internal spender = makeAddr("spender");
    address internal otherSpender = makeAddr("otherSpender");
    address internal recipient = makeAddr("recipient");
    address internal guardian = makeAddr("guardian");
    address internal outsider = makeAddr("outsider");

    /// @dev Revert data captured by the re-entrant pull (see reenterPull).
    bytes internal reentrantRevertData;
    bool internal reentrantPullSucceeded;

    function setUp() public {
        vm.warp(START);
        (owner, ownerKey) = makeAddrAndKey("owner");
        (otherOwner, otherOwnerKey) = makeAddrAndKey("otherOwner");
        router = new AllowanceRouter();
        token = new TestToken("Token", "TKN");
        otherToken = new TestToken("Other", "OTH");
        _fundAndApproveRouter(owner);
        _fundAndApproveRouter(otherOwner);
    }

    // =================================================================== allowance

    function test_allowance_isZeroWithoutGrant() public view {
        (uint160 amount, uint48 expiration, uint48 nonce) = router.allowance(owner, address(token), spender);
        assertEq(amount, 0);
        assertEq(expiration, 0);
        assertEq(nonce, 0);
    }

    function test_allowance_isKeptPerOwnerTokenAndSpender() public {
        vm.prank(owner);
        router.approve(address(token), spender, 100, uint48(START + ONE_DAY));

        _assertGrant(owner, address(token), spender, 100, START + ONE_DAY, 0);
        _assertGrant(otherOwner, address(token), spender, 0, 0, 0);
        _assertGrant(owner, address(otherToken), spender, 0, 0, 0);
        _assertGrant(owner, address(token), otherSpender, 0, 0, 0);
    }

    // =================================================================== approve

    function test_approve_storesAmountAndExpirationAndEmitsApproval() public {
        uint48 expiration = uint48(START + ONE_DAY);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Approval(owner, address(token), spender, 500, expiration);
        vm.prank(owner);
        router.approve(address(token), spender, 500, expiration);

        _assertGrant(owner, address(token), spender, 500, expiration, 0);
    }

    function test_approve_expirationZeroIsThisBlockOnly() public {
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Approval(owner, address(token), spender, 500, uint48(START));
        vm.prank(owner);
        router.approve(address(token), spender, 500, 0);

        _assertGrant(owner, address(token), spender, 500, START, 0);

        vm.prank(spender);
        router.transferFrom(owner, recipient, 200, address(token));
        assertEq(token.balanceOf(recipient), 200);

        vm.warp(START + 1);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, START));
        vm.prank(spender);
        router.transferFrom(owner, recipient, 1, address(token));
    }

    function test_approve_leavesNonceUntouched() public {
        _permitSingle(ownerKey, owner, address(token), spender, 10, uint48(START + ONE_DAY), 0);
        _permitSingle(ownerKey, owner, address(token), spender, 20, uint48(START + ONE_DAY), 1);
        _assertGrant(owner, address(token), spender, 20, START + ONE_DAY, 2);

        vm.prank(owner);
        router.approve(address(token), spender, 999, uint48(START + 2 * ONE_DAY));

        _assertGrant(owner, address(token), spender, 999, START + 2 * ONE_DAY, 2);
    }

    function test_approve_overwritesThePreviousGrant() public {
        vm.startPrank(owner);
        router.approve(address(token), spender, 500, uint48(START + ONE_DAY));
        router.approve(address(token), spender, 7, uint48(START + 3));
        vm.stopPrank();

        _assertGrant(owner, address(token), spender, 7, START + 3, 0);
    }

    function test_approve_pastExpirationIsStoredAndNeverSpendable() public {
        uint48 past = uint48(START - 1);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Approval(owner, address(token), spender, 500, past);
        vm.prank(owner);
        router.approve(address(token), spender, 500, past);

        _assertGrant(owner, address(token), spender, 500, past, 0);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, past));
        vm.prank(spender);
        router.transferFrom(owner, recipient, 1, address(token));
    }

    // =================================================================== permit (single)

    function test_permit_setsGrantIncrementsNonceAndEmitsPermit() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));

        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Permit(owner, address(token), spender, 1_000, uint48(START + ONE_DAY), 0);
        vm.prank(outsider); // anyone may relay the owner's signature
        router.permit(owner, permit, signature);

        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 1);
    }

    function test_permit_acceptsCompactSignature() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        bytes memory signature =
            PermitSigning.signCompact(ownerKey, PermitSigning.singleDigest(address(router), permit));
        assertEq(signature.length, 64);

        router.permit(owner, permit, signature);

        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 1);
    }

    function test_permit_acceptsCompactSignatureOfBothParities() public {
        // EIP-2098 encodes v in the top bit of vs: sign until both parities have been seen.
        bool sawEvenParity;
        bool sawOddParity;
        for (uint48 nonce; nonce < 16 && !(sawEvenParity && sawOddParity); ++nonce) {
            IAllowanceTransfer.PermitSingle memory permit =
                _single(address(token), 1_000 + nonce, uint48(START + ONE_DAY), nonce, spender, START + 60);
            bytes32 digest = PermitSigning.singleDigest(address(router), permit);
            (, bytes32 vs) = vm.signCompact(ownerKey, digest);
            if (uint256(vs) >> 255 == 1) sawOddParity = true;
            else sawEvenParity = true;

            router.permit(owner, permit, PermitSigning.signCompact(ownerKey, digest));
            _assertGrant(owner, address(token), spender, 1_000 + nonce, START + ONE_DAY, nonce + 1);
        }
        assertTrue(sawEvenParity && sawOddParity, "both v parities exercised");
    }

    function test_permit_expirationZeroIsThisBlockOnly() public {
        IAllowanceTransfer.PermitSingle memory permit = _single(address(token), 1_000, 0, 0, spender, START);
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));

        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Permit(owner, address(token), spender, 1_000, uint48(START), 0);
        router.permit(owner, permit, signature);

        _assertGrant(owner, address(token), spender, 1_000, START, 1);
    }

    function test_permit_acceptsSignatureAtExactlySigDeadline() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));

        vm.warp(START + 60);
        router.permit(owner, permit, signature);

        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 1);
    }

    function test_permit_revertsSignatureExpiredAfterSigDeadline() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));

        vm.warp(START + 61);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.SignatureExpired.selector, START + 60));
        router.permit(owner, permit, signature);

        _assertGrant(owner, address(token), spender, 0, 0, 0);
    }

    function test_permit_revertsInvalidNonceForAFutureNonce() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 1, spender, START + 60);
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));

        vm.expectRevert(IAllowanceTransfer.InvalidNonce.selector);
        router.permit(owner, permit, signature);

        _assertGrant(owner, address(token), spender, 0, 0, 0);
    }

    function test_permit_revertsInvalidNonceOnReplay() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));
        router.permit(owner, permit, signature);
        vm.prank(spender);
        router.transferFrom(owner, recipient, 600, address(token));

        vm.expectRevert(IAllowanceTransfer.InvalidNonce.selector);
        router.permit(owner, permit, signature);

        _assertGrant(owner, address(token), spender, 400, START + ONE_DAY, 1);
    }

    function test_permit_revertsInvalidSignatureLength() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        bytes memory valid = PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));

        uint256[4] memory badLengths = [uint256(0), 63, 66, 130];
        for (uint256 i; i < badLengths.length; ++i) {
            bytes memory signature = new bytes(badLengths[i]);
            for (uint256 j; j < signature.length && j < valid.length; ++j) {
                signature[j] = valid[j];
            }
            vm.expectRevert(SignatureVerification.InvalidSignatureLength.selector);
            router.permit(owner, permit, signature);
        }
        _assertGrant(owner, address(token), spender, 0, 0, 0);
    }

    function test_permit_revertsInvalidSignatureWhenNothingIsRecovered() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        // r = 0 is not a curve point's x coordinate: ecrecover yields address(0).
        bytes memory zeroRecovery = abi.encodePacked(bytes32(0), bytes32(uint256(1)), uint8(27));

        vm.expectRevert(SignatureVerification.InvalidSignature.selector);
        router.permit(owner, permit, zeroRecovery);

        vm.expectRevert(SignatureVerification.InvalidSignature.selector);
        router.permit(owner, permit, abi.encodePacked(bytes32(0), bytes32(uint256(1))));

        _assertGrant(owner, address(token), spender, 0, 0, 0);
    }

    function test_permit_revertsInvalidSignatureForBadV() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));
        assertTrue(v == 27 || v == 28);

        uint8[4] memory badVs = [uint8(0), 1, 29, 255];
        for (uint256 i; i < badVs.length; ++i) {
            vm.expectRevert(SignatureVerification.InvalidSignature.selector);
            router.permit(owner, permit, abi.encodePacked(r, s, badVs[i]));
        }
        _assertGrant(owner, address(token), spender, 0, 0, 0);
    }

    function test_permit_revertsInvalidSignatureForMalleatedHighS() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        bytes32 digest = PermitSigning.singleDigest(address(router), permit);
        bytes memory highS = PermitSigning.signHighS(ownerKey, digest);

        // The twin is a genuine signature of the owner as far as ecrecover is concerned...
        (bytes32 r, bytes32 s) = abi.decode(highS, (bytes32, bytes32));
        assertEq(ecrecover(digest, uint8(highS[64]), r, s), owner, "malleated twin recovers the owner");
        assertGt(uint256(s), PermitSigning.SECP256K1_HALF_ORDER);

        // ...and the router still refuses it.
        vm.expectRevert(SignatureVerification.InvalidSignature.selector);
        router.permit(owner, permit, highS);

        _assertGrant(owner, address(token), spender, 0, 0, 0);
    }

    function test_permit_revertsInvalidSignatureForHighSInCompactEncoding() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        (bytes32 r,) = vm.signCompact(ownerKey, PermitSigning.singleDigest(address(router), permit));
        // A real signature's malleated twin almost never fits EIP-2098 (s would need its top bit
        // clear), so build the smallest upper-half s directly. Unchecked, it would recover some
        // unrelated address and fail as InvalidSigner; the s check must catch it first.
        bytes32 vsHighS = bytes32(PermitSigning.SECP256K1_HALF_ORDER + 1);
        assertTrue(ecrecover(PermitSigning.singleDigest(address(router), permit), 27, r, vsHighS) != address(0));

        vm.expectRevert(SignatureVerification.InvalidSignature.selector);
        router.permit(owner, permit, abi.encodePacked(r, vsHighS));

        _assertGrant(owner, address(token), spender, 0, 0, 0);
    }

    function test_permit_revertsInvalidSignerForAnotherKey() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        (, uint256 outsiderKey) = makeAddrAndKey("outsider");
        bytes memory signature =
            PermitSigning.sign(outsiderKey, PermitSigning.singleDigest(address(router), permit));

        vm.expectRevert(SignatureVerification.InvalidSigner.selector);
        router.permit(owner, permit, signature);

        _assertGrant(owner, address(token), spender, 0, 0, 0);
    }

    function test_permit_revertsInvalidSignerWhenATermIsChanged() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));

        permit.details.amount = 1_001;
        vm.expectRevert(SignatureVerification.InvalidSigner.selector);
        router.permit(owner, permit, signature);
        permit.details.amount = 1_000;

        permit.spender = outsider;
        vm.expectRevert(SignatureVerification.InvalidSigner.selector);
        router.permit(owner, permit, signature);
        permit.spender = spender;

        permit.details.expiration = uint48(START + 2 * ONE_DAY);
        vm.expectRevert(SignatureVerification.InvalidSigner.selector);
        router.permit(owner, permit, signature);
        permit.details.expiration = uint48(START + ONE_DAY);

        permit.sigDeadline = START + 61;
        vm.expectRevert(SignatureVerification.InvalidSigner.selector);
        router.permit(owner, permit, signature);
        permit.sigDeadline = START + 60;

        // The owner's signature is not someone else's.
        vm.expectRevert(SignatureVerification.InvalidSigner.selector);
        router.permit(otherOwner, permit, signature);

        router.permit(owner, permit, signature);
        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 1);
    }

    function test_permit_acceptsEIP1271ContractOwner() public {
        (address walletSigner, uint256 walletSignerKey) = makeAddrAndKey("walletSigner");
        MockERC1271Wallet wallet = new MockERC1271Wallet(walletSigner);
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        bytes memory signature =
            PermitSigning.sign(walletSignerKey, PermitSigning.singleDigest(address(router), permit));

        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Permit(address(wallet), address(token), spender, 1_000, uint48(START + ONE_DAY), 0);
        router.permit(address(wallet), permit, signature);

        _assertGrant(address(wallet), address(token), spender, 1_000, START + ONE_DAY, 1);
    }

    function test_permit_revertsInvalidContractSignatureWhenWalletRefuses() public {
        (address walletSigner,) = makeAddrAndKey("walletSigner");
        MockERC1271Wallet wallet = new MockERC1271Wallet(walletSigner);
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        // Signed by the wrong key: the wallet answers 0x00000000.
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));

        vm.expectRevert(SignatureVerification.InvalidContractSignature.selector);
        router.permit(address(wallet), permit, signature);

        _assertGrant(address(wallet), address(token), spender, 0, 0, 0);
    }

    function test_permit_contractOwnerIsJudgedByEIP1271AloneEvenForAnyLength() public {
        RejectingERC1271Wallet wallet = new RejectingERC1271Wallet();
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);

        // No ECDSA parsing for a contract: a 3-byte signature reaches the wallet, not the length check.
        vm.expectRevert(SignatureVerification.InvalidContractSignature.selector);
        router.permit(address(wallet), permit, hex"010203");

        _assertGrant(address(wallet), address(token), spender, 0, 0, 0);
    }

    function test_permit_delegatedEOAIsJudgedByItsDelegate() public {
        // EIP-7702: the owner's EOA delegates to a wallet whose signer is the owner itself.
        MockERC1271Wallet ownSignerWallet = new MockERC1271Wallet(owner);
        vm.etch(owner, abi.encodePacked(DELEGATION_PREFIX, address(ownSignerWallet)));
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));

        router.permit(owner, permit, signature);
        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 1);

        // Delegated to a wallet that accepts nothing, the owner's own ECDSA signature no longer counts.
        RejectingERC1271Wallet rejecting = new RejectingERC1271Wallet();
        vm.etch(owner, abi.encodePacked(DELEGATION_PREFIX, address(rejecting)));
        permit.details.nonce = 1;
        signature = PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));
        vm.expectRevert(SignatureVerification.InvalidContractSignature.selector);
        router.permit(owner, permit, signature);
    }

    // =================================================================== permit (batch)

    function test_permitBatch_setsEveryGrantIncrementsEachNonceAndEmitsPermits() public {
        // Give the second pair a head start so the nonces differ.
        _permitSingle(ownerKey, owner, address(otherToken), spender, 1, uint48(START + 1), 0);

        IAllowanceTransfer.PermitBatch memory permit = _batch(
            address(token), 100, uint48(START + ONE_DAY), 0, address(otherToken), 200, uint48(START + 2 * ONE_DAY), 1
        );
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.batchDigest(address(router), permit));

        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Permit(owner, address(token), spender, 100, uint48(START + ONE_DAY), 0);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Permit(owner, address(otherToken), spender, 200, uint48(START + 2 * ONE_DAY), 1);
        vm.prank(outsider);
        router.permit(owner, permit, signature);

        _assertGrant(owner, address(token), spender, 100, START + ONE_DAY, 1);
        _assertGrant(owner, address(otherToken), spender, 200, START + 2 * ONE_DAY, 2);
    }

    function test_permitBatch_acceptsCompactSignature() public {
        IAllowanceTransfer.PermitBatch memory permit =
            _batch(address(token), 100, uint48(START + ONE_DAY), 0, address(otherToken), 200, 0, 0);
        bytes memory signature =
            PermitSigning.signCompact(ownerKey, PermitSigning.batchDigest(address(router), permit));

        router.permit(owner, permit, signature);

        _assertGrant(owner, address(token), spender, 100, START + ONE_DAY, 1);
        _assertGrant(owner, address(otherToken), spender, 200, START, 1);
    }

    function test_permitBatch_revertsSignatureExpiredAfterSigDeadline() public {
        IAllowanceTransfer.PermitBatch memory permit =
            _batch(address(token), 100, uint48(START + ONE_DAY), 0, address(otherToken), 200, 0, 0);
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.batchDigest(address(router), permit));

        vm.warp(permit.sigDeadline);
        uint256 snapshot = vm.snapshotState();
        router.permit(owner, permit, signature); // exactly at the deadline: accepted
        vm.revertToState(snapshot);

        vm.warp(permit.sigDeadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.SignatureExpired.selector, permit.sigDeadline));
        router.permit(owner, permit, signature);

        _assertGrant(owner, address(token), spender, 0, 0, 0);
    }

    function test_permitBatch_revertsWholeBatchOnAnyInvalidNonce() public {
        IAllowanceTransfer.PermitBatch memory permit =
            _batch(address(token), 100, uint48(START + ONE_DAY), 0, address(otherToken), 200, 0, 5);
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.batchDigest(address(router), permit));

        vm.expectRevert(IAllowanceTransfer.InvalidNonce.selector);
        router.permit(owner, permit, signature);

        // The first, valid detail was rolled back with the rest.
        _assertGrant(owner, address(token), spender, 0, 0, 0);
        _assertGrant(owner, address(otherToken), spender, 0, 0, 0);
    }

    function test_permitBatch_revertsInvalidSignerAndLengthAndSignature() public {
        IAllowanceTransfer.PermitBatch memory permit =
            _batch(address(token), 100, uint48(START + ONE_DAY), 0, address(otherToken), 200, 0, 0);
        bytes32 digest = PermitSigning.batchDigest(address(router), permit);

        vm.expectRevert(SignatureVerification.InvalidSigner.selector);
        router.permit(owner, permit, PermitSigning.sign(otherOwnerKey, digest));

        vm.expectRevert(SignatureVerification.InvalidSignatureLength.selector);
        router.permit(owner, permit, new bytes(65 + 1));

        vm.expectRevert(SignatureVerification.InvalidSignature.selector);
        router.permit(owner, permit, PermitSigning.signHighS(ownerKey, digest));

        _assertGrant(owner, address(token), spender, 0, 0, 0);
        _assertGrant(owner, address(otherToken), spender, 0, 0, 0);
    }

    function test_permitBatch_singleSignatureIsNotABatchSignature() public {
        // Same terms, other type: the PermitSingle signature must not authorise a one-item batch.
        IAllowanceTransfer.PermitSingle memory single =
            _single(address(token), 100, uint48(START + ONE_DAY), 0, spender, START + 60);
        bytes memory singleSignature =
            PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), single));
        IAllowanceTransfer.PermitDetails[] memory details = new IAllowanceTransfer.PermitDetails[](1);
        details[0] = single.details;
        IAllowanceTransfer.PermitBatch memory batch =
            IAllowanceTransfer.PermitBatch({details: details, spender: spender, sigDeadline: START + 60});

        vm.expectRevert(SignatureVerification.InvalidSigner.selector);
        router.permit(owner, batch, singleSignature);
    }

    function test_permitBatch_acceptsEIP1271ContractOwnerAndRejectsRefusal() public {
        (address walletSigner, uint256 walletSignerKey) = makeAddrAndKey("walletSigner");
        MockERC1271Wallet wallet = new MockERC1271Wallet(walletSigner);
        IAllowanceTransfer.PermitBatch memory permit =
            _batch(address(token), 100, uint48(START + ONE_DAY), 0, address(otherToken), 200, 0, 0);
        bytes32 digest = PermitSigning.batchDigest(address(router), permit);

        vm.expectRevert(SignatureVerification.InvalidContractSignature.selector);
        router.permit(address(wallet), permit, PermitSigning.sign(ownerKey, digest));

        router.permit(address(wallet), permit, PermitSigning.sign(walletSignerKey, digest));
        _assertGrant(address(wallet), address(token), spender, 100, START + ONE_DAY, 1);
        _assertGrant(address(wallet), address(otherToken), spender, 200, START, 1);
    }

    // =================================================================== transferFrom (single)

    function test_transferFrom_movesOwnerToRecipientAndDecrementsGrant() public {
        vm.prank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));

        vm.expectEmit(address(token));
        emit IERC20.Transfer(owner, recipient, 400);
        vm.prank(spender);
        router.transferFrom(owner, recipient, 400, address(token));

        assertEq(token.balanceOf(owner), INITIAL_BALANCE - 400);
        assertEq(token.balanceOf(recipient), 400);
        assertEq(token.balanceOf(address(router)), 0, "router holds nothing");
        assertEq(token.balanceOf(spender), 0, "spender holds nothing");
        _assertGrant(owner, address(token), spender, 600, START + ONE_DAY, 0);
    }

    function test_transferFrom_succeedsAtExactlyExpirationAndRevertsOneSecondLater() public {
        uint48 expiration = uint48(START + ONE_DAY);
        vm.prank(owner);
        router.approve(address(token), spender, 1_000, expiration);

        vm.warp(expiration);
        vm.prank(spender);
        router.transferFrom(owner, recipient, 1, address(token));
        assertEq(token.balanceOf(recipient), 1);

        vm.warp(uint256(expiration) + 1);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, expiration));
        vm.prank(spender);
        router.transferFrom(owner, recipient, 1, address(token));

        assertEq(token.balanceOf(recipient), 1);
        _assertGrant(owner, address(token), spender, 999, expiration, 0);
    }

    function test_transferFrom_revertsAllowanceExpiredWithoutGrant() public {
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, 0));
        vm.prank(spender);
        router.transferFrom(owner, recipient, 1, address(token));
    }

    function test_transferFrom_usesOnlyTheCallersOwnGrant() public {
        vm.prank(owner);
        router.approve(address(token), spender, UNLIMITED, uint48(START + ONE_DAY));

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, 0));
        vm.prank(otherSpender);
        router.transferFrom(owner, recipient, 1, address(token));

        // A grant over one token is not a grant over another.
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, 0));
        vm.prank(spender);
        router.transferFrom(owner, recipient, 1, address(otherToken));

        assertEq(token.balanceOf(recipient), 0);
    }

    function test_transferFrom_revertsInsufficientAllowance() public {
        vm.prank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 1_000));
        vm.prank(spender);
        router.transferFrom(owner, recipient, 1_001, address(token));

        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 0);
        assertEq(token.balanceOf(recipient), 0);
    }

    function test_transferFrom_spendsTheExactGrantThenNothingMore() public {
        vm.prank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));

        vm.startPrank(spender);
        router.transferFrom(owner, recipient, 1_000, address(token));
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0));
        router.transferFrom(owner, recipient, 1, address(token));
        vm.stopPrank();

        _assertGrant(owner, address(token), spender, 0, START + ONE_DAY, 0);
        assertEq(token.balanceOf(recipient), 1_000);
    }

    function test_transferFrom_neverDecrementsAnUnlimitedGrant() public {
        vm.prank(owner);
        router.approve(address(token), spender, UNLIMITED, uint48(START + ONE_DAY));

        vm.startPrank(spender);
        router.transferFrom(owner, recipient, 400, address(token));
        router.transferFrom(owner, recipient, 600, address(token));
        vm.stopPrank();

        _assertGrant(owner, address(token), spender, UNLIMITED, START + ONE_DAY, 0);
        assertEq(token.balanceOf(recipient), 1_000);
    }

    function test_transferFrom_decrementsTheLargestFiniteGrant() public {
        uint160 almostUnlimited = UNLIMITED - 1;
        vm.prank(owner);
        router.approve(address(token), spender, almostUnlimited, uint48(START + ONE_DAY));

        vm.prank(spender);
        router.transferFrom(owner, recipient, 1, address(token));

        _assertGrant(owner, address(token), spender, almostUnlimited - 1, START + ONE_DAY, 0);
    }

    function test_transferFrom_worksWithNoReturnToken() public {
        NoReturnToken usdtLike = new NoReturnToken();
        usdtLike.mint(owner, INITIAL_BALANCE);
        vm.startPrank(owner);
        // A finite token-level approval, so the token's own allowance accounting runs too.
        usdtLike.approve(address(router), 5_000);
        router.approve(address(usdtLike), spender, 1_000, uint48(START + ONE_DAY));
        vm.stopPrank();

        vm.prank(spender);
        router.transferFrom(owner, recipient, 700, address(usdtLike));

        assertEq(usdtLike.allowance(owner, address(router)), 5_000 - 700);
        assertEq(usdtLike.balanceOf(owner), INITIAL_BALANCE - 700);
        assertEq(usdtLike.balanceOf(recipient), 700);
        assertEq(usdtLike.balanceOf(address(router)), 0);
        _assertGrant(owner, address(usdtLike), spender, 300, START + ONE_DAY, 0);
    }

    function test_transferFrom_revertsWhenTokenReturnsFalse() public {
        FalseReturnToken liar = new FalseReturnToken();
        liar.mint(owner, INITIAL_BALANCE);
        vm.prank(owner);
        router.approve(address(liar), spender, 1_000, uint48(START + ONE_DAY));

        vm.expectRevert(abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, address(liar)));
        vm.prank(spender);
        router.transferFrom(owner, recipient, 700, address(liar));

        // The failed pull consumed nothing.
        _assertGrant(owner, address(liar), spender, 1_000, START + ONE_DAY, 0);
    }

    function test_transferFrom_bubblesTokenRevertAndKeepsGrant() public {
        // The owner withdrew the router's token approval: the token itself refuses.
        vm.startPrank(owner);
        token.approve(address(router), 0);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));
        vm.stopPrank();

        vm.expectRevert(
            abi.encodeWithSignature("ERC20InsufficientAllowance(address,uint256,uint256)", address(router), 0, 10)
        );
        vm.prank(spender);
        router.transferFrom(owner, recipient, 10, address(token));

        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 0);
    }

    function test_transferFrom_reentrantPullSeesTheDecrementedGrant() public {
        ReentrantTransferToken hooked = _hookedTokenGrantingThisContract(100);
        hooked.armHook(address(this), abi.encodeCall(this.reenterPull, (hooked, 60)));

        router.transferFrom(owner, recipient, 60, address(hooked));

        // The inner pull ran while the outer one was in flight and saw 100 - 60 = 40.
        assertFalse(reentrantPullSucceeded, "re-entrant over-pull refused");
        assertEq(
            reentrantRevertData, abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 40)
        );
        assertEq(hooked.balanceOf(recipient), 60);
        _assertGrant(owner, address(hooked), address(this), 40, START + ONE_DAY, 0);
    }

    function test_transferFrom_reentrantPullsTogetherStayWithinTheGrant() public {
        ReentrantTransferToken hooked = _hookedTokenGrantingThisContract(100);
        hooked.armHook(address(this), abi.encodeCall(this.reenterPull, (hooked, 40)));

        router.transferFrom(owner, recipient, 60, address(hooked));

        assertTrue(reentrantPullSucceeded, "re-entrant pull within the rest succeeds");
        assertEq(hooked.balanceOf(recipient), 100);
        _assertGrant(owner, address(hooked), address(this), 0, START + ONE_DAY, 0);
    }

    function test_transferFrom_reentrantOverPullRevertsTheWholePull() public {
        ReentrantTransferToken hooked = _hookedTokenGrantingThisContract(100);
        hooked.armHook(address(this), abi.encodeCall(this.reenterPullUncaught, (hooked, 60)));

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 40));
        router.transferFrom(owner, recipient, 60, address(hooked));

        assertEq(hooked.balanceOf(recipient), 0);
        _assertGrant(owner, address(hooked), address(this), 100, START + ONE_DAY, 0);
    }

    /// @dev Called by ReentrantTransferToken from inside the router's transferFrom; pulls again as the spender.
    function reenterPull(ReentrantTransferToken hooked, uint160 amount) external {
        try router.transferFrom(owner, recipient, amount, address(hooked)) {
            reentrantPullSucceeded = true;
        } catch (bytes memory revertData) {
            reentrantRevertData = revertData;
        }
    }

    /// @dev Like reenterPull, but lets the inner pull's revert unwind the outer pull.
    function reenterPullUncaught(ReentrantTransferToken hooked, uint160 amount) external {
        router.transferFrom(owner, recipient, amount, address(hooked));
    }

    function test_transferFrom_pullsFromAContractWalletOwner() public {
        (address walletSigner,) = makeAddrAndKey("walletSigner");
        MockERC1271Wallet wallet = new MockERC1271Wallet(walletSigner);
        token.mint(address(wallet), 1_000);
        vm.startPrank(walletSigner);
        wallet.execute(address(token), abi.encodeCall(token.approve, (address(router), type(uint256).max)));
        wallet.execute(
            address(router), abi.encodeCall(router.approve, (address(token), spender, 600, uint48(START + ONE_DAY)))
        );
        vm.stopPrank();

        vm.prank(spender);
        router.transferFrom(address(wallet), recipient, 600, address(token));

        assertEq(token.balanceOf(address(wallet)), 400);
        assertEq(token.balanceOf(recipient), 600);
        _assertGrant(address(wallet), address(token), spender, 0, START + ONE_DAY, 0);
    }

    // =================================================================== transferFrom (batch)

    function test_transferFromBatch_movesEveryItemAndDecrementsEachGrant() public {
        vm.prank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));
        vm.prank(owner);
        router.approve(address(otherToken), spender, UNLIMITED, uint48(START + ONE_DAY));
        vm.prank(otherOwner);
        router.approve(address(token), spender, 500, uint48(START + ONE_DAY));

        IAllowanceTransfer.AllowanceTransferDetails[] memory transfers =
            new IAllowanceTransfer.AllowanceTransferDetails[](4);
        transfers[0] = IAllowanceTransfer.AllowanceTransferDetails(owner, recipient, 300, address(token));
        transfers[1] = IAllowanceTransfer.AllowanceTransferDetails(owner, outsider, 200, address(token));
        transfers[2] = IAllowanceTransfer.AllowanceTransferDetails(owner, recipient, 5_000, address(otherToken));
        transfers[3] = IAllowanceTransfer.AllowanceTransferDetails(otherOwner, recipient, 500, address(token));

        vm.prank(spender);
        router.transferFrom(transfers);

        assertEq(token.balanceOf(recipient), 800);
        assertEq(token.balanceOf(outsider), 200);
        assertEq(otherToken.balanceOf(recipient), 5_000);
        assertEq(token.balanceOf(owner), INITIAL_BALANCE - 500);
        assertEq(token.balanceOf(otherOwner), INITIAL_BALANCE - 500);
        assertEq(token.balanceOf(address(router)), 0);
        assertEq(otherToken.balanceOf(address(router)), 0);
        _assertGrant(owner, address(token), spender, 500, START + ONE_DAY, 0);
        _assertGrant(owner, address(otherToken), spender, UNLIMITED, START + ONE_DAY, 0);
        _assertGrant(otherOwner, address(token), spender, 0, START + ONE_DAY, 0);
    }

    function test_transferFromBatch_revertsWholeBatchWhenOneGrantExpired() public {
        vm.prank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));
        vm.prank(owner);
        router.approve(address(otherToken), spender, 1_000, uint48(START + 10));
        vm.warp(START + 11);

        IAllowanceTransfer.AllowanceTransferDetails[] memory transfers =
            new IAllowanceTransfer.AllowanceTransferDetails[](2);
        transfers[0] = IAllowanceTransfer.AllowanceTransferDetails(owner, recipient, 300, address(token));
        transfers[1] = IAllowanceTransfer.AllowanceTransferDetails(owner, recipient, 300, address(otherToken));

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, START + 10));
        vm.prank(spender);
        router.transferFrom(transfers);

        assertEq(token.balanceOf(recipient), 0, "first item rolled back");
        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 0);
    }

    function test_transferFromBatch_itemsShareOneGrant() public {
        vm.prank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));

        IAllowanceTransfer.AllowanceTransferDetails[] memory transfers =
            new IAllowanceTransfer.AllowanceTransferDetails[](2);
        transfers[0] = IAllowanceTransfer.AllowanceTransferDetails(owner, recipient, 700, address(token));
        transfers[1] = IAllowanceTransfer.AllowanceTransferDetails(owner, recipient, 700, address(token));

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 300));
        vm.prank(spender);
        router.transferFrom(transfers);

        assertEq(token.balanceOf(recipient), 0);
        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 0);
    }

    function test_transferFromBatch_emptyBatchMovesNothing() public {
        vm.record();
        vm.prank(spender);
        router.transferFrom(new IAllowanceTransfer.AllowanceTransferDetails[](0));
        (, bytes32[] memory writes) = vm.accesses(address(router));
        assertEq(writes.length, 0);
    }

    // =================================================================== storage access of the spend path

    function test_transferFrom_readsAndWritesOnlyTheGrantSlot() public {
        _ownerConfiguresEverything();
        vm.prank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));
        bytes32 grantSlot = _grantSlot(owner, address(token), spender);
        assertEq(
            vm.load(address(router), grantSlot),
            bytes32(uint256(1_000) | (uint256(START + ONE_DAY) << 160)),
            "slot layout: amount | expiration << 160 | nonce << 208"
        );

        vm.record();
        vm.prank(spender);
        router.transferFrom(owner, recipient, 400, address(token));
        (bytes32[] memory reads, bytes32[] memory writes) = vm.accesses(address(router));

        assertGt(reads.length, 0);
        for (uint256 i; i < reads.length; ++i) {
            assertEq(reads[i], grantSlot, "spend path read a slot other than the grant");
        }
        assertEq(writes.length, 1, "one write");
        assertEq(writes[0], grantSlot, "the write is the grant");
        assertEq(vm.load(address(router), grantSlot), bytes32(uint256(600) | (uint256(START + ONE_DAY) << 160)));
    }

    function test_transferFrom_unlimitedGrantIsReadButNeverWritten() public {
        _ownerConfiguresEverything();
        vm.prank(owner);
        router.approve(address(token), spender, UNLIMITED, uint48(START + ONE_DAY));
        bytes32 grantSlot = _grantSlot(owner, address(token), spender);

        vm.record();
        vm.prank(spender);
        router.transferFrom(owner, recipient, 400, address(token));
        (bytes32[] memory reads, bytes32[] memory writes) = vm.accesses(address(router));

        assertGt(reads.length, 0);
        for (uint256 i; i < reads.length; ++i) {
            assertEq(reads[i], grantSlot, "spend path read a slot other than the grant");
        }
        assertEq(writes.length, 0, "unlimited grant is not written");
    }

    // =================================================================== lockdown

    function test_lockdown_zeroesAmountsKeepsExpirationAndNonceAndEmits() public {
        _permitSingle(ownerKey, owner, address(token), spender, 1_000, uint48(START + ONE_DAY), 0);
        vm.startPrank(owner);
        router.approve(address(otherToken), otherSpender, UNLIMITED, uint48(START + 2 * ONE_DAY));

        IAllowanceTransfer.TokenSpenderPair[] memory pairs = new IAllowanceTransfer.TokenSpenderPair[](2);
        pairs[0] = IAllowanceTransfer.TokenSpenderPair(address(token), spender);
        pairs[1] = IAllowanceTransfer.TokenSpenderPair(address(otherToken), otherSpender);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Lockdown(owner, address(token), spender);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Lockdown(owner, address(otherToken), otherSpender);
        router.lockdown(pairs);
        vm.stopPrank();

        _assertGrant(owner, address(token), spender, 0, START + ONE_DAY, 1);
        _assertGrant(owner, address(otherToken), otherSpender, 0, START + 2 * ONE_DAY, 0);

        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0));
        vm.prank(otherSpender);
        router.transferFrom(owner, recipient, 1, address(otherToken));
    }

    function test_lockdown_touchesOnlyTheCallersGrants() public {
        vm.prank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));
        vm.prank(otherOwner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));

        vm.prank(otherOwner);
        router.lockdown(_pair(address(token), spender));

        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 0);
        _assertGrant(otherOwner, address(token), spender, 0, START + ONE_DAY, 0);
    }

    // =================================================================== invalidateNonces

    function test_invalidateNonces_movesNonceForwardAndEmits() public {
        vm.prank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));

        vm.expectEmit(address(router));
        emit IAllowanceTransfer.NonceInvalidation(owner, address(token), spender, 5, 0);
        vm.prank(owner);
        router.invalidateNonces(address(token), spender, 5);

        // Amount and expiration are untouched.
        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 5);

        vm.expectEmit(address(router));
        emit IAllowanceTransfer.NonceInvalidation(owner, address(token), spender, 6, 5);
        vm.prank(owner);
        router.invalidateNonces(address(token), spender, 6);
        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 6);
    }

    function test_invalidateNonces_revertsInvalidNonceUnlessItMovesForward() public {
        vm.prank(owner);
        router.invalidateNonces(address(token), spender, 5);

        vm.startPrank(owner);
        vm.expectRevert(IAllowanceTransfer.InvalidNonce.selector);
        router.invalidateNonces(address(token), spender, 5);
        vm.expectRevert(IAllowanceTransfer.InvalidNonce.selector);
        router.invalidateNonces(address(token), spender, 4);
        vm.expectRevert(IAllowanceTransfer.InvalidNonce.selector);
        router.invalidateNonces(address(token), spender, 0);
        vm.stopPrank();

        _assertGrant(owner, address(token), spender, 0, 0, 5);
    }

    function test_invalidateNonces_revertsInvalidNonceForZeroOnAFreshPair() public {
        vm.expectRevert(IAllowanceTransfer.InvalidNonce.selector);
        vm.prank(owner);
        router.invalidateNonces(address(token), spender, 0);
    }

    function test_invalidateNonces_allowsExactlyTheMaximumDelta() public {
        vm.prank(owner);
        router.invalidateNonces(address(token), spender, 3);

        uint48 farthest = uint48(3 + MAX_NONCE_DELTA);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.NonceInvalidation(owner, address(token), spender, farthest, 3);
        vm.prank(owner);
        router.invalidateNonces(address(token), spender, farthest);

        _assertGrant(owner, address(token), spender, 0, 0, farthest);
    }

    function test_invalidateNonces_revertsExcessiveInvalidation() public {
        vm.prank(owner);
        router.invalidateNonces(address(token), spender, 3);

        vm.expectRevert(IAllowanceTransfer.ExcessiveInvalidation.selector);
        vm.prank(owner);
        router.invalidateNonces(address(token), spender, uint48(3 + MAX_NONCE_DELTA + 1));

        vm.expectRevert(IAllowanceTransfer.ExcessiveInvalidation.selector);
        vm.prank(owner);
        router.invalidateNonces(address(token), spender, type(uint48).max);

        _assertGrant(owner, address(token), spender, 0, 0, 3);
    }

    function test_invalidateNonces_voidsASignedButUnusedPermit() public {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));

        vm.prank(owner);
        router.invalidateNonces(address(token), spender, 1);

        vm.expectRevert(IAllowanceTransfer.InvalidNonce.selector);
        router.permit(owner, permit, signature);
        _assertGrant(owner, address(token), spender, 0, 0, 1);
    }

    function test_invalidateNonces_isPerOwnerTokenAndSpender() public {
        vm.prank(owner);
        router.invalidateNonces(address(token), spender, 9);

        _assertGrant(owner, address(token), otherSpender, 0, 0, 0);
        _assertGrant(owner, address(otherToken), spender, 0, 0, 0);
        _assertGrant(otherOwner, address(token), spender, 0, 0, 0);
    }

    // =================================================================== setMaxDuration / maxDurationOf

    function test_setMaxDuration_storesAndEmits() public {
        assertEq(router.maxDurationOf(owner), 0);

        vm.expectEmit(address(router));
        emit IAllowanceRouter.MaxDurationSet(owner, ONE_DAY);
        vm.prank(owner);
        router.setMaxDuration(ONE_DAY);

        assertEq(router.maxDurationOf(owner), ONE_DAY);
        assertEq(router.maxDurationOf(otherOwner), 0, "per owner");
    }

    function test_setMaxDuration_clampsApprove() public {
        vm.prank(owner);
        router.setMaxDuration(ONE_DAY);

        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Approval(owner, address(token), spender, 1_000, uint48(START + ONE_DAY));
        vm.prank(owner);
        router.approve(address(token), spender, 1_000, type(uint48).max);

        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 0);
    }

    function test_setMaxDuration_leavesRequestsWithinTheCapUnchanged() public {
        vm.startPrank(owner);
        router.setMaxDuration(ONE_DAY);

        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));
        router.approve(address(otherToken), spender, 1_000, uint48(START + ONE_DAY - 1));
        router.approve(address(token), otherSpender, 1_000, uint48(START + ONE_DAY + 1));
        vm.stopPrank();

        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 0);
        _assertGrant(owner, address(otherToken), spender, 1_000, START + ONE_DAY - 1, 0);
        _assertGrant(owner, address(token), otherSpender, 1_000, START + ONE_DAY, 0);
    }

    function test_setMaxDuration_capIsCountedFromTheGrantNotFromTheSetting() public {
        vm.prank(owner);
        router.setMaxDuration(ONE_DAY);
        vm.warp(START + 10 * ONE_DAY);

        vm.prank(owner);
        router.approve(address(token), spender, 1_000, type(uint48).max);

        _assertGrant(owner, address(token), spender, 1_000, START + 11 * ONE_DAY, 0);
    }

    function test_setMaxDuration_clampsPermitSingle() public {
        vm.prank(owner);
        router.setMaxDuration(ONE_DAY);

        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Permit(owner, address(token), spender, 1_000, uint48(START + ONE_DAY), 0);
        _permitSingle(ownerKey, owner, address(token), spender, 1_000, uint48(START + 30 * ONE_DAY), 0);

        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 1);
    }

    function test_setMaxDuration_clampsPermitBatch() public {
        vm.prank(owner);
        router.setMaxDuration(ONE_DAY);

        IAllowanceTransfer.PermitBatch memory permit = _batch(
            address(token), 100, type(uint48).max, 0, address(otherToken), 200, uint48(START + ONE_DAY - 5), 0
        );
        bytes memory signature = PermitSigning.sign(ownerKey, PermitSigning.batchDigest(address(router), permit));
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Permit(owner, address(token), spender, 100, uint48(START + ONE_DAY), 0);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Permit(owner, address(otherToken), spender, 200, uint48(START + ONE_DAY - 5), 0);
        router.permit(owner, permit, signature);

        _assertGrant(owner, address(token), spender, 100, START + ONE_DAY, 1);
        _assertGrant(owner, address(otherToken), spender, 200, START + ONE_DAY - 5, 1);
    }

    function test_setMaxDuration_zeroRemovesTheCap() public {
        vm.startPrank(owner);
        router.setMaxDuration(ONE_DAY);
        vm.expectEmit(address(router));
        emit IAllowanceRouter.MaxDurationSet(owner, 0);
        router.setMaxDuration(0);
        router.approve(address(token), spender, 1_000, type(uint48).max);
        vm.stopPrank();

        assertEq(router.maxDurationOf(owner), 0);
        _assertGrant(owner, address(token), spender, 1_000, type(uint48).max, 0);
    }

    function test_setMaxDuration_leavesExpirationZeroAsThisBlock() public {
        vm.startPrank(owner);
        router.setMaxDuration(ONE_DAY);
        router.approve(address(token), spender, 1_000, 0);
        vm.stopPrank();
        _permitSingle(ownerKey, owner, address(otherToken), spender, 1_000, 0, 0);

        _assertGrant(owner, address(token), spender, 1_000, START, 0);
        _assertGrant(owner, address(otherToken), spender, 1_000, START, 1);
    }

    function test_setMaxDuration_leavesExistingGrantsAlone() public {
        vm.startPrank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + 30 * ONE_DAY));
        router.setMaxDuration(ONE_DAY);
        vm.stopPrank();

        _assertGrant(owner, address(token), spender, 1_000, START + 30 * ONE_DAY, 0);
    }

    function test_setMaxDuration_capsOnlyItsOwner() public {
        vm.prank(owner);
        router.setMaxDuration(ONE_DAY);
        vm.prank(otherOwner);
        router.approve(address(token), spender, 1_000, type(uint48).max);

        _assertGrant(otherOwner, address(token), spender, 1_000, type(uint48).max, 0);
    }

    // =================================================================== setGuardian / guardianOf / lockdownFor

    function test_setGuardian_storesAndEmits() public {
        assertEq(router.guardianOf(owner), address(0));

        vm.expectEmit(address(router));
        emit IAllowanceRouter.GuardianSet(owner, guardian);
        vm.prank(owner);
        router.setGuardian(guardian);
        assertEq(router.guardianOf(owner), guardian);
        assertEq(router.guardianOf(otherOwner), address(0), "per owner");

        vm.expectEmit(address(router));
        emit IAllowanceRouter.GuardianSet(owner, address(0));
        vm.prank(owner);
        router.setGuardian(address(0));
        assertEq(router.guardianOf(owner), address(0));
    }

    function test_settings_guardianAndMaxDurationShareASlotWithoutClobbering() public {
        vm.startPrank(owner);
        router.setMaxDuration(ONE_DAY);
        router.setGuardian(guardian);
        assertEq(router.maxDurationOf(owner), ONE_DAY);
        router.setMaxDuration(2 * ONE_DAY);
        vm.stopPrank();

        assertEq(router.guardianOf(owner), guardian);
        assertEq(router.maxDurationOf(owner), 2 * ONE_DAY);
    }

    function test_lockdownFor_guardianRevokesAndEventsAreEmitted() public {
        _permitSingle(ownerKey, owner, address(token), spender, 1_000, uint48(START + ONE_DAY), 0);
        vm.startPrank(owner);
        router.approve(address(otherToken), otherSpender, UNLIMITED, uint48(START + ONE_DAY));
        router.setGuardian(guardian);
        vm.stopPrank();

        IAllowanceTransfer.TokenSpenderPair[] memory pairs = new IAllowanceTransfer.TokenSpenderPair[](2);
        pairs[0] = IAllowanceTransfer.TokenSpenderPair(address(token), spender);
        pairs[1] = IAllowanceTransfer.TokenSpenderPair(address(otherToken), otherSpender);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Lockdown(owner, address(token), spender);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.NonceInvalidation(owner, address(token), spender, 2, 1);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Lockdown(owner, address(otherToken), otherSpender);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.NonceInvalidation(owner, address(otherToken), otherSpender, 1, 0);
        vm.expectEmit(address(router));
        emit IAllowanceRouter.GuardianLockdown(owner, guardian, 2);
        vm.prank(guardian);
        router.lockdownFor(owner, pairs);

        // The guardian's lockdown also voids signed permits: each nonce moved on by one.
        _assertGrant(owner, address(token), spender, 0, START + ONE_DAY, 2);
        _assertGrant(owner, address(otherToken), otherSpender, 0, START + ONE_DAY, 1);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, 0));
        vm.prank(spender);
        router.transferFrom(owner, recipient, 1, address(token));
    }

    function test_lockdownFor_revertsNotGuardianForAnOutsider() public {
        vm.startPrank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));
        router.setGuardian(guardian);
        vm.stopPrank();

        vm.expectRevert(abi.encodeWithSelector(IAllowanceRouter.NotGuardian.selector, outsider, owner));
        vm.prank(outsider);
        router.lockdownFor(owner, _pair(address(token), spender));

        // Not even the owner itself: it has lockdown for that.
        vm.expectRevert(abi.encodeWithSelector(IAllowanceRouter.NotGuardian.selector, owner, owner));
        vm.prank(owner);
        router.lockdownFor(owner, _pair(address(token), spender));

        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 0);
    }

    function test_lockdownFor_revertsNotGuardianForEveryoneWhenNoGuardian() public {
        vm.prank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));

        // address(0) is no caller: no transaction comes from it (nobody holds its key).
        address[2] memory callers = [outsider, guardian];
        for (uint256 i; i < callers.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IAllowanceRouter.NotGuardian.selector, callers[i], owner));
            vm.prank(callers[i]);
            router.lockdownFor(owner, _pair(address(token), spender));
        }
        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 0);
    }

    function test_lockdownFor_revertsNotGuardianForAReplacedOrRemovedGuardian() public {
        address newGuardian = makeAddr("newGuardian");
        vm.startPrank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));
        router.setGuardian(guardian);
        router.setGuardian(newGuardian);
        vm.stopPrank();

        vm.expectRevert(abi.encodeWithSelector(IAllowanceRouter.NotGuardian.selector, guardian, owner));
        vm.prank(guardian);
        router.lockdownFor(owner, _pair(address(token), spender));
        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 0);

        vm.prank(owner);
        router.setGuardian(address(0));
        vm.expectRevert(abi.encodeWithSelector(IAllowanceRouter.NotGuardian.selector, newGuardian, owner));
        vm.prank(newGuardian);
        router.lockdownFor(owner, _pair(address(token), spender));
        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 0);
    }

    function test_lockdownFor_guardianOfAnotherOwnerHasNoPowerHere() public {
        vm.prank(otherOwner);
        router.setGuardian(guardian);
        vm.prank(owner);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));

        vm.expectRevert(abi.encodeWithSelector(IAllowanceRouter.NotGuardian.selector, guardian, owner));
        vm.prank(guardian);
        router.lockdownFor(owner, _pair(address(token), spender));
        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 0);
    }

    function test_guardian_canNeitherGrantNorMoveTheOwnersTokens() public {
        vm.startPrank(owner);
        router.setGuardian(guardian);
        router.approve(address(token), spender, 1_000, uint48(START + ONE_DAY));
        vm.stopPrank();

        vm.startPrank(guardian);
        // Its approve writes the guardian's own grants, never the owner's.
        router.approve(address(token), spender, UNLIMITED, type(uint48).max);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, 0));
        router.transferFrom(owner, guardian, 1, address(token));
        vm.stopPrank();

        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 0);
        _assertGrant(guardian, address(token), spender, UNLIMITED, type(uint48).max, 0);
        assertEq(token.balanceOf(guardian), 0);
    }

    // =================================================================== allowances (batch read)

    function test_allowances_returnsEachGrantInOrder() public {
        _permitSingle(ownerKey, owner, address(token), spender, 1_000, uint48(START + ONE_DAY), 0);
        vm.prank(owner);
        router.approve(address(otherToken), otherSpender, UNLIMITED, 0);

        IAllowanceTransfer.TokenSpenderPair[] memory pairs = new IAllowanceTransfer.TokenSpenderPair[](3);
        pairs[0] = IAllowanceTransfer.TokenSpenderPair(address(otherToken), otherSpender);
        pairs[1] = IAllowanceTransfer.TokenSpenderPair(address(token), otherSpender);
        pairs[2] = IAllowanceTransfer.TokenSpenderPair(address(token), spender);
        IAllowanceTransfer.PackedAllowance[] memory grants = router.allowances(owner, pairs);

        assertEq(grants.length, 3);
        assertEq(grants[0].amount, UNLIMITED);
        assertEq(grants[0].expiration, START);
        assertEq(grants[0].nonce, 0);
        assertEq(grants[1].amount, 0);
        assertEq(grants[1].expiration, 0);
        assertEq(grants[1].nonce, 0);
        assertEq(grants[2].amount, 1_000);
        assertEq(grants[2].expiration, START + ONE_DAY);
        assertEq(grants[2].nonce, 1);
    }

    function test_allowances_ofNoPairsIsEmpty() public view {
        assertEq(router.allowances(owner, new IAllowanceTransfer.TokenSpenderPair[](0)).length, 0);
    }

    // =================================================================== EIP-712 domain

    function test_domainSeparator_matchesAnIndependentComputation() public view {
        assertEq(router.DOMAIN_SEPARATOR(), PermitSigning.domainSeparator(address(router), block.chainid));
        // Its own name: a Permit2 signature cannot be replayed here.
        bytes32 permit2Style = keccak256(
            abi.encode(PermitSigning.DOMAIN_TYPEHASH, keccak256("Permit2"), block.chainid, address(router))
        );
        assertTrue(router.DOMAIN_SEPARATOR() != permit2Style);
    }

    function test_domainSeparator_followsTheChainIdAndOldSignaturesDie() public {
        // A constant, not a local copy of block.chainid: via-IR may re-read CHAINID after vm.chainId.
        uint256 originalChainId = FIRST_CHAIN_ID;
        vm.chainId(FIRST_CHAIN_ID);
        IAllowanceTransfer.PermitSingle memory permit =
            _single(address(token), 1_000, uint48(START + ONE_DAY), 0, spender, START + 60);
        bytes memory oldChainSignature =
            PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));

        vm.chainId(OTHER_CHAIN_ID);
        assertEq(router.DOMAIN_SEPARATOR(), PermitSigning.domainSeparator(address(router), OTHER_CHAIN_ID));
        assertTrue(router.DOMAIN_SEPARATOR() != PermitSigning.domainSeparator(address(router), originalChainId));

        vm.expectRevert(SignatureVerification.InvalidSigner.selector);
        router.permit(owner, permit, oldChainSignature);

        bytes memory newChainSignature =
            PermitSigning.sign(ownerKey, PermitSigning.singleDigest(address(router), permit));
        router.permit(owner, permit, newChainSignature);
        _assertGrant(owner, address(token), spender, 1_000, START + ONE_DAY, 1);

        vm.chainId(originalChainId);
        assertEq(router.DOMAIN_SEPARATOR(), PermitSigning.domainSeparator(address(router), originalChainId));
    }

    function test_eip712Domain_describesTheDomain() public {
        (
            bytes1 fields,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        ) = router.eip712Domain();

        assertEq(uint256(uint8(fields)), uint256(uint8(DOMAIN_FIELDS)));
        assertEq(name, "AllowanceRouter");
        assertEq(version, "");
        assertEq(chainId, block.chainid);
        assertEq(verifyingContract, address(router));
        assertEq(salt, bytes32(0));
        assertEq(extensions.length, 0);
        // The fields it announces rebuild the separator the router uses.
        assertEq(
            keccak256(abi.encode(PermitSigning.DOMAIN_TYPEHASH, keccak256(bytes(name)), chainId, verifyingContract)),
            router.DOMAIN_SEPARATOR()
        );

        vm.chainId(OTHER_CHAIN_ID);
        (,,, chainId,,,) = router.eip712Domain();
        assertEq(chainId, OTHER_CHAIN_ID);
    }

    // =================================================================== helpers

    function _fundAndApproveRouter(address account) internal {
        token.mint(account, INITIAL_BALANCE);
        otherToken.mint(account, INITIAL_BALANCE);
        vm.startPrank(account);
        token.approve(address(router), type(uint256).max);
        otherToken.approve(address(router), type(uint256).max);
        vm.stopPrank();
    }

    function _assertGrant(
        address grantOwner,
        address grantToken,
        address grantSpender,
        uint256 expectedAmount,
        uint256 expectedExpiration,
        uint256 expectedNonce
    ) internal view {
        (uint160 amount, uint48 expiration, uint48 nonce) = router.allowance(grantOwner, grantToken, grantSpender);
        assertEq(amount, expectedAmount, "amount");
        assertEq(expiration, expectedExpiration, "expiration");
        assertEq(nonce, expectedNonce, "nonce");
    }

    function _single(
        address permitToken,
        uint160 amount,
        uint48 expiration,
        uint48 nonce,
        address permitSpender,
        uint256 sigDeadline
    ) internal pure returns (IAllowanceTransfer.PermitSingle memory) {
        return IAllowanceTransfer.PermitSingle({
            details: IAllowanceTransfer.PermitDetails({
                token: permitToken, amount: amount, expiration: expiration, nonce: nonce
            }),
            spender: permitSpender,
            sigDeadline: sigDeadline
        });
    }

    /// @dev A two-token batch to `spender`, valid for a minute.
    function _batch(
        address firstToken,
        uint160 firstAmount,
        uint48 firstExpiration,
        uint48 firstNonce,
        address secondToken,
        uint160 secondAmount,
        uint48 secondExpiration,
        uint48 secondNonce
    ) internal view returns (IAllowanceTransfer.PermitBatch memory) {
        IAllowanceTransfer.PermitDetails[] memory details = new IAllowanceTransfer.PermitDetails[](2);
        details[0] = IAllowanceTransfer.PermitDetails(firstToken, firstAmount, firstExpiration, firstNonce);
        details[1] = IAllowanceTransfer.PermitDetails(secondToken, secondAmount, secondExpiration, secondNonce);
        return IAllowanceTransfer.PermitBatch({details: details, spender: spender, sigDeadline: block.timestamp + 60});
    }

    function _permitSingle(
        uint256 signerKey,
        address permitOwner,
        address permitToken,
        address permitSpender,
        uint160 amount,
        uint48 expiration,
        uint48 nonce
    ) internal {
        IAllowanceTransfer.PermitSingle memory permit =
            _single(permitToken, amount, expiration, nonce, permitSpender, block.timestamp);
        router.permit(
            permitOwner, permit, PermitSigning.sign(signerKey, PermitSigning.singleDigest(address(router), permit))
        );
    }

    function _pair(address pairToken, address pairSpender)
        internal
        pure
        returns (IAllowanceTransfer.TokenSpenderPair[] memory pairs)
    {
        pairs = new IAllowanceTransfer.TokenSpenderPair[](1);
        pairs[0] = IAllowanceTransfer.TokenSpenderPair(pairToken, pairSpender);
    }

    /// @dev Solidity's mapping layout: allowance[owner][token][spender].
    function _grantSlot(address grantOwner, address grantToken, address grantSpender) internal pure returns (bytes32) {
        bytes32 ownerSlot = keccak256(abi.encode(grantOwner, ALLOWANCE_MAPPING_SLOT));
        bytes32 tokenSlot = keccak256(abi.encode(grantToken, ownerSlot));
        return keccak256(abi.encode(grantSpender, tokenSlot));
    }

    /// @dev Fills the owner's settings slot, so a spend path that read it would be seen reading it.
    function _ownerConfiguresEverything() internal {
        vm.startPrank(owner);
        router.setMaxDuration(30 * ONE_DAY);
        router.setGuardian(guardian);
        vm.stopPrank();
    }

    function _hookedTokenGrantingThisContract(uint160 amount) internal returns (ReentrantTransferToken hooked) {
        hooked = new ReentrantTransferToken();
        hooked.mint(owner, INITIAL_BALANCE);
        vm.startPrank(owner);
        hooked.approve(address(router), type(uint256).max);
        router.approve(address(hooked), address(this), amount, uint48(START + ONE_DAY));
        vm.stopPrank();
    }
}
