/**
 * SQL that every kind of batch intake (impressions, clicks, conversions) shares: the batch's
 * per-contract locks, and look-ups by id sized for the primary key.
 */
import { sql } from 'kysely';
import type { Tx } from '../../platform/database.ts';

/** What a batch takes in; each kind has its own locks, so that a click batch never waits on conversions. */
export type IntakeKind = 'impressions' | 'clicks' | 'conversions';

/**
 * Takes a batch's per-contract locks of one kind in sorted order: ingesters of the same contracts
 * queue behind each other, so that two batches never lock the same rows in opposite orders. One
 * statement for all of the batch's contracts (a daily feed names thousands of contracts, a batch of
 * conversions in time order every offer: one statement each was a third of an impression batch, and
 * 100 round trips of a conversion batch).
 */
export async function lockIntakeContracts(trx: Tx, kind: IntakeKind, contractIds: Iterable<string>): Promise<void> {
  const keys = [...new Set(contractIds)].sort().map((contractId) => `${kind}:${contractId}`);
  await sql`select pg_advisory_xact_lock(hashtext(key)) from unnest(${keys}::text[]) with ordinality as locks(key, position) order by position`.execute(
    trx,
  );
}

/**
 * Ids per statement when looking rows up by id (one array parameter, `id = any($1::text[])`). Few
 * enough that PostgreSQL always probes the primary key: from about 5,000 ids it scanned a table of
 * a million clicks in parallel instead, at every batch (found at 1.3 million clicks with 10,000).
 */
const idsPerQuery = 1_000;

/** Reads the rows of these ids (each asked once), `idsPerQuery` ids to a statement. */
export async function readByIds<Row>(ids: readonly string[], read: (chunk: string[]) => Promise<Row[]>): Promise<Row[]> {
  const unique = [...new Set(ids)];
  const rows: Row[] = [];
  for (let offset = 0; offset < unique.length; offset += idsPerQuery)
    rows.push(...(await read(unique.slice(offset, offset + idsPerQuery))));
  return rows;
}
