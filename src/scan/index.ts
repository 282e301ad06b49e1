export { cachedScanResult, type CachedScanResultParameters, type CachedScanResultReturnType } from "./cached.js";
export {
  createRpcClient,
  DEFAULT_RETRY_POLICY,
  type CreateRpcClientParameters,
  type CreateRpcClientReturnType,
  type RetryPolicy,
} from "./client.js";
export { DEFAULT_ROUTERS, PERMIT2_ADDRESS } from "./constants.js";
export {
  InvalidBlockRangeError,
  LogRangeUnsplittableError,
  RpcUnreachableError,
  ScanError,
  UnknownTokenError,
  WrongChainError,
} from "./errors.js";
export { fetchLogs } from "./logs.js";
export { classifyRpcFailure, type RpcFailureKind } from "./rpc-errors.js";
export { scanApprovals, type ScanApprovalsParameters, type ScanApprovalsReturnType, type ScanPhase, type ScanProgress } from "./scan.js";
export type {
  Approval,
  ApprovalKind,
  ChainPoint,
  ProxyStandard,
  Pull,
  RevocationTarget,
  ScanResult,
  ScanStats,
  SpenderProfile,
  TokenInfo,
  TokenStandard,
  TokenWarning,
} from "./types.js";
