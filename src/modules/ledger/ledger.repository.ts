/** SQL for the ledger: post transactions in bulk, and read balances, account statements and the journal. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import { Decimal, formatMoney, roundToCurrency } from '../../wire/money.ts';
import type { JournalEntry } from '../../wire/ledger.ts';
import { clearedBase, type Conversion, type FxSettlement, type LedgerTransaction, toEntries } from './ledger.ts';
import type { AccountBalance } from '../../wire/ledger.ts';
import { findBillingEntitiesByIds } from '../entities/index.ts';
import { conversionRates, fxRateMissing } from '../fx/index.ts';

/**
 * How each transaction converts into its entity's base currency: the rate of its date (SPEC §10).
 * Throws `422 fx_rate_missing` for the first one without a rate, before anything is written.
 */
export async function conversionsOf(
  db: Executor,
  transactions: readonly Pick<LedgerTransaction, 'billingEntityId' | 'currency' | 'date' | 'rateDate' | 'conversion'>[],
): Promise<Conversion[]> {
  // Those that come with their conversion (looked up by the caller for the same date) are not looked up again.
  const unknown = transactions.filter((transaction) => transaction.conversion === undefined);
  const entities = await findBillingEntitiesByIds(db, [...new Set(unknown.map((transaction) => transaction.billingEntityId))]);
  const requests = unknown.map((transaction) => {
    const entity = entities.get(transaction.billingEntityId);
    if (!entity) throw new Error(`invariant: a ledger posting names billing entity ${transaction.billingEntityId}, which does not exist`);
    return { from: transaction.currency, to: entity.baseCurrency, date: transaction.rateDate ?? transaction.date };
  });
  const rates = requests.length === 0 ? [] : await conversionRates(db, requests);
  let next = 0;
  return transactions.map((transaction) => {
    if (transaction.conversion !== undefined) return transaction.conversion;
    const index = next++;
    const request = requests[index] as (typeof requests)[number];
    const rate = rates[index];
    if (rate === undefined) throw fxRateMissing(request);
    return { rate, baseCurrency: request.to };
  });
}

/**
 * The base amounts of a payment of `amount` on `date` against a document whose receivable or
 * payable is `account` and whose postings so far are `sources` (SPEC §10): cash at the payment
 * date's rate, and the share of what the account carries in base for the document; with the
 * conversion of that date, which the payment's own transaction posts at. `fx` is undefined when the
 * document is in its entity's base currency (nothing to realize), or when its postings predate base
 * amounts (both sides then convert at the payment's rate, as before).
 */
export async function settlementOf(
  db: Executor,
  payment: {
    account: string;
    sources: readonly { sourceType: LedgerTransaction['sourceType']; sourceId: string }[];
    amount: Decimal;
    currency: string;
    billingEntityId: string;
    date: string;
  },
): Promise<{ conversion: Conversion; fx: FxSettlement | undefined }> {
  const [conversion] = (await conversionsOf(db, [payment])) as [Conversion];
  if (conversion.baseCurrency === payment.currency) return { conversion, fx: undefined };
  const carried = await sourcesBalance(db, payment.account, payment.sources);
  if (!carried.complete) return { conversion, fx: undefined };
  // A payable carries a credit balance: work with what is open, as a positive amount.
  const sign = carried.amount.isNegative() ? -1 : 1;
  return {
    conversion,
    fx: {
      cashBase: roundToCurrency(payment.amount.times(conversion.rate), conversion.baseCurrency),
      clearedBase: clearedBase(payment.amount, carried.amount.times(sign), carried.base.times(sign), conversion.baseCurrency),
    },
  };
}

/**
 * Posts transactions with two statements whatever their number: one for the transactions, one for
 * all their entries (the database checks after that statement that each transaction balances, in
 * its currency and in base). Every entry carries its base amount, at the rate of its transaction's
 * date (`422 fx_rate_missing` when there is none). Transactions whose postings all net to zero are
 * not written.
 */
