/** Renewals: the renewed terms, and writing the renewal version (a draft to approve, or approved by the renewal run). */
import type { UseCaseContext } from '../../platform/context.ts';
import { addDays, addMonths } from '../../platform/dates.ts';
import { AppError } from '../../platform/errors.ts';
import { insertVersion, lockForNewVersion } from './contract-support.ts';
import type { Terms } from '../../wire/terms.ts';
import { nextVersionNumber } from './version.repository.ts';

export const defaultRenewalTermMonths = 12;
/** December 9999 as a month count (year * 12 + month - 1): the last month a renewal may end in. */
const lastMonthIndex = 9999 * 12 + 11;

/**
 * The renewed terms: the end date moves `termMonths` later (a month-end stays a month-end), and so
 * does the end date of every line item that ran to the old end; other line items keep their dates.
 */
export function renewedTerms(terms: Terms, termMonths: number): Terms {
  const endDate = addMonths(terms.endDate, termMonths);
  return {
    ...terms,
    endDate,
    lineItems: terms.lineItems.map((lineItem) => (lineItem.endDate === terms.endDate ? { ...lineItem, endDate } : lineItem)),
  } as Terms;
}

export interface RenewOptions {
  termMonths?: number | undefined;
  /** The renewal run approves its renewals at once, as the contract's auto-renewal clause says. */
  approved?: boolean;
  reason?: string;
}

/** Writes the renewal version (a draft, unless the run approves it) effective the day after the old end. */
export async function writeRenewal(context: UseCaseContext, contractId: string, options: RenewOptions): Promise<number> {
  const { latest: base } = await lockForNewVersion(context, contractId);
  const baseTerms = base.terms as Terms;
  const renewal = baseTerms.renewal;
  const termMonths =
    options.termMonths ?? (renewal && renewal.mode !== 'none' ? renewal.termMonths : undefined) ?? defaultRenewalTermMonths;
  // Dates stop at 9999-12-31 (an "evergreen" contract often ends there): past it there is no date to renew to.
  const [endYear = 0, endMonth = 0] = baseTerms.endDate.split('-').map(Number);
  if (endYear * 12 + endMonth - 1 + termMonths > lastMonthIndex) {
    throw new AppError('validation_failed', `Renewing for ${termMonths} months would end after 9999-12-31, the last date Tally handles`, [
      { path: 'termMonths', message: `too long for a contract that ends ${baseTerms.endDate}` },
    ]);
  }
  const terms = renewedTerms(baseTerms, termMonths);
  const number = await nextVersionNumber(context.trx, contractId);
  await insertVersion(
    context,
    {
      contractId,
      number,
      kind: 'renewal',
      status: options.approved ? 'approved' : 'draft',
      effectiveFrom: addDays(baseTerms.endDate, 1),
      terms,
      reason: options.reason ?? `Renewal for ${termMonths} months, to ${terms.endDate}`,
    },
    options.approved ? 'contract_version.auto_renewed' : 'contract_version.created',
  );
  return number;
}
