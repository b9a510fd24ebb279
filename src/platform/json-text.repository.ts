/**
 * SQL fragments that write an answer's JSON text in PostgreSQL, byte for byte as the API's own
 * serializer writes it (JSON.stringify's compact form, instants as `Date#toISOString`, money with
 * the currency's decimals). The busiest lists (contracts, invoices) are built this way in one
 * statement, so that the server passes one string through instead of parsing rows into objects and
 * serializing them again (docs/benchmarks.md §6, "Reads with the read cache off"). The test suites
 * parse every such answer, validate it with its zod schema and require zod's text to be the same
 * (src/http/serializer.ts), so a fragment that drifts from the serializer fails there.
 *
 * Objects are written by row_to_json and arrays by array_to_json, which write compact JSON;
 * json_build_object, json_agg and jsonb's text are not used: they write `"key" : value` and `, `.
 */
import { type RawBuilder, sql } from 'kysely';
import { type Executor, preparedStatementMarker } from './database.ts';
import { currencyCodes } from '../wire/currencies.ts';
import { minorUnitsOrThrow } from '../wire/money.ts';

/**
 * A JSON object of the fields given, in their order: `{"name":value,…}` as row_to_json writes a row
 * (compact, as JSON.stringify). Text becomes a JSON string (PostgreSQL escapes what JSON.stringify
 * escapes, the same way), integers and booleans stay themselves, a date is `YYYY-MM-DD`, SQL null is
 * null, a text[] an array of strings, and a json value (another object) is written as it is. Money
 * and instants must be given as text (moneyTextSql, instantTextSql): row_to_json would write a
 * numeric as a JSON number and an instant with its offset. The names are this file's callers'
 * constants, quoted as identifiers.
 */
export function jsonObjectSql(fields: Record<string, RawBuilder<unknown>>): RawBuilder<unknown> {
  const columns = Object.entries(fields).map(([name, value]) => sql`${value} as ${sql.id(name)}`);
  return sql`(select row_to_json(o) from (select ${sql.join(columns)}) as o)`;
}

/**
 * The JSON array of `item` (a json value, e.g. jsonObjectSql over the table's alias) for each row of
 * `from` (`table alias where …`), in `orderBy` order; `[]` for none. array_to_json writes it compact.
 */
export function jsonArraySql(item: RawBuilder<unknown>, from: RawBuilder<unknown>, orderBy: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`coalesce((select array_to_json(array_agg(${item} order by ${orderBy})) from ${from}), '[]'::json)`;
}

/**
 * An instant (timestamptz) as the API writes it, `2026-11-25T12:00:00.128Z` (milliseconds, the rest
 * of the fraction dropped, as Date and src/platform/instants.ts do), as text; null stays null.
 */
