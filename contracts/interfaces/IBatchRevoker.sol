// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IBatchRevoker
/// @notice Revokes many plain ERC-20/721/1155 approvals in one transaction, two ways:
/// - as a revoke-only EIP-7702 delegate: the owner's EOA delegates its code to BatchRevoker and
///   calls itself (or lets a relayer call it with the owner's EIP-712 signature) with a packed
///   list of revocations;
/// - as a relay of EIP-2612 / DAI permits whose value is 0 (gasless for the owner).
///
/// The account may appoint a guardian (a security team's key) that can make it revoke a list and
/// do nothing else: `setGuardian` (self-call only), `revokeAsGuardian`.
///
/// Packed revocation list (`items`), a sequence of groups:
///
///     group := kind (1 byte) ‖ subject (20 bytes) ‖ count (1 byte, 1..255) ‖ entry × count
///
/// | kind | name             | subject  | entry                        | call made per entry / group               |
/// |------|------------------|----------|------------------------------|-------------------------------------------|
/// | 0    | ERC-20 allowance | spender  | token (20 bytes)             | token.approve(spender, 0)                 |
/// | 1    | operator         | operator | token (20 bytes)             | token.setApprovalForAll(operator, false)  |
/// | 2    | ERC-721 token    | token    | tokenId (32 bytes)           | token.approve(address(0), tokenId)        |
/// | 3    | router lockdown  | router   | token ‖ spender (40 bytes)   | router.lockdown(pairs), once per group,   |
/// |      | and void permits |          |                              | then per pair router.invalidateNonces(    |
/// |      |                  |          |                              | token, spender, nonce + 1)                |
/// | 4    | router lockdown, | router   | token ‖ spender (40 bytes)   | router.lockdown(pairs), once per group    |
/// |      | permits kept     |          |                              |                                           |
///
/// Kind 1 serves ERC-721 and ERC-1155 alike: both standards share `setApprovalForAll(address,bool)`.
/// Every entry is one item: outcomes are indexed by entry, in list order, across groups.
/// Kind 3 voids the account's signed but unused permits for the pair (a leaked or phished signature
/// would otherwise restore the grant); it works with the AllowanceRouter and Permit2 alike, and the
/// pair is Revoked only if both the lockdown and the invalidation succeeded. Kind 4 only locks down.
///
/// Each call gets at most ITEM_GAS_STIPEND gas (100,000; a lockdown that per pair): a token that
/// burns all the gas it is given is reported OutOfGas and the rest of the list goes on.
interface IBatchRevoker {
    /// @notice What became of one item.
    /// @dev Revoked is 0 so that an outcome array starts out all-revoked and only exceptions are written.
    enum Outcome {
        // the approval is gone (the token accepted the call)
        Revoked,
        // the token refuses approve(spender, 0); the allowance is now the smallest it accepts, 1
        Reduced,
        // the approval may still be live: the call reverted, returned false, or hit no code
        Failed,
        // failed for the same reason as Failed, by using its whole gas stipend (a gas-burning token)
        OutOfGas
    }

    /// @notice Which permit function a token has.
    enum PermitStyle {
        // permit(owner, spender, value, deadline, v, r, s), relayed with value 0
        EIP2612,
        // permit(holder, spender, nonce, expiry, allowed, v, r, s), relayed with allowed = false
        DAI
    }

    /// @notice One relayed permit that sets an allowance to zero.
    struct PermitRevocation {
        PermitStyle style;
        address token;
        address owner;
        address spender;
        // EIP-2612 deadline or DAI expiry
        uint256 deadline;
        // DAI only: the holder's permit nonce (EIP-2612 permits take the nonce from the token)
        uint256 nonce;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice The caller may not revoke for this account: only the account itself may call `revoke`.
    error NotSelf(address caller);

    /// @notice The revocation list is empty.
    error NoItems();

    /// @notice The revocation list is malformed at byte `offset`: truncated, or a group of zero entries.
    error MalformedItems(uint256 offset);

    /// @notice The group at byte `offset` has a kind this contract does not know.
    error UnknownKind(uint256 offset, uint8 kind);

    /// @notice `atomic` was set and item `index` ended as `outcome` instead of Revoked.
    error ItemNotRevoked(uint256 index, Outcome outcome);

    /// @notice The signed revocation's deadline has passed.
    error SignatureExpired(uint256 deadline);

    /// @notice The signature is not the account's own over this exact revocation and nonce.
    error InvalidSignature();

