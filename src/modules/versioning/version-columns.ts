/** The columns every approved document's version row has, whoever owns the table (contract_versions, rate_card_versions). */
import type { Generated } from 'kysely';

export interface VersionLifecycleColumns {
  /** Moves with every change: the version's ETag. */
  revision: Generated<number>;
  created_by: string;
  created_at: string;
  submitted_by: string | null;
  submitted_at: string | null;
  rejected_by: string | null;
  rejected_at: string | null;
  rejection_reason: string | null;
  approved_at: string | null;
}
