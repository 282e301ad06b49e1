// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AllowanceRouter} from "../contracts/AllowanceRouter.sol";
import {IAllowanceRouter} from "../contracts/interfaces/IAllowanceRouter.sol";
import {IAllowanceTransfer} from "../contracts/interfaces/IAllowanceTransfer.sol";
import {SignatureVerification} from "../contracts/libraries/SignatureVerification.sol";
import {TestToken} from "../contracts/mocks/TestToken.sol";
import {PermitSigning} from "./helpers/PermitSigning.sol";
import {Test} from "./utils/Test.sol";

/// @notice Fuzz tests of AllowanceRouter: amounts, expirations, timestamps, keys, deadlines and
/// signatures drawn at random, each checked against the specification written out in the test.
/// @dev Times are always derived from fuzz inputs, never from a local copy of block.timestamp:
/// via-IR may re-read TIMESTAMP after vm.warp.
contract AllowanceRouterFuzzTest is Test {
    uint256 internal constant START = 1_700_000_000;
    uint160 internal constant UNLIMITED = type(uint160).max;
    uint256 internal constant MAX_NONCE_DELTA = type(uint16).max;
    /// @dev Horizon for fuzzed lifetimes and delays: long enough for any real grant.
    uint256 internal constant HORIZON = 100 * 365 days;
    uint256 internal constant MAX_BATCH = 4;

    AllowanceRouter internal router;
    TestToken internal token;
    address internal owner;
    uint256 internal ownerKey;
    address internal spender = makeAddr("spender");
    address internal recipient = makeAddr("recipient");

    function setUp() public {
        vm.warp(START);
        (owner, ownerKey) = makeAddrAndKey("owner");
        router = new AllowanceRouter();
        token = new TestToken("Token", "TKN");
        // Enough for any uint160 pull, twice.
        token.mint(owner, uint256(type(uint160).max) * 2);
        vm.prank(owner);
        token.approve(address(router), type(uint256).max);
    }

    // =================================================================== approve

    function testFuzz_approve_storesTheRequestedOrClampedExpiration(
        uint160 amount,
        uint48 expiration,
        uint48 maxDuration,
        uint256 now_,
        uint48 priorNonce
    ) public {
        now_ = bound(now_, 1, type(uint48).max);
        vm.warp(now_);
        vm.startPrank(owner);
        if (priorNonce != 0) {
            router.invalidateNonces(address(token), spender, uint48(bound(priorNonce, 1, MAX_NONCE_DELTA)));
        }
        (,, uint48 nonceBefore) = router.allowance(owner, address(token), spender);
        router.setMaxDuration(maxDuration);

        uint48 expected = _expectedExpiration(expiration, maxDuration, now_);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Approval(owner, address(token), spender, amount, expected);
        router.approve(address(token), spender, amount, expiration);
        vm.stopPrank();

        _assertGrant(owner, spender, amount, expected, nonceBefore);
        if (maxDuration != 0) assertLe(expected, now_ + maxDuration, "never beyond the cap");
    }

    // =================================================================== transferFrom

    function testFuzz_transferFrom_succeedsExactlyWhileLiveAndWithinAmount(
        uint160 grant,
        uint160 pull,
        uint256 lifetime,
        uint256 elapsed
    ) public {
        lifetime = bound(lifetime, 0, HORIZON);
        uint48 expiration = uint48(START + lifetime);
        // Land on, just before and just after the expiration often, and anywhere sometimes.
        elapsed = bound(elapsed, 0, lifetime + 2);
        vm.prank(owner);
        router.approve(address(token), spender, grant, expiration);
        vm.warp(START + elapsed);

        bool expired = START + elapsed > expiration;
        bool tooMuch = grant != UNLIMITED && pull > grant;
        if (expired) {
            vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, expiration));
        } else if (tooMuch) {
            vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, grant));
        }
        vm.prank(spender);
        router.transferFrom(owner, recipient, pull, address(token));

        bool moved = !expired && !tooMuch;
        assertEq(token.balanceOf(recipient), moved ? pull : 0, "recipient");
        assertEq(token.balanceOf(address(router)), 0, "router holds nothing");
        uint160 left = !moved || grant == UNLIMITED ? grant : grant - pull;
        _assertGrant(owner, spender, left, expiration, 0);
    }

    function testFuzz_transferFrom_neverAfterExpiration(uint256 lifetime, uint256 lateBy, uint160 pull) public {
        lifetime = bound(lifetime, 0, HORIZON);
        lateBy = bound(lateBy, 1, HORIZON);
        uint48 expiration = uint48(START + lifetime);
        vm.prank(owner);
        router.approve(address(token), spender, UNLIMITED, expiration);

        vm.warp(uint256(expiration) + lateBy);
        vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.AllowanceExpired.selector, expiration));
        vm.prank(spender);
        router.transferFrom(owner, recipient, pull, address(token));

        assertEq(token.balanceOf(recipient), 0);
    }

    function testFuzz_transferFrom_unlimitedGrantIsNeverDecremented(uint160 first, uint160 second) public {
        vm.prank(owner);
        router.approve(address(token), spender, UNLIMITED, uint48(START));

        vm.startPrank(spender);
        router.transferFrom(owner, recipient, first, address(token));
        router.transferFrom(owner, recipient, second, address(token));
        vm.stopPrank();

        _assertGrant(owner, spender, UNLIMITED, START, 0);
        assertEq(token.balanceOf(recipient), uint256(first) + second);
    }

    function testFuzz_transferFromBatch_itemsTogetherStayWithinTheGrant(uint160 grant, uint160 first, uint160 second)
        public
    {
        vm.assume(grant != UNLIMITED);
        vm.prank(owner);
        router.approve(address(token), spender, grant, uint48(START));
        IAllowanceTransfer.AllowanceTransferDetails[] memory transfers =
            new IAllowanceTransfer.AllowanceTransferDetails[](2);
        transfers[0] = IAllowanceTransfer.AllowanceTransferDetails(owner, recipient, first, address(token));
        transfers[1] = IAllowanceTransfer.AllowanceTransferDetails(owner, recipient, second, address(token));

        bool fits = uint256(first) + second <= grant;
        if (first > grant) {
            vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, grant));
        } else if (!fits) {
            vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.InsufficientAllowance.selector, grant - first));
        }
        vm.prank(spender);
        router.transferFrom(transfers);

        assertEq(token.balanceOf(recipient), fits ? uint256(first) + second : 0);
        _assertGrant(owner, spender, fits ? grant - first - second : grant, START, 0);
    }

    // =================================================================== permit

    function testFuzz_permit_anyKeyGrantsWhatItSigned(
        uint256 privateKey,
        uint160 amount,
        uint48 expiration,
        uint256 sigDeadline,
        bool compact
    ) public {
        privateKey = bound(privateKey, 1, SECP256K1_ORDER - 1);
        address signer = vm.addr(privateKey);
        vm.assume(signer.code.length == 0);
        sigDeadline = bound(sigDeadline, START, type(uint256).max);
        IAllowanceTransfer.PermitSingle memory permit = _single(amount, expiration, 0, sigDeadline);
        bytes32 digest = PermitSigning.singleDigest(address(router), permit);
        bytes memory signature =
            compact ? PermitSigning.signCompact(privateKey, digest) : PermitSigning.sign(privateKey, digest);

        uint48 expected = expiration == 0 ? uint48(START) : expiration;
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Permit(signer, address(token), spender, amount, expected, 0);
        router.permit(signer, permit, signature);

        _assertGrant(signer, spender, amount, expected, 1);
    }

    function testFuzz_permit_respectsSigDeadline(uint256 sigDeadline, uint256 submittedAt, bool batch) public {
        sigDeadline = bound(sigDeadline, START, START + HORIZON);
        submittedAt = bound(submittedAt, START, START + HORIZON);
        // Sign before moving the clock: the digest does not depend on it.
        (
            bytes memory signature,
            IAllowanceTransfer.PermitSingle memory single,
            IAllowanceTransfer.PermitBatch memory many
        ) = _signedSingleOrBatch(ownerKey, 500, uint48(START + HORIZON), sigDeadline);
        vm.warp(submittedAt);

        if (submittedAt > sigDeadline) {
            vm.expectRevert(abi.encodeWithSelector(IAllowanceTransfer.SignatureExpired.selector, sigDeadline));
        }
        if (batch) {
            router.permit(owner, many, _resign(ownerKey, many));
        } else {
            router.permit(owner, single, signature);
        }

        bool accepted = submittedAt <= sigDeadline;
        _assertGrant(owner, spender, accepted ? 500 : 0, accepted ? START + HORIZON : 0, accepted ? 1 : 0);
    }

    function testFuzz_permit_rejectsAnyOtherSigner(
        uint256 wrongKey,
        uint160 amount,
        uint48 expiration,
        bool compact,
        bool batch
    ) public {
        wrongKey = bound(wrongKey, 1, SECP256K1_ORDER - 1);
        vm.assume(vm.addr(wrongKey) != owner);
        (, IAllowanceTransfer.PermitSingle memory single, IAllowanceTransfer.PermitBatch memory many) =
            _signedSingleOrBatch(ownerKey, amount, expiration, START);
        bytes32 digest = batch
            ? PermitSigning.batchDigest(address(router), many)
            : PermitSigning.singleDigest(address(router), single);
        bytes memory forged =
            compact ? PermitSigning.signCompact(wrongKey, digest) : PermitSigning.sign(wrongKey, digest);

        vm.expectRevert(SignatureVerification.InvalidSigner.selector);
        if (batch) router.permit(owner, many, forged);
        else router.permit(owner, single, forged);

        _assertGrant(owner, spender, 0, 0, 0);
    }

    function testFuzz_permit_rejectsTheMalleatedTwinOfAnySignature(uint256 privateKey, uint160 amount, uint48 nonce)
        public
    {
        privateKey = bound(privateKey, 1, SECP256K1_ORDER - 1);
        address signer = vm.addr(privateKey);
        vm.assume(signer.code.length == 0);
        IAllowanceTransfer.PermitSingle memory permit = _single(amount, uint48(START), 0, START);
        permit.details.nonce = nonce;
        bytes memory twin = PermitSigning.signHighS(privateKey, PermitSigning.singleDigest(address(router), permit));

        // The nonce is wrong unless it is 0, but the signature is judged first.
        vm.expectRevert(SignatureVerification.InvalidSignature.selector);
        router.permit(signer, permit, twin);
    }

    function testFuzz_permit_anyCorruptedByteInvalidatesTheSignature(
        uint160 amount,
        uint256 byteIndex,
        uint8 flipMask,
        bool compact
    ) public {
        vm.assume(flipMask != 0);
        IAllowanceTransfer.PermitSingle memory permit = _single(amount, uint48(START), 0, START);
        bytes32 digest = PermitSigning.singleDigest(address(router), permit);
        bytes memory signature =
            compact ? PermitSigning.signCompact(ownerKey, digest) : PermitSigning.sign(ownerKey, digest);
        byteIndex = bound(byteIndex, 0, signature.length - 1);
        signature[byteIndex] ^= bytes1(flipMask);

        try router.permit(owner, permit, signature) {
            fail("a corrupted signature was accepted");
        } catch (bytes memory revertData) {
            bytes4 selector = bytes4(revertData);
            assertTrue(
                selector == SignatureVerification.InvalidSignature.selector
                    || selector == SignatureVerification.InvalidSigner.selector,
                "reverts InvalidSignature or InvalidSigner"
            );
        }
        _assertGrant(owner, spender, 0, 0, 0);
    }

    function testFuzz_permitBatch_grantsEveryItem(uint256 privateKey, uint256 count, uint256 seed) public {
        privateKey = bound(privateKey, 1, SECP256K1_ORDER - 1);
        address signer = vm.addr(privateKey);
        vm.assume(signer.code.length == 0);
        count = bound(count, 1, MAX_BATCH);
        IAllowanceTransfer.PermitDetails[] memory details = new IAllowanceTransfer.PermitDetails[](count);
        for (uint256 i; i < count; ++i) {
            bytes32 draw = keccak256(abi.encode(seed, i));
            // Distinct tokens: the i-th address carries i in its lowest byte.
            details[i] = IAllowanceTransfer.PermitDetails({
                token: address(uint160(uint256(draw)) << 8 | uint160(i)),
                amount: uint160(uint256(draw) >> 96),
                expiration: uint48(uint256(draw) >> 48),
                nonce: 0
            });
        }
        IAllowanceTransfer.PermitBatch memory permit =
            IAllowanceTransfer.PermitBatch({details: details, spender: spender, sigDeadline: START});

        bytes memory signature = PermitSigning.sign(privateKey, PermitSigning.batchDigest(address(router), permit));
        router.permit(signer, permit, signature);

        for (uint256 i; i < count; ++i) {
            (uint160 amount, uint48 expiration, uint48 nonce) = router.allowance(signer, details[i].token, spender);
            assertEq(amount, details[i].amount, "amount");
            assertEq(expiration, details[i].expiration == 0 ? START : details[i].expiration, "expiration");
            assertEq(nonce, 1, "nonce");
        }
    }

    function testFuzz_permit_isClampedByTheOwnersMaxDuration(uint48 maxDuration, uint48 expiration, bool batch)
        public
    {
        vm.prank(owner);
        router.setMaxDuration(maxDuration);
        (
            bytes memory signature,
            IAllowanceTransfer.PermitSingle memory single,
            IAllowanceTransfer.PermitBatch memory many
        ) = _signedSingleOrBatch(ownerKey, 500, expiration, START);

        if (batch) router.permit(owner, many, _resign(ownerKey, many));
        else router.permit(owner, single, signature);

        _assertGrant(owner, spender, 500, _expectedExpiration(expiration, maxDuration, START), 1);
    }

    // =================================================================== invalidateNonces

    function testFuzz_invalidateNonces_movesForwardByAtMostTheMaximum(uint48 first, uint48 second) public {
        first = uint48(bound(first, 1, MAX_NONCE_DELTA));
        vm.startPrank(owner);
        router.invalidateNonces(address(token), spender, first);

        if (second <= first) {
            vm.expectRevert(IAllowanceTransfer.InvalidNonce.selector);
        } else if (second - first > MAX_NONCE_DELTA) {
            vm.expectRevert(IAllowanceTransfer.ExcessiveInvalidation.selector);
        } else {
            vm.expectEmit(address(router));
            emit IAllowanceTransfer.NonceInvalidation(owner, address(token), spender, second, first);
        }
        router.invalidateNonces(address(token), spender, second);
        vm.stopPrank();

        bool moved = second > first && second - first <= MAX_NONCE_DELTA;
        _assertGrant(owner, spender, 0, 0, moved ? second : first);
    }

    // =================================================================== lockdown / guardian

    function testFuzz_lockdown_zeroesOnlyTheAmount(uint160 amount, uint48 expiration, uint48 nonce) public {
        nonce = uint48(bound(nonce, 0, MAX_NONCE_DELTA));
        vm.startPrank(owner);
        if (nonce != 0) router.invalidateNonces(address(token), spender, nonce);
        router.approve(address(token), spender, amount, expiration);
        router.lockdown(_pair());
        vm.stopPrank();

        _assertGrant(owner, spender, 0, expiration == 0 ? START : expiration, nonce);
    }

    function testFuzz_lockdownFor_onlyTheCurrentGuardianMayRevoke(
        address appointed,
        address caller,
        bool callerIsAppointed
    ) public {
        // Two random addresses almost never coincide: half the runs make the caller the appointee.
        if (callerIsAppointed) caller = appointed;
        // No transaction comes from address(0) (nobody holds its key); only a cheatcode could.
        vm.assume(caller != address(0));
        vm.startPrank(owner);
        router.approve(address(token), spender, 1_000, uint48(START));
        router.setGuardian(appointed);
        vm.stopPrank();

        bool allowed = appointed != address(0) && caller == appointed;
        if (!allowed) vm.expectRevert(abi.encodeWithSelector(IAllowanceRouter.NotGuardian.selector, caller, owner));
        vm.prank(caller);
        router.lockdownFor(owner, _pair());

        // The guardian's lockdown also voids signed permits: the nonce moves on by one.
        _assertGrant(owner, spender, allowed ? 0 : 1_000, START, allowed ? 1 : 0);
    }

    // =================================================================== domain

    function testFuzz_domainSeparator_tracksAnyChainId(uint64 chainId) public {
        vm.assume(chainId != 0);
        vm.chainId(chainId);

        assertEq(router.DOMAIN_SEPARATOR(), PermitSigning.domainSeparator(address(router), chainId));
        (,,, uint256 announcedChainId,,,) = router.eip712Domain();
        assertEq(announcedChainId, chainId);
    }

    // =================================================================== helpers

    /// @dev The specification of the stored expiration: 0 is "now"; beyond now + cap is clamped.
    function _expectedExpiration(uint48 requested, uint48 maxDuration, uint256 now_) internal pure returns (uint48) {
        if (requested == 0) return uint48(now_);
        if (maxDuration != 0 && requested > now_ + maxDuration) return uint48(now_ + maxDuration);
        return requested;
    }

    function _assertGrant(
        address grantOwner,
        address grantSpender,
        uint256 expectedAmount,
        uint256 expectedExpiration,
        uint256 expectedNonce
    ) internal view {
        (uint160 amount, uint48 expiration, uint48 nonce) = router.allowance(grantOwner, address(token), grantSpender);
        assertEq(amount, expectedAmount, "amount");
        assertEq(expiration, expectedExpiration, "expiration");
        assertEq(nonce, expectedNonce, "nonce");
    }

    function _single(uint160 amount, uint48 expiration, uint48 nonce, uint256 sigDeadline)
        internal
        view
        returns (IAllowanceTransfer.PermitSingle memory)
    {
        return IAllowanceTransfer.PermitSingle({
            details: IAllowanceTransfer.PermitDetails({
                token: address(token), amount: amount, expiration: expiration, nonce: nonce
            }),
            spender: spender,
            sigDeadline: sigDeadline
        });
    }

    /// @dev The same terms as a PermitSingle (signed) and as a one-item PermitBatch (to sign).
    function _signedSingleOrBatch(uint256 signerKey, uint160 amount, uint48 expiration, uint256 sigDeadline)
        internal
        view
        returns (
            bytes memory singleSignature,
            IAllowanceTransfer.PermitSingle memory single,
            IAllowanceTransfer.PermitBatch memory many
        )
    {
        single = _single(amount, expiration, 0, sigDeadline);
        singleSignature = PermitSigning.sign(signerKey, PermitSigning.singleDigest(address(router), single));
        IAllowanceTransfer.PermitDetails[] memory details = new IAllowanceTransfer.PermitDetails[](1);
        details[0] = single.details;
        many = IAllowanceTransfer.PermitBatch({details: details, spender: spender, sigDeadline: sigDeadline});
    }

    function _resign(uint256 signerKey, IAllowanceTransfer.PermitBatch memory many)
        internal
        view
        returns (bytes memory)
    {
        return PermitSigning.sign(signerKey, PermitSigning.batchDigest(address(router), many));
    }

    function _pair() internal view returns (IAllowanceTransfer.TokenSpenderPair[] memory pairs) {
        pairs = new IAllowanceTransfer.TokenSpenderPair[](1);
        pairs[0] = IAllowanceTransfer.TokenSpenderPair(address(token), spender);
    }
}
