/** The audit log as the API answers it (SPEC §6), shared with the web app. */

export interface AuditEntry {
  seq: number;
  id: string;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}
