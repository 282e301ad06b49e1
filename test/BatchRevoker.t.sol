// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BatchRevokerBase} from "./BatchRevokerBase.sol";
import {Vm} from "./utils/Vm.sol";
import {AllowanceRouter} from "../contracts/AllowanceRouter.sol";
import {BatchRevoker} from "../contracts/BatchRevoker.sol";
import {IBatchRevoker} from "../contracts/interfaces/IBatchRevoker.sol";
import {IAllowanceTransfer} from "../contracts/interfaces/IAllowanceTransfer.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {NoReturnToken} from "../contracts/mocks/NoReturnToken.sol";
import {TestToken} from "../contracts/mocks/TestToken.sol";
import {TestERC721} from "../contracts/mocks/TestERC721.sol";
import {TestERC1155} from "../contracts/mocks/TestERC1155.sol";

/// @notice The revoke-only delegate: who may call it, each kind of item, the packed list's
/// errors, per-item outcomes and events, and the atomic flag.
contract BatchRevokerTest is BatchRevokerBase {
    uint256 internal constant ALLOWANCE = 1_000e18;
    uint256 internal constant TOKEN_ID = 7;
    uint256 internal constant MULTI_TOKEN_ID = 1;

    TestToken internal tokenA;
    TestToken internal tokenB;
    TestToken internal tokenC;
    TestERC721 internal nft;
    TestERC1155 internal multi;
    AllowanceRouter internal router;
    address internal spender;
    address internal otherSpender;
    address internal operator;

    function setUp() public override {
        super.setUp();
        tokenA = new TestToken("A", "A");
        tokenB = new TestToken("B", "B");
        tokenC = new TestToken("C", "C");
        nft = new TestERC721();
        multi = new TestERC1155();
        router = new AllowanceRouter();
        spender = makeAddr("spender");
        otherSpender = makeAddr("otherSpender");
        operator = makeAddr("operator");

        vm.startPrank(owner);
        tokenA.approve(spender, ALLOWANCE);
        tokenB.approve(spender, ALLOWANCE);
        tokenC.approve(otherSpender, type(uint256).max);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ who may call

    function test_revoke_revertsForAnyCallerButTheAccount() public {
        address stranger = makeAddr("stranger");
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.NotSelf.selector, stranger));
        account.revoke(erc20Item(address(tokenA), spender), false);
        assertEq(tokenA.allowance(owner, spender), ALLOWANCE);
    }

    function test_revoke_revertsForTheSpenderItself() public {
        vm.prank(spender);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.NotSelf.selector, spender));
        account.revoke(erc20Item(address(tokenA), spender), false);
    }

    function test_revoke_revertsOnTheUndelegatedDeployment() public {
        // Nobody can be msg.sender == the deployment: it makes no calls to itself.
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.NotSelf.selector, owner));
        implementation.revoke(erc20Item(address(tokenA), spender), false);
    }

    // ------------------------------------------------------------------ each kind

    function test_revoke_erc20AllowancesOfOneSpenderInOneGroup() public {
        address[] memory tokens = new address[](2);
        tokens[0] = address(tokenA);
        tokens[1] = address(tokenB);

        vm.expectEmit(address(tokenA));
        emit IERC20.Approval(owner, spender, 0);
        vm.expectEmit(address(tokenB));
        emit IERC20.Approval(owner, spender, 0);
        bytes memory outcomes = revokeAsOwner(erc20Group(spender, tokens), false);

        assertEq(outcomes.length, 2, "one outcome per item");
        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked);
        assertOutcome(outcomes, 1, IBatchRevoker.Outcome.Revoked);
        assertEq(tokenA.allowance(owner, spender), 0);
        assertEq(tokenB.allowance(owner, spender), 0);
    }

    function test_revoke_cleanRevocationEmitsNoEventOfItsOwn() public {
        vm.recordLogs();
        revokeAsOwner(erc20Item(address(tokenA), spender), false);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1, "only the token's Approval");
        assertEq(logs[0].emitter, address(tokenA));
    }

    function test_revoke_erc721TokenApproval() public {
        nft.mint(owner, TOKEN_ID);
        vm.prank(owner);
        nft.approve(spender, TOKEN_ID);

        bytes memory outcomes = revokeAsOwner(erc721Item(address(nft), TOKEN_ID), false);

        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked);
        assertEq(nft.getApproved(TOKEN_ID), address(0));
        assertEq(nft.ownerOf(TOKEN_ID), owner, "ownership untouched");
    }

    function test_revoke_erc721OperatorAndErc1155OperatorShareOneKind() public {
        vm.startPrank(owner);
        nft.setApprovalForAll(operator, true);
        multi.setApprovalForAll(operator, true);
        vm.stopPrank();

        bytes memory items = bytes.concat(operatorItem(address(nft), operator), operatorItem(address(multi), operator));
        bytes memory outcomes = revokeAsOwner(items, false);

        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked);
        assertOutcome(outcomes, 1, IBatchRevoker.Outcome.Revoked);
        assertFalse(nft.isApprovedForAll(owner, operator));
        assertFalse(multi.isApprovedForAll(owner, operator));
    }

    function test_revoke_routerLockdownZeroesTheOwnersRouterGrants() public {
        uint48 expiration = uint48(block.timestamp + 1 days);
        vm.startPrank(owner);
        router.approve(address(tokenA), spender, 500, expiration);
        router.approve(address(tokenB), otherSpender, 700, expiration);
        vm.stopPrank();

        bytes memory items = abi.encodePacked(
            KIND_LOCKDOWN, address(router), uint8(2), address(tokenA), spender, address(tokenB), otherSpender
        );
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Lockdown(owner, address(tokenA), spender);
        vm.expectEmit(address(router));
        emit IAllowanceTransfer.Lockdown(owner, address(tokenB), otherSpender);
        bytes memory outcomes = revokeAsOwner(items, false);

        assertEq(outcomes.length, 2, "one outcome per pair");
        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked);
        assertOutcome(outcomes, 1, IBatchRevoker.Outcome.Revoked);
        (uint160 amountA, uint48 expirationA,) = router.allowance(owner, address(tokenA), spender);
        (uint160 amountB,,) = router.allowance(owner, address(tokenB), otherSpender);
        assertEq(amountA, 0);
        assertEq(amountB, 0);
        assertEq(expirationA, expiration, "lockdown zeroes the amount only");
    }

    function test_revoke_everyKindInOneList() public {
        nft.mint(owner, TOKEN_ID);
        multi.mint(owner, MULTI_TOKEN_ID, 1);
        vm.startPrank(owner);
        nft.approve(spender, TOKEN_ID);
        nft.setApprovalForAll(operator, true);
        multi.setApprovalForAll(operator, true);
        router.approve(address(tokenA), spender, 500, uint48(block.timestamp + 1 days));
        vm.stopPrank();

        address[] memory tokens = new address[](2);
        tokens[0] = address(tokenA);
        tokens[1] = address(tokenB);
        bytes memory items = bytes.concat(
            erc20Group(spender, tokens),
            erc20Item(address(tokenC), otherSpender),
            erc721Item(address(nft), TOKEN_ID),
            operatorItem(address(nft), operator),
            operatorItem(address(multi), operator),
            lockdownItem(address(router), address(tokenA), spender)
        );
        bytes memory outcomes = revokeAsOwner(items, true);

        assertEq(outcomes.length, 7);
        for (uint256 i; i < outcomes.length; ++i) {
            assertOutcome(outcomes, i, IBatchRevoker.Outcome.Revoked);
        }
        assertEq(tokenA.allowance(owner, spender), 0);
        assertEq(tokenB.allowance(owner, spender), 0);
        assertEq(tokenC.allowance(owner, otherSpender), 0);
        assertEq(nft.getApproved(TOKEN_ID), address(0));
        assertFalse(nft.isApprovedForAll(owner, operator));
        assertFalse(multi.isApprovedForAll(owner, operator));
        (uint160 routerAmount,,) = router.allowance(owner, address(tokenA), spender);
        assertEq(routerAmount, 0);
    }

    // ------------------------------------------------------------------ malformed lists

    function test_revoke_revertsOnAnEmptyList() public {
        vm.prank(owner);
        vm.expectRevert(IBatchRevoker.NoItems.selector);
        account.revoke("", false);
    }

    function test_revoke_revertsOnATruncatedHeader() public {
        bytes memory items = abi.encodePacked(KIND_ERC20, spender); // no count byte
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.MalformedItems.selector, 0));
        account.revoke(items, false);
    }

    function test_revoke_revertsOnAGroupOfZeroEntries() public {
        bytes memory emptyGroup = abi.encodePacked(KIND_ERC20, spender, uint8(0));
        bytes memory items = bytes.concat(erc20Item(address(tokenA), spender), emptyGroup);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.MalformedItems.selector, 42));
        account.revoke(items, false);
    }

    function test_revoke_revertsOnATruncatedGroupAndChangesNothing() public {
        // The first group is fine and would revoke tokenA; the second claims two entries, has one.
        bytes memory items = bytes.concat(
            erc20Item(address(tokenA), spender), abi.encodePacked(KIND_ERC20, spender, uint8(2), address(tokenB))
        );
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.MalformedItems.selector, 42));
        account.revoke(items, false);
        assertEq(tokenA.allowance(owner, spender), ALLOWANCE, "earlier group undone");
        assertEq(tokenB.allowance(owner, spender), ALLOWANCE);
    }

    function test_revoke_revertsOnTrailingBytesAfterTheLastEntry() public {
        // An "amount" appended to an ERC-20 item is no field of the format: it reads as a
        // truncated header.
        bytes memory items = bytes.concat(erc20Item(address(tokenA), spender), abi.encode(uint256(1)));
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.MalformedItems.selector, 42));
        account.revoke(items, false);
    }

    function test_revoke_revertsOnAnUnknownKind() public {
        uint8 unknownKind = 5;
        bytes memory unknownGroup = abi.encodePacked(unknownKind, spender, uint8(1), address(tokenB));
        bytes memory items = bytes.concat(erc20Item(address(tokenA), spender), unknownGroup);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.UnknownKind.selector, 42, unknownKind));
        account.revoke(items, false);
        assertEq(tokenA.allowance(owner, spender), ALLOWANCE, "earlier group undone");
    }

    // ------------------------------------------------------------------ outcomes, events, atomic

    function test_revoke_oneBadItemDoesNotStopTheRest() public {
        address noCode = makeAddr("noCode");
        bytes memory items = bytes.concat(
            erc20Item(address(tokenA), spender), erc20Item(noCode, spender), erc20Item(address(tokenC), otherSpender)
        );

        vm.expectEmit(address(account));
        emit IBatchRevoker.RevocationIncomplete(1, noCode, IBatchRevoker.Outcome.Failed);
        bytes memory outcomes = revokeAsOwner(items, false);

        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked);
        assertOutcome(outcomes, 1, IBatchRevoker.Outcome.Failed);
        assertOutcome(outcomes, 2, IBatchRevoker.Outcome.Revoked);
        assertEq(tokenA.allowance(owner, spender), 0);
        assertEq(tokenC.allowance(owner, otherSpender), 0);
    }

    function test_revoke_failedItemInsideAGroupKeepsItsIndex() public {
        address noCode = makeAddr("noCode");
        address[] memory tokens = new address[](3);
        tokens[0] = address(tokenA);
        tokens[1] = noCode;
        tokens[2] = address(tokenB);

        vm.expectEmit(address(account));
        emit IBatchRevoker.RevocationIncomplete(1, noCode, IBatchRevoker.Outcome.Failed);
        bytes memory outcomes = revokeAsOwner(erc20Group(spender, tokens), false);

        assertEq(outcomes.length, 3);
        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked);
        assertOutcome(outcomes, 1, IBatchRevoker.Outcome.Failed);
        assertOutcome(outcomes, 2, IBatchRevoker.Outcome.Revoked);
        assertEq(tokenB.allowance(owner, spender), 0, "the fast path resumed after the failure");
    }

    function test_revoke_failedLockdownReportsEveryPair() public {
        address notARouter = address(tokenA); // has code, has no lockdown()
        bytes memory items =
            abi.encodePacked(KIND_LOCKDOWN, notARouter, uint8(2), address(tokenB), spender, address(tokenC), spender);

        vm.expectEmit(address(account));
        emit IBatchRevoker.RevocationIncomplete(0, notARouter, IBatchRevoker.Outcome.Failed);
        vm.expectEmit(address(account));
        emit IBatchRevoker.RevocationIncomplete(1, notARouter, IBatchRevoker.Outcome.Failed);
        bytes memory outcomes = revokeAsOwner(items, false);

        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Failed);
        assertOutcome(outcomes, 1, IBatchRevoker.Outcome.Failed);
    }

    function test_revoke_atomicRevertsOnTheFirstItemNotRevokedAndUndoesEverything() public {
        address noCode = makeAddr("noCode");
        bytes memory items = bytes.concat(erc20Item(address(tokenA), spender), erc20Item(noCode, spender));
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IBatchRevoker.ItemNotRevoked.selector, 1, IBatchRevoker.Outcome.Failed));
        account.revoke(items, true);
        assertEq(tokenA.allowance(owner, spender), ALLOWANCE);
    }

    function test_revoke_atomicSucceedsWhenEveryItemIsRevoked() public {
        bytes memory items =
            bytes.concat(erc20Item(address(tokenA), spender), erc20Item(address(tokenC), otherSpender));
        bytes memory outcomes = revokeAsOwner(items, true);
        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked);
        assertOutcome(outcomes, 1, IBatchRevoker.Outcome.Revoked);
        assertEq(tokenC.allowance(owner, otherSpender), 0);
    }

    // ------------------------------------------------------------------ it can do nothing but revoke

    function test_revoke_erc721ItemAgainstAnErc20SendsNoApproval() public {
        // approve(address(0), id) on an ERC-20 would be an allowance of `id` to the zero address,
        // which this USDT-like token would accept (it does not check the spender).
        NoReturnToken usdt = new NoReturnToken();
        vm.recordLogs();
        bytes memory outcomes = revokeAsOwner(erc721Item(address(usdt), ALLOWANCE), false);
        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Failed);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1, "only RevocationIncomplete, no Approval");
        assertEq(logs[0].emitter, address(account));
        assertEq(usdt.allowance(owner, address(0)), 0);
    }

    function test_revoke_erc20ItemAgainstAnErc721LeavesNoTokenZeroApproval() public {
        // ERC-721 approve(spender, 0) approves `spender` for token id 0 and returns nothing; the
        // delegate reads allowance() back, finds none, and clears that approval again.
        nft.mint(owner, 0);
        bytes memory outcomes = revokeAsOwner(erc20Item(address(nft), spender), false);
        assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Failed);
        assertEq(nft.getApproved(0), address(0), "no approval left on token 0");
    }

    function test_revoke_itemsTargetingTheAccountItselfFail() public {
        // The account receives exactly the selectors it sends out; BatchRevoker implements none.
        address self = address(account);
        bytes memory items = bytes.concat(
            erc20Item(self, spender),
            operatorItem(self, operator),
            erc721Item(self, TOKEN_ID),
            lockdownItem(self, address(tokenA), spender)
        );
        bytes memory outcomes = revokeAsOwner(items, false);
        for (uint256 i; i < 4; ++i) {
            assertOutcome(outcomes, i, IBatchRevoker.Outcome.Failed);
        }
        assertEq(account.revocationNonce(), 0);
    }

    function test_revoke_acceptsNoEther() public {
        vm.deal(owner, 1 ether);
        vm.prank(owner);
        (bool ok,) = address(account).call{value: 1}(
            abi.encodeCall(BatchRevoker.revoke, (erc20Item(address(tokenA), spender), false))
        );
        assertFalse(ok, "revoke is not payable");
        assertEq(tokenA.allowance(owner, spender), ALLOWANCE);
    }

    function test_account_exposesNoTransferApproveOrExecute() public {
        bytes[] memory attempts = new bytes[](5);
        attempts[0] = abi.encodeWithSignature("approve(address,uint256)", spender, 1);
        attempts[1] = abi.encodeWithSignature("transfer(address,uint256)", spender, 1);
        attempts[2] = abi.encodeWithSignature("execute(address,bytes)", address(tokenA), "");
        attempts[3] = abi.encodeWithSignature("setApprovalForAll(address,bool)", operator, true);
        attempts[4] =
            abi.encodeWithSignature("lockdown((address,address)[])", new IAllowanceTransfer.TokenSpenderPair[](0));
        for (uint256 i; i < attempts.length; ++i) {
            vm.prank(owner);
            (bool ok,) = address(account).call(attempts[i]);
            assertFalse(ok, "unknown selector must revert");
        }
    }

    // ------------------------------------------------------------------ fuzz

    /// @dev Any number of ERC-20 allowances, spread over up to three spenders, are all revoked and
    /// reported in list order.
    function testFuzz_revoke_erc20Groups(uint8 tokenCount, uint256 spenderSeed, uint256 amountSeed) public {
        tokenCount = uint8(bound(tokenCount, 1, 12));
        address[3] memory spenders = [spender, otherSpender, operator];
        bytes memory items;
        TestToken[] memory tokens = new TestToken[](tokenCount);
        address[] memory spenderOf = new address[](tokenCount);
        for (uint256 i; i < tokenCount; ++i) {
            tokens[i] = new TestToken("F", "F");
            spenderOf[i] = spenders[uint256(keccak256(abi.encode(spenderSeed, i))) % spenders.length];
            uint256 amount = bound(uint256(keccak256(abi.encode(amountSeed, i))), 1, type(uint256).max);
            vm.prank(owner);
            tokens[i].approve(spenderOf[i], amount);
            items = bytes.concat(items, erc20Item(address(tokens[i]), spenderOf[i]));
        }

        bytes memory outcomes = revokeAsOwner(items, true);

        assertEq(outcomes.length, tokenCount);
        for (uint256 i; i < tokenCount; ++i) {
            assertOutcome(outcomes, i, IBatchRevoker.Outcome.Revoked);
            assertEq(tokens[i].allowance(owner, spenderOf[i]), 0);
        }
    }

    /// @dev Arbitrary bytes never make the account do anything but revert or revoke: balances of
    /// ETH and tokens held by the account do not move, and no allowance grows.
    function testFuzz_revoke_arbitraryBytesMoveNothing(bytes calldata items, bool atomic) public {
        vm.deal(owner, 1 ether);
        tokenA.mint(owner, 500);
        uint256 allowanceC = tokenC.allowance(owner, otherSpender);

        vm.prank(owner);
        try account.revoke(items, atomic) returns (bytes memory outcomes) {
            assertLe(outcomes.length, items.length / 20, "at most one item per 20 bytes");
        } catch {}

        assertEq(owner.balance, 1 ether);
        assertEq(tokenA.balanceOf(owner), 500);
        assertLe(tokenA.allowance(owner, spender), ALLOWANCE);
        assertLe(tokenC.allowance(owner, otherSpender), allowanceC);
        assertEq(account.revocationNonce(), 0);
    }
}
