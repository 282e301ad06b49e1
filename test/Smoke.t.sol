// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;
import {Smoke} from "../contracts/mocks/Smoke.sol";
contract SmokeTest { function testInc(uint8 n) public { Smoke s = new Smoke(); for (uint i; i < n; i++) s.inc(); require(s.x() == n); } }
