/**
 * The one way a version of an approved document changes state (edit, submit, approve, reject,
 * withdraw), whatever the document: lock the document and the version, check the caller's ETag and
 * the state machine, let the use case decide what changes (it may refuse), write it with a new
 * revision, refresh the document's projection of its versions, and audit the change, all in the
 * caller's transaction. Each document module describes its storage once as a `VersionedDocument`.
 */
import type { UseCaseContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/database.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { assertIfMatch, assertTransition, type VersionTransition, versionEtag } from './version-lifecycle.ts';

/** What the lifecycle needs to know of any version row. */
export interface VersionState {
  status: string;
  revision: number;
  created_by: string;
  submitted_by: string | null;
  submitted_at: string | null;
}

/** How one kind of document keeps its versions: the owner module's repository functions. */
export interface VersionedDocument<Document, Version extends VersionState, Changes> {
  /** The audit entity type of the document ("contract", "rate_card"). */
  entityType: string;
  /** The prefix of the audit actions of its versions ("contract_version" → "contract_version.submitted"). */
  actionPrefix: string;
  lockDocument(context: UseCaseContext, documentId: string): Promise<Document>;
  lockVersion(context: UseCaseContext, documentId: string, versionNumber: number): Promise<Version>;
  updateVersion(trx: Tx, documentId: string, versionNumber: number, revision: number, changes: Changes): Promise<void>;
  /** Recomputes the document row's projection of its versions (current, open). */
  refresh(trx: Tx, documentId: string): Promise<void>;
}

export interface VersionedTarget {
  documentId: string;
  versionNumber: number;
  /** The caller's If-Match, checked against the version's ETag when given. */
  ifMatch?: string | undefined;
}

/** What a transition does to the locked version: its changes, the audit entry, and what the use case answers. */
export interface TransitionOutcome<T, Changes> {
  changes: Changes;
  action: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  result: T;
}

/**
 * Runs a transition of one version. `precheck` (who may, whatever the state) runs before the state
 * machine; `decide` after it, sees the locked document and version and may throw to refuse.
 */
export async function transitionVersioned<Document, Version extends VersionState, Changes, T>(
  context: UseCaseContext,
  store: VersionedDocument<Document, Version, Changes>,
  target: VersionedTarget,
  transition: VersionTransition,
  decide: (locked: { document: Document; version: Version }) => TransitionOutcome<T, Changes> | Promise<TransitionOutcome<T, Changes>>,
  precheck?: (locked: { document: Document; version: Version }) => void | Promise<void>,
): Promise<T> {
  const { documentId, versionNumber } = target;
  const document = await store.lockDocument(context, documentId);
  const version = await store.lockVersion(context, documentId, versionNumber);
  assertIfMatch(target.ifMatch, versionEtag(documentId, versionNumber, version.revision));
  await precheck?.({ document, version });
  assertTransition(version.status, transition, versionNumber);
  const outcome = await decide({ document, version });
  await store.updateVersion(context.trx, documentId, versionNumber, version.revision + 1, outcome.changes);
  await store.refresh(context.trx, documentId);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: outcome.action,
    entityType: store.entityType,
    entityId: documentId,
    before: { version: versionNumber, ...outcome.before },
    after: { version: versionNumber, ...outcome.after },
  });
  return outcome.result;
}
