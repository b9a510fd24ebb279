/** SQL that reads conversions as partner postbacks report them. */
import type { Tx } from '../../platform/database.ts';
import type { PartnerPostbackConversion } from '../webhooks/index.ts';

/** These conversions, as stored now, that have a credited partner, each with the credited touch's click when the credit went to a click. */
export async function findCreditedConversionsForPostbacks(trx: Tx, conversionIds: readonly string[]): Promise<PartnerPostbackConversion[]> {
  const rows = await trx
    .selectFrom('conversions as conversion')
    // At most one touch of a conversion is credited.
    .leftJoin('conversion_touches as touch', (join) =>
      join.onRef('touch.conversion_id', '=', 'conversion.id').on('touch.credited', '=', true),
    )
    .select(['conversion.id', 'conversion.partner_id', 'conversion.event_type', 'conversion.status', 'touch.click_id'])
    .where('conversion.id', 'in', [...conversionIds])
    .where('conversion.partner_id', 'is not', null)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    partnerId: row.partner_id,
    eventType: row.event_type,
    status: row.status,
    clickId: row.click_id,
  }));
}
