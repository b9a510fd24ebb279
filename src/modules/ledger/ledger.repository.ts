/** SQL for the ledger: post transactions in bulk, and read balances, account statements and the journal. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import { Decimal, formatMoney } from '../../wire/money.ts';
import type { JournalEntry } from '../../wire/ledger.ts';
import { type LedgerTransaction, toEntries } from './ledger.ts';
import type { AccountBalance } from '../../wire/ledger.ts';

/**
 * Posts transactions with two statements whatever their number: one for the transactions, one for
 * all their entries (the database checks after that statement that each transaction balances).
 * Transactions whose postings all net to zero are not written.
 */
export async function postTransactions(trx: Tx, postedAt: Date, transactions: LedgerTransaction[]): Promise<number> {
  const written = transactions
    .map((transaction) => ({ transaction, entries: toEntries(transaction) }))
    .filter(({ entries }) => entries.length > 0);
  if (written.length === 0) return 0;
  await sql`
    insert into ledger_transactions (id, date, posted_at, description, source_type, source_id, document_number, billing_entity_id)
    select id, date, ${postedAt.toISOString()}::timestamptz, description, source_type, source_id, document_number, billing_entity_id
    from unnest(
      ${written.map(({ transaction }) => transaction.id)}::text[],
      ${written.map(({ transaction }) => transaction.date)}::date[],
      ${written.map(({ transaction }) => transaction.description)}::text[],
      ${written.map(({ transaction }) => transaction.sourceType)}::text[],
      ${written.map(({ transaction }) => transaction.sourceId)}::text[],
      ${written.map(({ transaction }) => transaction.documentNumber)}::text[],
      ${written.map(({ transaction }) => transaction.billingEntityId)}::text[]
    ) as t(id, date, description, source_type, source_id, document_number, billing_entity_id)`.execute(trx);
  const rows = written.flatMap(({ transaction, entries }) =>
    entries.map((entry) => ({ transactionId: transaction.id, currency: transaction.currency, ...entry })),
  );
  await sql`
    insert into ledger_entries (transaction_id, line, account, currency, debit, credit)
    select * from unnest(
      ${rows.map((row) => row.transactionId)}::text[],
      ${rows.map((row) => row.line)}::integer[],
      ${rows.map((row) => row.account)}::text[],
      ${rows.map((row) => row.currency)}::text[],
      ${rows.map((row) => row.debit)}::numeric[],
      ${rows.map((row) => row.credit)}::numeric[]
    )`.execute(trx);
  return written.length;
}

/** The entries a source posted (to reverse them on a void). */
export async function entriesOfSource(
  db: Executor,
  sourceType: LedgerTransaction['sourceType'],
  sourceId: string,
): Promise<{ account: string; currency: string; debit: string; credit: string }[]> {
  return db
    .selectFrom('ledger_entries as e')
    .innerJoin('ledger_transactions as t', 't.id', 'e.transaction_id')
    .select(['e.account', 'e.currency', 'e.debit', 'e.credit'])
    .where('t.source_type', '=', sourceType)
    .where('t.source_id', '=', sourceId)
    .orderBy('e.line')
    .execute();
}

/**
 * Debits, credits and balance (debit − credit) per account and currency, for transactions dated on
 * or before `asOf`: of one billing entity's books, or of all of them. The months before `asOf`'s
 * come from their sums (ledger_balances, kept by the database as entries are inserted, migration
 * 0024), and only `asOf`'s own month is read entry by entry, through the index on dates: about a
 * twelfth of a year's book, whatever its size.
 */
