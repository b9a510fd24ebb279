/**
 * Finalizes drafts: each gets the next number of its gap-free series (`INV-2026-000001`,
 * `PS-2026-000001`), its issue and due dates, its ledger posting and its audit entry, in one
 * transaction with set-based statements, so that ten thousand invoices finalize at once.
 *
 * The series row is locked by the increment until the transaction ends: concurrent finalizations
 * queue behind it, and a rolled-back one returns its numbers, so the series never has a gap.
 */
import { sql } from 'kysely';
import { reserveNumbers } from '../../platform/number-series.repository.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import { addDays } from '../../platform/dates.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { Decimal } from '../../wire/money.ts';
import { appendAuditEntries } from '../audit/index.ts';
import { invoicePostings, type LedgerTransaction, statementPostings } from '../ledger/index.ts';
import { postTransactions } from '../ledger/index.ts';
import { enqueueWebhookEvent } from '../webhooks/index.ts';
import { listSubscribedEndpointIds } from '../webhooks/index.ts';
import type { DocumentKind } from '../../wire/billing.ts';

/** At most this many documents per finalization request. */
export const finalizeBatchMax = 20_000;

const seriesPrefix: Record<DocumentKind, string> = { invoice: 'INV', payout_statement: 'PS' };

/** Formats a document number: prefix, year and six digits. */
export function documentNumber(prefix: string, year: string, value: number): string {
  return `${prefix}-${year}-${String(value).padStart(6, '0')}`;
}

type Locked = {
  id: string;
  kind: DocumentKind;
  party_id: string;
  currency: string;
  status: string;
  total: string;
  payment_terms_days: number;
  run_id: string;
  started_by: string;
  voided: boolean;
};

export interface FinalizeOptions {
  /** Finalizing a document that needs review says that its flags were looked at. */
  reviewed: boolean;
}

/** Finalizes the given drafts, all or none; answers their ids in numbering order. */
export async function finalizeDocuments(context: UseCaseContext, ids: string[], options: FinalizeOptions): Promise<string[]> {
  const { trx } = context;
  if (ids.length === 0) return [];
  if (ids.length > finalizeBatchMax) throw new AppError('batch_too_large', `At most ${finalizeBatchMax} documents per request`);
  const locked = await sql<Locked>`
    select d.id, d.kind, d.party_id, d.currency, d.status, d.total, d.payment_terms_days, d.run_id, r.started_by,
      exists (select 1 from document_voids v where v.document_id = d.id) as voided
    from billing_documents d join billing_runs r on r.id = d.run_id
    where d.id = any(${ids}::text[])
    order by d.kind, d.party_id, d.currency, d.id
    for update of d`.execute(trx);
  const found = new Set(locked.rows.map((row) => row.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw new AppError('document_not_found', `Document ${missing} does not exist`);
  for (const row of locked.rows) {
    if (row.status === 'finalized') throw new AppError('document_not_draft', `Document ${row.id} is already finalized`);
    if (row.status === 'needs_review' && !options.reviewed)
      throw new AppError(
        'document_needs_review',
        `Document ${row.id} has flags to review; finalize it with {"reviewed": true} once checked`,
      );
    // Maker-checker for payouts: whoever started the run that drafted a statement may not release it.
    if (row.kind === 'payout_statement' && row.started_by === context.actor.userId)
      throw new AppError('maker_checker', `Payout statement ${row.id} was drafted by a run you started; another user must finalize it`);
  }

  const year = context.today.slice(0, 4);
  const numbers = new Map<string, string>();
  for (const kind of ['invoice', 'payout_statement'] as const) {
    const ofKind = locked.rows.filter((row) => row.kind === kind);
    if (ofKind.length === 0) continue;
    const first = await reserveNumbers(context.trx, `${seriesPrefix[kind]}-${year}`, ofKind.length);
    ofKind.forEach((row, index) => numbers.set(row.id, documentNumber(seriesPrefix[kind], year, first + index)));
  }
  const ordered = locked.rows;
  await sql`
    update billing_documents d set status = 'finalized', number = t.number, issue_date = ${context.today}::date,
      due_date = t.due_date, finalized_at = ${context.now.toISOString()}::timestamptz, finalized_by = ${context.actor.userId}
    from unnest(${ordered.map((row) => row.id)}::text[], ${ordered.map((row) => numbers.get(row.id) as string)}::text[],
      ${ordered.map((row) => addDays(context.today, row.payment_terms_days))}::date[]) as t(id, number, due_date)
    where d.id = t.id`.execute(trx);

  const revenue = await sql<{ document_id: string; fee: string; media: string }>`
    select document_id,
      coalesce(sum(amount) filter (where coalesce(corrects_kind, kind) = 'fee'), 0) as fee,
      coalesce(sum(amount) filter (where coalesce(corrects_kind, kind) <> 'fee'), 0) as media
    from document_lines where document_id = any(${ids}::text[]) group by document_id`.execute(trx);
  const revenueOf = new Map(revenue.rows.map((row) => [row.document_id, row]));
  const transactions: LedgerTransaction[] = ordered.map((row) => {
    const number = numbers.get(row.id) as string;
    const split = revenueOf.get(row.id);
    return {
      id: newId('ltx'),
      date: context.today,
      description: `${row.kind === 'invoice' ? 'Invoice' : 'Payout statement'} ${number}`,
      sourceType: row.kind,
      sourceId: row.id,
      documentNumber: number,
      currency: row.currency,
      postings:
        row.kind === 'invoice'
          ? invoicePostings(row.party_id, { media: new Decimal(split?.media ?? '0'), fee: new Decimal(split?.fee ?? '0') })
          : statementPostings(row.party_id, new Decimal(row.total)),
    };
  });
  await postTransactions(trx, context.now, transactions);
  await appendAuditEntries(
    trx,
    context.now,
    ordered.map((row) => ({
      actor: context.actor.userId,
      action: `${row.kind}.finalized`,
      entityType: row.kind,
      entityId: row.id,
      before: { status: row.status },
      after: { status: 'finalized', number: numbers.get(row.id), total: row.total, currency: row.currency, issueDate: context.today },
    })),
  );
  await announceFinalized(context, ordered, numbers);
  return ordered.map((row) => row.id);
}

/** Queues `invoice.finalized` / `payout_statement.finalized` events, skipping the work when nobody subscribed. */
async function announceFinalized(context: UseCaseContext, rows: Locked[], numbers: Map<string, string>): Promise<void> {
  for (const kind of ['invoice', 'payout_statement'] as const) {
    const type = kind === 'invoice' ? 'invoice.finalized' : 'payout_statement.finalized';
    const ofKind = rows.filter((row) => row.kind === kind);
    if (ofKind.length === 0 || (await listSubscribedEndpointIds(context.trx, type)).length === 0) continue;
    for (const row of ofKind) {
      const data = {
        id: row.id,
        number: numbers.get(row.id),
        partyId: row.party_id,
        currency: row.currency,
        total: row.total,
        issueDate: context.today,
        dueDate: addDays(context.today, row.payment_terms_days),
      };
      await enqueueWebhookEvent(context.trx, { type, data, occurredAt: context.now });
    }
  }
}
