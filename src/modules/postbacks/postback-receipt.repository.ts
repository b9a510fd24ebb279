/** SQL for postback receipts: which transaction ids a source delivered, and with what content. */
import type { Tx } from '../../platform/database.ts';
import type { PostbackReceiptsTable } from './postback.table.ts';

/**
 * Records each receipt unless its source already has one for that txid; answers the txids this
 * call recorded. A concurrent transaction recording the same txid makes this one wait for it (the
 * primary key), so two copies of one postback never both go on to store a conversion. The rows go
 * in key order, so that two transactions claiming overlapping sets wait for each other in one
 * order and cannot deadlock. One source per call.
 */
export async function claimPostbackReceipts(trx: Tx, receipts: readonly PostbackReceiptsTable[]): Promise<Set<string>> {
  if (receipts.length === 0) return new Set();
  const ordered = [...receipts].sort((a, b) => (a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : 0));
  const inserted = await trx
    .insertInto('postback_receipts')
    .values(ordered)
    .onConflict((conflict) => conflict.columns(['source_id', 'txid']).doNothing())
    .returning('txid')
    .execute();
  return new Set(inserted.map((row) => row.txid));
}

/** The content hash of each of these txids that the source delivered before. */
export async function findPostbackReceiptHashes(trx: Tx, sourceId: string, txids: readonly string[]): Promise<Map<string, string>> {
  if (txids.length === 0) return new Map();
  const rows = await trx
    .selectFrom('postback_receipts')
    .select(['txid', 'content_hash'])
    .where('source_id', '=', sourceId)
    .where('txid', 'in', [...txids])
    .execute();
  return new Map(rows.map((row) => [row.txid, row.content_hash]));
}