    /// @notice A call failed with too little gas left to give it its full stipend and to tell a
    /// refusal from starvation: the transaction's gas limit was too low. Nothing changed; retry
    /// with a higher gas limit. A token that burns all gas it is given does not cause this: with
    /// enough gas for its stipend it is reported OutOfGas.
    error InsufficientGas();

    /// @notice The caller is not the guardian this account appointed (or the account has none).
    error NotGuardian(address caller);

    /// @notice ETH sent to the BatchRevoker deployment itself (not to a delegated account) would be locked.
    error DeploymentTakesNoEther();

    /// @notice Permits are relayed through the BatchRevoker deployment, never through a delegated account.
    error PermitRelayOnlyAtDeployment();

    /// @notice Item `index` was not cleanly revoked; `target` is the contract called (token or router).
    /// @dev A clean revocation emits nothing here: the token's own Approval/ApprovalForAll event says it.
    event RevocationIncomplete(uint256 indexed index, address indexed target, Outcome outcome);

    /// @notice The account replaced `previousGuardian` by `newGuardian` (address(0) = none).
    event GuardianChanged(address indexed previousGuardian, address indexed newGuardian);

    /// @notice The account's guardian made it revoke a list of `itemCount` items.
    event GuardianRevocation(address indexed guardian, uint256 itemCount);

    /// @notice Revokes every item of `items` (packed list, see above) for this account.
    /// @dev Only the account itself may call (msg.sender == address(this)): an EOA delegated to
    /// BatchRevoker calling itself. Each item is attempted on its own unless `atomic` is set, in which
    /// case the first item not Revoked reverts everything.
    /// @param items The packed revocation list.
    /// @param atomic Revert unless every item ends Revoked.
    /// @return outcomes One byte per item: its Outcome.
    function revoke(bytes calldata items, bool atomic) external returns (bytes memory outcomes);

    /// @notice Revokes `items` on the account's behalf, from the account's EIP-712 signature over
    /// `Revocation(bytes items,bool atomic,uint256 nonce,uint256 deadline)`; anyone may submit it.
    /// @dev The domain is `EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)`
    /// with name "BatchRevoker", version "1" and verifyingContract the account itself, so a signature
    /// is bound to one chain and one account. The nonce must equal `revocationNonce()` and is consumed
    /// before any item is attempted.
    /// @param items The packed revocation list.
    /// @param atomic Revert unless every item ends Revoked.
    /// @param deadline Last timestamp at which the signature is valid.
    /// @param signature The account's ECDSA signature: 65 bytes (r ‖ s ‖ v) or 64 bytes (EIP-2098
    /// compact, r ‖ yParityAndS); high-s signatures are rejected.
    /// @return outcomes One byte per item: its Outcome.
    function revokeWithSignature(bytes calldata items, bool atomic, uint256 deadline, bytes calldata signature)
        external
        returns (bytes memory outcomes);

    /// @notice Relays permits that set allowances to zero, then reads each allowance back.
    /// @dev Each permit is tried on its own: one that reverts (already used, front-run, expired) is not
    /// an error. An item is Revoked only if the allowance reads zero afterwards, so a token whose permit
    /// silently does nothing (WETH's fallback) is reported Failed. Callable only on the deployment itself.
    /// @param permits The permits to relay.
    /// @return outcomes One byte per permit: Revoked or Failed.
    function revokeWithPermits(PermitRevocation[] calldata permits) external returns (bytes memory outcomes);

    /// @notice Revokes `items` for this account, called by the guardian the account appointed.
    /// @dev The guardian gets exactly what `revoke` does and nothing else: every call the list can
    /// make is a revocation (see the table above). Emits GuardianRevocation after the items.
    /// @param items The packed revocation list.
    /// @param atomic Revert unless every item ends Revoked.
    /// @return outcomes One byte per item: its Outcome.
    function revokeAsGuardian(bytes calldata items, bool atomic) external returns (bytes memory outcomes);

    /// @notice Appoints, replaces or (with address(0)) removes the account's guardian. Only the
    /// account itself may call (msg.sender == address(this)). Emits GuardianChanged.
    /// @dev Stored in the account's ERC-7201 namespace, where it stays if the account undelegates
    /// and is in force again if it delegates to BatchRevoker again: clear it first to end it.
    function setGuardian(address guardian) external;

    /// @notice The account's guardian (address(0) = none).
    function guardianOf() external view returns (address);

    /// @notice The nonce the account's next signed revocation must carry.
    function revocationNonce() external view returns (uint256);

    /// @notice The EIP-712 digest the account signs to authorize `items` with `nonce` until `deadline`.
    function revocationDigest(bytes calldata items, bool atomic, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32);
}
