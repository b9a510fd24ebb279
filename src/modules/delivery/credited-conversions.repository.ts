/**
 * Conversions with the partner each credits (SPEC §9): what an offer's partner payouts read, every
 * credited partner's conversions of the offer at once, grouped by the caller. A conversion credited
 * to no partner pays nobody and is left out.
 */
import type { Executor } from '../../platform/database.ts';
import type { RatedConversion } from '../rating/index.ts';
import { ratedConversionsOn, toRatedConversion } from './rating-delivery.repository.ts';

/** A conversion as rating reads it, with its contract and the partner it credits. */
export type CreditedConversion = RatedConversion & { contractId: string; partnerId: string };

/** The conversions of these contracts whose occurredAt falls on the dates from..to (UTC) and that credit a partner. */
export async function loadCreditedConversions(
  db: Executor,
  scope: { contractIds: readonly string[]; from: string; to: string },
): Promise<CreditedConversion[]> {
  if (scope.contractIds.length === 0) return [];
  const rows = await ratedConversionsOn(db, scope.from, scope.to)
    .select('partner_id')
    .where('contract_id', 'in', [...scope.contractIds])
    .where('partner_id', 'is not', null)
    .execute();
  return rows.map((row) => ({ ...toRatedConversion(row), partnerId: row.partner_id as string }));
}