export async function trialBalance(db: Executor, asOf: string, currency?: string, entityId?: string): Promise<AccountBalance[]> {
  const monthStart = `${asOf.slice(0, 7)}-01`;
  const sumsFilter = sql.join(
    [
      sql`b.month < ${monthStart}::date`,
      ...(currency === undefined ? [] : [sql`b.currency = ${currency}`]),
      ...(entityId === undefined ? [] : [sql`b.billing_entity_id = ${entityId}`]),
    ],
    sql` and `,
  );
  const entriesFilter = sql.join(
    [
      sql`t.date between ${monthStart}::date and ${asOf}::date`,
      ...(currency === undefined ? [] : [sql`e.currency = ${currency}`]),
      ...(entityId === undefined ? [] : [sql`t.billing_entity_id = ${entityId}`]),
    ],
    sql` and `,
  );
  const rows = await sql<{ account: string; currency: string; debit: string; credit: string }>`
    select account, currency, sum(debit) as debit, sum(credit) as credit from (
      select b.account, b.currency, b.debit, b.credit from ledger_balances b where ${sumsFilter}
      union all
      select e.account, e.currency, e.debit, e.credit
      from ledger_transactions t join ledger_entries e on e.transaction_id = t.id
      where ${entriesFilter}
    ) sums
    group by account, currency
    order by currency, account`.execute(db);
  return rows.rows.map((row) => ({
    ...row,
    debit: formatMoney(new Decimal(row.debit), row.currency),
    credit: formatMoney(new Decimal(row.credit), row.currency),
    balance: formatMoney(new Decimal(row.debit).minus(row.credit), row.currency),
  }));
}

type JournalRow = {
  transaction_id: string;
  date: string;
  posted_at: string;
  description: string;
  source_type: string;
  source_id: string;
  document_number: string | null;
  line: number;
  account: string;
  currency: string;
  debit: string;
  credit: string;
};

function toJournalEntry(row: JournalRow): JournalEntry {
  return {
    transactionId: row.transaction_id,
    date: row.date,
    postedAt: row.posted_at,
    account: row.account,
    currency: row.currency,
    debit: new Decimal(row.debit).toFixed(),
    credit: new Decimal(row.credit).toFixed(),
    description: row.description,
    sourceType: row.source_type,
    sourceId: row.source_id,
    documentNumber: row.document_number,
  };
}

/** Every entry of transactions dated from..to, in posting order: the journal (of one billing entity's books, or of all). */
export async function journal(db: Executor, from: string, to: string, rowsMax: number, entityId?: string): Promise<JournalEntry[]> {
  const entityFilter = entityId === undefined ? sql`` : sql`and t.billing_entity_id = ${entityId}`;
  const rows = await sql<JournalRow>`
    select t.id as transaction_id, t.date, t.posted_at, t.description, t.source_type, t.source_id, t.document_number,
      e.line, e.account, e.currency, e.debit, e.credit
    from ledger_transactions t join ledger_entries e on e.transaction_id = t.id
    where t.date between ${from}::date and ${to}::date ${entityFilter}
    order by t.date, t.id, e.line
    limit ${rowsMax}`.execute(db);
  return rows.rows.map(toJournalEntry);
}

/** One account's entries (optionally from..to), oldest first, after the cursor's transaction id. */
export async function accountEntries(
  db: Executor,
  account: string,
  options: { from?: string; to?: string; after?: string; limit: number },
): Promise<(JournalEntry & { line: number })[]> {
  const rows = await sql<JournalRow>`
    select t.id as transaction_id, t.date, t.posted_at, t.description, t.source_type, t.source_id, t.document_number,
      e.line, e.account, e.currency, e.debit, e.credit
    from ledger_entries e join ledger_transactions t on t.id = e.transaction_id
    where e.account = ${account}
      ${options.from === undefined ? sql`` : sql`and t.date >= ${options.from}::date`}
      ${options.to === undefined ? sql`` : sql`and t.date <= ${options.to}::date`}
      ${options.after === undefined ? sql`` : sql`and t.id > ${options.after}`}
    order by t.id, e.line
    limit ${options.limit}`.execute(db);
  return rows.rows.map((row) => ({ ...toJournalEntry(row), line: row.line }));
}

/** What a party owes on its invoices now, per currency: the balances of its receivable account. */
export async function partyReceivables(db: Executor, partyId: string): Promise<{ currency: string; amount: string }[]> {
  const rows = await sql<{ currency: string; balance: string }>`
    select currency, sum(debit) - sum(credit) as balance from ledger_entries
    where account = ${`accounts_receivable:${partyId}`} group by currency order by currency`.execute(db);
  return rows.rows.map((row) => ({ currency: row.currency, amount: formatMoney(new Decimal(row.balance), row.currency) }));
}
