// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IBatchRevoker} from "../../contracts/interfaces/IBatchRevoker.sol";
import {DaiPermitToken} from "../../contracts/mocks/DaiPermitToken.sol";
import {Drainer} from "../../contracts/mocks/Drainer.sol";
import {WethLikeToken} from "../../contracts/mocks/WethLikeToken.sol";
import {RevokerFixture} from "./RevokerFixture.sol";

/// @notice Scenario 7 — relayed permit revocation. Alice signs zero-value permits (EIP-2612 on the
/// standard token, DAI-style `allowed = false` on a DAI-like token) and anyone relays them in one
/// `revokeWithPermits` call: she needs no ETH. Then the spender is compromised and sweeps: nothing
/// moves. A WETH-like token has no permit, and its fallback makes the relayed permit succeed
/// silently: the revoker reads the allowance back, reports the item not revoked, and the sweep
/// takes exactly that remaining exposure. scenario07-relayed-permit-revocation.test.ts does the
/// same through the SDK's signing and relaying.
contract Scenario07RelayedPermitRevocationTest is RevokerFixture {
    bytes32 private constant EIP712_DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant EIP2612_PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
    bytes32 private constant DAI_PERMIT_TYPEHASH =
        keccak256("Permit(address holder,address spender,uint256 nonce,uint256 expiry,bool allowed)");
    /// @dev How long alice's signed revocations stay valid.
    uint256 private constant PERMIT_VALIDITY = 1 hours;
    uint256 private constant WETH_HELD = 10 ether;
    /// @dev Alice's WETH-like approval: less than she holds, so the exposure is the allowance.
    uint256 private constant WETH_ALLOWANCE = 3 ether;

    DaiPermitToken private dai;
    WethLikeToken private weth;
    address private relayer;
    uint256 private deadline;

    function setUp() public override {
        super.setUp();
        dai = new DaiPermitToken();
        weth = new WethLikeToken();
        relayer = makeAddr("relayer");
        deadline = block.timestamp + PERMIT_VALIDITY;
        for (uint256 i; i < 2; ++i) {
            address victim = i == 0 ? alice : bob;
            dai.mint(victim, VICTIM_BALANCE);
            vm.deal(victim, WETH_HELD);
            vm.startPrank(victim);
            weth.deposit{value: WETH_HELD}();
            token.approve(address(drainer), type(uint256).max);
            dai.approve(address(drainer), type(uint256).max);
            weth.approve(address(drainer), WETH_ALLOWANCE);
            vm.stopPrank();
        }
    }

    // ------------------------------------------------------------------ scenarios

    function test_S07_relayedZeroPermits_eip2612AndDai_thenSweep_nothingMoves() public {
        IBatchRevoker.PermitRevocation[] memory permits = new IBatchRevoker.PermitRevocation[](2);
        permits[0] = _eip2612ZeroPermit(address(token), token.DOMAIN_SEPARATOR());
        permits[1] = _daiZeroPermit();
        assertEq(alice.balance, 0, "alice holds no ETH: she cannot send a transaction herself");

        vm.prank(relayer);
        bytes memory outcomes = revoker.revokeWithPermits(permits);

        _assertAllRevoked(outcomes, 2);
        assertEq(token.allowance(alice, address(drainer)), 0, "EIP-2612 allowance gone");
        assertEq(dai.allowance(alice, address(drainer)), 0, "DAI allowance gone");
        uint256 aliceTokens = _balance(IERC20(address(token)), alice);
        uint256 aliceDai = _balance(IERC20(address(dai)), alice);
        uint256 bobTokens = _balance(IERC20(address(token)), bob);
        uint256 bobDai = _balance(IERC20(address(dai)), bob);

        vm.prank(attacker);
        uint256 successfulDrains = drainer.drainEverything(_targets(_both(), address(dai)));

        assertEq(_loss(IERC20(address(token)), alice, aliceTokens), 0, "alice: nothing of the EIP-2612 token");
        assertEq(_loss(IERC20(address(dai)), alice, aliceDai), 0, "alice: nothing of the DAI-like token");
        assertEq(_loss(IERC20(address(token)), bob, bobTokens), VICTIM_BALANCE, "bob, who did not revoke: all");
        assertEq(_loss(IERC20(address(dai)), bob, bobDai), VICTIM_BALANCE, "bob, who did not revoke: all");
        assertEq(successfulDrains, 2, "only bob's two approvals were drained");
    }

    /// @dev WETH9 has no permit; its fallback deposits and succeeds, so the relayed "permit"
    /// changes nothing. Reported Failed (read back), never Revoked; the sweep takes exactly what
    /// the report says is left: min(allowance, balance).
    function test_S07_wethLikePhantomPermit_reportedNotRevoked_sweepTakesExactlyTheRemainingExposure() public {
        bytes32 guessedWethDomain = _domainSeparator("Wrapped Ether", address(weth));
        IBatchRevoker.PermitRevocation[] memory permits = new IBatchRevoker.PermitRevocation[](2);
        permits[0] = _eip2612ZeroPermit(address(token), token.DOMAIN_SEPARATOR());
        permits[1] = _eip2612ZeroPermit(address(weth), guessedWethDomain);

        vm.expectEmit(address(revoker));
        emit IBatchRevoker.RevocationIncomplete(1, address(weth), IBatchRevoker.Outcome.Failed);
        vm.prank(relayer);
        bytes memory outcomes = revoker.revokeWithPermits(permits);

        _assertOutcome(outcomes, 0, IBatchRevoker.Outcome.Revoked, "EIP-2612 permit revoked");
        _assertOutcome(outcomes, 1, IBatchRevoker.Outcome.Failed, "phantom permit reported not revoked");
        uint256 remainingExposure = _min(weth.allowance(alice, address(drainer)), weth.balanceOf(alice));
        assertEq(remainingExposure, WETH_ALLOWANCE, "the WETH-like approval is untouched");
        uint256 aliceTokens = _balance(IERC20(address(token)), alice);
        uint256 aliceWeth = _balance(IERC20(address(weth)), alice);

        vm.prank(attacker);
        uint256 successfulDrains = drainer.drainEverything(_targets(_aliceOnly(), address(weth)));

        assertEq(_loss(IERC20(address(token)), alice, aliceTokens), 0, "revoked: nothing moved");
        assertEq(_loss(IERC20(address(weth)), alice, aliceWeth), remainingExposure, "exactly the reported exposure");
        assertEq(_balance(IERC20(address(weth)), attacker), remainingExposure, "the attacker holds it");
        assertEq(successfulDrains, 1, "only the WETH-like approval");
    }

    /// @dev The attacker, watching the mempool, submits one of alice's zero permits itself before
    /// the relayed batch, hoping the batch reverts on the used nonce and leaves the other
    /// approval live. Each permit is tried on its own and judged by the allowance read back: the
    /// batch goes through, both are revoked, the sweep takes nothing.
    function test_S07_attackerFrontRunsOnePermitToBreakTheBatch_bothStillRevoked_nothingMoves() public {
        IBatchRevoker.PermitRevocation[] memory permits = new IBatchRevoker.PermitRevocation[](2);
        permits[0] = _eip2612ZeroPermit(address(token), token.DOMAIN_SEPARATOR());
        permits[1] = _daiZeroPermit();
        IBatchRevoker.PermitRevocation memory daiPermit = permits[1];
        vm.prank(attacker);
        dai.permit(alice, address(drainer), daiPermit.nonce, deadline, false, daiPermit.v, daiPermit.r, daiPermit.s);

        vm.prank(relayer);
        bytes memory outcomes = revoker.revokeWithPermits(permits);

        _assertAllRevoked(outcomes, 2);
        uint256 aliceTokens = _balance(IERC20(address(token)), alice);
        uint256 aliceDai = _balance(IERC20(address(dai)), alice);
        vm.prank(attacker);
        assertEq(drainer.drainEverything(_targets(_aliceOnly(), address(dai))), 0, "no path moved anything");
        assertEq(_loss(IERC20(address(token)), alice, aliceTokens), 0, "alice: nothing of the EIP-2612 token");
        assertEq(_loss(IERC20(address(dai)), alice, aliceDai), 0, "alice: nothing of the DAI-like token");
    }

    // ------------------------------------------------------------------ signing

    /// @dev Alice's EIP-2612 permit of value 0 to the spender, under `domainSeparator`.
    function _eip2612ZeroPermit(address asset, bytes32 domainSeparator)
        private
        view
        returns (IBatchRevoker.PermitRevocation memory permit)
    {
        uint256 nonce = asset == address(token) ? token.nonces(alice) : 0;
        bytes32 structHash = keccak256(abi.encode(EIP2612_PERMIT_TYPEHASH, alice, address(drainer), 0, nonce, deadline));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(aliceKey, _digest(domainSeparator, structHash));
        permit = IBatchRevoker.PermitRevocation({
            style: IBatchRevoker.PermitStyle.EIP2612,
            token: asset,
            owner: alice,
            spender: address(drainer),
            deadline: deadline,
            nonce: 0,
            v: v,
            r: r,
            s: s
        });
    }

    /// @dev Alice's DAI permit with `allowed = false` for the spender.
    function _daiZeroPermit() private view returns (IBatchRevoker.PermitRevocation memory permit) {
        uint256 nonce = dai.nonces(alice);
        bytes32 structHash = keccak256(abi.encode(DAI_PERMIT_TYPEHASH, alice, address(drainer), nonce, deadline, false));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(aliceKey, _digest(dai.DOMAIN_SEPARATOR(), structHash));
        permit = IBatchRevoker.PermitRevocation({
            style: IBatchRevoker.PermitStyle.DAI,
            token: address(dai),
            owner: alice,
            spender: address(drainer),
            deadline: deadline,
            nonce: nonce,
            v: v,
            r: r,
            s: s
        });
    }

    function _digest(bytes32 domainSeparator, bytes32 structHash) private pure returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    /// @dev The domain a wallet would guess for a token without eip712Domain() or DOMAIN_SEPARATOR().
    function _domainSeparator(string memory name, address verifyingContract) private view returns (bytes32) {
        return keccak256(
            abi.encode(EIP712_DOMAIN_TYPEHASH, keccak256(bytes(name)), keccak256("1"), block.chainid, verifyingContract)
        );
    }

    // ------------------------------------------------------------------ sweep

    function _aliceOnly() private view returns (address[] memory victims) {
        victims = new address[](1);
        victims[0] = alice;
    }

    function _both() private view returns (address[] memory victims) {
        victims = new address[](2);
        victims[0] = alice;
        victims[1] = bob;
    }

    /// @dev Every victim's lingering approvals of the standard token and `other`.
    function _targets(address[] memory victims, address other) private view returns (Drainer.Targets memory targets) {
        targets.victims = victims;
        targets.erc20s = new IERC20[](2);
        targets.erc20s[0] = IERC20(address(token));
        targets.erc20s[1] = IERC20(other);
        targets.erc721s = new Drainer.Erc721Target[](0);
        targets.erc1155s = new Drainer.Erc1155Target[](0);
        targets.router = router;
        targets.routerTokens = new address[](0);
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
