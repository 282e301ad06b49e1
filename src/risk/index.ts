export { formatTokenAmount, roundUpSignificant, typeMaxBits } from "./amounts.js";
export { bundledDenylist, findDenylistEntry, parseDenylist, type DenylistEntry } from "../data/denylist.js";
export {
  denylistEntryFor,
  gradeApprovals,
  gradeTotals,
  type GradeApprovalsParameters,
  type GradeApprovalsReturnType,
  type GradedApproval,
  type GradeTotals,
} from "./graded.js";
export { gradeRisk, type RiskContext, type RiskFactor, type RiskGrade } from "./grade.js";
export { recommend, type Recommendation, type RecommendOptions, type Usage } from "./recommend.js";
export {
  DEFAULT_RISK_THRESHOLDS,
  RISK_LEVEL_FLOORS,
  RISK_LEVEL_ORDER,
  RISK_WEIGHTS,
  type RiskFactorName,
  type RiskLevel,
  type RiskThresholds,
} from "./weights.js";
