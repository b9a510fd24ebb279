/**
 * Tells partners about their conversions (SPEC §9, partner postbacks): intake and status changes
 * hand the conversions they wrote to the webhooks module's outbox, which calls each credited
 * partner's postbacks once per conversion and event (docs/affiliate/partner-postbacks.md).
 */
import type { Tx } from '../../platform/database.ts';
import { anyPartnerPostbackFor, enqueuePartnerPostbacks, type PartnerPostbackEvent } from '../webhooks/index.ts';
import { findCreditedConversionsForPostbacks } from './partner-postback-conversions.repository.ts';

// Conversions read back per statement at most: a batch holds up to 10,000.
const readChunkRows = 5000;

/**
 * Queues the partner postbacks of these conversions as they are stored now (after attribution,
 * scrub rules and status changes in the caller's transaction): `conversion.credited` for those with
 * a credited partner, `conversion.reversed` for those among them whose status is reversed. Reads
 * nothing when no active postback subscribes to the event.
 */
export async function enqueueConversionPostbacks(
  trx: Tx,
  now: Date,
  conversionIds: readonly string[],
  event: PartnerPostbackEvent,
): Promise<void> {
  if (conversionIds.length === 0 || !(await anyPartnerPostbackFor(trx, event))) return;
  const ids = [...new Set(conversionIds)];
  for (let offset = 0; offset < ids.length; offset += readChunkRows) {
    const conversions = await findCreditedConversionsForPostbacks(trx, ids.slice(offset, offset + readChunkRows), {
      reversedOnly: event === 'conversion.reversed',
    });
    await enqueuePartnerPostbacks(trx, now, conversions, event);
  }
}
