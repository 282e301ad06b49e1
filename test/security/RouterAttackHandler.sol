// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AllowanceRouter} from "../../contracts/AllowanceRouter.sol";
import {IAllowanceTransfer} from "../../contracts/interfaces/IAllowanceTransfer.sol";
import {PermitHash} from "../../contracts/libraries/PermitHash.sol";
import {Drainer} from "../../contracts/mocks/Drainer.sol";
import {Vm} from "../utils/Vm.sol";

/// @notice The invariant campaign's actor (Scenario 11). Owners grant, sign permits, lock down,
/// appoint guardians, cap durations and invalidate nonces; time passes; a guardian locks down;
/// the attacker, through its compromised spender, pulls singly and in batches, sweeps, submits
/// captured and replayed signatures and impersonates the guardian. Every router decision is
/// checked against an independent model of the live grants (the specification: a spend is
/// allowed only while block.timestamp <= expiration and within the amount); a disagreement is
/// recorded as a violation, and every loss the model allowed is added to a ghost total that
/// the owners' real balance losses must equal.
contract RouterAttackHandler {
    using PermitHash for IAllowanceTransfer.PermitSingle;

    struct ModelGrant {
        uint160 amount;
        uint48 expiration;
        uint48 nonce;
    }

    struct CapturedPermit {
        address owner;
        IAllowanceTransfer.PermitSingle permitSingle;
        bytes signature;
        bool exists;
    }

    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint160 private constant UNLIMITED = type(uint160).max;
    uint256 private constant MAX_TIME_JUMP = 3 days;
    uint256 private constant MAX_GRANT_LIFETIME = 30 days;
    uint256 private constant MIN_CAP = 1 hours;
    uint256 private constant MAX_SIGNATURE_LIFETIME = 2 days;
    uint256 private constant MAX_NONCE_SKIP = 3;
    uint256 private constant BLOCK_TIME = 12;

    AllowanceRouter public immutable router;
    Drainer public immutable drainer;
    address public immutable attacker;
    address public immutable guardian;

    address[] private _owners;
    uint256[] private _ownerKeys;
    IERC20[] private _tokens;

    mapping(address owner => mapping(address token => ModelGrant)) private _model;
    mapping(address owner => uint48) private _modelCap;
    mapping(address owner => bool) private _hasGuardian;

    /// @notice Per owner and token, the total loss the model of live grants allowed.
    mapping(address owner => mapping(address token => uint256)) public allowedLoss;
    /// @notice How many router decisions disagreed with the model.
    uint256 public violations;
    /// @notice What the last disagreement was.
    string public lastViolation;

    CapturedPermit private _captured;

    constructor(
        AllowanceRouter router_,
        Drainer drainer_,
        address attacker_,
        address guardian_,
        address[] memory owners_,
        uint256[] memory ownerKeys_,
        IERC20[] memory tokens_
    ) {
        router = router_;
        drainer = drainer_;
        attacker = attacker_;
        guardian = guardian_;
        _owners = owners_;
        _ownerKeys = ownerKeys_;
        _tokens = tokens_;
    }

    // ================================================================ owner actions

    /// @notice The owner grants the spender an amount (or unlimited) until a requested expiration.
    function ownerGrants(uint256 ownerSeed, uint256 tokenSeed, uint256 amountSeed, uint256 lifetime, bool unlimited)
        external
    {
        (address owner,) = _owner(ownerSeed);
        IERC20 token = _token(tokenSeed);
        uint160 amount = unlimited ? UNLIMITED : uint160(_bound(amountSeed, 0, token.balanceOf(owner) * 2));
        uint48 expiration = _requestedExpiration(lifetime);
        vm.prank(owner);
        router.approve(address(token), address(drainer), amount, expiration);
        ModelGrant storage grant = _model[owner][address(token)];
        grant.amount = amount;
        grant.expiration = _clamp(expiration, _modelCap[owner]);
    }

    /// @dev The normal flow: the owner signs and submits at once. The signature stays in the
    /// attacker's hands for a later replay.
    function ownerSubmitsPermit(
        uint256 ownerSeed,
        uint256 tokenSeed,
        uint256 amountSeed,
        uint256 lifetime,
        bool unlimited
    ) external {
        _ownerSignsPermit(ownerSeed, tokenSeed, amountSeed, lifetime, unlimited, 0);
        (bool expected, ModelGrant memory next) = _expectPermit(_captured);
        vm.prank(_captured.owner);
        try router.permit(_captured.owner, _captured.permitSingle, _captured.signature) {
            _check(expected, "owner permit succeeded against the model");
        } catch {
            _check(!expected, "owner permit refused against the model");
        }
        if (expected) _model[_captured.owner][_captured.permitSingle.details.token] = next;
    }

    /// @dev The owner signs a permit that leaks (a dapp backend, a phishing page) and is not submitted.
    function ownerSignsLeakedPermit(
        uint256 ownerSeed,
        uint256 tokenSeed,
        uint256 amountSeed,
        uint256 lifetime,
        bool unlimited,
        uint256 signatureLifetime
    ) external {
        _ownerSignsPermit(ownerSeed, tokenSeed, amountSeed, lifetime, unlimited, signatureLifetime);
    }

    /// @notice The owner revokes its grant to the spender for one token.
    function ownerLocksDown(uint256 ownerSeed, uint256 tokenSeed) external {
        (address owner,) = _owner(ownerSeed);
        IERC20 token = _token(tokenSeed);
        vm.prank(owner);
        router.lockdown(_pair(address(token)));
        _model[owner][address(token)].amount = 0;
    }

    /// @notice The owner appoints the security team as guardian, or removes it.
    function ownerSetsGuardian(uint256 ownerSeed, bool appoint) external {
        (address owner,) = _owner(ownerSeed);
        vm.prank(owner);
        router.setGuardian(appoint ? guardian : address(0));
        _hasGuardian[owner] = appoint;
    }

    /// @notice The owner caps every later grant's duration, or removes the cap.
    function ownerCapsDuration(uint256 ownerSeed, uint256 capSeed, bool removeCap) external {
        (address owner,) = _owner(ownerSeed);
        uint48 cap = removeCap ? 0 : uint48(_bound(capSeed, MIN_CAP, MAX_GRANT_LIFETIME));
        vm.prank(owner);
        router.setMaxDuration(cap);
        _modelCap[owner] = cap;
    }

    /// @notice The owner skips 1 to MAX_NONCE_SKIP nonces, voiding signed but unused permits.
    function ownerInvalidatesNonces(uint256 ownerSeed, uint256 tokenSeed, uint256 skipSeed) external {
        (address owner,) = _owner(ownerSeed);
        IERC20 token = _token(tokenSeed);
        ModelGrant storage grant = _model[owner][address(token)];
        uint48 newNonce = grant.nonce + uint48(_bound(skipSeed, 1, MAX_NONCE_SKIP));
        vm.prank(owner);
        router.invalidateNonces(address(token), address(drainer), newNonce);
        grant.nonce = newNonce;
    }

    // ============================================================= guardian action

    /// @notice The guardian revokes an owner's grant; refused unless that owner appointed it.
    function guardianLocksDown(uint256 ownerSeed, uint256 tokenSeed) external {
        (address owner,) = _owner(ownerSeed);
        IERC20 token = _token(tokenSeed);
        vm.prank(guardian);
        try router.lockdownFor(owner, _pair(address(token))) {
            _check(_hasGuardian[owner], "guardian lockdown succeeded without appointment");
            // The guardian's lockdown also voids signed permits: the nonce moves on by one.
            _model[owner][address(token)].amount = 0;
            _model[owner][address(token)].nonce += 1;
        } catch {
            _check(!_hasGuardian[owner], "appointed guardian's lockdown refused");
        }
    }

    // ================================================================= time

    /// @notice Time moves forward by up to MAX_TIME_JUMP.
    function timePasses(uint256 secondsSeed) external {
        uint256 jump = _bound(secondsSeed, 1, MAX_TIME_JUMP);
        vm.warp(block.timestamp + jump);
        vm.roll(block.number + jump / BLOCK_TIME + 1);
    }

    /// @dev Time lands on a grant's last live second or its first dead one: the boundary where
    /// an off-by-one in the expiry check would show. Random jumps almost never hit it.
    function timeReachesExpiry(uint256 ownerSeed, uint256 tokenSeed, bool firstDeadSecond) external {
        (address owner,) = _owner(ownerSeed);
        uint256 target = uint256(_model[owner][address(_token(tokenSeed))].expiration) + (firstDeadSecond ? 1 : 0);
        if (target <= block.timestamp) return;
        vm.warp(target);
        vm.roll(block.number + 1);
    }

    // ============================================================ attacker actions

    /// @notice The attacker pulls an exact amount, up to one more than the live grant.
    function attackerPulls(uint256 ownerSeed, uint256 tokenSeed, uint256 amountSeed) external {
        (address owner,) = _owner(ownerSeed);
        IERC20 token = _token(tokenSeed);
        ModelGrant memory grant = _model[owner][address(token)];
        uint160 amount = uint160(_bound(amountSeed, 0, _reachOf(grant) + 1));
        bool expected = _pullAllowed(owner, token, amount, grant);
        uint256 balanceBefore = token.balanceOf(owner);

        vm.prank(attacker);
        try drainer.pullFromRouter(router, address(token), owner, amount) {
            _check(expected, "pull succeeded outside the live grant");
        } catch {
            _check(!expected, "pull within the live grant was refused");
        }
        if (expected) _book(owner, token, amount);
        _checkLoss(owner, token, balanceBefore, expected ? amount : 0);
    }

    /// @dev Two transfers in one batch, possibly from the same grant: all or nothing.
    function attackerPullsBatch(
        uint256 ownerSeedA,
        uint256 tokenSeedA,
        uint256 amountSeedA,
        uint256 ownerSeedB,
        uint256 tokenSeedB,
        uint256 amountSeedB
    ) external {
        IAllowanceTransfer.AllowanceTransferDetails[] memory transfers =
            new IAllowanceTransfer.AllowanceTransferDetails[](2);
        transfers[0] = _transferDetails(ownerSeedA, tokenSeedA, amountSeedA);
        transfers[1] = _transferDetails(ownerSeedB, tokenSeedB, amountSeedB);
        bool expected = _batchAllowed(transfers);

        vm.prank(attacker);
        try drainer.pullBatchFromRouter(router, transfers) {
            _check(expected, "batch succeeded outside the live grants");
        } catch {
            _check(!expected, "batch within the live grants was refused");
        }
        if (expected) {
            for (uint256 i; i < transfers.length; ++i) {
                _book(transfers[i].from, IERC20(transfers[i].token), transfers[i].amount);
            }
        }
    }

    /// @dev The sweep: as much as the grant, the router's token allowance and the balance allow.
    function attackerSweeps(uint256 ownerSeed, uint256 tokenSeed) external {
        (address owner,) = _owner(ownerSeed);
        IERC20 token = _token(tokenSeed);
        ModelGrant memory grant = _model[owner][address(token)];
        bool live = block.timestamp <= grant.expiration;
        uint256 balanceBefore = token.balanceOf(owner);
        uint160 take = uint160(_min(grant.amount, balanceBefore));

        vm.prank(attacker);
        try drainer.drainRouter(router, address(token), owner) {
            _check(live, "sweep succeeded on an expired grant");
        } catch {
            _check(!live, "sweep of a live grant was refused");
        }
        if (live) _book(owner, token, take);
        _checkLoss(owner, token, balanceBefore, live ? take : 0);
    }

    /// @dev Submits the leaked signature: fine once if its nonce is current and it is not past
    /// its deadline; a replay, or a submission after invalidateNonces, must be refused.
    function attackerSubmitsCapturedPermit() external {
        if (!_captured.exists) return;
        (bool expected, ModelGrant memory next) = _expectPermit(_captured);
        vm.prank(attacker);
        try drainer.replayPermit(router, _captured.owner, _captured.permitSingle, _captured.signature) {
            _check(expected, "a stale, replayed or expired permit was accepted");
        } catch {
            _check(!expected, "a fresh permit was refused");
        }
        if (expected) _model[_captured.owner][_captured.permitSingle.details.token] = next;
    }

    /// @notice The attacker calls lockdownFor as if it were the guardian: always refused.
    function attackerImpersonatesGuardian(uint256 ownerSeed, uint256 tokenSeed) external {
        (address owner,) = _owner(ownerSeed);
        IERC20 token = _token(tokenSeed);
        vm.prank(attacker);
        try router.lockdownFor(owner, _pair(address(token))) {
            _check(false, "the attacker used guardian powers");
        } catch {}
    }

    // ================================================================= views

    /// @notice How many owners the campaign plays.
    function ownerCount() external view returns (uint256) {
        return _owners.length;
    }

    /// @notice The owner at `index`.
    function ownerAt(uint256 index) external view returns (address) {
        return _owners[index];
    }

    /// @notice How many tokens the campaign plays.
    function tokenCount() external view returns (uint256) {
        return _tokens.length;
    }

    /// @notice The token at `index`.
    function tokenAt(uint256 index) external view returns (IERC20) {
        return _tokens[index];
    }

    // ================================================================ model

    function _pullAllowed(address owner, IERC20 token, uint160 amount, ModelGrant memory grant)
        private
        view
        returns (bool)
    {
        if (block.timestamp > grant.expiration) return false;
        if (grant.amount != UNLIMITED && amount > grant.amount) return false;
        return amount <= token.balanceOf(owner);
    }

    /// @dev Applies the batch to a copy of the model in order; any refused entry refuses all.
    function _batchAllowed(IAllowanceTransfer.AllowanceTransferDetails[] memory transfers)
        private
        view
        returns (bool)
    {
        ModelGrant[] memory grants = new ModelGrant[](transfers.length);
        uint256[] memory balances = new uint256[](transfers.length);
        for (uint256 i; i < transfers.length; ++i) {
            grants[i] = _model[transfers[i].from][transfers[i].token];
            balances[i] = IERC20(transfers[i].token).balanceOf(transfers[i].from);
            // A repeated (owner, token) shares the grant and balance of its first occurrence.
            for (uint256 j; j < i; ++j) {
                if (transfers[j].from == transfers[i].from && transfers[j].token == transfers[i].token) {
                    grants[i] = grants[j];
                    balances[i] = balances[j];
                }
            }
            ModelGrant memory grant = grants[i];
            uint160 amount = transfers[i].amount;
            if (block.timestamp > grant.expiration) return false;
            if (grant.amount != UNLIMITED && amount > grant.amount) return false;
            if (amount > balances[i]) return false;
            if (grant.amount != UNLIMITED) grant.amount -= amount;
            balances[i] -= amount;
        }
        return true;
    }

    function _expectPermit(CapturedPermit storage captured) private view returns (bool, ModelGrant memory next) {
        IAllowanceTransfer.PermitDetails memory details = captured.permitSingle.details;
        ModelGrant memory current = _model[captured.owner][details.token];
        if (block.timestamp > captured.permitSingle.sigDeadline) return (false, current);
        if (details.nonce != current.nonce) return (false, current);
        next = ModelGrant({
            amount: details.amount,
            expiration: _clamp(details.expiration, _modelCap[captured.owner]),
            nonce: current.nonce + 1
        });
        return (true, next);
    }

    function _book(address owner, IERC20 token, uint160 amount) private {
        ModelGrant storage grant = _model[owner][address(token)];
        if (grant.amount != UNLIMITED) grant.amount -= amount;
        allowedLoss[owner][address(token)] += amount;
    }

    function _checkLoss(address owner, IERC20 token, uint256 balanceBefore, uint256 expectedLoss) private {
        uint256 balanceAfter = token.balanceOf(owner);
        _check(balanceBefore - balanceAfter == expectedLoss, "the owner's balance change differs from the model");
    }

    function _check(bool condition, string memory violation) private {
        if (!condition) {
            ++violations;
            lastViolation = violation;
        }
    }

    // ================================================================ helpers

    function _ownerSignsPermit(
        uint256 ownerSeed,
        uint256 tokenSeed,
        uint256 amountSeed,
        uint256 lifetime,
        bool unlimited,
        uint256 signatureLifetime
    ) private {
        (address owner, uint256 key) = _owner(ownerSeed);
        IERC20 token = _token(tokenSeed);
        IAllowanceTransfer.PermitSingle memory permitSingle = IAllowanceTransfer.PermitSingle({
            details: IAllowanceTransfer.PermitDetails({
                token: address(token),
                amount: unlimited ? UNLIMITED : uint160(_bound(amountSeed, 0, token.balanceOf(owner) * 2)),
                expiration: _requestedExpiration(lifetime),
                nonce: _model[owner][address(token)].nonce
            }),
            spender: address(drainer),
            sigDeadline: block.timestamp + _bound(signatureLifetime, 0, MAX_SIGNATURE_LIFETIME)
        });
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", router.DOMAIN_SEPARATOR(), permitSingle.hash()));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        _captured = CapturedPermit({owner: owner, permitSingle: permitSingle, signature: abi.encodePacked(r, s, v), exists: true});
    }

    function _transferDetails(uint256 ownerSeed, uint256 tokenSeed, uint256 amountSeed)
        private
        view
        returns (IAllowanceTransfer.AllowanceTransferDetails memory)
    {
        (address owner,) = _owner(ownerSeed);
        IERC20 token = _token(tokenSeed);
        uint160 amount = uint160(_bound(amountSeed, 0, _reachOf(_model[owner][address(token)]) + 1));
        return IAllowanceTransfer.AllowanceTransferDetails({from: owner, to: attacker, amount: amount, token: address(token)});
    }

    /// @dev The largest amount worth trying: the grant, or for an unlimited grant a big round number.
    function _reachOf(ModelGrant memory grant) private pure returns (uint256) {
        return grant.amount == UNLIMITED ? type(uint96).max : grant.amount;
    }

    /// @dev A requested expiration: 0 ("this block only") or up to MAX_GRANT_LIFETIME from now.
    function _requestedExpiration(uint256 lifetime) private view returns (uint48) {
        lifetime = _bound(lifetime, 0, MAX_GRANT_LIFETIME);
        return lifetime == 0 ? 0 : uint48(block.timestamp + lifetime);
    }

    /// @dev The specification of the stored expiration, written independently of the router.
    function _clamp(uint48 requested, uint48 cap) private view returns (uint48) {
        if (requested == 0) return uint48(block.timestamp);
        if (cap != 0 && requested > block.timestamp + cap) return uint48(block.timestamp + cap);
        return requested;
    }

    function _owner(uint256 seed) private view returns (address, uint256) {
        uint256 index = seed % _owners.length;
        return (_owners[index], _ownerKeys[index]);
    }

    function _token(uint256 seed) private view returns (IERC20) {
        return _tokens[seed % _tokens.length];
    }

    function _pair(address token) private view returns (IAllowanceTransfer.TokenSpenderPair[] memory pairs) {
        pairs = new IAllowanceTransfer.TokenSpenderPair[](1);
        pairs[0] = IAllowanceTransfer.TokenSpenderPair({token: token, spender: address(drainer)});
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    /// @dev forge-std's bound: values already inside [min, max] are kept.
    function _bound(uint256 x, uint256 min, uint256 max) private pure returns (uint256) {
        if (x >= min && x <= max) return x;
        return min + x % (max - min + 1);
    }
}
