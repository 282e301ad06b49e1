// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

import {Drainer} from "../../contracts/mocks/Drainer.sol";
import {NoReturnToken} from "../../contracts/mocks/NoReturnToken.sol";
import {TestERC1155} from "../../contracts/mocks/TestERC1155.sol";
import {TestERC721} from "../../contracts/mocks/TestERC721.sol";
import {SecurityFixture} from "./SecurityFixture.sol";

/// @notice Scenario 1 — the baseline the project exists to prevent: lingering unlimited
/// approvals given straight to a spender are drained completely once it is compromised.
contract Scenario01LegacyApprovalTest is SecurityFixture {
    uint256 private constant NFT_ID_A = 1;
    uint256 private constant NFT_ID_B = 2;
    uint256 private constant ITEM_ID = 7;
    uint256 private constant ITEM_AMOUNT = 500;
    uint160 private constant ROUTER_GRANT = 250e18;

    NoReturnToken private usdtLike;
    TestERC721 private nft;
    TestERC1155 private items;

    function setUp() public override {
        super.setUp();
        usdtLike = new NoReturnToken();
        nft = new TestERC721();
        items = new TestERC1155();
        _fund(IERC20(address(usdtLike)), alice);
        nft.mint(alice, NFT_ID_A);
        nft.mint(alice, NFT_ID_B);
        items.mint(alice, ITEM_ID, ITEM_AMOUNT);

        // Alice's legacy approvals, given to the spender years before its compromise.
        vm.startPrank(alice);
        token.approve(address(drainer), type(uint256).max);
        usdtLike.approve(address(drainer), type(uint256).max);
        nft.setApprovalForAll(address(drainer), true);
        items.setApprovalForAll(address(drainer), true);
        vm.stopPrank();
    }

    function test_S01_legacyUnlimitedErc20Approval_drainedCompletely() public {
        uint256 before = _balance(IERC20(address(token)), alice);

        vm.prank(attacker);
        drainer.drainErc20(IERC20(address(token)), alice);

        assertEq(_loss(IERC20(address(token)), alice, before), VICTIM_BALANCE, "alice lost everything");
        assertEq(_balance(IERC20(address(token)), attacker), VICTIM_BALANCE, "attacker holds it");
    }

    function test_S01_legacyUnlimitedApprovalOnUsdtLikeToken_drainedCompletely() public {
        uint256 before = _balance(IERC20(address(usdtLike)), alice);

        vm.prank(attacker);
        drainer.drainErc20(IERC20(address(usdtLike)), alice);

        assertEq(_loss(IERC20(address(usdtLike)), alice, before), VICTIM_BALANCE, "alice lost everything");
    }

    function test_S01_legacyOperatorApprovals_erc721AndErc1155_drainedCompletely() public {
        uint256[] memory nftIds = new uint256[](2);
        nftIds[0] = NFT_ID_A;
        nftIds[1] = NFT_ID_B;
        uint256[] memory itemIds = new uint256[](1);
        itemIds[0] = ITEM_ID;

        vm.startPrank(attacker);
        drainer.drainErc721(IERC721(address(nft)), alice, nftIds);
        drainer.drainErc1155(IERC1155(address(items)), alice, itemIds);
        vm.stopPrank();

        assertEq(nft.balanceOf(alice), 0, "alice kept no NFT");
        assertEq(nft.ownerOf(NFT_ID_A), attacker, "NFT A stolen");
        assertEq(nft.ownerOf(NFT_ID_B), attacker, "NFT B stolen");
        assertEq(items.balanceOf(alice, ITEM_ID), 0, "alice kept no item");
        assertEq(items.balanceOf(attacker, ITEM_ID), ITEM_AMOUNT, "items stolen");
    }

    /// @dev The sweep an incident actually runs: every path, every victim. Alice (legacy
    /// approvals) loses everything; Bob (router grant only) loses exactly his live grant.
    function test_S01_sweepOfEveryPath_legacyVictimLosesAll_routerVictimLosesOnlyGrant() public {
        _grant(IERC20(address(token)), bob, ROUTER_GRANT, uint48(block.timestamp + GRANT_LIFETIME));
        uint256 aliceBefore = _balance(IERC20(address(token)), alice);
        uint256 aliceUsdtBefore = _balance(IERC20(address(usdtLike)), alice);
        uint256 bobBefore = _balance(IERC20(address(token)), bob);

        vm.prank(attacker);
        uint256 successfulDrains = drainer.drainEverything(_everything());

        assertEq(_loss(IERC20(address(token)), alice, aliceBefore), VICTIM_BALANCE, "alice: token drained");
        assertEq(_loss(IERC20(address(usdtLike)), alice, aliceUsdtBefore), VICTIM_BALANCE, "alice: usdt drained");
        assertEq(nft.balanceOf(alice), 0, "alice: NFTs drained");
        assertEq(items.balanceOf(alice, ITEM_ID), 0, "alice: items drained");
        assertEq(_loss(IERC20(address(token)), bob, bobBefore), ROUTER_GRANT, "bob: only the live grant");
        assertEq(successfulDrains, 5, "four legacy paths on alice, one router grant on bob");
    }

    function _everything() private view returns (Drainer.Targets memory targets) {
        targets.victims = new address[](2);
        targets.victims[0] = alice;
        targets.victims[1] = bob;
        targets.erc20s = new IERC20[](2);
        targets.erc20s[0] = IERC20(address(token));
        targets.erc20s[1] = IERC20(address(usdtLike));
        targets.erc721s = new Drainer.Erc721Target[](1);
        targets.erc721s[0].collection = IERC721(address(nft));
        targets.erc721s[0].tokenIds = new uint256[](2);
        targets.erc721s[0].tokenIds[0] = NFT_ID_A;
        targets.erc721s[0].tokenIds[1] = NFT_ID_B;
        targets.erc1155s = new Drainer.Erc1155Target[](1);
        targets.erc1155s[0].collection = IERC1155(address(items));
        targets.erc1155s[0].ids = new uint256[](1);
        targets.erc1155s[0].ids[0] = ITEM_ID;
        targets.router = router;
        targets.routerTokens = new address[](1);
        targets.routerTokens[0] = address(token);
    }
}
