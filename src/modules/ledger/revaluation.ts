/**
 * `POST /v1/fx/revaluations` (SPEC §10): at a month's end, what each billing entity holds open in
 * another currency than its base (receivables, payables and customers' credits) is restated at the
 * month-end rate. The difference from what those accounts carry in base is an unrealized FX gain or
 * loss, posted on the month's last day against `fx_revaluation` and reversed on the next day: the
 * month's books show the open items at the month-end rate, while payments still realize their gain
 * or loss against the rate their documents were carried at.
 *
 * A month is revalued once: a second call is `409 revaluation_already_posted` and writes nothing.
 */
import type { UseCaseContext } from '../../platform/context.ts';
import { addDays } from '../../platform/dates.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { calendarMonth } from '../../platform/periods.ts';
import type { RevaluationRun, RevaluedAccount } from '../../wire/fx.ts';
import { Decimal, formatMoney, roundToCurrency } from '../../wire/money.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { type LedgerTransaction, revaluationPostings } from './ledger.ts';
import { balanceSums, conversionsOf, postTransactions } from './ledger.repository.ts';
import { findRevaluationRun, insertRevaluationRun } from './revaluation.repository.ts';

/** The accounts a revaluation restates: monetary items a party will settle in its currency. */
const revaluedAccount = /^(accounts_receivable|accounts_payable|customer_credits):/;

function alreadyPosted(run: RevaluationRun): AppError {
  return new AppError(
    'revaluation_already_posted',
    `${run.period} was revalued at ${run.postedAt} by ${run.postedBy}; a month is revalued once (its reversal is dated ${run.reversedOn})`,
    [{ path: 'period', message: 'already revalued' }],
  );
}

/** Revalues `period` (`YYYY-MM`, ended before today) and answers what was restated. */
export async function revalue(context: UseCaseContext, period: string): Promise<RevaluationRun> {
  const { to: revaluedOn } = calendarMonth(period);
  if (revaluedOn >= context.today)
    throw new AppError('period_not_ended', `${period} ends on ${revaluedOn}: a month is revalued once it has ended`, [
      { path: 'period', message: `must have ended before today (${context.today})` },
    ]);
  const existing = await findRevaluationRun(context.trx, period);
  if (existing) throw alreadyPosted(existing);

  // What is open as of the month's last day, in currencies other than the entity's base. Books whose
  // entries predate base amounts (null) cannot be restated and are left out.
  const open = (await balanceSums(context.trx, revaluedOn)).filter(
    (sums) => revaluedAccount.test(sums.account) && sums.baseDebit !== null && sums.baseCredit !== null,
  );
  const conversions = await conversionsOf(
    context.trx,
    open.map((sums) => ({ billingEntityId: sums.entityId, currency: sums.currency, date: revaluedOn })),
  );
  const accounts: RevaluedAccount[] = [];
  open.forEach((sums, index) => {
    const { rate, baseCurrency } = conversions[index]!;
    if (baseCurrency === sums.currency) return;
    const amount = sums.debit.minus(sums.credit);
    const carried = sums.baseDebit!.minus(sums.baseCredit!);
    const revalued = roundToCurrency(amount.times(rate), baseCurrency);
    const difference = revalued.minus(carried);
    if (difference.isZero()) return;
    accounts.push({
      entityId: sums.entityId,
      baseCurrency,
      account: sums.account,
      currency: sums.currency,
      open: formatMoney(amount, sums.currency),
      carried: formatMoney(carried, baseCurrency),
      rate: rate.toFixed(),
      revalued: formatMoney(revalued, baseCurrency),
      difference: formatMoney(difference, baseCurrency),
    });
  });
  accounts.sort((a, b) => `${a.entityId}|${a.currency}|${a.account}`.localeCompare(`${b.entityId}|${b.currency}|${b.account}`));

  const run: RevaluationRun = {
    period,
    revaluedOn,
    reversedOn: addDays(revaluedOn, 1),
    postedAt: context.now.toISOString(),
    postedBy: context.actor.userId,
    accounts,
  };
  if (!(await insertRevaluationRun(context.trx, run))) throw alreadyPosted((await findRevaluationRun(context.trx, period))!);
  await postTransactions(context.trx, context.now, revaluationTransactions(run));
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'fx.revalued',
    entityType: 'fx_revaluation',
    entityId: period,
    after: run,
  });
  return run;
}

/** One transaction per entity and currency on the month's last day, and its reversal on the next. */
function revaluationTransactions(run: RevaluationRun): LedgerTransaction[] {
  const books = new Map<string, RevaluedAccount[]>();
  for (const account of run.accounts) {
    const key = `${account.entityId}:${account.currency}`;
    books.set(key, [...(books.get(key) ?? []), account]);
  }
  return [...books].flatMap(([key, revalued]) => {
    const { entityId, currency, baseCurrency } = revalued[0]!;
    const postings = revalued.flatMap((account) => revaluationPostings(account.account, new Decimal(account.difference)));
    const common = { documentNumber: null, billingEntityId: entityId, currency };
    return [
      {
        ...common,
        id: newId('ltx'),
        date: run.revaluedOn,
        description: `FX revaluation of ${currency} open items at ${run.revaluedOn} into ${baseCurrency}`,
        sourceType: 'fx_revaluation' as const,
        sourceId: `${run.period}:${key}`,
        postings,
      },
      {
        ...common,
        id: newId('ltx'),
        date: run.reversedOn,
        description: `Reversal of the FX revaluation of ${currency} open items at ${run.revaluedOn}`,
        sourceType: 'fx_revaluation_reversal' as const,
        sourceId: `${run.period}:${key}:reversal`,
        postings: postings.map((posting) => ({ ...posting, base: posting.base!.negated() })),
      },
    ];
  });
}
