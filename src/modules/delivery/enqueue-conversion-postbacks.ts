/**
 * Tells partners about their conversions (SPEC §9, partner postbacks): intake and status changes
 * hand the conversions they wrote to the webhooks module's outbox, which calls each credited
 * partner's postbacks once per conversion and event (docs/affiliate/partner-postbacks.md). The
 * `{payout}` of a conversion is worked out only when the outbox asks for it: some postback of its
 * partner shows the macro (partner-postback-payouts.ts).
 */
import type { Tx } from '../../platform/database.ts';
import type { RatedConversion } from '../rating/index.ts';
import { anyPartnerPostbackFor, enqueuePartnerPostbacks } from '../webhooks/index.ts';
import { findCreditedConversionsForPostbacks } from './partner-postback-conversions.repository.ts';
import { flatPayoutsOf, type PayoutCandidate } from './partner-postback-payouts.ts';
import type { ScreenedConversion } from './screen-conversions.ts';

// Conversions read back per statement at most: a batch holds up to 10,000.
const readChunkRows = 5000;

/**
 * Queues `conversion.credited` for conversions intake has just stored, from the conversions as it
 * stored them (attributed, then screened: the status a scrub rule gave, if one decided): what a
 * read back would answer, without the read.
 */
export async function enqueueCreditedPostbacks(trx: Tx, now: Date, conversions: readonly ScreenedConversion[]): Promise<void> {
  await enqueuePartnerPostbacks(
    trx,
    now,
    conversions.map((conversion) => {
      const { creditedIndex, touches } = conversion.attribution;
      return {
        id: conversion.record.id,
        partnerId: conversion.partnerId,
        eventType: conversion.record.eventType,
        status: conversion.status,
        clickId: creditedIndex === null ? null : (touches[creditedIndex]?.clickId ?? null),
      };
    }),
    'conversion.credited',
    {
      payoutsOf: (asked) => {
        const stored = new Map(conversions.map((conversion) => [conversion.record.id, conversion]));
        return flatPayoutsOf(
          trx,
          asked.flatMap(({ id, partnerId }) => {
            const conversion = stored.get(id);
            return conversion === undefined
              ? []
              : [{ contractId: conversion.record.contractId, partnerId, conversion: ratedOf(conversion) }];
          }),
        );
      },
    },
  );
}

/** A conversion intake has just stored, as rating reads it once stored (rating-delivery.repository.ts, toRatedConversion). */
function ratedOf(conversion: ScreenedConversion): RatedConversion {
  const { record } = conversion;
  return {
    id: record.id,
    lineItem: record.lineItem,
    eventType: record.eventType,
    occurredAt: record.occurredAt,
    touch: conversion.touch,
    ...(record.value === undefined ? {} : { value: record.value }),
    attributes: (record.attributes ?? {}) as RatedConversion['attributes'],
    status: conversion.status,
  };
}

/**
 * Queues `conversion.reversed` for conversions a status change has just reversed, read back as
 * stored now (the status change knows their ids, not their partners, events or clicks). Reads
 * nothing when no active postback subscribes to reversals.
 */
export async function enqueueReversedPostbacks(trx: Tx, now: Date, reversedIds: readonly string[]): Promise<void> {
  if (reversedIds.length === 0 || !(await anyPartnerPostbackFor(trx, 'conversion.reversed'))) return;
  const ids = [...new Set(reversedIds)];
  for (let offset = 0; offset < ids.length; offset += readChunkRows) {
    const conversions = await findCreditedConversionsForPostbacks(trx, ids.slice(offset, offset + readChunkRows));
    const candidates = new Map<string, PayoutCandidate>(conversions.map((conversion) => [conversion.id, conversion.candidate]));
    await enqueuePartnerPostbacks(trx, now, conversions, 'conversion.reversed', {
      // The same rule as at intake, applied to the conversion as stored now.
      payoutsOf: (asked) =>
        flatPayoutsOf(
          trx,
          asked.flatMap(({ id }) => candidates.get(id) ?? []),
        ),
    });
  }
}
