/**
 * A party's statement of account as of a date (SPEC §10): its open invoices with what was paid,
 * credited and applied of each and what remains, and per currency the aging of what it owes. The
 * aging is the AR aging report's own row for the party (reports module); the invoices' amounts due
 * must add up to it, currency by currency, and a statement that would not is a bug (an error, not
 * a PDF that disagrees with the books).
 */
import type { Executor } from '../../../platform/database.ts';
import { daysBetween } from '../../../platform/dates.ts';
import { AppError } from '../../../platform/errors.ts';
import type { IssuerDetails } from '../../../wire/billing.ts';
import { Decimal, formatMoney } from '../../../wire/money.ts';
import { findBillingEntity } from '../../entities/index.ts';
import { findParty } from '../../parties/index.ts';
import { issuerOfEntity } from '../documents/index.ts';
import type { StatementOfAccount } from '../pdf/index.ts';
import { arAging } from '../reports/index.ts';
import { listOpenInvoices } from './receivables.repository.ts';

/** The statement of `partyId` as of `asOf`, and the issuer block of the party's billing entity. */
export async function statementOfAccount(
  db: Executor,
  partyId: string,
  asOf: string,
): Promise<{ statement: StatementOfAccount; issuer: IssuerDetails }> {
  const party = await findParty(db, partyId);
  if (!party) throw new AppError('party_not_found', `Party ${partyId} does not exist`);
  const entity = await findBillingEntity(db, party.billingEntityId);
  if (!entity) throw new Error(`party ${partyId} names billing entity ${party.billingEntityId}, which does not exist`);
  // A party's documents are all of its entity (a party with documents is never moved), so the
  // entity's aging holds every row of the party.
  const [invoices, aging] = await Promise.all([listOpenInvoices(db, { asOf, partyId }), arAging(db, asOf, entity.id)]);
  const currencies = [...new Set(invoices.map((invoice) => invoice.currency))].sort();
  const sections = currencies.map((currency) => {
    const ofCurrency = invoices.filter((invoice) => invoice.currency === currency);
    const row = aging.rows.find((candidate) => candidate.partyId === partyId && candidate.currency === currency);
    const sum = ofCurrency.reduce((total, invoice) => total.plus(invoice.open), new Decimal(0));
    if (!row || !sum.equals(row.total)) {
      throw new Error(
        `statement of ${partyId} as of ${asOf}: open ${currency} invoices sum to ${sum.toFixed()}, the aging says ${row?.total}`,
      );
    }
    const money = (value: string) => formatMoney(new Decimal(value), currency);
    return {
      currency,
      invoices: ofCurrency.map((invoice) => ({
        number: invoice.number,
        issueDate: invoice.issue_date,
        dueDate: invoice.due_date,
        total: money(invoice.total),
        paid: money(invoice.paid),
        credited: money(invoice.credited),
        creditsApplied: money(invoice.credits_applied),
        amountDue: money(invoice.open),
        daysPastDue: daysBetween(invoice.due_date, asOf),
      })),
      aging: {
        current: row.current,
        days1to30: row.days1to30,
        days31to60: row.days31to60,
        days61to90: row.days61to90,
        over90: row.over90,
        total: row.total,
      },
    };
  });
  return {
    statement: {
      asOf,
      party: { name: party.name, billingEmail: party.billingEmail, externalRef: party.externalRef, taxId: party.taxId },
      currencies: sections,
    },
    issuer: issuerOfEntity(entity),
  };
}
