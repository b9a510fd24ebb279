/**
 * One rating pipeline (issue 13): for random books, the charges preview of a period equals, line for
 * line, what the billing run drafts for it, on the sell side (invoices) and the buy side (payout
 * statements). Each book is closed month by month: run, compare, finalize, next month; so the run's
 * caps count what earlier invoices billed while the preview counts its own rating of the earlier
 * months, and the two must agree on every line, its explain included.
 *
 * A book is one advertiser with one to three sell contracts (flat or tiered cpm under any billing
 * source, cpa, hybrid and flat line items; caps, fees and minimums at random) over a quarter, one
 * partner paid on them (holdDays 0, minimumPayout 0, so that nothing is held back or carried), and
 * random delivery. Each run gets a year of its own (2031, 2032, …) on one harness, so earlier books
 * are never billed again. `TALLY_PROPERTY_RUNS` sets the number of books (default 6; `npm run
 * test:long` runs 60).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  type Cast,
  castOf,
  createApprovedContract,
  createParty,
  postConversions,
  postImpressions,
  preview,
} from '../support/scenario-helpers.ts';
import { type DocumentKind, listDocuments, runBilling } from '../support/billing-helpers.ts';
import { scaledCount } from '../support/test-scale.ts';

const numRuns = scaledCount('TALLY_PROPERTY_RUNS', 6, 60);
const months = ['01', '02', '03'] as const;
const lastDay = { '01': '31', '02': '28', '03': '31' } as const;

type Json = Record<string, unknown>;

const money = (values: string[]) => fc.constantFrom(...values);
const cpmFlat = fc.record({ model: fc.constant('cpm'), ratePerMille: money(['12.50', '25.00', '7.333', '40.1']) });
const cpmTiered = fc
  .record({
    tierMode: fc.constantFrom('graduated', 'volume'),
    upTo: fc.integer({ min: 1_000, max: 400_000 }),
    first: money(['20.00', '9.99']),
    second: money(['15.00', '4.125']),
    flatAmount: money(['0', '100.00']),
  })
  .map(({ tierMode, upTo, first, second, flatAmount }) => ({
    model: 'cpm',
    tierMode,
    tierBasis: 'period',
    tiers: [
      { upTo, ratePerMille: first, flatAmount },
      { upTo: null, ratePerMille: second },
    ],
  }));
const cpa = fc
  .record({
    perPeriodCap: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
    billOn: fc.constantFrom('approved', 'pending'),
    usOnly: fc.boolean(),
  })
  .map(({ perPeriodCap, billOn, usOnly }) => ({
    model: 'cpa',
    events: [
      { eventType: 'purchase', amount: '30.00' },
      { eventType: 'subscription', revenueSharePercent: '12.5' },
    ],
    attribution: { viewWindowDays: 7, clickWindowDays: 30 },
    ...(usOnly ? { eligibility: { countries: ['US'] } } : {}),
    caps: { conversionsPerDay: null, conversionsPerPeriod: perPeriodCap },
    billOn,
  }));

const lineItemArbitrary = fc.oneof(
  fc
    .record({
      pricing: fc.oneof(cpmFlat, cpmTiered),
      billingSource: fc.constantFrom('first_party', 'third_party', 'lesser_of'),
      impressionCap: fc.option(fc.integer({ min: 50_000, max: 600_000 }), { nil: undefined }),
      budgetCap: fc.option(money(['900.00', '5000.00']), { nil: undefined }),
    })
    .map(({ pricing, billingSource, impressionCap, budgetCap }) => ({
      kind: 'impressions' as const,
      body: {
        pricing,
        billingSource,
        discrepancyTolerancePercent: '10',
        ...(impressionCap === undefined ? {} : { impressionCap }),
        ...(budgetCap === undefined ? {} : { budgetCap }),
      },
    })),
  cpa.map((pricing) => ({ kind: 'conversions' as const, body: { pricing } })),
  fc.record({ combine: fc.constantFrom('lesser_of', 'greater_of'), cpm: cpmFlat, cpa }).map(({ combine, cpm, cpa: cpaPricing }) => ({
    kind: 'both' as const,
    body: { pricing: { model: 'hybrid', combine, cpm, cpa: cpaPricing } },
  })),
  fc.record({ amount: money(['5000.00', '1234.56']), prorate: fc.boolean() }).map(({ amount, prorate }) => ({
    kind: 'none' as const,
    body: { pricing: { model: 'flat', amount, prorate } },
  })),
);

const contractArbitrary = fc.record({
  lineItems: fc.array(lineItemArbitrary, { minLength: 1, maxLength: 3 }),
  startDay: fc.constantFrom('01', '12'),
  budgetCap: fc.option(money(['20000.00', '3000.00']), { nil: undefined }),
  minimumSpend: fc.option(money(['2500.00', '800.00']), { nil: undefined }),
  commission: fc.boolean(),
  platformFee: fc.boolean(),
});

/** A day's delivery for one line item: impressions from each source, and conversions. */
const deliveryArbitrary = fc.array(
  fc.record({
    month: fc.nat(2),
    day: fc.integer({ min: 1, max: 28 }),
    firstParty: fc.integer({ min: 0, max: 150_000 }),
    thirdParty: fc.option(fc.integer({ min: 0, max: 150_000 }), { nil: undefined }),
    partnerShare: fc.nat(100),
    conversions: fc.array(
      fc.record({
        eventType: fc.constantFrom('purchase', 'subscription', 'signup'),
        status: fc.constantFrom('approved', 'pending'),
        country: fc.constantFrom('US', 'CA'),
        touch: fc.constantFrom('view', 'click'),
        touchHoursBefore: fc.integer({ min: 1, max: 24 * 40 }),
        value: money(['10.00', '99.99', '250.00']),
        hour: fc.nat(23),
      }),
      { maxLength: 3 },
    ),
  }),
  { maxLength: 14 },
);

