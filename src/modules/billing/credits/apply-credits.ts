/**
 * Which credits pay which invoices at finalization (SPEC §10). Pure: each invoice, in order, takes
 * its party's open credits of its currency and billing entity that have not expired on the day,
 * soonest expiry first (never-expiring last, then the oldest), until its total is covered. An
 * invoice with nothing to pay takes nothing.
 */
import { Decimal } from '../../../wire/money.ts';
import type { PartyCredit } from '../../../wire/credits.ts';

export interface InvoiceToCover {
  id: string;
  partyId: string;
  currency: string;
  billingEntityId: string;
  /** What it comes to, tax included. */
  total: Decimal;
}

export interface CreditApplication {
  creditId: string;
  documentId: string;
  amount: Decimal;
}

export function allocateCredits(
  invoices: readonly InvoiceToCover[],
  credits: readonly Pick<PartyCredit, 'id' | 'partyId' | 'currency' | 'billingEntityId' | 'remaining' | 'expiresAt'>[],
  onDate: string,
): { applications: CreditApplication[]; applied: Map<string, Decimal> } {
  const remaining = new Map(credits.map((credit) => [credit.id, new Decimal(credit.remaining)]));
  const applications: CreditApplication[] = [];
  const applied = new Map<string, Decimal>();
  for (const invoice of invoices) {
    let due = invoice.total;
    for (const credit of credits) {
      if (!due.greaterThan(0)) break;
      if (credit.partyId !== invoice.partyId || credit.currency !== invoice.currency || credit.billingEntityId !== invoice.billingEntityId)
        continue;
      if (credit.expiresAt !== null && credit.expiresAt < onDate) continue;
      const left = remaining.get(credit.id) as Decimal;
      if (!left.greaterThan(0)) continue;
      const amount = Decimal.min(left, due);
      remaining.set(credit.id, left.minus(amount));
      due = due.minus(amount);
      applications.push({ creditId: credit.id, documentId: invoice.id, amount });
      applied.set(invoice.id, (applied.get(invoice.id) ?? new Decimal(0)).plus(amount));
    }
  }
  return { applications, applied };
}
