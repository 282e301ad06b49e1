// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "./Test.sol";

/// @notice Puts Uniswap Permit2's real runtime bytecode at its canonical address in a Solidity test.
/// @dev The code is read from the npm package `@uniswap/v4-periphery` (an exact dev dependency):
/// its `lib/permit2/test/utils/DeployPermit2.sol` is Uniswap's own precompiled-Permit2 helper and
/// holds the code as one `hex"…"` literal. Reading it needs the `fsPermissions.readFile` entry in
/// hardhat.config.ts. The TypeScript twin is test/fixtures/permit2.ts; both check the same hash.
abstract contract RealPermit2 is Test {
    address internal constant PERMIT2 = 0x000000000022D473030F116dDEE9F6B43aC78BA3;

    /// @dev keccak256 of the runtime code in @uniswap/v4-periphery@1.0.3 (see PERMIT2_CODE_HASH).
    bytes32 internal constant PERMIT2_CODE_HASH = 0xa1ad0529565c25202190d4ae7f75d4ca08dc432cc760544ee7d0313b68e82ecd;

    string private constant PERMIT2_CODE_SOURCE =
        "node_modules/@uniswap/v4-periphery/lib/permit2/test/utils/DeployPermit2.sol";

    error Permit2CodeMismatch(bytes32 codeHash);

    /// @notice Etches the real Permit2 at PERMIT2 and returns that address.
    function _etchPermit2() internal returns (address) {
        string memory source = vm.readFile(PERMIT2_CODE_SOURCE);
        // source = … hex" <code> " …
        string memory afterLiteralStart = vm.split(source, 'hex"')[1];
        string memory codeHex = vm.split(afterLiteralStart, '"')[0];
        bytes memory code = vm.parseBytes(string.concat("0x", codeHex));
        if (keccak256(code) != PERMIT2_CODE_HASH) revert Permit2CodeMismatch(keccak256(code));
        vm.etch(PERMIT2, code);
        return PERMIT2;
    }
}
