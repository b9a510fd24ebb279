/** Reading one invoice or payout statement as the caller may see it (platform/visibility.ts), or not found. */
import type { Executor } from '../../../platform/database.ts';
import { AppError } from '../../../platform/errors.ts';
import type { VisibilityScope } from '../../../platform/visibility.ts';
import type { BillingDocument, DocumentKind } from '../../../wire/billing.ts';
import { findDocument, findDocumentHeading } from './document.repository.ts';

const kindName: Record<DocumentKind, string> = { invoice: 'Invoice', payout_statement: 'Payout statement' };

const notFound = (kind: DocumentKind, id: string) => new AppError('document_not_found', `${kindName[kind]} ${id} does not exist`);

/** The document of `kind` with its lines, or document_not_found (also for a document of the other kind). */
export async function readDocument(db: Executor, scope: VisibilityScope, kind: DocumentKind, id: string): Promise<BillingDocument> {
  const document = await findDocument(db, scope, id);
  if (!document || document.kind !== kind) throw notFound(kind, id);
  return document;
}

/** The document's heading (kind, party, number, currency) without its lines, or document_not_found. */
export async function readDocumentHeading(db: Executor, scope: VisibilityScope, kind: DocumentKind, id: string) {
  const heading = await findDocumentHeading(db, scope, id);
  if (!heading || heading.kind !== kind) throw notFound(kind, id);
  return heading;
}
