export {
  ALLOWANCE_ROUTER_ADDRESS,
  ALLOWANCE_ROUTER_INIT_CODE_HASH,
  BATCH_REVOKER_ADDRESS,
  BATCH_REVOKER_INIT_CODE_HASH,
  CREATEX_ADDRESS,
  DEPLOYMENT_SALT,
  createXCreate2Address,
} from "../router/deployments.js";
export { ActionInputError, NotDeployedError, OwnerMismatchError, ViaUnsupportedError } from "./errors.js";
export { DAI_PERMIT_TYPEHASH, permitSupportOf, signPermitRevocation, type PermitSupport } from "./permit-support.js";
export { planRevocations } from "./plan.js";
export { SIGNATURE_LIFETIME_SECONDS } from "./routes.js";
export { isAtSmallestValue, isRiskyApproval, selectApprovals, type ApprovalSelector } from "./select.js";
export { sendRevocations } from "./send.js";
export { isRevoked } from "./state.js";
export {
  revocationVias,
  type PlannedRevocations,
  type PlannedTransaction,
  type PlanRevocationsParameters,
  type PlanRevocationsReturnType,
  type SendRevocationsParameters,
  type SendRevocationsReturnType,
  type RevocableApproval,
  type RevocationContext,
  type RevocationReport,
  type RevocationResult,
  type RevocationVia,
  type Route,
  type RouteAssessment,
  type RouteCosts,
  type SentTransaction,
  type UnavailableRoute,
  type ViaChoice,
} from "./types.js";
export {
  reduceApprovalCall,
  revokeApprovalCall,
  setExpiryCall,
  setGuardianCall,
  setMaxDurationCall,
  voidSignedPermitsCall,
  type ApprovalCall,
  type ApprovalTarget,
} from "./approval-calls.js";
export { planRouteOptions, type PlanRouteOptionsParameters, type PlanRouteOptionsReturnType, type RouteOption } from "./route-options.js";
export { sendQueuedTransaction, type SendQueuedTransactionParameters, type SendQueuedTransactionReturnType } from "./queue.js";