const bookArbitrary = fc.record({
  contracts: fc.array(fc.record({ contract: contractArbitrary, deliveries: fc.array(deliveryArbitrary, { minLength: 3, maxLength: 3 }) }), {
    minLength: 1,
    maxLength: 3,
  }),
  partnerRate: money(['5.00', '3.25']),
  partnerShare: money(['30', '12.5']),
});
type Book = typeof bookArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** A line's fields that the preview and a document share, in a form both give alike. */
function comparable(line: Json): Json {
  return {
    lineItem: line.lineItem,
    kind: line.kind,
    description: line.description,
    quantity: line.quantity,
    unit: line.unit,
    rate: line.rate ?? null,
    amount: line.amount,
    from: line.from,
    to: line.to,
    flags: [...(line.flags as string[])].sort(),
    explain: line.explain,
  };
}

describeStore('property: the preview of a period is what the billing run drafts for it', () => {
  let h: Harness;
  let cast: Cast;
  let closer: { id: string; token: string };
  let run = 0;
  let linesCompared = 0;

  beforeAll(async () => {
    h = await startHarness();
    cast = await castOf(h);
    // Whoever started a run may not finalize its payout statements (maker-checker): another user closes.
    closer = await h.user('finance');
  });
  afterAll(async () => h?.close());

  /** Writes the book for `year` through the API; answers the ids to compare. */
  async function writeBook(book: Book, year: number) {
    const advertiser = await createParty(cast, 'advertiser', `Advertiser ${year}`);
    const partner = await createParty(cast, 'partner', `Partner ${year}`);
    const sellIds: string[] = [];
    for (const [index, { contract, deliveries }] of book.contracts.entries()) {
      const terms = {
        startDate: `${year}-01-${contract.startDay}`,
        endDate: `${year}-03-31`,
        currency: 'USD',
        billingPeriod: 'calendar_month',
        ...(contract.budgetCap === undefined ? {} : { budgetCap: contract.budgetCap }),
        ...(contract.minimumSpend === undefined ? {} : { minimumSpend: { amount: contract.minimumSpend, per: 'period' } }),
        fees: [
          ...(contract.commission ? [{ key: 'agency-commission', kind: 'percent_of_media', percent: '-15' }] : []),
          ...(contract.platformFee ? [{ key: 'platform', kind: 'flat', amount: '500.00', prorate: true }] : []),
        ],
        lineItems: contract.lineItems.map((lineItem, position) => ({
          key: `line-${position}`,
          name: `Line ${position}`,
          ...lineItem.body,
        })),
      };
      const contractId = await createApprovedContract(cast, advertiser, 'sell', `Book ${year} IO ${index}`, terms);
      sellIds.push(contractId);
      const impressions: Json[] = [];
      const conversions: Json[] = [];
      for (const [position, lineItem] of contract.lineItems.entries()) {
        for (const [dayIndex, day] of (deliveries[position % 3] ?? []).entries()) {
          const date = `${year}-${months[day.month]}-${String(day.day).padStart(2, '0')}`;
          if (date < terms.startDate) continue;
          const key = `line-${position}`;
          if (lineItem.kind === 'impressions' || lineItem.kind === 'both') {
            // Some of the first-party count is the partner's, so that the payout has impressions to price.
            const partnerCount = Math.floor((day.firstParty * day.partnerShare) / 100);
            impressions.push({ contractId, lineItem: key, date, source: 'first_party', impressions: day.firstParty - partnerCount });
            if (partnerCount > 0)
              impressions.push({ contractId, lineItem: key, date, source: 'first_party', impressions: partnerCount, partnerId: partner });
            if (day.thirdParty !== undefined)
              impressions.push({ contractId, lineItem: key, date, source: 'third_party', impressions: day.thirdParty });
          }
          if (lineItem.kind === 'conversions' || lineItem.kind === 'both') {
            for (const [n, conversion] of day.conversions.entries()) {
              const occurredAt = `${date}T${String(conversion.hour).padStart(2, '0')}:00:00.000Z`;
              conversions.push({
                id: `cnv-${contractId}-${key}-${dayIndex}-${n}`,
                contractId,
                lineItem: key,
                partnerId: partner,
                eventType: conversion.eventType,
                occurredAt,
                touch: {
                  type: conversion.touch,
                  at: new Date(Date.parse(occurredAt) - conversion.touchHoursBefore * 3_600_000).toISOString(),
                },
                value: conversion.value,
                attributes: { country: conversion.country },
                status: conversion.status,
              });
            }
          }
        }
      }
      // Same (contract, line item, date, source, partner) twice would be a restatement: keep the last.
      const unique = new Map(
        impressions.map((record) => [
          JSON.stringify([record.contractId, record.lineItem, record.date, record.source, record.partnerId ?? null]),
          record,
        ]),
      );
      if (unique.size > 0) await postImpressions(cast, [...unique.values()] as never);
      if (conversions.length > 0) await postConversions(cast, conversions as never);
    }
    const buyTerms = {
      startDate: `${year}-01-01`,
      endDate: `${year}-03-31`,
      currency: 'USD',
      billingPeriod: 'calendar_month',
      appliesTo: sellIds,
      holdDays: 0,
      minimumPayout: '0',
      lineItems: [
        { key: 'impressions', name: 'Impressions', pricing: { model: 'cpm', ratePerMille: book.partnerRate } },
        {
          key: 'conversions',
          name: 'Conversions',
          pricing: {
            model: 'cpa',
            events: [
              { eventType: 'purchase', amount: '8.00' },
              { eventType: 'subscription', revenueSharePercent: book.partnerShare },
            ],
            attribution: { viewWindowDays: 7, clickWindowDays: 30 },
            billOn: 'pending',
          },
        },
      ],
    };
    const buyId = await createApprovedContract(cast, partner, 'buy', `Book ${year} PA`, buyTerms);
    return { advertiser, partner, sellIds, buyId };
  }

  /** The lines a month's draft bills for one contract, and the preview of the same month. */
  async function compareMonth(kind: DocumentKind, partyId: string, contractId: string, month: string, year: number): Promise<void> {
    const period = `${year}-${month}`;
    const drafts = await listDocuments(h, closer.token, kind, { period, partyId });
    const drafted = drafts.flatMap((document) => document.lines.filter((line) => line.contractId === contractId));
    linesCompared += drafted.length;
    const previewed = await preview(cast, contractId, `${period}-01`, `${period}-${lastDay[month as keyof typeof lastDay]}`);
    expect(
      drafted.map((line) => comparable(line as unknown as Json)),
      `${kind} lines of ${contractId} for ${period}`,
    ).toEqual(previewed.lines.filter((line) => line.period === period).map((line) => comparable(line as unknown as Json)));
  }

  it('line for line, on both sides, month after month', async () => {
    await fc.assert(
      fc.asyncProperty(bookArbitrary, async (book) => {
        run += 1;
        const year = 2030 + run;
        const ids = await writeBook(book, year);
        for (const month of months) {
          const billingRun = await runBilling(h, cast.finance.token, `${year}-${month}`);
          for (const contractId of ids.sellIds) await compareMonth('invoice', ids.advertiser, contractId, month, year);
          await compareMonth('payout_statement', ids.partner, ids.buyId, month, year);
          for (const kind of ['invoice', 'payout_statement'] as const) {
            const closed = await h.call('POST', `/v1/billing-runs/${billingRun.id}/finalize`, {
              token: closer.token,
              body: { kind, reviewed: true },
            });
            expect(closed.status, closed.text).toBe(200);
          }
        }
      }),
      // A book is costly to write and close: report the first failing book instead of shrinking it.
      { numRuns, endOnFailure: true },
    );
    // The books are not empty: the comparison above was about real lines.
    expect(linesCompared).toBeGreaterThan(numRuns);
  });
});
