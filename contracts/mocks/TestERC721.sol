// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @notice A standard OpenZeppelin 5 ERC-721 with an open mint, for tests and the demo.
contract TestERC721 is ERC721 {
    constructor() ERC721("Test NFT", "TNFT") {}

    /// @notice Mints `tokenId` to `to`; test-only, anyone may call it.
    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }
}