export function instantTextSql(instant: RawBuilder<unknown>): RawBuilder<string | null> {
  return sql`to_char((${instant}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

// The currencies by minor unit, from the one table the server and the web app share: the largest
// group (2 decimals) is asked last. A code outside the table is refused loudly, as formatMoney does.
const codesByMinorUnits = new Map<number, string[]>();
for (const code of currencyCodes) {
  const minorUnits = minorUnitsOrThrow(code);
  codesByMinorUnits.set(minorUnits, [...(codesByMinorUnits.get(minorUnits) ?? []), code]);
}
const minorUnitGroups = [...codesByMinorUnits.entries()].sort((a, b) => a[1].length - b[1].length);

/**
 * The ISO 4217 minor unit of a currency column, as an integer. An unknown code fails the statement
 * (`invalid input syntax for type integer: "unknown currency code XYZ"`), never a guessed 2. The
 * codes are the constant table's, [A-Z]{3}, so writing them into the statement is safe.
 */
export function minorUnitsSql(currency: RawBuilder<unknown>): RawBuilder<number> {
  const branches = minorUnitGroups.map(
    ([minorUnits, codes]) => sql`when ${currency} = any(${sql.raw(`'{${codes.join(',')}}'::text[]`)}) then ${sql.raw(String(minorUnits))}`,
  );
  return sql<number>`(case ${sql.join(branches, sql` `)} else ('unknown currency code ' || ${currency})::integer end)`;
}

/**
 * An exact amount (numeric) rounded half-to-even to `minorUnits` decimals, with exactly that many
 * (as src/wire/money.ts formatMoney rounds). PostgreSQL's round() breaks ties away from zero, so a
 * tie is settled here: an amount exactly halfway whose truncation is even keeps the truncation.
 * numeric has no negative zero, so `-0.004` becomes `0.00`, as formatMoney prints it.
 */
export function roundMoneySql(amount: RawBuilder<unknown>, minorUnits: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`(case
    when scale(${amount}) > ${minorUnits}
      and abs(${amount} - trunc(${amount}, ${minorUnits})) * power(10::numeric, ${minorUnits}) = 0.5
      and mod(trunc(${amount}, ${minorUnits}) * power(10::numeric, ${minorUnits}), 2) = 0
    then trunc(${amount}, ${minorUnits})
    else round(${amount}, ${minorUnits}) end)`;
}

/** An exact amount as formatMoney writes it (see roundMoneySql), as text; null stays null. */
export function moneyTextSql(amount: RawBuilder<unknown>, minorUnits: RawBuilder<unknown>): RawBuilder<string | null> {
  return sql`${roundMoneySql(amount, minorUnits)}::text`;
}

/** A page of a list whose items' JSON text PostgreSQL wrote: the items as one JSON array, and the key of the last one when more follow. */
export interface WrittenPage {
  itemsJson: string;
  /** The last item's key when another page follows (the cursor's content), else null. */
  nextKey: string | null;
}

/**
 * The most rows a written page's `rows` may select: a constant in the statement's text (the page's
 * own limit is a parameter). With only a parameter, PostgreSQL's plan for the prepared statement
 * (made once, for any value) would expect a tenth of the table and look dearer than planning
 * again on every request, so it would plan again on every request; under this constant it expects
 * a tenth of it and keeps the one plan. Larger than any page (src/http/pagination.ts: 500).
 */
export const writtenPageRowsMax = sql.lit(501);

/**
 * Writes a page in one statement. `rows` selects rows ordered by a text column `key`, at most
 * writtenPageRowsMax of them (`… order by … limit ${writtenPageRowsMax}`); the page is the first
 * `limit` of them, and one more is read to know whether another page follows (as
 * src/http/pagination.ts toPage reads it). `item` writes one row `r` as a json value. The rows are
 * selected before their text is written, so the text is written for the page's rows only, whatever
 * plan finds them. The statement is prepared on its connection (src/platform/database.ts,
 * preparedStatementMarker): PostgreSQL plans it once instead of on every request, which for the
 * invoice list cost as much as executing it.
 */
export async function selectWrittenPage(
  db: Executor,
  page: { rows: RawBuilder<unknown>; item: RawBuilder<unknown>; limit: number },
): Promise<WrittenPage> {
  const result = await sql<{ items: string; fetched: number; last_key: string | null }>`${sql.raw(preparedStatementMarker)}
    select coalesce(string_agg(w.item::text, ',' order by w.n) filter (where w.n <= ${page.limit}), '') as items,
      count(*)::int as fetched, min(w.key) filter (where w.n = ${page.limit}) as last_key
    from (select row_number() over (order by r.key) as n, r.key, ${page.item} as item
      from (select * from (${page.rows}) as l order by l.key limit ${page.limit + 1}) as r) as w`.execute(db);
  const row = result.rows[0];
  if (row === undefined) throw new Error('an aggregate answered no row');
  return { itemsJson: `[${row.items}]`, nextKey: row.fetched > page.limit ? row.last_key : null };
}
