// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Records every call it receives, and answers as configured: a stand-in for any token, to
/// check what a caller sends. `allowance` and `supportsInterface` are views with set answers;
/// every other call is recorded and answered per `mode`.
contract RecordingToken {
    enum Mode {
        ReturnTrue,
        ReturnFalse,
        ReturnNothing,
        Revert
    }

    Mode public mode;
    uint256 public allowanceAnswer;
    bool public erc721Answer;
    bytes[] internal _calls;

    /// @notice Test control: how to answer calls, what allowance() returns, what supportsInterface() returns.
    function configure(Mode mode_, uint256 allowanceAnswer_, bool erc721Answer_) external {
        mode = mode_;
        allowanceAnswer = allowanceAnswer_;
        erc721Answer = erc721Answer_;
    }

    /// @notice The configured allowance, whatever the arguments.
    function allowance(address, address) external view returns (uint256) {
        return allowanceAnswer;
    }

    /// @notice The configured answer, whatever the interface.
    function supportsInterface(bytes4) external view returns (bool) {
        return erc721Answer;
    }

    /// @notice How many calls were recorded.
    function callCount() external view returns (uint256) {
        return _calls.length;
    }

    /// @notice The calldata of recorded call `index`.
    function callAt(uint256 index) external view returns (bytes memory) {
        return _calls[index];
    }

    /// @notice Records the call and answers per `mode`.
    fallback(bytes calldata data) external returns (bytes memory) {
        _calls.push(data);
        if (mode == Mode.Revert) revert("RecordingToken: refused");
        if (mode == Mode.ReturnNothing) return "";
        return abi.encode(mode == Mode.ReturnTrue);
    }
}
