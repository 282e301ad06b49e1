// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAllowanceTransfer} from "../contracts/interfaces/IAllowanceTransfer.sol";
import {RealPermit2} from "./utils/RealPermit2.sol";

/// @notice The etched code is Uniswap's Permit2 as deployed on mainnet, and it works as Permit2.
contract RealPermit2Test is RealPermit2 {
    /// @dev Permit2's DOMAIN_SEPARATOR() on mainnet (chain id 1), one of the immutables in its code.
    bytes32 private constant MAINNET_DOMAIN_SEPARATOR =
        0x866a5aba21966af95d6c7ab78eb2b2fc913915c28be3b9aa07cc04ff903e3f28;
    uint256 private constant MAINNET_CHAIN_ID = 1;

    function test_etchesTheMainnetCodeAtTheCanonicalAddress() public {
        address permit2 = _etchPermit2();
        assertEq(permit2, 0x000000000022D473030F116dDEE9F6B43aC78BA3);
        assertEq(permit2.codehash, PERMIT2_CODE_HASH);
        vm.chainId(MAINNET_CHAIN_ID);
        (bool ok, bytes memory separator) = permit2.staticcall(abi.encodeWithSignature("DOMAIN_SEPARATOR()"));
        assertTrue(ok, "DOMAIN_SEPARATOR() answered");
        assertEq(abi.decode(separator, (bytes32)), MAINNET_DOMAIN_SEPARATOR);
    }

    function test_approveIsPermit2s() public {
        IAllowanceTransfer permit2 = IAllowanceTransfer(_etchPermit2());
        address token = address(0x70CE);
        address spender = address(0x5BE4);
        permit2.approve(token, spender, 1_000, uint48(block.timestamp + 1 days));
        (uint160 amount, uint48 expiration, uint48 nonce) = permit2.allowance(address(this), token, spender);
        assertEq(amount, 1_000);
        assertEq(expiration, block.timestamp + 1 days);
        assertEq(nonce, 0);
    }
}
