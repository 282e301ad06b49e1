// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A token whose approve and setApprovalForAll do a fixed amount of costly work (about
/// 40k gas, within BatchRevoker's per-item stipend) first: with a gas limit in the wrong range, a caller keeps enough gas to go on after
/// the call ran out, which is what a relayer underfunding a signed revocation would aim for.
contract GasHeavyToken {
    uint256 private constant WORK_ROUNDS = 400;

    mapping(address owner => mapping(address spender => uint256)) public allowance;
    mapping(address owner => mapping(address operator => bool)) public isApprovedForAll;
    uint256 public work;

    event Approval(address indexed owner, address indexed spender, uint256 value);
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);

    /// @notice About 40k gas of work, then sets the allowance.
    function approve(address spender, uint256 amount) external returns (bool) {
        _work();
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @notice About 40k gas of work, then sets the operator approval.
    function setApprovalForAll(address operator, bool approved) external {
        _work();
        isApprovedForAll[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    function _work() private {
        uint256 acc = work;
        for (uint256 i; i < WORK_ROUNDS; ++i) {
            acc = uint256(keccak256(abi.encode(acc, i)));
        }
        work = acc;
    }
}
