/**
 * The dunning run (SPEC §10, `POST /v1/dunning/run`): for every finalized invoice that is past due
 * on `asOf` and owes something then (and still now: a reminder goes out today, so an invoice voided
 * or settled since gets none), the step of the schedule it has reached is recorded and announced
 * with an `invoice.overdue` webhook, once per (invoice, step); earlier steps due at the same time
 * are recorded as skipped (dunning.ts). Running it again, or for an earlier date, finds every step
 * recorded and sends nothing. Overdue itself is not stored: finalized invoices never change, and the
 * document view derives it from the due date and the amount due (document.repository.ts).
 */
import type { UseCaseContext } from '../../../platform/context.ts';
import { daysBetween } from '../../../platform/dates.ts';
import { AppError } from '../../../platform/errors.ts';
import type { DunningNotice, DunningRun } from '../../../wire/dunning.ts';
import { Decimal, formatMoney } from '../../../wire/money.ts';
import { appendAuditEntries } from '../../audit/index.ts';
import { enqueueWebhookEvent } from '../../webhooks/index.ts';
import { decideDunningStep } from './dunning.ts';
import { readDunningSchedule } from './dunning-schedule.ts';
import {
  type DunningNoticeRow,
  findRecordedSteps,
  insertDunningNotices,
  listOpenInvoices,
  lockDunning,
  type OpenInvoiceRow,
} from './receivables.repository.ts';

/** The event's id is derived from the invoice and the step, so that the outbox too refuses a second one. */
export function overdueEventId(documentId: string, step: number): string {
  return `evt_invoice_overdue_${documentId.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${step}`;
}

/** Runs dunning as of `asOf` (today or earlier). */
export async function runDunning(context: UseCaseContext, asOf: string): Promise<DunningRun> {
  if (asOf > context.today) {
    throw new AppError('validation_failed', `Dunning runs up to today (${context.today}), not ahead of it`, [
      { path: 'asOf', message: 'must be today or earlier' },
    ]);
  }
  await lockDunning(context.trx);
  const { steps } = await readDunningSchedule(context.trx);
  const pastDue = await listOpenInvoices(context.trx, { asOf, pastDueOnly: true });
  const recorded = await findRecordedSteps(
    context.trx,
    pastDue.map((invoice) => invoice.id),
  );
  const result: DunningRun = { asOf, notices: [], skipped: [] };
  const rows: DunningNoticeRow[] = [];
  const sent: { invoice: OpenInvoiceRow; notice: DunningNotice }[] = [];
  for (const invoice of pastDue) {
    const daysPastDue = daysBetween(invoice.due_date, asOf);
    const decision = decideDunningStep(steps, daysPastDue, recorded.get(invoice.id) ?? new Set());
    const amountDue = formatMoney(new Decimal(invoice.open), invoice.currency);
    const row = { documentId: invoice.id, asOf, daysPastDue, amountDue, currency: invoice.currency };
    for (const step of decision.skip) {
      rows.push({ ...row, step, outcome: 'skipped', eventId: null });
      result.skipped.push({ documentId: invoice.id, number: invoice.number, step });
    }
    if (decision.send !== null) {
      const step = decision.send;
      rows.push({ ...row, step, outcome: 'sent', eventId: overdueEventId(invoice.id, step) });
      const notice: DunningNotice = {
        documentId: invoice.id,
        number: invoice.number,
        partyId: invoice.party_id,
        step,
        daysPastDue,
        currency: invoice.currency,
        amountDue,
      };
      sent.push({ invoice, notice });
      result.notices.push(notice);
    }
  }
  await insertDunningNotices(context.trx, rows, context.now.toISOString(), context.actor.userId);
  for (const { invoice, notice } of sent) {
    await enqueueWebhookEvent(context.trx, {
      type: 'invoice.overdue',
      id: overdueEventId(invoice.id, notice.step),
      occurredAt: context.now,
      data: {
        id: invoice.id,
        number: invoice.number,
        partyId: invoice.party_id,
        currency: invoice.currency,
        total: formatMoney(new Decimal(invoice.total), invoice.currency),
        amountDue: notice.amountDue,
        dueDate: invoice.due_date,
        daysPastDue: notice.daysPastDue,
        step: notice.step,
      },
    });
  }
  await appendAuditEntries(
    context.trx,
    context.now,
    result.notices.map((notice) => ({
      actor: context.actor.userId,
      action: 'invoice.overdue_notice_sent',
      entityType: 'invoice',
      entityId: notice.documentId,
      after: { asOf, step: notice.step, daysPastDue: notice.daysPastDue, amountDue: notice.amountDue },
    })),
  );
  return result;
}
