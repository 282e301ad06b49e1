// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

import {IAllowanceTransfer} from "../../contracts/interfaces/IAllowanceTransfer.sol";
import {IBatchRevoker} from "../../contracts/interfaces/IBatchRevoker.sol";
import {SignatureVerification} from "../../contracts/libraries/SignatureVerification.sol";
import {Drainer} from "../../contracts/mocks/Drainer.sol";
import {TestERC1155} from "../../contracts/mocks/TestERC1155.sol";
import {TestERC721} from "../../contracts/mocks/TestERC721.sol";
import {TestToken} from "../../contracts/mocks/TestToken.sol";
import {RevokerFixture} from "./RevokerFixture.sol";

/// @notice Scenario 6 — batch revocation through EIP-7702. Alice delegates her EOA to the
/// BatchRevoker and, in one self-call, removes an unlimited ERC-20 approval, an ERC-721
/// single-token approval, ERC-721 and ERC-1155 operator approvals and a router grant (lockdown).
/// Then the spender is compromised and sweeps every path: nothing moves from her. Bob, with the
/// same approvals and no revocation, is in the same sweep and loses everything they reach, so
/// the sweep is known to be live. The delegation is simulated by etching `0xef0100 ‖ revoker`;
/// scenario06-batch-revoke-7702.test.ts sends the real type-4 transaction.
contract Scenario06BatchRevoke7702Test is RevokerFixture {
    uint256 private constant ALICE_NFT_A = 1;
    uint256 private constant ALICE_NFT_B = 2;
    uint256 private constant BOB_NFT_A = 3;
    uint256 private constant BOB_NFT_B = 4;
    uint256 private constant ITEM_ID = 7;
    uint256 private constant ITEM_AMOUNT = 500;
    uint160 private constant ROUTER_GRANT = 250e18;

    /// @dev Alice's revocation list, one item per bit of a mask, in this order.
    uint256 private constant ITEM_ERC20 = 0;
    uint256 private constant ITEM_NFT_SINGLE = 1;
    uint256 private constant ITEM_NFT_OPERATOR = 2;
    uint256 private constant ITEM_1155_OPERATOR = 3;
    uint256 private constant ITEM_ROUTER = 4;
    uint256 private constant ITEM_COUNT = 5;
    uint256 private constant ALL_ITEMS = (1 << ITEM_COUNT) - 1;

    TestToken private routerToken;
    TestERC721 private nft;
    TestERC1155 private items;

    /// @dev What one victim holds that the sweep can reach.
    struct Holdings {
        uint256 tokens;
        uint256 routerTokens;
        uint256 nfts;
        uint256 itemUnits;
    }

    function setUp() public override {
        super.setUp();
        routerToken = new TestToken("Router Token", "RTK");
        nft = new TestERC721();
        items = new TestERC1155();
        uint48 expiration = uint48(block.timestamp + GRANT_LIFETIME);
        _expose(alice, ALICE_NFT_A, ALICE_NFT_B, expiration);
        _expose(bob, BOB_NFT_A, BOB_NFT_B, expiration);
    }

    /// @dev Every approval kind to the spender: unlimited ERC-20, ERC-721 operator, ERC-721
    /// single-token approval on `nftB`, ERC-1155 operator, and a live router grant on another token.
    function _expose(address victim, uint256 nftA, uint256 nftB, uint48 expiration) private {
        _fund(IERC20(address(routerToken)), victim);
        nft.mint(victim, nftA);
        nft.mint(victim, nftB);
        items.mint(victim, ITEM_ID, ITEM_AMOUNT);
        vm.startPrank(victim);
        token.approve(address(drainer), type(uint256).max);
        nft.setApprovalForAll(address(drainer), true);
        nft.approve(address(drainer), nftB);
        items.setApprovalForAll(address(drainer), true);
        vm.stopPrank();
        _grant(IERC20(address(routerToken)), victim, ROUTER_GRANT, expiration);
    }

    // ------------------------------------------------------------------ scenarios

    function test_S06_batchRevokeVia7702_erc20Erc721Erc1155AndRouter_thenSweep_nothingMoves() public {
        bytes memory outcomes = _revokeAsVictim(alice, _aliceItems(ALL_ITEMS), false);

        _assertAllRevoked(outcomes, ITEM_COUNT);
        assertEq(token.allowance(alice, address(drainer)), 0, "erc20 allowance gone");
        assertEq(nft.getApproved(ALICE_NFT_B), address(0), "single-token approval gone");
        assertFalse(nft.isApprovedForAll(alice, address(drainer)), "erc721 operator gone");
        assertFalse(items.isApprovedForAll(alice, address(drainer)), "erc1155 operator gone");
        (uint160 granted,,) = router.allowance(alice, address(routerToken), address(drainer));
        assertEq(granted, 0, "router grant locked down");

        Holdings memory aliceBefore = _holdings(alice);
        Holdings memory bobBefore = _holdings(bob);
        vm.prank(attacker);
        uint256 successfulDrains = drainer.drainEverything(_targets());

        _assertLoss(alice, aliceBefore, Holdings(0, 0, 0, 0), "alice");
        assertEq(nft.ownerOf(ALICE_NFT_A), alice, "alice keeps NFT A");
        assertEq(nft.ownerOf(ALICE_NFT_B), alice, "alice keeps NFT B");
        _assertLoss(bob, bobBefore, Holdings(VICTIM_BALANCE, ROUTER_GRANT, 2, ITEM_AMOUNT), "bob");
        assertEq(successfulDrains, 4, "every path on bob, none on alice");
        assertEq(_balance(IERC20(address(token)), attacker), VICTIM_BALANCE, "attacker: bob's tokens only");
        assertEq(_balance(IERC20(address(routerToken)), attacker), ROUTER_GRANT, "attacker: bob's grant only");
    }

    /// @dev Whatever subset of her approvals alice puts in the batch, the sweep takes exactly the
    /// ones she left out: a revoker that skipped or half-did an item would show up as a loss here.
    /// The NFT under both approvals is safe only when both are revoked.
    function testFuzz_S06_whatIsLeftOutOfTheBatch_isExactlyWhatIsLost(uint256 revokedMask) public {
        revokedMask = bound(revokedMask, 1, ALL_ITEMS); // an empty batch reverts with NoItems
        uint256 revokedCount;
        for (uint256 item; item < ITEM_COUNT; ++item) {
            if (_has(revokedMask, item)) ++revokedCount;
        }
        _assertAllRevoked(_revokeAsVictim(alice, _aliceItems(revokedMask), false), revokedCount);
        Holdings memory before = _holdings(alice);

        vm.prank(attacker);
        drainer.drainEverything(_targets());

        bool operatorRevoked = _has(revokedMask, ITEM_NFT_OPERATOR);
        bool nftBSafe = operatorRevoked && _has(revokedMask, ITEM_NFT_SINGLE);
        Holdings memory expectedLoss = Holdings({
            tokens: _has(revokedMask, ITEM_ERC20) ? 0 : VICTIM_BALANCE,
            routerTokens: _has(revokedMask, ITEM_ROUTER) ? 0 : ROUTER_GRANT,
            nfts: (operatorRevoked ? 0 : 1) + (nftBSafe ? 0 : 1),
            itemUnits: _has(revokedMask, ITEM_1155_OPERATOR) ? 0 : ITEM_AMOUNT
        });
        _assertLoss(alice, before, expectedLoss, "alice");
        assertEq(nft.ownerOf(ALICE_NFT_A), operatorRevoked ? alice : attacker, "NFT A");
        assertEq(nft.ownerOf(ALICE_NFT_B), nftBSafe ? alice : attacker, "NFT B");
    }

    /// @dev The delegation outlives the revocation, so it must give the compromised spender
    /// nothing: through its arbitrary-call path the attacker cannot run the revoker as alice,
    /// cannot make her account approve anything (the delegate has no approve, no fallback), and
    /// cannot pass a forged signature off as hers to the router, which now asks her account
    /// (EIP-1271) instead of ecrecover. Then the sweep: nothing moves.
    function test_S06_delegationLeftInPlace_givesTheCompromisedSpenderNothing() public {
        bytes memory revocation = _aliceItems(ALL_ITEMS);
        _revokeAsVictim(alice, revocation, false);
        (, uint256 forgerKey) = makeAddrAndKey("attacker's signing key");
        IAllowanceTransfer.PermitSingle memory forged = _permitSingle(
            address(routerToken), type(uint160).max, uint48(block.timestamp + GRANT_LIFETIME), 0, block.timestamp
        );
        bytes memory forgedSignature = _signPermit(forgerKey, forged);

        assertEq(
            _attackerCallsAliceAccount(abi.encodeCall(IBatchRevoker.revoke, (revocation, false))),
            abi.encodeWithSelector(IBatchRevoker.NotSelf.selector, address(drainer)),
            "revoke: only alice herself"
        );
        assertEq(
            _attackerCallsAliceAccount(
                abi.encodeCall(IBatchRevoker.revokeWithSignature, (revocation, false, block.timestamp, forgedSignature))
            ),
            abi.encodeWithSelector(IBatchRevoker.InvalidSignature.selector),
            "revokeWithSignature: only alice's key"
        );
        assertEq(
            _attackerCallsAliceAccount(abi.encodeCall(IERC20.approve, (address(drainer), type(uint256).max))),
            "",
            "approve: no such function, no fallback"
        );
        assertEq(
            _attackerCallsAliceAccount(abi.encodeCall(IERC721.setApprovalForAll, (address(drainer), true))),
            "",
            "setApprovalForAll: no such function, no fallback"
        );
        vm.expectRevert(SignatureVerification.InvalidContractSignature.selector);
        vm.prank(attacker);
        drainer.replayPermit(router, alice, forged, forgedSignature);

        assertEq(token.allowance(alice, address(drainer)), 0, "no approval appeared");
        assertFalse(nft.isApprovedForAll(alice, address(drainer)), "no operator appeared");
        (uint160 granted,,) = router.allowance(alice, address(routerToken), address(drainer));
        assertEq(granted, 0, "no grant appeared");

        Holdings memory before = _holdings(alice);
        vm.prank(attacker);
        assertEq(drainer.drainEverything(_aliceOnly()), 0, "no path moved anything");
        _assertLoss(alice, before, Holdings(0, 0, 0, 0), "alice");
    }

    // ------------------------------------------------------------------ helpers

    /// @dev The attacker calls alice's delegated account from the spender's address (its
    /// arbitrary-call path); the call must fail. Returns the revert data.
    function _attackerCallsAliceAccount(bytes memory data) private returns (bytes memory revertData) {
        vm.prank(attacker);
        bool success;
        (success, revertData) = address(drainer).call(abi.encodeCall(Drainer.execute, (alice, data)));
        assertFalse(success, "the account refused the attacker");
    }

    /// @dev Alice's revocation list: the items whose bit is set in `mask`, one group each.
    function _aliceItems(uint256 mask) private view returns (bytes memory list) {
        if (_has(mask, ITEM_ERC20)) list = bytes.concat(list, _erc20Item(address(token), address(drainer)));
        if (_has(mask, ITEM_NFT_SINGLE)) list = bytes.concat(list, _erc721Item(address(nft), ALICE_NFT_B));
        if (_has(mask, ITEM_NFT_OPERATOR)) list = bytes.concat(list, _operatorItem(address(nft), address(drainer)));
        if (_has(mask, ITEM_1155_OPERATOR)) list = bytes.concat(list, _operatorItem(address(items), address(drainer)));
        if (_has(mask, ITEM_ROUTER)) list = bytes.concat(list, _lockdownItem(address(routerToken), address(drainer)));
    }

    function _has(uint256 mask, uint256 item) private pure returns (bool) {
        return mask & (1 << item) != 0;
    }

    function _holdings(address victim) private view returns (Holdings memory) {
        return Holdings({
            tokens: _balance(IERC20(address(token)), victim),
            routerTokens: _balance(IERC20(address(routerToken)), victim),
            nfts: nft.balanceOf(victim),
            itemUnits: items.balanceOf(victim, ITEM_ID)
        });
    }

    /// @dev Asserts the victim's actual balance changes since `before` are exactly `expected`.
    function _assertLoss(address victim, Holdings memory before, Holdings memory expected, string memory who)
        private
        view
    {
        assertEq(_loss(IERC20(address(token)), victim, before.tokens), expected.tokens, string.concat(who, ": erc20"));
        assertEq(
            _loss(IERC20(address(routerToken)), victim, before.routerTokens),
            expected.routerTokens,
            string.concat(who, ": router grant")
        );
        assertEq(before.nfts - nft.balanceOf(victim), expected.nfts, string.concat(who, ": erc721"));
        assertEq(before.itemUnits - items.balanceOf(victim, ITEM_ID), expected.itemUnits, string.concat(who, ": erc1155"));
    }

    function _targets() private view returns (Drainer.Targets memory targets) {
        targets = _aliceOnly();
        targets.victims = new address[](2);
        targets.victims[0] = alice;
        targets.victims[1] = bob;
        targets.erc721s[0].tokenIds = new uint256[](4);
        targets.erc721s[0].tokenIds[0] = ALICE_NFT_A;
        targets.erc721s[0].tokenIds[1] = ALICE_NFT_B;
        targets.erc721s[0].tokenIds[2] = BOB_NFT_A;
        targets.erc721s[0].tokenIds[3] = BOB_NFT_B;
    }

    function _aliceOnly() private view returns (Drainer.Targets memory targets) {
        targets.victims = new address[](1);
        targets.victims[0] = alice;
        targets.erc20s = new IERC20[](1);
        targets.erc20s[0] = IERC20(address(token));
        targets.erc721s = new Drainer.Erc721Target[](1);
        targets.erc721s[0].collection = IERC721(address(nft));
        targets.erc721s[0].tokenIds = new uint256[](2);
        targets.erc721s[0].tokenIds[0] = ALICE_NFT_A;
        targets.erc721s[0].tokenIds[1] = ALICE_NFT_B;
        targets.erc1155s = new Drainer.Erc1155Target[](1);
        targets.erc1155s[0].collection = IERC1155(address(items));
        targets.erc1155s[0].ids = new uint256[](1);
        targets.erc1155s[0].ids[0] = ITEM_ID;
        targets.router = router;
        targets.routerTokens = new address[](1);
        targets.routerTokens[0] = address(routerToken);
    }
}
