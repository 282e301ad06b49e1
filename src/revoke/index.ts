export {
  delegationDesignator,
  isDelegatedTo,
  localAccountOf,
  signDelegation,
  undelegate,
  type AnyWalletClient,
  type UndelegateParameters,
  type UndelegateReturnType,
} from "./delegation.js";
export {
  EmptyRevocationError,
  ForeignDelegationError,
  LocalAccountRequiredError,
  NotDelegatedError,
  RevocationAddressError,
  RevocationError,
  RevocationInputError,
  RevocationRevertedError,
  RevocationTokenIdError,
  RevocationZeroAddressError,
  UnknownRevocationKindError,
} from "./errors.js";
export {
  revocationAbi,
  revocationCalls,
  sendRevocationTransactions,
  walletSendCallsRequest,
  type RevocationCall,
  type RevocationTransactionResult,
} from "./fallbacks.js";
export {
  getRevokeGuardian,
  revokeAsGuardian,
  setRevokeGuardian,
  type GetRevokeGuardianParameters,
  type RevokeAsGuardianParameters,
  type RevokeAsGuardianReturnType,
  type SetRevokeGuardianParameters,
  type SetRevokeGuardianReturnType,
} from "./guardian.js";
export {
  revocationKinds,
  revocationTarget,
  type Erc1155OperatorRevocation,
  type Erc20Revocation,
  type Erc721OperatorRevocation,
  type Erc721Revocation,
  type RevocationItem,
  type RevocationKind,
  type RouterRevocation,
} from "./items.js";
export { batchRevokerAbi } from "../abi/batchRevoker.js";
export {
  decodeOutcomes,
  outcomesFromReceipt,
  type FailureReason,
  type ItemOutcome,
  type RevocationOutcome,
} from "./outcomes.js";
export {
  revokeWithPermits,
  signDaiZeroPermit,
  signZeroPermit,
  type PermitOutcome,
  type PermitRevocation,
} from "./permits.js";
export { GroupKind, MAX_GROUP_ENTRIES, encodeRevocations, type EncodedRevocations } from "./plan.js";
export {
  previewRevocation,
  revokeWithDelegation,
  type SelfRevocationOptions,
  type SelfRevocationResult,
} from "./selfRevoke.js";
export {
  relayRevocation,
  revocationDomain,
  revocationNonceOf,
  revocationTypes,
  signRevocation,
  type SignedRevocation,
} from "./signed.js";
export { validateRevocationItems } from "./validate.js";
