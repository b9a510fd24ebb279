/** SQL for accruals: what finalized documents billed for a period, and the runs that posted a period's accruals. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../../platform/database.ts';
import type { AccrualRun as PostedAccruals } from '../../../wire/finance-reports.ts';
import { Decimal } from '../../../wire/money.ts';
import type { ContractAccrual, PeriodAmount } from './accruals.ts';

/**
 * What finalized, non-void documents billed for `period`, per contract, party, side and currency:
 * their lines whose billed period it is (original lines, and adjustments made since), net of tax.
 * Credit notes are not lines of a period, so they do not count.
 */
export async function loadBilledForPeriod(db: Executor, period: string): Promise<PeriodAmount[]> {
  const rows = await sql<{ contract_id: string; party_id: string; kind: 'invoice' | 'payout_statement'; currency: string; amount: string }>`
    select l.contract_id, d.party_id, d.kind, d.currency, sum(l.amount) as amount
    from document_lines l join billing_documents d on d.id = l.document_id
    where l.billed_period = ${period} and d.status = 'finalized'
      and not exists (select 1 from document_voids v where v.document_id = d.id)
    group by l.contract_id, d.party_id, d.kind, d.currency
    order by l.contract_id, d.party_id`.execute(db);
  return rows.rows.map((row) => ({
    side: row.kind === 'invoice' ? ('sell' as const) : ('buy' as const),
    contractId: row.contract_id,
    partyId: row.party_id,
    currency: row.currency,
    amount: new Decimal(row.amount),
  }));
}

/** A period's accrual run as recorded: what the run answers, less the books (the ledger has them). */
export type AccrualRun = Omit<PostedAccruals, 'books'>;

/** The run that posted `period`'s accruals, if any. */
export async function findAccrualRun(db: Executor, period: string): Promise<AccrualRun | undefined> {
  const row = await db
    .selectFrom('accrual_runs')
    .select(['period', 'accrued_on', 'reversed_on', 'posted_at', 'posted_by', 'contracts'])
    .where('period', '=', period)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    period: row.period,
    accruedOn: row.accrued_on,
    reversedOn: row.reversed_on,
    postedAt: row.posted_at,
    postedBy: row.posted_by,
    contracts: row.contracts as ContractAccrual[],
  };
}

/**
 * Records `period`'s run unless one is recorded already; answers whether this one was. On
 * PostgreSQL a concurrent run of the same period waits here for the first to commit, then records
 * nothing: the period is the table's key.
 */
export async function insertAccrualRun(trx: Tx, run: AccrualRun): Promise<boolean> {
  const inserted = await trx
    .insertInto('accrual_runs')
    .values({
      period: run.period,
      accrued_on: run.accruedOn,
      reversed_on: run.reversedOn,
      posted_at: run.postedAt,
      posted_by: run.postedBy,
      contracts: JSON.stringify(run.contracts),
    })
    .onConflict((conflict) => conflict.column('period').doNothing())
    .returning('period')
    .executeTakeFirst();
  return inserted !== undefined;
}
