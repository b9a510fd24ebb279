/**
 * Properties of delivery ingestion seen through the charges preview, over random delivery sent
 * through HTTP: a resent batch changes nothing, the order of batches and of records inside them
 * does not change the preview, and every amount carries exactly the currency's decimals. Each run
 * goes through the API, so runs are few; one harness serves every run of a property, each run on
 * fresh contracts.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { Decimal, currencyMinorUnits } from '../../src/wire/money.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  type Cast,
  type ConversionInput,
  type ImpressionInput,
  type Preview,
  addDaysUtc,
  castOf,
  createApprovedContract,
  createParty,
  postConversions,
  postImpressions,
  preview,
} from '../support/scenario-helpers.ts';
import { scaledCount } from '../support/test-scale.ts';

const numRuns = scaledCount('TALLY_DELIVERY_PROPERTY_RUNS', 6, 100);
const firstDay = '2026-10-01';
const lastDay = '2026-11-30';

/** Terms where order could matter if ingestion got it wrong: caps by occurredAt, tiers, a hybrid, a contract cap and a fee. */
const orderSensitiveTerms = {
  startDate: firstDay,
  endDate: lastDay,
  currency: 'USD',
  billingPeriod: 'calendar_month',
  budgetCap: '20000.00',
  fees: [{ key: 'agency-commission', kind: 'percent_of_media', percent: '-7.5' }],
  lineItems: [
    { key: 'display', name: 'Display', billingSource: 'lesser_of', pricing: { model: 'cpm', ratePerMille: '12.50' } },
    {
      key: 'tiered',
      name: 'Tiered',
      pricing: {
        model: 'cpm',
        tierMode: 'graduated',
        tierBasis: 'period',
        tiers: [
          { upTo: 5000, ratePerMille: '20.00', flatAmount: '15.00' },
          { upTo: null, ratePerMille: '8.00' },
        ],
      },
    },
    {
      key: 'sales',
      name: 'Sales',
      pricing: {
        model: 'cpa',
        events: [
          { eventType: 'purchase', amount: '30.00' },
          { eventType: 'subscription', revenueSharePercent: '12.5' },
        ],
        attribution: { viewWindowDays: 1, clickWindowDays: 7 },
        eligibility: { countries: ['US'] },
        caps: { conversionsPerDay: 2, conversionsPerPeriod: 6 },
        billOn: 'approved',
      },
    },
    {
      key: 'hybrid',
      name: 'Hybrid',
      pricing: {
        model: 'hybrid',
        combine: 'greater_of',
        cpm: { model: 'cpm', ratePerMille: '10.00' },
        cpa: {
          model: 'cpa',
          events: [{ eventType: 'purchase', amount: '3.00' }],
          attribution: { viewWindowDays: 1, clickWindowDays: 7 },
          caps: { conversionsPerDay: 1, conversionsPerPeriod: null },
        },
      },
    },
  ],
};

/** Impression records without a contract, unique by (line item, date, source) so that no two restate each other. */
const impressionDrafts = fc.uniqueArray(
  fc.record({
    lineItem: fc.constantFrom('display', 'tiered', 'hybrid'),
    day: fc.integer({ min: 0, max: 60 }),
    source: fc.constantFrom('first_party' as const, 'third_party' as const),
    impressions: fc.integer({ min: 0, max: 9_000 }),
  }),
  { minLength: 1, maxLength: 24, selector: (record) => `${record.lineItem}|${record.day}|${record.source}` },
);

/** Conversion records without ids or a contract; few distinct hours, so that occurredAt ties (broken by id) are common. */
const conversionDrafts = fc.array(
  fc.record({
    lineItem: fc.constantFrom('sales', 'hybrid'),
    eventType: fc.constantFrom('purchase', 'subscription'),
    // A few days at the start of each month, so that the per-day and per-period caps bite.
    day: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 31, max: 33 })),
    hour: fc.integer({ min: 0, max: 2 }),
    touchType: fc.constantFrom('view' as const, 'click' as const),
    touchHoursBefore: fc.integer({ min: 0, max: 40 }),
    valueCents: fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: undefined }),
    country: fc.constantFrom('US', 'US', 'US', 'CA'),
    status: fc.constantFrom('pending' as const, 'approved' as const, 'approved' as const),
  }),
  { minLength: 1, maxLength: 60, size: 'max' },
);

