/** SQL for postback receipts: which transaction ids a source delivered, and with what content. */
import type { Tx } from '../../platform/database.ts';
import type { PostbackReceiptsTable } from './postback.table.ts';

/**
 * Records a source's receipt of a txid unless one exists; true when this call recorded it. A
 * concurrent transaction recording the same txid makes this one wait for it (the primary key), so
 * two copies of one postback never both go on to store a conversion.
 */
export async function claimPostbackReceipt(trx: Tx, receipt: PostbackReceiptsTable): Promise<boolean> {
  const inserted = await trx
    .insertInto('postback_receipts')
    .values(receipt)
    .onConflict((conflict) => conflict.columns(['source_id', 'txid']).doNothing())
    .returning('txid')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The content hash a source's earlier postback of this txid carried. */
export async function findPostbackReceiptHash(trx: Tx, sourceId: string, txid: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('postback_receipts')
    .select('content_hash')
    .where('source_id', '=', sourceId)
    .where('txid', '=', txid)
    .executeTakeFirst();
  return row?.content_hash;
}
