/** The audit module's public surface: appending entries in the caller's transaction, reading and verifying the chain. */
export {
  type AuditFilter,
  type AuditInput,
  type ChainVerification,
  appendAuditEntries,
  appendAuditEntry,
  listAuditEntries,
  verifyAuditChain,
} from './audit.repository.ts';
export { canonicalJson } from './audit.ts';
export { auditRoutes } from './audit.routes.ts';
export { type AuditEntry } from '../../wire/audit.ts';
