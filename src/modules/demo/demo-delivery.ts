/**
 * Delivery for the demo book: two months of CTV impressions (first and third party, served by the
 * demo publisher) and retail conversions brought by the demo affiliate, so that a new user sees
 * charges, a billing run and invoices at once. Generated from a fixed seed: every demo is the same.
 */
import { addDays, endOfMonth } from '../../platform/dates.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { listDates } from '../../platform/periods.ts';
import type { ConversionRecord, ImpressionRecord } from '../delivery/index.ts';
import { ingestConversions } from '../delivery/index.ts';
import { ingestImpressions } from '../delivery/index.ts';
import type { DemoDates } from './demo-book.ts';

/** mulberry32: small and seedable, so the demo's figures never change between installs. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** The most records the ingestion routes take in one batch, and so what the demo sends at once. */
const batchRecordsMax = 10_000;

/** Ingests `records` in batches of the API's size, one after another. */
export async function inBatches<T>(records: readonly T[], ingest: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < records.length; start += batchRecordsMax) await ingest(records.slice(start, start + batchRecordsMax));
}

export interface DemoDeliveryTargets {
  /** The order priced from the rate card: impressions on its cpm line, completed views on its cpcv line. */
  cardPricedContractId: string;
  /** From this date, the makegood line prime-from-card-mg1 delivers at no charge. */
  makegoodFrom: string;
  ctvContractId: string;
  cpaContractId: string;
  publisherId: string;
  affiliateId: string;
}

/** Loads last month's and this month's delivery (up to yesterday) through the ingestion use cases. */
export async function seedDemoDelivery(
  context: UseCaseContext,
  d: DemoDates,
  targets: DemoDeliveryTargets,
): Promise<{ impressions: number; conversions: number }> {
  const random = seeded(20261001);
  const days = demoDeliveryDays(d);
  const impressions: ImpressionRecord[] = [];
  for (const date of days) {
    for (const [lineItem, base] of [
      ['ctv-prime', 45_000],
      ['ctv-run-of-network', 160_000],
    ] as const) {
      const counted = Math.round(base * (0.8 + random() * 0.4));
      // The measurement vendor counts a little lower, once in a while a lot lower.
      const thirdParty = Math.round(counted * (random() < 0.05 ? 0.8 : 0.97 + random() * 0.02));
      impressions.push({
        contractId: targets.ctvContractId,
        lineItem,
        date,
        source: 'first_party',
        impressions: counted,
        partnerId: targets.publisherId,
      });
      impressions.push({
        contractId: targets.ctvContractId,
        lineItem,
        date,
        source: 'third_party',
        impressions: thirdParty,
        partnerId: targets.publisherId,
      });
    }
  }
  for (const date of days) {
    const prime = Math.round(30_000 * (0.8 + random() * 0.4));
    impressions.push({
      contractId: targets.cardPricedContractId,
      lineItem: 'prime-from-card',
      date,
      source: 'first_party',
      impressions: prime,
    });
    if (date >= targets.makegoodFrom) {
      const madeGood = Math.round(8_000 * (0.8 + random() * 0.4));
      impressions.push({
        contractId: targets.cardPricedContractId,
        lineItem: 'prime-from-card-mg1',
        date,
        source: 'first_party',
        impressions: madeGood,
      });
    }
    // About 70 % of the spots on the completed-views line play to the end.
    const served = Math.round(20_000 * (0.8 + random() * 0.4));
    impressions.push({
      contractId: targets.cardPricedContractId,
      lineItem: 'completed-views',
      date,
      source: 'first_party',
      impressions: served,
      completedViews: Math.round(served * (0.65 + random() * 0.1)),
    });
  }
  const conversions: ConversionRecord[] = [];
  for (const date of days) {
    const count = 3 + Math.floor(random() * 6);
    for (let index = 0; index < count; index++) {
      const hour = String(8 + Math.floor(random() * 12)).padStart(2, '0');
      const occurredAt = `${date}T${hour}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00Z`;
      const subscription = random() < 0.2;
      conversions.push({
        id: `demo-${date}-${index}`,
        contractId: targets.cpaContractId,
        lineItem: 'retail-conversions',
        partnerId: targets.affiliateId,
        eventType: subscription ? 'subscription' : 'purchase',
        occurredAt,
        touch: { type: random() < 0.7 ? 'click' : 'view', at: `${addDays(date, -1)}T${hour}:00:00Z` },
        value: subscription ? '120.00' : (20 + Math.floor(random() * 180)).toFixed(2),
        attributes: { country: random() < 0.85 ? 'US' : 'CA', newCustomer: random() < 0.5 },
        status: random() < 0.9 ? 'approved' : 'pending',
      });
    }
  }
  await inBatches(impressions, (batch) => ingestImpressions(context, batch, newId('bat')));
  await inBatches(conversions, (batch) => ingestConversions(context, batch, newId('bat')));
  return { impressions: impressions.length, conversions: conversions.length };
}

/** The days the demo has delivery for: from the first of last month to yesterday. */
export function demoDeliveryDays(d: DemoDates): string[] {
  const lastMonthStart = addDays(d.monthStart, -1).slice(0, 8) + '01';
  const yesterday = addDays(d.today, -1);
  return yesterday < lastMonthStart ? [] : listDates(lastMonthStart, yesterday);
}

/** The month before today's, `YYYY-MM`: what the demo bills. */
export function demoBilledMonth(d: DemoDates): string {
  return endOfMonth(addDays(d.monthStart, -1)).slice(0, 7);
}
