// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;
contract Smoke { uint256 public x; function inc() external { x++; } }
