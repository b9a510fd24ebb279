/**
 * Finalizes drafts: each gets the next number of its gap-free series (`INV-2026-000001`,
 * `PS-2026-000001`), its issue and due dates, the snapshot of who it is issued to and by, its ledger
 * posting and its audit entry, in one transaction with set-based statements, so that ten thousand
 * invoices finalize at once. `POST /v1/invoices/:id/finalize` finalizes one; `POST
 * /v1/billing-runs/:id/finalize` every draft of one kind that a run wrote.
 *
 * The series row is locked by the increment until the transaction ends: concurrent finalizations
 * queue behind it, and a rolled-back one returns its numbers, so the series never has a gap.
 */
import type { UseCaseContext } from '../../../platform/context.ts';
import { addDays } from '../../../platform/dates.ts';
import { AppError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { reserveNumbers } from '../../../platform/number-series.repository.ts';
import type { BillingEntity } from '../../../wire/billing-entities.ts';
import type { DocumentKind, DocumentParty } from '../../../wire/billing.ts';
import { Decimal, sumMoney } from '../../../wire/money.ts';
import type { Party } from '../../../wire/parties.ts';
import { listActiveTaxRates, type TaxDecision, taxesFor } from '../../taxes/index.ts';
import { allocateCredits, insertCreditApplications, lockOpenCredits } from '../credits/index.ts';
import { appendAuditEntries } from '../../audit/index.ts';
import { invoicePostings, type LedgerTransaction, postTransactions, statementPostings } from '../../ledger/index.ts';
import { findPartiesByIds } from '../../parties/index.ts';
import { enqueueWebhookEvent, listSubscribedEndpointIds } from '../../webhooks/index.ts';
import { documentNumber } from './document-numbers.ts';
import {
  insertDocumentTaxes,
  type LockedDraft,
  listRunDrafts,
  lockDocumentsForFinalizing,
  markFinalized,
  sumRevenueByKind,
} from './document.repository.ts';
import { findBillingEntitiesByIds } from '../../entities/index.ts';
import { issuerOfEntity, seriesOf } from './entity-issuer.ts';

/** At most this many documents per finalization request. */
export const finalizeBatchMax = 20_000;

const seriesPrefix: Record<DocumentKind, string> = { invoice: 'INV', payout_statement: 'PS' };

export interface FinalizeOptions {
  /** Finalizing a document that needs review says that its flags were looked at. */
  reviewed: boolean;
}

/** Finalizes the given drafts, all or none; answers their ids in numbering order. */
export async function finalizeDocuments(context: UseCaseContext, ids: string[], options: FinalizeOptions): Promise<string[]> {
  const { trx } = context;
  if (ids.length === 0) return [];
  if (ids.length > finalizeBatchMax) throw new AppError('batch_too_large', `At most ${finalizeBatchMax} documents per request`);
  const locked = await lockDocumentsForFinalizing(trx, ids);
  const found = new Set(locked.map((row) => row.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw new AppError('document_not_found', `Document ${missing} does not exist`);
  for (const row of locked) {
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

  // Who it is issued to and by, as they are now: the document keeps this copy for good (SPEC §5).
  // The issuer is the party's billing entity, whose series numbers it (SPEC §10).
  const parties = await findPartiesByIds(trx, [...new Set(locked.map((row) => row.party_id))]);
  const entityOfParty = new Map(parties.map((party) => [party.id, party.billingEntityId]));
  const entities = await findBillingEntitiesByIds(trx, [...new Set(entityOfParty.values())]);
  const entityOf = (row: LockedDraft) => entities.get(entityOfParty.get(row.party_id) as string) as BillingEntity;

  const year = context.today.slice(0, 4);
  const numbers = new Map<string, string>();
  for (const kind of ['invoice', 'payout_statement'] as const) {
    for (const entity of entities.values()) {
      const ofSeries = locked.filter((row) => row.kind === kind && entityOf(row).id === entity.id);
      if (ofSeries.length === 0) continue;
      const prefix = seriesOf(seriesPrefix[kind], entity);
      const first = await reserveNumbers(trx, `${prefix}-${year}`, ofSeries.length);
      ofSeries.forEach((row, index) => numbers.set(row.id, documentNumber(prefix, year, first + index)));
    }
  }
  const billTo = new Map<string, DocumentParty>(
    parties.map((party) => [
      party.id,
      {
        id: party.id,
        name: party.name,
        kind: party.kind,
        billingEmail: party.billingEmail,
        externalRef: party.externalRef,
        ...(party.taxId === null ? {} : { taxId: party.taxId }),
      },
    ]),
  );

  // Taxes (SPEC §10): by the entity's active rates and the party's tax data as they are now, on
  // the draft's net total; the document keeps its tax lines for good.
  const partyOf = new Map(parties.map((party) => [party.id, party]));
  const rates = await listActiveTaxRates(trx, [...entities.keys()]);
  const taxes = new Map(
    locked.map((row) => {
      const entity = entityOf(row);
      const party = partyOf.get(row.party_id) as Party;
      const decision = taxesFor({
        side: row.kind === 'invoice' ? 'sell' : 'buy',
        entityCountry: entity.country,
        party,
        rates: rates.filter((rate) => rate.billingEntityId === entity.id),
        net: new Decimal(row.total),
        currency: row.currency,
      });
      const taxTotal = sumMoney(decision.lines.map((line) => line.amount));
      return [row.id, { ...decision, taxTotal, total: new Decimal(row.total).plus(taxTotal) }];
    }),
  );
  const taxOf = (row: LockedDraft) => taxes.get(row.id) as TaxDecision & { taxTotal: Decimal; total: Decimal };

  // Credits (SPEC §10): each invoice takes its party's open credits of its currency and entity,
  // soonest expiry first, up to its total.
  const toCover = locked
    .filter((row) => row.kind === 'invoice')
    .map((row) => ({
      id: row.id,
      partyId: row.party_id,
      currency: row.currency,
      billingEntityId: entityOf(row).id,
      total: taxOf(row).total,
    }));
  const { applications, applied } = allocateCredits(
    toCover,
    await lockOpenCredits(trx, [...new Set(toCover.map((invoice) => invoice.partyId))]),
    context.today,
  );
  await insertCreditApplications(
    trx,
    applications.map((application) => ({ ...application, amount: application.amount.toFixed(), appliedOn: context.today })),
  );
  const creditsOf = (row: LockedDraft) => applied.get(row.id) ?? new Decimal(0);
  await insertDocumentTaxes(
    trx,
    locked.flatMap((row) =>
      taxOf(row).lines.map((line, index) => ({
        documentId: row.id,
        position: index + 1,
        taxRateId: line.rate.id,
        code: line.rate.code,
        name: line.rate.name,
        percent: line.rate.percent,
        base: line.base.toFixed(),
        amount: line.amount.toFixed(),
      })),
    ),
  );
  await markFinalized(
    trx,
    locked.map((row) => ({
      id: row.id,
      number: numbers.get(row.id) as string,
      dueDate: addDays(context.today, row.payment_terms_days),
      billTo: billTo.get(row.party_id) as DocumentParty,
      issuer: issuerOfEntity(entityOf(row)),
      billingEntityId: entityOf(row).id,
      total: taxOf(row).total.toFixed(),
      taxTotal: taxOf(row).taxTotal.toFixed(),
      taxNote: taxOf(row).note,
      creditsApplied: creditsOf(row).toFixed(),
    })),
    context.today,
    context.now.toISOString(),
    context.actor.userId,
  );

  const revenue = await sumRevenueByKind(trx, ids);
  const transactions: LedgerTransaction[] = locked.map((row) => {
    const number = numbers.get(row.id) as string;
    const split = revenue.get(row.id);
    return {
      id: newId('ltx'),
      date: context.today,
      description: `${row.kind === 'invoice' ? 'Invoice' : 'Payout statement'} ${number}`,
      sourceType: row.kind,
      sourceId: row.id,
      documentNumber: number,
      billingEntityId: entityOf(row).id,
      currency: row.currency,
      postings:
        row.kind === 'invoice'
          ? invoicePostings(
              row.party_id,
              { media: new Decimal(split?.media ?? '0'), fee: new Decimal(split?.fee ?? '0') },
              taxOf(row).taxTotal,
              creditsOf(row),
            )
          : statementPostings(row.party_id, new Decimal(row.total), taxOf(row).taxTotal),
    };
  });
  await postTransactions(trx, context.now, transactions);
  await appendAuditEntries(
    trx,
    context.now,
    locked.map((row) => ({
      actor: context.actor.userId,
      action: `${row.kind}.finalized`,
      entityType: row.kind,
      entityId: row.id,
      before: { status: row.status },
      after: {
        status: 'finalized',
        number: numbers.get(row.id),
        total: taxOf(row).total.toFixed(),
        ...(taxOf(row).taxTotal.isZero() ? {} : { taxTotal: taxOf(row).taxTotal.toFixed() }),
        ...(creditsOf(row).isZero() ? {} : { creditsApplied: creditsOf(row).toFixed() }),
        currency: row.currency,
        issueDate: context.today,
      },
    })),
  );
  await announceFinalized(context, locked, numbers, (row) => taxOf(row).total.toFixed());
  return locked.map((row) => row.id);
}

/** Finalizes the drafts of `kind` that a run wrote; those needing review are left unless `reviewed`. */
export async function finalizeRunDocuments(
  context: UseCaseContext,
  runId: string,
  kind: DocumentKind,
  reviewed: boolean,
): Promise<{ finalized: number; skippedForReview: number }> {
  const drafts = await listRunDrafts(context.trx, runId, kind);
  if (!drafts) throw new AppError('billing_run_not_found', `Billing run ${runId} does not exist`);
  const ready = drafts.filter((draft) => reviewed || draft.status === 'draft').map((draft) => draft.id);
  const finalized = await finalizeDocuments(context, ready, { reviewed });
  return { finalized: finalized.length, skippedForReview: drafts.length - ready.length };
}

/** Queues `invoice.finalized` / `payout_statement.finalized` events, skipping the work when nobody subscribed. */
async function announceFinalized(
  context: UseCaseContext,
  rows: LockedDraft[],
  numbers: Map<string, string>,
  totalOf: (row: LockedDraft) => string,
): Promise<void> {
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
        total: totalOf(row),
        issueDate: context.today,
        dueDate: addDays(context.today, row.payment_terms_days),
      };
      await enqueueWebhookEvent(context.trx, { type, data, occurredAt: context.now });
    }
  }
}
