// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice An ERC-20 that calls out during transferFrom, before it moves any balance (as an
/// ERC-777-style hook would), so a test can re-enter whoever is pulling the tokens in the
/// middle of the pull. The hook fires once per arming.
contract ReentrantTransferToken is ERC20 {
    address public hookTarget;
    bytes public hookData;

    constructor() ERC20("Reentrant Token", "REENTER") {}

    /// @notice Mints `amount` to `to`; test-only, anyone may call it.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the hook: the next transferFrom first calls `target` with `data`.
    function armHook(address target, bytes calldata data) external {
        hookTarget = target;
        hookData = data;
    }

    /// @notice Fires the armed hook (bubbling its revert), then transfers as ERC-20 does.
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        address target = hookTarget;
        if (target != address(0)) {
            bytes memory data = hookData;
            delete hookTarget;
            delete hookData;
            (bool ok, bytes memory result) = target.call(data);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(result, 32), mload(result))
                }
            }
        }
        return super.transferFrom(from, to, value);
    }
}