type ImpressionDraft = typeof impressionDrafts extends fc.Arbitrary<(infer T)[]> ? T : never;
type ConversionDraft = typeof conversionDrafts extends fc.Arbitrary<(infer T)[]> ? T : never;

function impressionOf(contractId: string, draft: ImpressionDraft): ImpressionInput {
  return {
    contractId,
    lineItem: draft.lineItem,
    date: addDaysUtc(firstDay, draft.day),
    source: draft.source,
    impressions: draft.impressions,
  };
}

/** A conversion with the sender id `${prefix}${index}`; ids stay globally unique, as the API requires. */
function conversionOf(contractId: string, prefix: string, index: number, draft: ConversionDraft): ConversionInput {
  const occurredAt = `${addDaysUtc(firstDay, draft.day)}T0${draft.hour}:00:00Z`;
  const record: ConversionInput = {
    id: `${prefix}${String(index).padStart(3, '0')}`,
    contractId,
    lineItem: draft.lineItem,
    eventType: draft.eventType,
    occurredAt,
    touch: { type: draft.touchType, at: new Date(Date.parse(occurredAt) - draft.touchHoursBefore * 3_600_000).toISOString() },
    attributes: { country: draft.country },
    status: draft.status,
  };
  if (draft.valueCents !== undefined) record.value = new Decimal(draft.valueCents).div(100).toFixed(2);
  return record;
}

/** Cuts records into consecutive batches of at most `size` (at least one batch, none empty). */
function batches<T>(records: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let offset = 0; offset < records.length; offset += size) result.push(records.slice(offset, offset + size));
  return result;
}

/** The records reordered by one random sort key each. */
function reorder<T>(records: readonly T[], keys: readonly number[]): T[] {
  return records
    .map((record, index) => ({ record, key: keys[index % keys.length]!, index }))
    .sort((a, b) => a.key - b.key || b.index - a.index)
    .map((entry) => entry.record);
}

/** The preview as text with what differs between two contracts of identical terms taken out. */
function comparable(result: Preview, conversionPrefix: string): string {
  const { contractId: _contractId, ...rest } = result;
  return JSON.stringify(rest).replaceAll(conversionPrefix, 'CONV-');
}

let runSequence = 0;
/** A fresh, short tag per run: conversion ids of different runs never meet. */
function nextTag(): string {
  runSequence += 1;
  return `p${String(runSequence).padStart(4, '0')}`;
}

async function withHarness(body: (cast: Cast, advertiserId: string) => Promise<void>): Promise<void> {
  const h: Harness = await startHarness({ today: '2026-11-25' });
  try {
    const cast = await castOf(h);
    await body(cast, await createParty(cast, 'advertiser', 'Property Advertiser'));
  } finally {
    await h.close();
  }
}

