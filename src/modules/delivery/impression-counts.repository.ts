/** SQL that writes impression counts: a COPY of a batch of new counts, or the one-statement upsert. */
import { sql } from 'kysely';
import { copyRowsIn, copyText } from '../../platform/copy-rows.ts';
import type { Tx } from '../../platform/database.ts';
import type { ImpressionRecord } from './delivery.ts';

/** Who wrote a batch of counts, and when. */
export interface ImpressionBatchStamp {
  batchId: string;
  recordedAt: string;
  recordedBy: string;
}

/**
 * Writes the records with one statement: the new counts for each key win, a change of any of them
 * (impressions, completed views, clicks) is a restatement (the next revision; the database moves the
 * row it replaces into impression_history, migrations 0008 and 0012), equal counts are unchanged
 * and write nothing. Returns how many rows were inserted and how many restated.
 *
 * The upsert itself finds the current count: its conflict check is a primary-key lookup, so the
 * plan does not depend on the table's statistics (a separate join to the current counts turned
 * into a sequential scan of the whole table when a load had outgrown them, and PGlite never
 * analyses on its own). A row comes back when it was inserted (revision 1) or restated; an equal
 * count is left alone by the conflict's `where` and does not come back.
 */
export async function upsertImpressionCounts(
  trx: Tx,
  records: readonly ImpressionRecord[],
  stamp: ImpressionBatchStamp,
): Promise<{ created: number; restated: number }> {
  // A batch without completed views or clicks (most feeds: impressions only) sends no arrays of
  // zeros: the columns' default 0 is what `excluded` holds, so a record restated without them is
  // restated to 0 all the same. Two more arrays of 10,000 were a tenth of the write statement.
  const withCtvCounts = records.some((record) => (record.completedViews ?? 0) !== 0 || (record.clicks ?? 0) !== 0);
  const ctvColumns = withCtvCounts ? sql`, completed_views, clicks` : sql``;
  const ctvArrays = withCtvCounts
    ? sql`, ${records.map((record) => record.completedViews ?? 0)}::bigint[], ${records.map((record) => record.clicks ?? 0)}::bigint[]`
    : sql``;
  const result = await sql<{ created: number; restated: number }>`
    with written as (
      insert into impression_counts (contract_id, line_item, date, source, partner_id, impressions${ctvColumns},
        revision, recorded_at, batch_id, recorded_by)
      select contract_id, line_item, date, source, partner_id, impressions${ctvColumns},
        1, ${stamp.recordedAt}::timestamptz, ${stamp.batchId}, ${stamp.recordedBy}
      from unnest(
        ${records.map((record) => record.contractId)}::text[],
        ${records.map((record) => record.lineItem)}::text[],
        ${records.map((record) => record.date)}::date[],
        ${records.map((record) => record.source)}::text[],
        ${records.map((record) => record.partnerId ?? '')}::text[],
        ${records.map((record) => record.impressions)}::bigint[]${ctvArrays}
      ) as input(contract_id, line_item, date, source, partner_id, impressions${ctvColumns})
      on conflict (contract_id, line_item, date, source, partner_id)
      do update set impressions = excluded.impressions, completed_views = excluded.completed_views, clicks = excluded.clicks,
        revision = impression_counts.revision + 1, recorded_at = excluded.recorded_at,
        batch_id = excluded.batch_id, recorded_by = excluded.recorded_by
      where (impression_counts.impressions, impression_counts.completed_views, impression_counts.clicks)
        <> (excluded.impressions, excluded.completed_views, excluded.clicks)
      returning revision
    )
    select count(*) filter (where revision = 1)::int as created, count(*) filter (where revision > 1)::int as restated
    from written`.execute(trx);
  return result.rows[0] ?? { created: 0, restated: 0 };
}

/**
 * Why a COPY of new counts gives way to the upsert: PostgreSQL's unique_violation (a key that
 * impression_counts already holds, or one the batch holds twice), and deadlock_detected (two
 * batches inserting the same new keys in opposite orders, each waiting for the other's commit).
 */
const copyGivesWayTo = new Set(['23505', '40P01']);

/** A batch of new counts as COPY takes them: the columns and the rows in COPY's text format. */
export interface ImpressionCountsCopy {
  columns: string;
  rows: string;
}

/** The records as the rows of a COPY into impression_counts (revision 1). */
export function impressionCountsCopy(records: readonly ImpressionRecord[], stamp: ImpressionBatchStamp): ImpressionCountsCopy {
  const withCtvCounts = records.some((record) => (record.completedViews ?? 0) !== 0 || (record.clicks ?? 0) !== 0);
  const tail = `\t1\t${stamp.recordedAt}\t${copyText(stamp.batchId)}\t${copyText(stamp.recordedBy)}\n`;
  // Records name few contracts and line items many times over: each text is escaped once.
  const escaped = new Map<string, string>();
  const text = (value: string): string => {
    let result = escaped.get(value);
    if (result === undefined) escaped.set(value, (result = copyText(value)));
    return result;
  };
  let rows = '';
  for (const record of records) {
    rows += `${text(record.contractId)}\t${text(record.lineItem)}\t${record.date}\t${record.source}\t${record.partnerId === undefined ? '' : text(record.partnerId)}\t${record.impressions}`;
    if (withCtvCounts) rows += `\t${record.completedViews ?? 0}\t${record.clicks ?? 0}`;
    rows += tail;
  }
  const ctvColumns = withCtvCounts ? ', completed_views, clicks' : '';
  return {
    columns: `contract_id, line_item, date, source, partner_id, impressions${ctvColumns}, revision, recorded_at, batch_id, recorded_by`,
    rows,
  };
}

/**
 * Writes a batch whose keys are all new with one COPY into impression_counts (revision 1): the
 * store's bulk path, which inserts rows many at a time where the upsert inserts them one by one
 * after a look-up each. Answers false, having written nothing, when a key is already there (a
 * restatement or an unchanged count) or the batch holds a key twice: the COPY runs under a
 * savepoint, and the unique violation of the primary key rolls it back to there, so that the caller
 * can write the batch with the upsert. No contract lock is held: a key that another batch has
 * inserted and not yet committed makes the COPY wait for that commit and then refuses it, and two
 * batches that would wait for each other are told apart by PostgreSQL's deadlock check, which
 * refuses one of them; either way the refused batch rolls back to the savepoint and takes the upsert.
 */
export async function copyNewImpressionCounts(trx: Tx, copy: ImpressionCountsCopy): Promise<boolean> {
  await sql`savepoint impression_counts_copy`.execute(trx);
  try {
    await copyRowsIn(trx, `copy impression_counts (${copy.columns}) from stdin`, copy.rows);
  } catch (error) {
    if (!copyGivesWayTo.has(String((error as { code?: unknown } | null)?.code))) throw error;
    await sql`rollback to savepoint impression_counts_copy`.execute(trx);
    await sql`release savepoint impression_counts_copy`.execute(trx);
    return false;
  }
  await sql`release savepoint impression_counts_copy`.execute(trx);
  return true;
}
