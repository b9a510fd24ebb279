/**
 * `POST /v1/accruals` (SPEC §10): posts a month's accruals of revenue delivered but not yet invoiced
 * and partner cost not yet on a statement, dated the month's last day, and their reversal dated the
 * next month's first day, so that the month's books show what it earned and cost while the next
 * month's invoices and statements recognize the same amounts without counting them twice.
 *
 * A period is accrued once: a second call is `409 accruals_already_posted` and writes nothing
 * (what was posted is in the ledger and in the first answer). Accruals of a later period are
 * worked out afresh from rating and the documents finalized by then; they do not depend on earlier
 * runs, since each run reverses itself.
 */
import type { UseCaseContext } from '../../../platform/context.ts';
import { addDays } from '../../../platform/dates.ts';
import { AppError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { calendarMonth } from '../../../platform/periods.ts';
// What the run answers: the run, and the sums each billing entity's books got per currency.
import type { AccrualRun as PostedAccruals } from '../../../wire/finance-reports.ts';
import { formatMoney } from '../../../wire/money.ts';
import { appendAuditEntry } from '../../audit/index.ts';
import { findContractNumbers } from '../../contracts/index.ts';
import { accrualPostings, accrualReversalPostings, type LedgerTransaction, postTransactions } from '../../ledger/index.ts';
import { findPartiesByIds } from '../../parties/index.ts';
import { type AccrualRun, findAccrualRun, insertAccrualRun } from './accrual.repository.ts';
import { accrualBooks, type AccrualBook, contractAccruals } from './accruals.ts';
import { periodAmounts } from './period-amounts.ts';

function alreadyPosted(run: AccrualRun): AppError {
  return new AppError(
    'accruals_already_posted',
    `Accruals for ${run.period} were posted at ${run.postedAt} by ${run.postedBy}; a period is accrued once (its reversal is already dated ${run.reversedOn})`,
    [{ path: 'period', message: 'already accrued' }],
  );
}

/** The ledger transactions of one book: the accrual on the period's last day, its reversal on the next day. */
function bookTransactions(period: string, accruedOn: string, reversedOn: string, book: AccrualBook): LedgerTransaction[] {
  const sourceId = `${period}:${book.billingEntityId}:${book.currency}`;
  const amounts = `revenue ${formatMoney(book.revenue, book.currency)}, partner cost ${formatMoney(book.cost, book.currency)}`;
  const common = { documentNumber: null, billingEntityId: book.billingEntityId, currency: book.currency };
  return [
    {
      ...common,
      id: newId('ltx'),
      date: accruedOn,
      description: `Accruals for ${period}, delivered and not yet billed: ${amounts}`,
      sourceType: 'accrual',
      sourceId,
      postings: accrualPostings(book.revenue, book.cost),
    },
    {
      ...common,
      id: newId('ltx'),
      date: reversedOn,
      description: `Reversal of the accruals for ${period}: ${amounts}`,
      sourceType: 'accrual_reversal',
      // Its own source id, so that the accrual and its reversal never share one (a source posts once).
      sourceId: `${sourceId}:reversal`,
      // At the accrual's rate, so that it takes back in base exactly what the accrual put there.
      rateDate: accruedOn,
      postings: accrualReversalPostings(book.revenue, book.cost),
    },
  ];
}

/** Posts the accruals of `period` (`YYYY-MM`, ended before today) and their reversals; answers the run. */
export async function postAccruals(context: UseCaseContext, period: string): Promise<PostedAccruals> {
  const { from, to: accruedOn } = calendarMonth(period);
  if (accruedOn >= context.today) {
    throw new AppError('period_not_ended', `${period} ends on ${accruedOn}: accruals are posted once a period has ended`, [
      { path: 'period', message: `must have ended before today (${context.today})` },
    ]);
  }
  const existing = await findAccrualRun(context.trx, period);
  if (existing) throw alreadyPosted(existing);

  const { rated, billed } = await periodAmounts(context.trx, period);
  const contractIds = [...new Set([...rated, ...billed].map((amount) => amount.contractId))];
  const partyIds = [...new Set([...rated, ...billed].map((amount) => amount.partyId))];
  const [numbers, parties] = await Promise.all([findContractNumbers(context.trx, contractIds), findPartiesByIds(context.trx, partyIds)]);
  const entities = new Map(parties.map((party) => [party.id, party.billingEntityId]));
  const contracts = contractAccruals(
    rated,
    billed,
    (contractId) => numbers.get(contractId) ?? contractId,
    (partyId) => entities.get(partyId) as string,
  );
  const run: AccrualRun = {
    period,
    accruedOn,
    reversedOn: addDays(accruedOn, 1),
    postedAt: context.now.toISOString(),
    postedBy: context.actor.userId,
    contracts,
  };
  // The key decides between two runs of one period: the second finds the first's row and posts nothing.
  if (!(await insertAccrualRun(context.trx, run))) throw alreadyPosted((await findAccrualRun(context.trx, period)) as AccrualRun);
  const books = accrualBooks(contracts);
  await postTransactions(
    context.trx,
    context.now,
    books.flatMap((book) => bookTransactions(period, run.accruedOn, run.reversedOn, book)),
  );
  const answer: PostedAccruals = {
    ...run,
    books: books.map((book) => ({
      billingEntityId: book.billingEntityId,
      currency: book.currency,
      revenue: formatMoney(book.revenue, book.currency),
      cost: formatMoney(book.cost, book.currency),
    })),
  };
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'accruals.posted',
    entityType: 'accrual_run',
    entityId: period,
    after: { period, from, accruedOn: run.accruedOn, reversedOn: run.reversedOn, books: answer.books, contracts: contracts.length },
  });
  return answer;
}