describeStore('delivery properties through the preview', () => {
  it('re-sending any impression or conversion batch changes nothing', async () => {
    await withHarness(async (cast, advertiserId) => {
      await fc.assert(
        fc.asyncProperty(
          impressionDrafts,
          conversionDrafts,
          fc.integer({ min: 1, max: 10 }),
          async (impressionList, conversionList, batchSize) => {
            const tag = nextTag();
            const contractId = await createApprovedContract(cast, advertiserId, 'sell', `Resend ${tag}`, orderSensitiveTerms);
            const impressionBatches = batches(
              impressionList.map((draft) => impressionOf(contractId, draft)),
              batchSize,
            );
            const conversionBatches = batches(
              conversionList.map((draft, index) => conversionOf(contractId, `${tag}-`, index, draft)),
              batchSize,
            );
            for (const batch of impressionBatches) expect((await postImpressions(cast, batch)).created).toBe(batch.length);
            for (const batch of conversionBatches) expect((await postConversions(cast, batch)).created).toBe(batch.length);
            const before = await preview(cast, contractId, firstDay, lastDay);

            for (const batch of impressionBatches) {
              expect(await postImpressions(cast, batch)).toEqual({
                accepted: batch.length,
                created: 0,
                restated: 0,
                unchanged: batch.length,
              });
            }
            const auditEntries = await cast.h.count('audit_entries');
            const conversionRows = await cast.h.count('conversions');
            for (const batch of conversionBatches) {
              expect(await postConversions(cast, batch)).toEqual({ accepted: batch.length, created: 0, duplicates: batch.length });
            }
            // A pure resend of conversions writes nothing at all, not even an audit entry.
            expect(await cast.h.count('audit_entries')).toBe(auditEntries);
            expect(await cast.h.count('conversions')).toBe(conversionRows);
            expect(await preview(cast, contractId, firstDay, lastDay)).toEqual(before);
          },
        ),
        { numRuns },
      );
    });
  });

  it('the order of batches, and of records inside them, does not change the preview', async () => {
    await withHarness(async (cast, advertiserId) => {
      await fc.assert(
        fc.asyncProperty(
          impressionDrafts,
          conversionDrafts,
          fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
          fc.integer({ min: 1, max: 20 }),
          fc.integer({ min: 1, max: 20 }),
          fc.boolean(),
          async (impressionList, conversionList, sortKeys, sizeA, sizeB, conversionsFirst) => {
            const tag = nextTag();
            const [first, second] = [`${tag}a-`, `${tag}b-`];
            const contractA = await createApprovedContract(cast, advertiserId, 'sell', `Order A ${tag}`, orderSensitiveTerms);
            const contractB = await createApprovedContract(cast, advertiserId, 'sell', `Order B ${tag}`, orderSensitiveTerms);
            // A: records in drawn order, impressions first. B: every record reordered, other batch sizes, maybe conversions first.
            const impressionsA = impressionList.map((draft) => impressionOf(contractA, draft));
            const conversionsA = conversionList.map((draft, index) => conversionOf(contractA, first, index, draft));
            const impressionsB = reorder(
              impressionList.map((draft) => impressionOf(contractB, draft)),
              sortKeys,
            );
            const conversionsB = reorder(
              conversionList.map((draft, index) => conversionOf(contractB, second, index, draft)),
              [...sortKeys].reverse(),
            );
            for (const batch of batches(impressionsA, sizeA)) await postImpressions(cast, batch);
            for (const batch of batches(conversionsA, sizeA)) await postConversions(cast, batch);
            const loadB = [
              ...batches(impressionsB, sizeB).map((batch) => () => postImpressions(cast, batch)),
              ...batches(conversionsB, sizeB).map((batch) => () => postConversions(cast, batch)),
            ];
            for (const load of conversionsFirst ? [...loadB].reverse() : loadB) await load();

            const previewA = await preview(cast, contractA, firstDay, lastDay);
            const previewB = await preview(cast, contractB, firstDay, lastDay);
            expect(comparable(previewB, second)).toBe(comparable(previewA, first));
          },
        ),
        { numRuns },
      );
    });
  });

  it('amounts are always strings with exactly the currency’s decimals, and totals are sums of rounded lines', async () => {
    /** A decimal string from 0 to `maxInteger` with up to 6 decimals, as terms accept. */
    const decimalText = (maxInteger: number) =>
      fc
        .tuple(fc.integer({ min: 0, max: maxInteger }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 999_999 }))
        .map(([integer, decimals, fraction]) =>
          decimals === 0 ? String(integer) : `${integer}.${String(fraction).padStart(6, '0').slice(0, decimals)}`,
        );
    const signedPercent = fc
      .tuple(fc.boolean(), decimalText(40))
      .map(([negative, text]) => (negative && !new Decimal(text).isZero() ? `-${text}` : text));
    const scenario = fc.record({
      currency: fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'BHD', 'CLP'),
      ratePerMille: decimalText(60),
      tierRate: decimalText(60),
      flatAmount: decimalText(5000),
      feePercent: signedPercent,
      feeAmount: decimalText(900),
      minimum: decimalText(900),
      startDay: fc.integer({ min: 0, max: 40 }),
      impressions: fc.array(
        fc.record({
          lineItem: fc.constantFrom('cpm', 'tiered'),
          day: fc.integer({ min: 0, max: 60 }),
          count: fc.integer({ min: 0, max: 200_000 }),
        }),
        { maxLength: 10 },
      ),
    });
    await withHarness(async (cast) => {
      await fc.assert(
        fc.asyncProperty(scenario, async (drawn) => {
          const tag = nextTag();
          const partyId = await createParty(cast, 'advertiser', `Decimals ${tag}`, drawn.currency);
          const startDate = addDaysUtc(firstDay, drawn.startDay);
          const contractId = await createApprovedContract(cast, partyId, 'sell', `Decimals ${tag}`, {
            startDate,
            endDate: lastDay,
            currency: drawn.currency,
            billingPeriod: 'calendar_month',
            minimumSpend: { amount: drawn.minimum, per: 'period' },
            fees: [
              { key: 'commission', kind: 'percent_of_media', percent: drawn.feePercent },
              { key: 'platform', kind: 'flat', amount: drawn.feeAmount, prorate: true },
            ],
            lineItems: [
              { key: 'cpm', name: 'CPM', pricing: { model: 'cpm', ratePerMille: drawn.ratePerMille } },
              {
                key: 'tiered',
                name: 'Tiered',
                pricing: {
                  model: 'cpm',
                  tierMode: 'volume',
                  tierBasis: 'period',
                  tiers: [
                    { upTo: 50_000, ratePerMille: drawn.tierRate },
                    { upTo: null, ratePerMille: drawn.ratePerMille, flatAmount: drawn.feeAmount },
                  ],
                },
              },
              { key: 'flat', name: 'Flat', pricing: { model: 'flat', amount: drawn.flatAmount, prorate: true } },
            ],
          });
          // One record per (line item, date): later draws of the same key are dropped, so nothing is refused as a duplicate.
          const byKey = new Map<string, ImpressionInput>();
          for (const record of drawn.impressions) {
            const date = addDaysUtc(firstDay, Math.max(record.day, drawn.startDay));
            byKey.set(`${record.lineItem}|${date}`, {
              contractId,
              lineItem: record.lineItem,
              date,
              source: 'first_party',
              impressions: record.count,
            });
          }
          if (byKey.size > 0) await postImpressions(cast, [...byKey.values()]);

          const result = await preview(cast, contractId, firstDay, lastDay);
          const decimals = currencyMinorUnits(drawn.currency)!;
          const money = decimals === 0 ? /^-?(0|[1-9]\d*)$/ : new RegExp(`^-?(0|[1-9]\\d*)\\.\\d{${decimals}}$`);
          const texts = [result.subtotal, ...result.periods.map((period) => period.subtotal), ...result.lines.map((line) => line.amount)];
          for (const text of texts) {
            expect(typeof text).toBe('string');
            expect(text, `${drawn.currency} amount ${text}`).toMatch(money);
            expect(text.startsWith('-') && new Decimal(text).isZero(), `negative zero ${text}`).toBe(false);
          }
          for (const period of result.periods) {
            const sum = result.lines
              .filter((line) => line.period === period.label)
              .reduce((total, line) => total.plus(line.amount), new Decimal(0));
            expect(
              new Decimal(period.subtotal).equals(sum),
              `${period.label}: ${period.subtotal} = sum of its lines ${sum.toFixed()}`,
            ).toBe(true);
          }
          const sumOfPeriods = result.periods.reduce((total, period) => total.plus(period.subtotal), new Decimal(0));
          expect(new Decimal(result.subtotal).equals(sumOfPeriods)).toBe(true);
        }),
        { numRuns },
      );
    });
  });
});