export async function postTransactions(trx: Tx, postedAt: Date, transactions: LedgerTransaction[]): Promise<number> {
  if (transactions.length === 0) return 0;
  const conversions = await conversionsOf(trx, transactions);
  const written = transactions
    .map((transaction, index) => ({ transaction, entries: toEntries(transaction, conversions[index]!) }))
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
    insert into ledger_entries (transaction_id, line, account, currency, debit, credit, base_debit, base_credit)
    select * from unnest(
      ${rows.map((row) => row.transactionId)}::text[],
      ${rows.map((row) => row.line)}::integer[],
      ${rows.map((row) => row.account)}::text[],
      ${rows.map((row) => row.currency)}::text[],
      ${rows.map((row) => row.debit)}::numeric[],
      ${rows.map((row) => row.credit)}::numeric[],
      ${rows.map((row) => row.baseDebit)}::numeric[],
      ${rows.map((row) => row.baseCredit)}::numeric[]
    )`.execute(trx);
  return written.length;
}

/** The entries a source posted (to reverse them on a void). */
export async function entriesOfSource(
  db: Executor,
  sourceType: LedgerTransaction['sourceType'],
  sourceId: string,
): Promise<{ account: string; currency: string; debit: string; credit: string; baseDebit: string | null; baseCredit: string | null }[]> {
  return db
    .selectFrom('ledger_entries as e')
    .innerJoin('ledger_transactions as t', 't.id', 'e.transaction_id')
    .select(['e.account', 'e.currency', 'e.debit', 'e.credit', 'e.base_debit as baseDebit', 'e.base_credit as baseCredit'])
    .where('t.source_type', '=', sourceType)
    .where('t.source_id', '=', sourceId)
    .orderBy('e.line')
    .execute();
}

/**
 * What one account holds of these sources' postings (a document, its credit notes and payments):
 * the balance (debit − credit) in the document currency and in base. What a payment clears in base
 * is worked out from it. `complete` is false when an entry has no base amount (posted in another
 * currency before migration 0025): then the base is not known.
 */
export async function sourcesBalance(
  db: Executor,
  account: string,
  sources: readonly { sourceType: LedgerTransaction['sourceType']; sourceId: string }[],
): Promise<{ amount: Decimal; base: Decimal; complete: boolean }> {
  if (sources.length === 0) return { amount: new Decimal(0), base: new Decimal(0), complete: true };
  const row = await sql<{ amount: string | null; base: string | null; complete: boolean | null }>`
    select sum(e.debit - e.credit) as amount, sum(e.base_debit - e.base_credit) as base, bool_and(e.base_debit is not null) as complete
    from unnest(${sources.map((source) => source.sourceType)}::text[], ${sources.map((source) => source.sourceId)}::text[]) as s(source_type, source_id)
    join ledger_transactions t on t.source_type = s.source_type and t.source_id = s.source_id
    join ledger_entries e on e.transaction_id = t.id and e.account = ${account}`.execute(db);
  const sums = row.rows[0];
  return { amount: new Decimal(sums?.amount ?? '0'), base: new Decimal(sums?.base ?? '0'), complete: sums?.complete ?? true };
}

/** One account's sums in one currency of one entity's books, in that currency and in the entity's base (null: not all entries have one). */
export interface BalanceSums {
  entityId: string;
  account: string;
  currency: string;
  debit: Decimal;
  credit: Decimal;
  baseDebit: Decimal | null;
  baseCredit: Decimal | null;
}

/**
 * Debits and credits per entity, account and currency, in that currency and in base, for
 * transactions dated on or before `asOf`: of one billing entity's books, or of all of them. The
 * months before `asOf`'s come from their sums (ledger_balances, kept by the database as entries
 * are inserted, migration 0024), and only `asOf`'s own month is read entry by entry, through the
 * index on dates: about a twelfth of a year's book, whatever its size.
 */
export async function balanceSums(db: Executor, asOf: string, currency?: string, entityId?: string): Promise<BalanceSums[]> {
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
  // A null base sum anywhere marks the group: sum() would skip it, so count what is missing.
  const rows = await sql<{
    entity_id: string;
    account: string;
    currency: string;
    debit: string;
    credit: string;
    base_debit: string;
    base_credit: string;
    missing: string;
  }>`
    select entity_id, account, currency, sum(debit) as debit, sum(credit) as credit,
      coalesce(sum(base_debit), 0) as base_debit, coalesce(sum(base_credit), 0) as base_credit,
      count(*) filter (where base_debit is null or base_credit is null) as missing
    from (
      select b.billing_entity_id as entity_id, b.account, b.currency, b.debit, b.credit, b.base_debit, b.base_credit
      from ledger_balances b where ${sumsFilter}
      union all
      select t.billing_entity_id, e.account, e.currency, e.debit, e.credit, e.base_debit, e.base_credit
      from ledger_transactions t join ledger_entries e on e.transaction_id = t.id
      where ${entriesFilter}
    ) sums
    group by entity_id, account, currency`.execute(db);
  return rows.rows.map((row) => {
    const complete = Number(row.missing) === 0;
    return {
      entityId: row.entity_id,
      account: row.account,
      currency: row.currency,
      debit: new Decimal(row.debit),
      credit: new Decimal(row.credit),
      baseDebit: complete ? new Decimal(row.base_debit) : null,
      baseCredit: complete ? new Decimal(row.base_credit) : null,
    };
  });
}

/** Sums `sums` per account and currency (the key), in order of currency then account, as balances. */
function toBalances(groups: Map<string, { account: string; currency: string; debit: Decimal; credit: Decimal }>): AccountBalance[] {
  return [...groups.values()]
    .sort((a, b) => (a.currency === b.currency ? (a.account < b.account ? -1 : 1) : a.currency < b.currency ? -1 : 1))
    .map((group) => ({
      account: group.account,
      currency: group.currency,
      debit: formatMoney(group.debit, group.currency),
      credit: formatMoney(group.credit, group.currency),
      balance: formatMoney(group.debit.minus(group.credit), group.currency),
    }));
}

function addTo(
  groups: Map<string, { account: string; currency: string; debit: Decimal; credit: Decimal }>,
  account: string,
  currency: string,
  debit: Decimal,
  credit: Decimal,
): void {
  const key = `${currency}|${account}`;
  const group = groups.get(key) ?? { account, currency, debit: new Decimal(0), credit: new Decimal(0) };
  groups.set(key, { account, currency, debit: group.debit.plus(debit), credit: group.credit.plus(credit) });
}

/**
 * Debits, credits and balance (debit − credit) per account and currency as of `asOf`, in each
 * entry's own currency. Accounts that moved in base only (FX differences) are not listed in the
 * document currencies, where they hold nothing.
 */
export async function trialBalance(db: Executor, asOf: string, currency?: string, entityId?: string): Promise<AccountBalance[]> {
  const groups = new Map<string, { account: string; currency: string; debit: Decimal; credit: Decimal }>();
  for (const sums of await balanceSums(db, asOf, currency, entityId)) {
    if (sums.debit.isZero() && sums.credit.isZero()) continue;
    addTo(groups, sums.account, sums.currency, sums.debit, sums.credit);
  }
  return toBalances(groups);
}

/**
 * The trial balance in base (SPEC §10 `?in=base`): per account in each entity's base currency, every
 * entry at the amount it was converted to. `baseCurrencyOf` names an entity's base currency. The
 * sums of entries without a base amount (in another currency, posted before migration 0025) cannot
 * be shown: the answer names them in `missing` instead.
 */
export async function trialBalanceInBase(
  db: Executor,
  asOf: string,
  baseCurrencyOf: (entityId: string) => string,
  entityId?: string,
): Promise<{ balances: AccountBalance[]; missing: { entityId: string; currency: string }[] }> {
  const groups = new Map<string, { account: string; currency: string; debit: Decimal; credit: Decimal }>();
  const missing = new Map<string, { entityId: string; currency: string }>();
  for (const sums of await balanceSums(db, asOf, undefined, entityId)) {
    if (sums.baseDebit === null || sums.baseCredit === null) {
      missing.set(`${sums.entityId}|${sums.currency}`, { entityId: sums.entityId, currency: sums.currency });
      continue;
    }
    if (sums.baseDebit.isZero() && sums.baseCredit.isZero()) continue;
    addTo(groups, sums.account, baseCurrencyOf(sums.entityId), sums.baseDebit, sums.baseCredit);
  }
  return { balances: toBalances(groups), missing: [...missing.values()] };
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
  base_debit: string | null;
  base_credit: string | null;
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
    // As stored: with the base currency's decimals (toEntries writes them so).
    baseDebit: row.base_debit,
    baseCredit: row.base_credit,
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
      e.line, e.account, e.currency, e.debit, e.credit, e.base_debit, e.base_credit
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
      e.line, e.account, e.currency, e.debit, e.credit, e.base_debit, e.base_credit
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
