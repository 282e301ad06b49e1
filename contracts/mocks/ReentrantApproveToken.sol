// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A token whose approve first calls back into its caller with `reentryData` (set by the
/// test), records how that call went, and then approves normally. With `propagate` set, a failed
/// reentry makes approve revert with the reentry's error.
contract ReentrantApproveToken {
    mapping(address owner => mapping(address spender => uint256)) public allowance;
    bytes public reentryData;
    bool public propagate;
    bool public reentrySucceeded;
    bytes public reentryResult;

    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice Test control: the call approve makes back into its caller, and whether its failure propagates.
    function setReentry(bytes calldata data, bool propagate_) external {
        reentryData = data;
        propagate = propagate_;
    }

    /// @notice Calls back into the caller first, then sets the allowance.
    function approve(address spender, uint256 amount) external returns (bool) {
        if (reentryData.length != 0) {
            (bool ok, bytes memory result) = msg.sender.call(reentryData);
            reentrySucceeded = ok;
            reentryResult = result;
            if (!ok && propagate) {
                assembly ("memory-safe") {
                    revert(add(result, 0x20), mload(result))
                }
            }
        }
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }
}
