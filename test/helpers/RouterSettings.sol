// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AllowanceRouter} from "../../contracts/AllowanceRouter.sol";

/// @notice Reads one field of `settingsOf`, so that assertions name the field they check.
library RouterSettings {
    function guardianOf(AllowanceRouter router, address owner) internal view returns (address guardian) {
        (guardian,) = router.settingsOf(owner);
    }

    function maxDurationOf(AllowanceRouter router, address owner) internal view returns (uint48 maxDuration) {
        (, maxDuration) = router.settingsOf(owner);
    }
}
