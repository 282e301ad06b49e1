// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BatchRevokerBase} from "./BatchRevokerBase.sol";
import {IAllowanceTransfer} from "../contracts/interfaces/IAllowanceTransfer.sol";
import {RecordingToken} from "../contracts/mocks/RecordingToken.sol";

/// @notice The delegate's central claim, fuzzed: whatever list the account is given, every call
/// that reaches a token or router is a revocation. Tokens are RecordingTokens that log each call
/// they receive and answer in every way a token can (true, false, nothing, revert, any allowance,
/// claiming ERC-721 or not).
contract BatchRevokerOnlyRevokesTest is BatchRevokerBase {
    bytes4 internal constant APPROVE = bytes4(keccak256("approve(address,uint256)"));
    bytes4 internal constant SET_APPROVAL_FOR_ALL = bytes4(keccak256("setApprovalForAll(address,bool)"));
    bytes4 internal constant LOCKDOWN = bytes4(keccak256("lockdown((address,address)[])"));
    uint256 internal constant RECORDER_COUNT = 3;
    uint256 internal constant MAX_GROUPS = 4;
    uint256 internal constant MAX_ENTRIES = 3;
    bytes4 internal constant INVALIDATE_NONCES = bytes4(keccak256("invalidateNonces(address,address,uint48)"));
    uint8 internal constant KIND_LOCKDOWN_KEEP_PERMITS = 4;
    uint8 internal constant KIND_COUNT = 6; // the five kinds and one unknown

    RecordingToken[RECORDER_COUNT] internal recorders;

    function setUp() public override {
        super.setUp();
        for (uint256 i; i < RECORDER_COUNT; ++i) {
            recorders[i] = new RecordingToken();
        }
        vm.deal(owner, 1 ether);
    }

    function testFuzz_onlyRevocationsReachTokens(uint256 seed, bool atomic) public {
        for (uint256 i; i < RECORDER_COUNT; ++i) {
            uint256 behaviour = uint256(keccak256(abi.encode(seed, "behaviour", i)));
            recorders[i].configure(
                RecordingToken.Mode(behaviour % 4),
                // allowances around the fallback's threshold of 1, and large ones
                [uint256(0), 1, 2, type(uint256).max][(behaviour >> 8) % 4],
                (behaviour >> 16) % 2 == 0
            );
        }

        vm.prank(owner);
        try account.revoke(randomList(seed), atomic) {} catch {}

        for (uint256 i; i < RECORDER_COUNT; ++i) {
            assertOnlyRevocations(recorders[i]);
        }
        assertEq(owner.balance, 1 ether, "no ether moved");
    }

    /// @dev A list of up to MAX_GROUPS groups of random kind, subject and entries, every token
    /// and router being one of the recorders. Unknown kinds are included: they must revert.
    function randomList(uint256 seed) internal view returns (bytes memory items) {
        uint256 groups = 1 + seed % MAX_GROUPS;
        for (uint256 g; g < groups; ++g) {
            uint256 r = uint256(keccak256(abi.encode(seed, "group", g)));
            uint8 kind = uint8(r % KIND_COUNT);
            uint8 count = uint8(1 + (r >> 8) % MAX_ENTRIES);
            address recorder = address(recorders[(r >> 16) % RECORDER_COUNT]);
            address randomAddress = address(uint160(r >> 32));
            bool isLockdown = kind == KIND_LOCKDOWN || kind == KIND_LOCKDOWN_KEEP_PERMITS;
            bool subjectIsToken = kind == KIND_ERC721 || isLockdown;
            items = bytes.concat(items, abi.encodePacked(kind, subjectIsToken ? recorder : randomAddress, count));
            for (uint256 e; e < count; ++e) {
                uint256 er = uint256(keccak256(abi.encode(r, e)));
                address entryToken = address(recorders[er % RECORDER_COUNT]);
                if (kind == KIND_ERC721) items = bytes.concat(items, abi.encode(er));
                else if (isLockdown) items = bytes.concat(items, abi.encodePacked(entryToken, uint160(er)));
                else items = bytes.concat(items, abi.encodePacked(entryToken));
            }
        }
    }

    function assertOnlyRevocations(RecordingToken recorder) internal view {
        uint256 calls = recorder.callCount();
        for (uint256 c; c < calls; ++c) {
            bytes memory data = recorder.callAt(c);
            bytes4 selector = bytes4(data);
            bytes memory args = slice(data, 4);
            if (selector == APPROVE) {
                (address approved, uint256 amount) = abi.decode(args, (address, uint256));
                bool zeroAmount = amount == 0;
                // ERC-721 clear: approve(address(0), id), sent only to what claims ERC-721 (or to
                // clear token 0 after an ERC-20 item met an ERC-721)
                bool erc721Clear = approved == address(0) && (recorder.erc721Answer() || amount == 0);
                // BNB fallback: down to 1, only from a larger allowance
                bool loweredToOne = amount == 1 && recorder.allowanceAnswer() > 1;
                assertTrue(zeroAmount || erc721Clear || loweredToOne, "approve that is no revocation");
            } else if (selector == SET_APPROVAL_FOR_ALL) {
                (, bool approved) = abi.decode(args, (address, bool));
                assertFalse(approved, "setApprovalForAll(_, true)");
            } else if (selector == LOCKDOWN) {
                abi.decode(args, (IAllowanceTransfer.TokenSpenderPair[]));
            } else if (selector == INVALIDATE_NONCES) {
                // voids signed permits: moves a nonce on, grants nothing
                abi.decode(args, (address, address, uint48));
            } else {
                fail("a call with a selector the delegate never sends");
            }
        }
    }

    function slice(bytes memory data, uint256 start) internal pure returns (bytes memory out) {
        out = new bytes(data.length - start);
        for (uint256 i; i < out.length; ++i) {
            out[i] = data[start + i];
        }
    }
}
