// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AllowanceRouter} from "../../contracts/AllowanceRouter.sol";
import {IAllowanceTransfer} from "../../contracts/interfaces/IAllowanceTransfer.sol";
import {NoReturnToken} from "../../contracts/mocks/NoReturnToken.sol";
import {TestToken} from "../../contracts/mocks/TestToken.sol";
import {PermitSigning} from "../helpers/PermitSigning.sol";
import {RouterSettings} from "../helpers/RouterSettings.sol";
import {Test} from "../utils/Test.sol";

/// @notice Drives AllowanceRouter through random sequences for the invariant test. It plays
/// three owners, two spenders, two would-be guardians and an outsider, and keeps a model of what
/// the specification says every grant and setting should be after each action, plus ghost totals
/// of what was granted and pulled. Any disagreement between router and model is counted, never
/// hidden; the invariants require every counter to stay at zero.
/// @dev The handler never reverts on the router's behalf: every router call is wrapped, and the
/// outcome (success or revert) is compared with the outcome the model predicts.
contract RouterHandler is Test {
    using RouterSettings for AllowanceRouter;

    uint256 public constant OWNER_COUNT = 3;
    uint256 public constant TOKEN_COUNT = 2;
    uint256 public constant SPENDER_COUNT = 2;
    /// @dev Far more than all pulls of a campaign can take: balances never limit a spend.
    uint256 public constant INITIAL_BALANCE = 1e36;
    uint160 internal constant UNLIMITED = type(uint160).max;
    uint256 internal constant MAX_FINITE_GRANT = 1e24;
    uint256 internal constant MAX_NONCE_DELTA = type(uint16).max;
    uint256 internal constant MAX_LIFETIME = 2 days;
    uint256 internal constant MAX_CAP = 1 days;
    uint256 internal constant MAX_WARP = 3 days;
    /// @dev Small steps and near expirations make "exactly at expiration" and "one second after" common.
    uint256 internal constant NEAR = 3;
    uint256 internal constant SIG_WINDOW = 100;
    uint256 internal constant START = 1_700_000_000;
    /// @dev All (token, spender) pairs of one owner: TOKEN_COUNT * SPENDER_COUNT.
    uint256 internal constant PAIR_COUNT = 4;

    struct Grant {
        uint160 amount;
        uint48 expiration;
        uint48 nonce;
    }

    AllowanceRouter public router;
    address[OWNER_COUNT] public owners;
    uint256[OWNER_COUNT] internal ownerKeys;
    address[TOKEN_COUNT] public tokens;
    address[SPENDER_COUNT] public spenders;
    address public guardianA;
    address public guardianB;
    address public outsider;
    uint256 internal outsiderKey;
    address public recipient;

    /// @dev The handler's clock; block.timestamp is pinned to it at the start of every action.
    uint256 public clock;

    // ------------------------------------------------------------------ model and ghosts

    mapping(address owner => mapping(address token => mapping(address spender => Grant))) internal _expected;
    mapping(address owner => address) public expectedGuardian;
    mapping(address owner => uint48) public expectedMaxDuration;
    /// @dev Granted since the last reset (approve, permit or lockdown of the triple), and pulled since then.
    mapping(address owner => mapping(address token => mapping(address spender => uint256))) public ghostGranted;
    mapping(address owner => mapping(address token => mapping(address spender => uint256))) public ghostPulled;
    mapping(address owner => mapping(address token => uint256)) public totalPulledFrom;
    mapping(address token => uint256) public totalPulledOf;

    // ------------------------------------------------------------------ breach counters (must stay 0)

    uint256 public spendsAfterExpiry;
    uint256 public outsiderStateChanges;
    uint256 public guardianOverreach;
    uint256 public unexpectedOutcomes;

    // ------------------------------------------------------------------ activity (for the sanity test)

    mapping(bytes32 action => uint256) public successes;
    mapping(bytes32 action => uint256) public expectedFailures;

    /// @dev The last permit the router accepted, for the outsider's replay attempt.
    IAllowanceTransfer.PermitSingle internal _lastPermit;
    bytes internal _lastSignature;
    address internal _lastPermitOwner;

    constructor(AllowanceRouter router_) {
        router = router_;
        clock = START;
        vm.warp(START);
        for (uint256 i; i < OWNER_COUNT; ++i) {
            (owners[i], ownerKeys[i]) = makeAddrAndKey(string.concat("owner", vm.toString(i)));
        }
        for (uint256 i; i < SPENDER_COUNT; ++i) {
            spenders[i] = makeAddr(string.concat("spender", vm.toString(i)));
        }
        guardianA = makeAddr("guardianA");
        guardianB = makeAddr("guardianB");
        (outsider, outsiderKey) = makeAddrAndKey("outsider");
        recipient = makeAddr("recipient");

        TestToken standard = new TestToken("Standard", "STD");
        NoReturnToken usdtLike = new NoReturnToken();
        tokens[0] = address(standard);
        tokens[1] = address(usdtLike);
        for (uint256 i; i < OWNER_COUNT; ++i) {
            standard.mint(owners[i], INITIAL_BALANCE);
            usdtLike.mint(owners[i], INITIAL_BALANCE);
            vm.startPrank(owners[i]);
            standard.approve(address(router), type(uint256).max);
            usdtLike.approve(address(router), type(uint256).max);
            vm.stopPrank();
        }
    }

    // =================================================================== owner actions

    function grantByApprove(
        uint256 ownerSeed,
        uint256 tokenSeed,
        uint256 spenderSeed,
        uint256 amountSeed,
        uint256 expirationSeed
    ) external {
        _syncClock();
        (address owner, address token, address spender) = _triple(ownerSeed, tokenSeed, spenderSeed);
        uint160 amount = _amount(amountSeed);
        uint48 expiration = _requestedExpiration(expirationSeed);

        vm.prank(owner);
        try router.approve(token, spender, amount, expiration) {
            Grant storage grant = _expected[owner][token][spender];
            grant.amount = amount;
            grant.expiration = _clamp(expiration, expectedMaxDuration[owner]);
            _resetGhosts(owner, token, spender, amount);
            successes["approve"]++;
        } catch {
            unexpectedOutcomes++;
        }
    }

    function grantByPermit(
        uint256 ownerSeed,
        uint256 tokenSeed,
        uint256 spenderSeed,
        uint256 amountSeed,
        uint256 expirationSeed,
        uint256 signatureSeed
    ) external {
        _syncClock();
        (address owner, address token, address spender) = _triple(ownerSeed, tokenSeed, spenderSeed);
        (uint48 nonce, bool nonceValid) = _signedNonce(owner, token, spender, signatureSeed);
        (uint256 sigDeadline, bool deadlineValid) = _sigDeadline(signatureSeed >> 8);
        IAllowanceTransfer.PermitSingle memory permit = IAllowanceTransfer.PermitSingle({
            details: IAllowanceTransfer.PermitDetails({
                token: token,
                amount: _amount(amountSeed),
                expiration: _requestedExpiration(expirationSeed),
                nonce: nonce
            }),
            spender: spender,
            sigDeadline: sigDeadline
        });
        bytes memory signature =
            _sign(_ownerKey(ownerSeed), PermitSigning.singleDigest(address(router), permit), signatureSeed);

        // Anyone may relay a permit: the spender submits it here.
        vm.prank(spender);
        try router.permit(owner, permit, signature) {
            if (!(nonceValid && deadlineValid)) unexpectedOutcomes++;
            _applyPermit(owner, spender, permit.details);
            _lastPermit = permit;
            _lastSignature = signature;
            _lastPermitOwner = owner;
            successes["permit"]++;
        } catch {
            if (nonceValid && deadlineValid) unexpectedOutcomes++;
            else expectedFailures["permit"]++;
        }
    }

    function grantByPermitBatch(
        uint256 ownerSeed,
        uint256 spenderSeed,
        uint256 amountSeed,
        uint256 expirationSeed,
        uint256 signatureSeed
    ) external {
        _syncClock();
        address owner = owners[ownerSeed % OWNER_COUNT];
        address spender = spenders[spenderSeed % SPENDER_COUNT];
        (uint256 sigDeadline, bool deadlineValid) = _sigDeadline(signatureSeed >> 8);
        bool noncesValid = true;
        IAllowanceTransfer.PermitDetails[] memory details = new IAllowanceTransfer.PermitDetails[](TOKEN_COUNT);
        for (uint256 i; i < TOKEN_COUNT; ++i) {
            (uint48 nonce, bool nonceValid) = _signedNonce(owner, tokens[i], spender, signatureSeed >> (16 + i * 8));
            noncesValid = noncesValid && nonceValid;
            details[i] = IAllowanceTransfer.PermitDetails({
                token: tokens[i],
                amount: _amount(uint256(keccak256(abi.encode(amountSeed, i)))),
                expiration: _requestedExpiration(uint256(keccak256(abi.encode(expirationSeed, i)))),
                nonce: nonce
            });
        }
        IAllowanceTransfer.PermitBatch memory permit =
            IAllowanceTransfer.PermitBatch({details: details, spender: spender, sigDeadline: sigDeadline});
        bytes memory signature =
            _sign(_ownerKey(ownerSeed), PermitSigning.batchDigest(address(router), permit), signatureSeed);

        vm.prank(spender);
        try router.permit(owner, permit, signature) {
            if (!(noncesValid && deadlineValid)) unexpectedOutcomes++;
            for (uint256 i; i < TOKEN_COUNT; ++i) {
                _applyPermit(owner, spender, details[i]);
            }
            successes["permitBatch"]++;
        } catch {
            if (noncesValid && deadlineValid) unexpectedOutcomes++;
            else expectedFailures["permitBatch"]++;
        }
    }

    function ownerLockdown(uint256 ownerSeed, uint256 pairMask) external {
        _syncClock();
        address owner = owners[ownerSeed % OWNER_COUNT];
        IAllowanceTransfer.TokenSpenderPair[] memory pairs = _pairs(pairMask);

        vm.prank(owner);
        try router.lockdown(pairs) {
            _applyLockdown(owner, pairs);
            successes["lockdown"]++;
        } catch {
            unexpectedOutcomes++;
        }
    }

    function invalidateNonces(uint256 ownerSeed, uint256 tokenSeed, uint256 spenderSeed, uint256 deltaSeed)
        external
    {
        _syncClock();
        (address owner, address token, address spender) = _triple(ownerSeed, tokenSeed, spenderSeed);
        uint256 delta = _nonceDelta(deltaSeed);
        Grant storage grant = _expected[owner][token][spender];
        uint48 newNonce = uint48(grant.nonce + delta);
        bool valid = delta != 0 && delta <= MAX_NONCE_DELTA;

        vm.prank(owner);
        try router.invalidateNonces(token, spender, newNonce) {
            if (!valid) unexpectedOutcomes++;
            grant.nonce = newNonce;
            successes["invalidateNonces"]++;
        } catch {
            if (valid) unexpectedOutcomes++;
            else expectedFailures["invalidateNonces"]++;
        }
    }

    function setMaxDuration(uint256 ownerSeed, uint256 durationSeed) external {
        _syncClock();
        address owner = owners[ownerSeed % OWNER_COUNT];
        uint48 maxDuration = durationSeed % 3 == 0 ? 0 : uint48(bound(durationSeed, 1, MAX_CAP));

        vm.prank(owner);
        try router.setMaxDuration(maxDuration) {
            expectedMaxDuration[owner] = maxDuration;
            successes["setMaxDuration"]++;
        } catch {
            unexpectedOutcomes++;
        }
    }

    function setGuardian(uint256 ownerSeed, uint256 choiceSeed) external {
        _syncClock();
        address owner = owners[ownerSeed % OWNER_COUNT];
        uint256 choice = choiceSeed % 3;
        address guardian = choice == 0 ? address(0) : choice == 1 ? guardianA : guardianB;

        vm.prank(owner);
        try router.setGuardian(guardian) {
            expectedGuardian[owner] = guardian;
            successes["setGuardian"]++;
        } catch {
            unexpectedOutcomes++;
        }
    }

    // =================================================================== spender actions

    function pull(uint256 spenderSeed, uint256 ownerSeed, uint256 tokenSeed, uint256 amountSeed) external {
        _syncClock();
        (address owner, address token, address spender) = _triple(ownerSeed, tokenSeed, spenderSeed);
        uint160 amount = _pullAmount(owner, token, spender, amountSeed);
        (, uint48 storedExpiration,) = router.allowance(owner, token, spender);
        (bool allowed,) = _simulatePull(_expected[owner][token][spender], amount);

        vm.prank(spender);
        try router.transferFrom(owner, recipient, amount, token) {
            if (clock > storedExpiration) spendsAfterExpiry++;
            if (!allowed) unexpectedOutcomes++;
            _recordPull(owner, token, spender, amount);
            successes["pull"]++;
            if (clock == storedExpiration) successes["pullAtExpiration"]++;
        } catch {
            if (allowed) unexpectedOutcomes++;
            else expectedFailures["pull"]++;
            if (clock == uint256(storedExpiration) + 1) expectedFailures["pullJustAfterExpiration"]++;
        }
    }

    function pullBatch(
        uint256 spenderSeed,
        uint256 firstOwnerSeed,
        uint256 secondOwnerSeed,
        uint256 tokenSeed,
        uint256 amountSeed
    ) external {
        _syncClock();
        address spender = spenders[spenderSeed % SPENDER_COUNT];
        IAllowanceTransfer.AllowanceTransferDetails[] memory transfers =
            new IAllowanceTransfer.AllowanceTransferDetails[](2);
        address firstOwner = owners[firstOwnerSeed % OWNER_COUNT];
        address secondOwner = owners[secondOwnerSeed % OWNER_COUNT];
        address firstToken = tokens[tokenSeed % TOKEN_COUNT];
        address secondToken = tokens[(tokenSeed >> 8) % TOKEN_COUNT];
        transfers[0] = IAllowanceTransfer.AllowanceTransferDetails(
            firstOwner, recipient, _pullAmount(firstOwner, firstToken, spender, amountSeed), firstToken
        );
        transfers[1] = IAllowanceTransfer.AllowanceTransferDetails(
            secondOwner, recipient, _pullAmount(secondOwner, secondToken, spender, amountSeed >> 128), secondToken
        );

        // The two items may share a grant: simulate them in order on a copy of the model.
        Grant memory first = _expected[firstOwner][firstToken][spender];
        (bool firstAllowed, uint160 firstLeft) = _simulatePull(first, transfers[0].amount);
        Grant memory second = _expected[secondOwner][secondToken][spender];
        if (firstOwner == secondOwner && firstToken == secondToken) second.amount = firstLeft;
        (bool secondAllowed,) = _simulatePull(second, transfers[1].amount);
        bool allowed = firstAllowed && secondAllowed;
        (, uint48 firstExpiration,) = router.allowance(firstOwner, firstToken, spender);
        (, uint48 secondExpiration,) = router.allowance(secondOwner, secondToken, spender);

        vm.prank(spender);
        try router.transferFrom(transfers) {
            if (clock > firstExpiration || clock > secondExpiration) spendsAfterExpiry++;
            if (!allowed) unexpectedOutcomes++;
            _recordPull(firstOwner, firstToken, spender, transfers[0].amount);
            _recordPull(secondOwner, secondToken, spender, transfers[1].amount);
            successes["pullBatch"]++;
        } catch {
            if (allowed) unexpectedOutcomes++;
            else expectedFailures["pullBatch"]++;
        }
    }

    // =================================================================== guardian and outsider

    /// @dev The caller is one of the two guardian candidates, the outsider or another owner;
    /// only the owner's current guardian may succeed, and then only by lowering amounts to 0.
    function guardianLockdown(uint256 callerSeed, uint256 ownerSeed, uint256 pairMask) external {
        _syncClock();
        address owner = owners[ownerSeed % OWNER_COUNT];
        uint256 choice = callerSeed % 4;
        address caller = choice == 0
            ? guardianA
            : choice == 1 ? guardianB : choice == 2 ? outsider : owners[(ownerSeed + 1) % OWNER_COUNT];
        address guardian = expectedGuardian[owner];
        bool allowed = guardian != address(0) && caller == guardian;
        IAllowanceTransfer.TokenSpenderPair[] memory pairs = _pairs(pairMask);
        Grant[PAIR_COUNT] memory before = _ownerGrants(owner);
        bytes32 stateBefore = stateFingerprint();

        vm.prank(caller);
        try router.lockdownFor(owner, pairs) {
            if (!allowed) {
                unexpectedOutcomes++;
                outsiderStateChanges++;
            }
            Grant[PAIR_COUNT] memory afterwards = _ownerGrants(owner);
            for (uint256 i; i < PAIR_COUNT; ++i) {
                // A locked-down pair's nonce moves on by one (voiding signed permits); nothing else changes.
                bool lockedDown = pairMask & (1 << i) != 0;
                uint48 expectedNonce =
                    lockedDown && before[i].nonce < type(uint48).max ? before[i].nonce + 1 : before[i].nonce;
                if (
                    afterwards[i].amount > before[i].amount || afterwards[i].expiration != before[i].expiration
                        || afterwards[i].nonce != expectedNonce
                ) guardianOverreach++;
            }
            _applyLockdown(owner, pairs);
            for (uint256 i; i < pairs.length; ++i) {
                Grant storage expected = _expected[owner][pairs[i].token][pairs[i].spender];
                if (expected.nonce < type(uint48).max) expected.nonce += 1;
            }
            successes["lockdownFor"]++;
        } catch {
            if (allowed) unexpectedOutcomes++;
            else expectedFailures["lockdownFor"]++;
            if (stateFingerprint() != stateBefore) outsiderStateChanges++;
        }
    }

    /// @dev Everything an outsider might try against the owners; none of it may change their state.
    function outsiderAttack(uint256 kindSeed, uint256 ownerSeed, uint256 tokenSeed, uint256 amountSeed) external {
        _syncClock();
        (address owner, address token, address spender) = _triple(ownerSeed, tokenSeed, kindSeed >> 8);
        bytes32 stateBefore = stateFingerprint();
        uint256 kind = kindSeed % 6;
        bool succeeded;

        if (kind == 0) {
            // Pull the owner's tokens with no grant of its own.
            vm.prank(outsider);
            try router.transferFrom(owner, outsider, uint160(bound(amountSeed, 1, MAX_FINITE_GRANT)), token) {
                succeeded = true;
            } catch {}
        } else if (kind == 1 || kind == 2) {
            // Forge the owner's permit: signed by the outsider (1) or by another owner (2).
            uint256 forgerKey = kind == 1 ? outsiderKey : ownerKeys[(ownerSeed + 1) % OWNER_COUNT];
            IAllowanceTransfer.PermitSingle memory permit = IAllowanceTransfer.PermitSingle({
                details: IAllowanceTransfer.PermitDetails({
                    token: token,
                    amount: UNLIMITED,
                    expiration: type(uint48).max,
                    nonce: _expected[owner][token][spender].nonce
                }),
                spender: spender,
                sigDeadline: clock
            });
            bytes memory signature = _sign(forgerKey, PermitSigning.singleDigest(address(router), permit), amountSeed);
            vm.prank(outsider);
            try router.permit(owner, permit, signature) {
                succeeded = true;
            } catch {}
        } else if (kind == 3) {
            // Replay the last permit the router accepted.
            if (_lastPermitOwner == address(0)) return;
            vm.prank(outsider);
            try router.permit(_lastPermitOwner, _lastPermit, _lastSignature) {
                succeeded = true;
            } catch {}
        } else if (kind == 4) {
            // Revoke the owner's grants without being its guardian.
            vm.prank(outsider);
            try router.lockdownFor(owner, _pairs(amountSeed)) {
                succeeded = true;
            } catch {}
        } else {
            // Act on its own account: approve, invalidate, cap, appoint, lock down. Allowed, and
            // it must touch only the outsider's own entries.
            vm.startPrank(outsider);
            router.approve(token, spender, UNLIMITED, type(uint48).max);
            (,, uint48 ownNonce) = router.allowance(outsider, token, spender);
            router.invalidateNonces(token, spender, ownNonce + 1);
            router.setMaxDuration(uint48(bound(amountSeed, 1, MAX_CAP)));
            router.setGuardian(outsider);
            router.lockdown(_pairs(amountSeed));
            vm.stopPrank();
            if (stateFingerprint() != stateBefore) outsiderStateChanges++;
            successes["outsiderOwnAccount"]++;
            return;
        }

        if (succeeded) {
            unexpectedOutcomes++;
            outsiderStateChanges++;
        } else {
            expectedFailures["outsiderAttack"]++;
        }
        if (stateFingerprint() != stateBefore) outsiderStateChanges++;
    }

    // =================================================================== time

    function warp(uint256 secondsSeed) external {
        _syncClock();
        clock += secondsSeed % 2 == 0 ? bound(secondsSeed, 0, NEAR) : bound(secondsSeed, 0, MAX_WARP);
        vm.warp(clock);
        successes["warp"]++;
    }

    // =================================================================== views for the invariants

    function expectedGrant(address owner, address token, address spender) external view returns (Grant memory) {
        return _expected[owner][token][spender];
    }

    /// @dev Every owner's grants, settings and balances, hashed: any change by anyone shows here.
    function stateFingerprint() public view returns (bytes32 fingerprint) {
        for (uint256 o; o < OWNER_COUNT; ++o) {
            address owner = owners[o];
            fingerprint = keccak256(
                abi.encode(fingerprint, router.guardianOf(owner), router.maxDurationOf(owner), _ownerGrants(owner))
            );
            for (uint256 t; t < TOKEN_COUNT; ++t) {
                fingerprint = keccak256(abi.encode(fingerprint, IERC20(tokens[t]).balanceOf(owner)));
            }
        }
    }

    // =================================================================== internals

    function _syncClock() internal {
        if (block.timestamp != clock) vm.warp(clock);
    }

    function _triple(uint256 ownerSeed, uint256 tokenSeed, uint256 spenderSeed)
        internal
        view
        returns (address, address, address)
    {
        return (
            owners[ownerSeed % OWNER_COUNT], tokens[tokenSeed % TOKEN_COUNT], spenders[spenderSeed % SPENDER_COUNT]
        );
    }

    function _ownerKey(uint256 ownerSeed) internal view returns (uint256) {
        return ownerKeys[ownerSeed % OWNER_COUNT];
    }

    /// @dev Unlimited a quarter of the time, zero sometimes, otherwise a finite amount.
    function _amount(uint256 seed) internal pure returns (uint160) {
        uint256 mode = seed % 8;
        if (mode < 2) return UNLIMITED;
        if (mode == 2) return 0;
        return uint160(bound(seed >> 3, 1, MAX_FINITE_GRANT));
    }

    /// @dev 0 ("this block"), a few seconds ahead, up to two days ahead, in the past, or "forever".
    function _requestedExpiration(uint256 seed) internal view returns (uint48) {
        uint256 mode = seed % 5;
        if (mode == 0) return 0;
        if (mode == 1) return uint48(clock + bound(seed >> 3, 0, NEAR));
        if (mode == 2) return uint48(clock + bound(seed >> 3, 0, MAX_LIFETIME));
        if (mode == 3) return uint48(clock - bound(seed >> 3, 1, NEAR));
        return type(uint48).max;
    }

    /// @dev The stored nonce most of the time; otherwise one too high or, if possible, one too low.
    function _signedNonce(address owner, address token, address spender, uint256 seed)
        internal
        view
        returns (uint48 nonce, bool valid)
    {
        uint48 current = _expected[owner][token][spender].nonce;
        uint256 mode = seed % 8;
        if (mode == 0) return (current + 1, false);
        if (mode == 1 && current != 0) return (current - 1, false);
        return (current, true);
    }

    /// @dev Usually still open (possibly closing this very second), sometimes already passed.
    function _sigDeadline(uint256 seed) internal view returns (uint256 sigDeadline, bool valid) {
        if (seed % 5 == 0) return (clock - bound(seed >> 3, 1, SIG_WINDOW), false);
        return (clock + bound(seed >> 3, 0, SIG_WINDOW), true);
    }

    /// @dev 1..10 usually; sometimes 0, exactly the maximum, or one past it.
    function _nonceDelta(uint256 seed) internal pure returns (uint256) {
        uint256 mode = seed % 8;
        if (mode == 0) return 0;
        if (mode == 1) return MAX_NONCE_DELTA;
        if (mode == 2) return MAX_NONCE_DELTA + 1;
        return bound(seed >> 3, 1, 10);
    }

    /// @dev Mostly within the current grant, sometimes one unit beyond it.
    function _pullAmount(address owner, address token, address spender, uint256 seed)
        internal
        view
        returns (uint160)
    {
        uint160 granted = _expected[owner][token][spender].amount;
        uint256 ceiling = granted == UNLIMITED ? MAX_FINITE_GRANT : uint256(granted) + 1;
        return uint160(bound(seed, 0, ceiling));
    }

    function _sign(uint256 key, bytes32 digest, uint256 seed) internal pure returns (bytes memory) {
        return seed & (1 << 7) == 0 ? PermitSigning.sign(key, digest) : PermitSigning.signCompact(key, digest);
    }

    /// @dev The specification of a spend: live (now <= expiration) and within the amount.
    function _simulatePull(Grant memory grant, uint160 amount) internal view returns (bool allowed, uint160 left) {
        if (clock > grant.expiration) return (false, grant.amount);
        if (grant.amount == UNLIMITED) return (true, UNLIMITED);
        if (amount > grant.amount) return (false, grant.amount);
        return (true, grant.amount - amount);
    }

    function _recordPull(address owner, address token, address spender, uint160 amount) internal {
        ghostPulled[owner][token][spender] += amount;
        totalPulledFrom[owner][token] += amount;
        totalPulledOf[token] += amount;
        Grant storage grant = _expected[owner][token][spender];
        if (grant.amount == UNLIMITED) return;
        if (amount > grant.amount) {
            unexpectedOutcomes++;
            grant.amount = 0;
        } else {
            grant.amount -= amount;
        }
    }

    function _applyPermit(address owner, address spender, IAllowanceTransfer.PermitDetails memory details) internal {
        _expected[owner][details.token][spender] = Grant({
            amount: details.amount,
            expiration: _clamp(details.expiration, expectedMaxDuration[owner]),
            nonce: details.nonce + 1
        });
        _resetGhosts(owner, details.token, spender, details.amount);
    }

    function _applyLockdown(address owner, IAllowanceTransfer.TokenSpenderPair[] memory pairs) internal {
        for (uint256 i; i < pairs.length; ++i) {
            _expected[owner][pairs[i].token][pairs[i].spender].amount = 0;
            _resetGhosts(owner, pairs[i].token, pairs[i].spender, 0);
        }
    }

    function _resetGhosts(address owner, address token, address spender, uint256 granted) internal {
        ghostGranted[owner][token][spender] = granted;
        ghostPulled[owner][token][spender] = 0;
    }

    /// @dev The specification of a stored expiration: 0 is now; beyond now + cap is clamped to it.
    function _clamp(uint48 requested, uint48 maxDuration) internal view returns (uint48) {
        if (requested == 0) return uint48(clock);
        if (maxDuration != 0 && requested > clock + maxDuration) return uint48(clock + maxDuration);
        return requested;
    }

    /// @dev The subset of the owner's (token, spender) pairs chosen by the low bits of `mask`.
    function _pairs(uint256 mask) internal view returns (IAllowanceTransfer.TokenSpenderPair[] memory pairs) {
        uint256 count;
        for (uint256 i; i < PAIR_COUNT; ++i) {
            if (mask & (1 << i) != 0) ++count;
        }
        pairs = new IAllowanceTransfer.TokenSpenderPair[](count);
        uint256 next;
        for (uint256 i; i < PAIR_COUNT; ++i) {
            if (mask & (1 << i) != 0) {
                pairs[next++] =
                    IAllowanceTransfer.TokenSpenderPair(tokens[i / SPENDER_COUNT], spenders[i % SPENDER_COUNT]);
            }
        }
    }

    function _ownerGrants(address owner) internal view returns (Grant[PAIR_COUNT] memory grants) {
        for (uint256 i; i < PAIR_COUNT; ++i) {
            (uint160 amount, uint48 expiration, uint48 nonce) =
                router.allowance(owner, tokens[i / SPENDER_COUNT], spenders[i % SPENDER_COUNT]);
            grants[i] = Grant(amount, expiration, nonce);
        }
    }
}
