// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

import {ITokensRecipient} from "./interfaces/ITokensRecipient.sol";

/// @notice An ERC-777-style token: an account may register a hook contract, which the token
/// calls after crediting that account on every transfer, handing control to arbitrary code in
/// the middle of the caller's transferFrom (the imBTC/Uniswap V1 and Lendf.Me re-entry vector).
contract ReentrantHookToken is ERC20 {
    /// @notice The hook called after `account` is credited (address(0) = none).
    mapping(address account => address) public hookOf;

    event HookRegistered(address indexed account, address indexed hook);

    constructor() ERC20("Reentrant Hook Token", "HOOK") {}

    /// @notice Mints `amount` to `to`; test-only, anyone may call it.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Registers `hook` to be called whenever the caller receives tokens.
    function registerHook(address hook) external {
        hookOf[msg.sender] = hook;
        emit HookRegistered(msg.sender, hook);
    }

    /// @dev The hook runs after the balances move, as ERC-777's tokensReceived does.
    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        address hook = hookOf[to];
        if (hook != address(0) && from != address(0)) {
            ITokensRecipient(hook).tokensReceived(msg.sender, from, to, value);
        }
    }
}
