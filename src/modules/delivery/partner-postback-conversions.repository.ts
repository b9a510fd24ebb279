/** SQL that reads conversions as partner postbacks report them. */
import type { Tx } from '../../platform/database.ts';
import type { PartnerPostbackConversion } from '../webhooks/index.ts';
import type { PayoutCandidate } from './partner-postback-payouts.ts';
import { toRatedConversion } from './rating-delivery.repository.ts';

/** A conversion as a postback reports it, with what its `{payout}` is worked out from. */
export type StoredPostbackConversion = PartnerPostbackConversion & { partnerId: string; candidate: PayoutCandidate };

/**
 * These conversions, as stored now, that have a credited partner, each with the credited touch's
 * click when the credit went to a click, and as rating reads it (for `{payout}`: the same row, a
 * few more columns).
 */
export async function findCreditedConversionsForPostbacks(trx: Tx, conversionIds: readonly string[]): Promise<StoredPostbackConversion[]> {
  const rows = await trx
    .selectFrom('conversions as conversion')
    // At most one touch of a conversion is credited.
    .leftJoin('conversion_touches as touch', (join) =>
      join.onRef('touch.conversion_id', '=', 'conversion.id').on('touch.credited', '=', true),
    )
    .select([
      'conversion.id',
      'conversion.contract_id',
      'conversion.line_item',
      'conversion.partner_id',
      'conversion.event_type',
      'conversion.occurred_at',
      'conversion.touch_type',
      'conversion.touch_at',
      'conversion.value',
      'conversion.attributes',
      'conversion.status',
      'touch.click_id',
    ])
    .where('conversion.id', 'in', [...conversionIds])
    .where('conversion.partner_id', 'is not', null)
    .execute();
  return rows.map((row) => {
    const partnerId = row.partner_id as string;
    return {
      id: row.id,
      partnerId,
      eventType: row.event_type,
      status: row.status,
      clickId: row.click_id,
      candidate: { contractId: row.contract_id, partnerId, conversion: toRatedConversion(row) },
    };
  });
}
