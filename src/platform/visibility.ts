/**
 * Who may see what, decided in one place (SPEC §2, roles). Staff (admin, finance, ops, viewer) see
 * every object. A party user sees only its own party; of its contracts, those with an approved
 * version, and of them only the approved versions; of its invoices and payout statements, the issued
 * ones (drafts are internal) and what is recorded against them; and the delivery of its own
 * contracts. Repositories apply the scope to their queries: an object outside it does not exist for
 * the caller (404), never a 403 that would confirm it exists.
 */
import type { Actor } from './actor.ts';

export interface VisibilityScope {
  /** Only this party's objects; null: every party's. */
  readonly partyId: string | null;
  /** Contracts with an approved version only, and of each only its approved versions. */
  readonly approvedVersionsOnly: boolean;
  /** Issued (finalized) invoices and payout statements only. */
  readonly issuedDocumentsOnly: boolean;
}

/** Everything: staff, and the system's own work (billing runs, renewals). */
export const everything: VisibilityScope = Object.freeze({ partyId: null, approvedVersionsOnly: false, issuedDocumentsOnly: false });

/** What the actor may see. */
export function scopeFor(actor: Actor): VisibilityScope {
  if (actor.role !== 'party') return everything;
  // A party user without a party (which the users table refuses) would see nothing: no party has the id ''.
  return { partyId: actor.partyId ?? '', approvedVersionsOnly: true, issuedDocumentsOnly: true };
}

/** A key that two actors share exactly when they see the same objects (read caches file answers under it). */
export function scopeKey(scope: VisibilityScope): string {
  return scope.partyId === null ? 'all' : `party:${scope.partyId}`;
}
