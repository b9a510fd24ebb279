/**
 * Conversions with the partner each credits (SPEC §9): what an offer's partner payouts read, every
 * credited partner's conversions of the offer at once, grouped by the caller. A conversion credited
 * to no partner pays nobody and is left out.
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';
import { addDays } from '../../platform/dates.ts';
import type { RatedConversion } from '../rating/index.ts';

/** A conversion as rating reads it, with its contract and the partner it credits. */
export type CreditedConversion = RatedConversion & { contractId: string; partnerId: string };

/** The conversions of these contracts whose occurredAt falls on the dates from..to (UTC) and that credit a partner. */
export async function loadCreditedConversions(
  db: Executor,
  scope: { contractIds: readonly string[]; from: string; to: string },
): Promise<CreditedConversion[]> {
  if (scope.contractIds.length === 0) return [];
  const rows = await db
    .selectFrom('conversions')
    .select([
      'id',
      'contract_id',
      'partner_id',
      'line_item',
      'event_type',
      'occurred_at',
      'touch_type',
      'touch_at',
      'value',
      'attributes',
      'status',
    ])
    .where('contract_id', 'in', [...scope.contractIds])
    .where('partner_id', 'is not', null)
    .where('occurred_at', '>=', sql<string>`${scope.from}::timestamptz`)
    .where('occurred_at', '<', sql<string>`${addDays(scope.to, 1)}::timestamptz`)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    contractId: row.contract_id,
    partnerId: row.partner_id as string,
    lineItem: row.line_item,
    eventType: row.event_type,
    occurredAt: row.occurred_at,
    touch: { type: row.touch_type, at: row.touch_at },
    ...(row.value === null ? {} : { value: row.value }),
    attributes: row.attributes as RatedConversion['attributes'],
    // A status rating does not know (a scrub hold) is never billable, whatever billOn says.
    status: row.status,
  }));
}
