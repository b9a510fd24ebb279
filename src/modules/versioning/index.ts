/** The versioning module's public surface: the approval lifecycle that contracts and rate cards share. */
export {
  type ApprovalPolicy,
  approvalPolicySchema,
  assertApproverRole,
  defaultApprovalPolicy,
  readApprovalPolicy,
  requiredApprovalsFor,
  updateApprovalPolicy,
} from './approval-policy.ts';
export { type ApprovalBook, type ApprovalCount, recordApproval, type RecordedApproval } from './record-approval.ts';
export {
  transitionVersioned,
  type TransitionOutcome,
  type VersionedDocument,
  type VersionedTarget,
  type VersionState,
} from './transition-versioned.ts';
export { assertIfMatch, assertNotMaker, assertTransition, type VersionTransition, versionEtag } from './version-lifecycle.ts';
export { rejectVersioned, submitVersioned } from './submit-and-reject.ts';
export type { VersionLifecycleColumns } from './version-columns.ts';
