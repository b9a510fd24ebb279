/**
 * Properties of the payout hierarchy (SPEC §9, issue 15: "the sum of partner payouts per conversion
 * never exceeds one payout"), the second half of the attribution property test
 * (attribution-properties.test.ts). Over random books of one offer (sell terms with a cpa line
 * item and partnerPayouts: a default and tiers, flat amounts, conditional `when` entries, an
 * amendment that may change or drop them), four partners (with or without a tier, some with their
 * own buy contract paying flat amounts per conversion on random dates, applying to the offer or
 * not, or paying impressions only) and conversions whose touches are credited by the real
 * attribution (src/modules/delivery/attribution.ts), every partner is paid through the real
 * payout path: the partner's agreement rated by the pipeline on the conversions credited to it
 * (rateDeliveredPeriods, agreementConversions), and the offer's payouts rated for each partner on
 * the conversions no agreement of its own pays (offerPayoutConversions, rateOfferPayout). For each
 * conversion, reading what every payout line billed for it in its explain:
 *
 * - the sum over every partner and every level is at most the largest payout any single level
 *   would pay for it (the offer's default, each of its tiers, the credited partner's agreements),
 *   and it is billed on one line at most;
 * - it is paid to the credited partner only, and not at all when attribution credits nobody;
 * - when paid, it is paid by the level the hierarchy chooses (worked out in this file, and named
 *   alike by choosePayoutLevel), at that level's amount.
 *
 * `npm test` runs 150 random books; TALLY_TEST_LONG=1 (npm run test:long) runs 5,000, and
 * TALLY_PAYOUT_PROPERTY_RUNS overrides both. The books are pure data: no store.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choosePayoutLevel, offerPayoutConversions, offerPayoutsOf, rateOfferPayout } from '../../src/modules/charges/payout-hierarchy.ts';
import { agreementConversions, contractPeriods, rateDeliveredPeriods } from '../../src/modules/charges/rate-contract-periods.ts';
import { type ApprovedContract, type ApprovedVersion, partnerAgreementOf } from '../../src/modules/contracts/index.ts';
import { attributionRulesOn } from '../../src/modules/delivery/attribute-conversions.ts';
import { type AttributionTouch, attribute } from '../../src/modules/delivery/attribution.ts';
import type { RatedConversion, RatingResult } from '../../src/modules/rating/types.ts';
import { addDays } from '../../src/platform/dates.ts';
import { Decimal } from '../../src/wire/money.ts';
import type { AttributionModel, CpaEvent, CpaPricing } from '../../src/wire/pricing.ts';
import { type BuyTerms, type PartnerPayouts, type SellTerms, validateTerms } from '../../src/wire/terms.ts';
import { scaledCount } from '../support/test-scale.ts';

const numRuns = scaledCount('TALLY_PAYOUT_PROPERTY_RUNS', 150, 5_000);

const OFFER_ID = 'ctr_offer';
const OFFER_START = '2026-10-01';
const OFFER_END = '2026-12-31';
const OFFER_DAYS = 92;
const PARTNERS = ['pty_ada', 'pty_bo', 'pty_cy', 'pty_di'] as const;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** A positive amount of whole cents, from 0.01 to 50.00, written as money is (never a JS number on the way). */
const amountArbitrary: fc.Arbitrary<string> = fc
  .integer({ min: 1, max: 5_000 })
  .map((cents) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);

/**
 * A level's events: flat amounts for purchases, in one of four shapes (unconditional, by country
 * with a fallback, by new customer without a fallback for some, or one country only), and maybe a
 * lead. Signups are never priced. Each shape passes the cross-entry rules (no entry unreachable).
 */
const eventsArbitrary: fc.Arbitrary<CpaEvent[]> = fc
  .record({
    shape: fc.constantFrom('flat', 'by_country', 'by_new_customer', 'one_country'),
    first: amountArbitrary,
    second: amountArbitrary,
    lead: fc.option(amountArbitrary, { nil: undefined }),
  })
  .map(({ shape, first, second, lead }) => {
    const purchases: CpaEvent[] =
      shape === 'flat'
        ? [{ eventType: 'purchase', amount: first }]
        : shape === 'by_country'
          ? [
              { eventType: 'purchase', when: { countries: ['US'] }, amount: first },
              { eventType: 'purchase', amount: second },
            ]
          : shape === 'by_new_customer'
            ? [
                { eventType: 'purchase', when: { countries: ['US', 'CA'], newCustomer: true }, amount: first },
                { eventType: 'purchase', when: { newCustomer: false }, amount: second },
              ]
            : [{ eventType: 'purchase', when: { countries: ['CA'] }, amount: first }];
    return lead === undefined ? purchases : [...purchases, { eventType: 'lead', amount: lead }];
  });

const attributionArbitrary: fc.Arbitrary<CpaPricing['attribution']> = fc.record(
  {
    viewWindowDays: fc.integer({ min: 0, max: 7 }),
    clickWindowDays: fc.integer({ min: 0, max: 30 }),
    model: fc.constantFrom<AttributionModel>('last_click', 'first_click', 'last_touch'),
  },
  { requiredKeys: ['viewWindowDays', 'clickWindowDays'] },
);

const billOnArbitrary = fc.option(fc.constantFrom('approved' as const, 'pending' as const), { nil: undefined });

/** Partner payouts with a default and tiers (gold, silver), at least one of them. */
const partnerPayoutsArbitrary: fc.Arbitrary<PartnerPayouts> = fc
  .record({
    default: fc.option(eventsArbitrary, { nil: undefined }),
    gold: fc.option(eventsArbitrary, { nil: undefined }),
    silver: fc.option(eventsArbitrary, { nil: undefined }),
  })
  .filter((levels) => levels.default !== undefined || levels.gold !== undefined || levels.silver !== undefined)
  .map((levels) => {
    const tiers = Object.fromEntries(
      (['gold', 'silver'] as const).flatMap((tier) => (levels[tier] === undefined ? [] : [[tier, { events: levels[tier] }]])),
    );
    return {
      ...(levels.default === undefined ? {} : { default: { events: levels.default } }),
      ...(Object.keys(tiers).length === 0 ? {} : { tiers }),
    };
  });

/** Sell terms of the offer: one cpa line item (its own price, caps and eligibility are the advertiser's) and maybe partner payouts. */
const offerTermsArbitrary = (payouts: fc.Arbitrary<PartnerPayouts | undefined>): fc.Arbitrary<SellTerms> =>
  fc
    .record({
      attribution: attributionArbitrary,
      billOn: billOnArbitrary,
      capped: fc.boolean(),
      usAndCanadaOnly: fc.boolean(),
      partnerPayouts: payouts,
    })
    .map(({ attribution, billOn, capped, usAndCanadaOnly, partnerPayouts }) =>
      valid<SellTerms>('sell', {
        startDate: OFFER_START,
        endDate: OFFER_END,
        currency: 'USD',
        billingPeriod: 'calendar_month',
        lineItems: [
          {
            key: 'sales',
            name: 'Sales',
            pricing: {
              model: 'cpa',
              events: [
                { eventType: 'purchase', amount: '40.00' },
                { eventType: 'lead', amount: '5.00' },
              ],
              attribution,
              ...(billOn === undefined ? {} : { billOn }),
              // The offer's caps limit what the advertiser is billed, never a partner's payout.
              ...(capped ? { caps: { conversionsPerDay: 1, conversionsPerPeriod: null } } : {}),
              ...(usAndCanadaOnly ? { eligibility: { countries: ['US', 'CA'] } } : {}),
            },
          },
        ],
        ...(partnerPayouts === undefined ? {} : { partnerPayouts }),
      }),
    );

/** The offer: version 1 with payouts, and maybe an amendment from a later date that changes its terms and payouts, or drops them. */
const offerArbitrary: fc.Arbitrary<ApprovedContract> = fc
  .record({
    first: offerTermsArbitrary(partnerPayoutsArbitrary),
    amendment: fc.option(
      fc.record({
        fromDay: fc.integer({ min: 1, max: OFFER_DAYS - 1 }),
        terms: offerTermsArbitrary(fc.option(partnerPayoutsArbitrary, { nil: undefined, freq: 4 })),
      }),
      { nil: undefined },
    ),
  })
  .map(({ first, amendment }) => ({
    id: OFFER_ID,
    number: 'IO-2026-0001',
    partyId: 'pty_advertiser',
    side: 'sell',
    versions: [
      { number: 1, effectiveFrom: OFFER_START, terms: first },
      ...(amendment === undefined ? [] : [{ number: 2, effectiveFrom: addDays(OFFER_START, amendment.fromDay), terms: amendment.terms }]),
    ],
  }));

interface Partner {
  id: string;
  /** Gold and silver are the offer's tiers when it names them; bronze never is. */
  tier: string | undefined;
  agreement: ApprovedContract | undefined;
}

/**
 * A partner's own buy contract, in force on random dates around the offer's: flat payouts per
 * conversion (its own windows and billOn) applying to the offer, to all sell contracts, or to
 * another offer only; or one that pays impressions only, which does not take the offer's place.
 */
const agreementArbitrary = (partnerId: string): fc.Arbitrary<ApprovedContract> =>
  fc
    .record({
      pays: fc.constantFrom('conversions', 'conversions', 'conversions', 'impressions'),
      appliesTo: fc.constantFrom<BuyTerms['appliesTo']>([OFFER_ID], 'all', [OFFER_ID], ['ctr_other']),
      startDay: fc.integer({ min: -20, max: OFFER_DAYS - 1 }),
      lengthDays: fc.integer({ min: 0, max: 90 }),
      events: eventsArbitrary,
      attribution: attributionArbitrary,
      billOn: billOnArbitrary,
    })
    .map(({ pays, appliesTo, startDay, lengthDays, events, attribution, billOn }) => {
      const startDate = addDays(OFFER_START, startDay);
      const terms = valid<BuyTerms>('buy', {
        startDate,
        endDate: addDays(startDate, lengthDays),
        currency: 'USD',
        billingPeriod: 'calendar_month',
        appliesTo,
        lineItems: [
          pays === 'conversions'
            ? {
                key: 'payouts',
                name: 'Payouts',
                pricing: { model: 'cpa', events, attribution, ...(billOn === undefined ? {} : { billOn }) },
              }
            : { key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '2.00' } },
        ],
      });
      return {
        id: `ctr_own${partnerId.slice('pty_'.length)}`,
        number: `PA-2026-${partnerId}`,
        partyId: partnerId,
        side: 'buy',
        versions: [{ number: 1, effectiveFrom: startDate, terms }],
      };
    });

const partnersArbitrary: fc.Arbitrary<Partner[]> = fc.tuple(
  ...PARTNERS.map((id) =>
    fc.record({
      id: fc.constant(id),
      tier: fc.option(fc.constantFrom('gold', 'silver', 'bronze'), { nil: undefined }),
      agreement: fc.option(agreementArbitrary(id), { nil: undefined, freq: 2 }),
    }),
  ),
);

interface ConversionCase {
  id: string;
  occurredAt: string;
  eventType: string;
  attributes: RatedConversion['attributes'];
  status: RatedConversion['status'];
  touches: AttributionTouch[];
}

/** A touch before it is placed in time: its partner (null only for the single `touch` form), type and 6-hour steps before the conversion. */
interface TouchSeed {
  partnerId: string | null;
  type: 'view' | 'click';
  steps: number;
}

/** Mostly within a week of the conversion (inside most windows), sometimes up to 40 days before it. */
const touchSeedArbitrary = (partner: fc.Arbitrary<string | null>): fc.Arbitrary<TouchSeed> =>
  fc.record({
    partnerId: partner,
    type: fc.constantFrom('view' as const, 'click' as const),
    steps: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 28 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 160 }) }),
  });

/**
 * A conversion on a day of the offer, with its touches: one touch (of a partner, or rarely of
 * nobody: the single `touch` form) or up to five partners' touches, each 0 to 40 days before it
 * (mostly within a week) on a 6-hour grid, so that ties and touches on a window's edge are common.
 */
const conversionArbitrary = (index: number): fc.Arbitrary<ConversionCase> =>
  fc
    .record({
      day: fc.integer({ min: 0, max: OFFER_DAYS - 1 }),
      minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
      eventType: fc.constantFrom('purchase', 'purchase', 'purchase', 'lead', 'signup'),
      country: fc.option(fc.constantFrom('US', 'CA', 'FR'), { nil: undefined }),
      newCustomer: fc.option(fc.boolean(), { nil: undefined }),
      status: fc.constantFrom<RatedConversion['status']>('approved', 'approved', 'approved', 'pending', 'rejected', 'reversed'),
      touches: fc.oneof<fc.Arbitrary<TouchSeed[]>[]>(
        touchSeedArbitrary(fc.option(fc.constantFrom(...PARTNERS), { nil: null, freq: 6 })).map((touch) => [touch]),
        fc.array(touchSeedArbitrary(fc.constantFrom(...PARTNERS)), { minLength: 1, maxLength: 5 }),
      ),
    })
    .map(({ day, minute, eventType, country, newCustomer, status, touches }) => {
      const occurred = Date.parse(`${addDays(OFFER_START, day)}T00:00:00.000Z`) + minute * MINUTE;
      return {
        id: `cnv_${String(index).padStart(2, '0')}`,
        occurredAt: new Date(occurred).toISOString(),
        eventType,
        attributes: {
          ...(country === undefined ? {} : { country }),
          ...(newCustomer === undefined ? {} : { newCustomer }),
        },
        status,
        touches: touches.map(({ partnerId, type, steps }) => ({
          partnerId,
          type,
          at: new Date(occurred - steps * 6 * HOUR).toISOString(),
        })),
      };
    });

const bookArbitrary = fc.record({
  offer: offerArbitrary,
  partners: partnersArbitrary,
  conversions: fc
    .integer({ min: 1, max: 12 })
    .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => conversionArbitrary(i)))),
});

type Book = { offer: ApprovedContract; partners: Partner[]; conversions: ConversionCase[] };

/** Terms through the real schema, so that a book never holds terms the API would refuse. */
function valid<T>(side: 'sell' | 'buy', terms: unknown): T {
  const parsed = validateTerms(side, terms);
  if (!parsed.success) throw new Error(`generated ${side} terms are invalid: ${JSON.stringify(parsed.error.issues)}`);
  return parsed.data as T;
}

/** A conversion as stored after attribution: what rating and payouts read (attribute-conversions.ts). */
interface StoredConversion {
  rated: RatedConversion;
  /** The credited partner; null for none. */
  partnerId: string | null;
}

/** Attributes a conversion as intake does: the rules of the offer's version in force on its date, the winning touch stored. */
function store(offer: ApprovedContract, conversion: ConversionCase): StoredConversion {
  const rules = attributionRulesOn(offer.versions, 'sales', conversion.occurredAt.slice(0, 10));
  const attribution = attribute(rules.model, rules.windows, conversion.occurredAt, conversion.touches);
  const credited = attribution.touches.filter((touch) => touch.credited);
  // The first half of the property (attribution-properties.test.ts checks it in depth): one partner or none.
  expect(credited.length).toBeLessThanOrEqual(1);
  const touch = attribution.touches[attribution.touchIndex]!;
  return {
    rated: {
      id: conversion.id,
      lineItem: 'sales',
      eventType: conversion.eventType,
      occurredAt: conversion.occurredAt,
      touch: { type: touch.type, at: touch.at },
      attributes: conversion.attributes,
      status: conversion.status,
    },
    partnerId: attribution.creditedIndex === null ? null : touch.partnerId,
  };
}

/** One conversion billed on one payout line: who was paid, under which contract, by which level, how much. */
interface Payment {
  partnerId: string;
  contractId: string;
  level: string | undefined;
  amount: Decimal;
}

/** What each conversion earned on the lines of these rated periods, paid to `partnerId` under `contractId`. */
function collectPayments(results: readonly RatingResult[], partnerId: string, contractId: string, into: Map<string, Payment[]>): void {
  for (const result of results) {
    for (const line of result.lines) {
      const inputs = line.explain.inputs as { conversionsBilled?: { id: string; amount: string }[] } | undefined;
      for (const billed of inputs?.conversionsBilled ?? []) {
        const level = typeof line.explain.payoutLevel === 'string' ? line.explain.payoutLevel : undefined;
        const payments = into.get(billed.id) ?? [];
        payments.push({ partnerId, contractId, level, amount: new Decimal(billed.amount) });
        into.set(billed.id, payments);
      }
    }
  }
}

/**
 * Every partner's payouts for the book, by the real path: each agreement rated on the conversions
 * credited to its partner on the sell contracts it applies to (as loadPartnerDelivery scopes them),
 * and the offer's payouts rated for each partner, on its tier, on the conversions that no agreement
 * of its own pays (as a billing run plans them, without holds and minimums, which only delay).
 */
function payAll(book: Book, stored: readonly StoredConversion[]): Map<string, Payment[]> {
  const payments = new Map<string, Payment[]>();
  const credited = stored.flatMap(({ rated, partnerId }) => (partnerId === null ? [] : [{ ...rated, contractId: OFFER_ID, partnerId }]));
  const contracts = book.partners.flatMap((partner) => (partner.agreement === undefined ? [] : [partner.agreement]));
  for (const contract of contracts) {
    const appliesTo = (contract.versions.at(-1)!.terms as BuyTerms).appliesTo;
    const applied = appliesTo === 'all' || appliesTo.includes(OFFER_ID);
    const own = credited.filter((conversion) => applied && conversion.partnerId === contract.partyId);
    const conversions = agreementConversions(
      contract,
      own.map(({ partnerId: _partnerId, ...conversion }) => conversion),
      new Map(),
    );
    const periods = contractPeriods(contract, (contract.versions.at(-1)!.terms as BuyTerms).endDate).map((period) => ({ period }));
    collectPayments(rateDeliveredPeriods(contract, periods, { impressions: [], conversions }), contract.partyId, contract.id, payments);
  }
  const agreements = contracts.flatMap((contract) => partnerAgreementOf(contract) ?? []);
  const periods = contractPeriods(book.offer, OFFER_END);
  // One offer's payouts for every partner, as planStatements rates them.
  const payouts = offerPayoutsOf(book.offer);
  for (const [partnerId, conversions] of offerPayoutConversions(OFFER_ID, credited, agreements)) {
    const tier = book.partners.find((partner) => partner.id === partnerId)?.tier;
    const results = rateOfferPayout({
      payouts,
      conversions,
      periods: periods.map((period) => ({ period, issued: false, tier })),
    });
    collectPayments(results, partnerId, OFFER_ID, payments);
  }
  return payments;
}

/** The version of a contract in force on a date, written here: the latest effectiveFrom on or before it. */
function versionOn(contract: ApprovedContract, date: string): ApprovedVersion | undefined {
  return contract.versions.filter((version) => version.effectiveFrom <= date).at(-1);
}

/** What a level's events pay for a conversion, written here: the first entry of its event type whose `when` holds; 0 for none. */
function levelAmount(events: readonly CpaEvent[], conversion: RatedConversion): Decimal {
  const country = conversion.attributes?.country;
  const isNew = conversion.attributes?.newCustomer === true;
  const entry = events.find(
    (event) =>
      event.eventType === conversion.eventType &&
      (event.when?.countries === undefined || (country !== undefined && event.when.countries.includes(country))) &&
      (event.when?.newCustomer === undefined || event.when.newCustomer === isNew),
  );
  return entry?.amount === undefined ? new Decimal(0) : new Decimal(entry.amount);
}

/** The cpa events of an agreement's conversion-priced line items, over its versions. */
function agreementEvents(contract: ApprovedContract): CpaEvent[][] {
  return contract.versions.flatMap((version) =>
    version.terms.lineItems.flatMap((lineItem) => (lineItem.pricing.model === 'cpa' ? [lineItem.pricing.events] : [])),
  );
}

/**
 * The largest payout any single level would pay for the conversion: the offer's default or one of
 * its tiers (the version in force on its date), or one of the credited partner's agreements that
 * apply to the offer.
 */
function largestSinglePayout(book: Book, stored: StoredConversion): Decimal {
  const payouts = (versionOn(book.offer, stored.rated.occurredAt.slice(0, 10))?.terms as SellTerms | undefined)?.partnerPayouts;
  const levels: CpaEvent[][] = [
    ...(payouts?.default === undefined ? [] : [payouts.default.events]),
    ...Object.values(payouts?.tiers ?? {}).map((tier) => tier.events),
  ];
  const agreement = book.partners.find((partner) => partner.id === stored.partnerId)?.agreement;
  if (agreement !== undefined) {
    const appliesTo = (agreement.versions.at(-1)!.terms as BuyTerms).appliesTo;
    if (appliesTo === 'all' || appliesTo.includes(OFFER_ID)) levels.push(...agreementEvents(agreement));
  }
  return Decimal.max(0, ...levels.map((events) => levelAmount(events, stored.rated)));
}

/**
 * The level that pays a credited conversion, written here from SPEC §9 rather than with the
 * module's own helpers: (1) the partner's agreement when it pays conversions (a cpa line item),
 * applies to the offer and is in force on the conversion's date; else (2) the offer's payout for
 * the partner's tier, in the offer's version in force on that date; else (3) that version's
 * default; else nobody. With the contract that pays and the events it pays by.
 */
function expectedLevel(book: Book, stored: StoredConversion): { level: string; contractId: string; events: CpaEvent[] } | undefined {
  const date = stored.rated.occurredAt.slice(0, 10);
  const partner = book.partners.find((candidate) => candidate.id === stored.partnerId);
  const agreement = partner?.agreement;
  if (agreement !== undefined) {
    const terms = agreement.versions[0]!.terms as BuyTerms;
    const [events] = agreementEvents(agreement);
    const applies = terms.appliesTo === 'all' || terms.appliesTo.includes(OFFER_ID);
    if (events !== undefined && applies && terms.startDate <= date && date <= terms.endDate) {
      return { level: 'partner_contract', contractId: agreement.id, events };
    }
  }
  const payouts = (versionOn(book.offer, date)?.terms as SellTerms | undefined)?.partnerPayouts;
  const tier = partner?.tier;
  // The generated tiers are gold, silver and bronze: never a name an Object has of its own.
  const byTier = tier === undefined ? undefined : payouts?.tiers?.[tier];
  if (byTier !== undefined) return { level: `tier:${tier}`, contractId: OFFER_ID, events: byTier.events };
  if (payouts?.default !== undefined) return { level: 'default', contractId: OFFER_ID, events: payouts.default.events };
  return undefined;
}

describe('payout hierarchy properties', () => {
  it('pays each conversion at most one payout, to the credited partner only, by the level the hierarchy chooses', () => {
    // How many conversions each level paid, and how many were credited to nobody or paid nothing over the run.
    const paidBy = { partner_contract: 0, tier: 0, default: 0, uncredited: 0, unpaid: 0 };
    fc.assert(
      fc.property(bookArbitrary, (book) => {
        const stored = book.conversions.map((conversion) => store(book.offer, conversion));
        const payments = payAll(book, stored);
        const agreements = book.partners.flatMap((partner) => (partner.agreement ? (partnerAgreementOf(partner.agreement) ?? []) : []));
        for (const conversion of stored) {
          const paid = payments.get(conversion.rated.id) ?? [];
          const total = paid.reduce((sum, payment) => sum.plus(payment.amount), new Decimal(0));
          const context = `${conversion.rated.id} credited to ${conversion.partnerId}: ${JSON.stringify(paid)}`;

          // The sum over every partner's payout lines, every level, never exceeds one payout.
          expect(total.lte(largestSinglePayout(book, conversion)), context).toBe(true);
          expect(paid.length, context).toBeLessThanOrEqual(1);
          if (conversion.partnerId === null) {
            paidBy.uncredited += 1;
            expect(paid, context).toEqual([]);
            continue;
          }
          // Paid to the credited partner only.
          for (const payment of paid) expect(payment.partnerId, context).toBe(conversion.partnerId);

          // By the level the hierarchy chooses (worked out here, and named alike by choosePayoutLevel), at its amount.
          const [payment] = paid;
          if (payment === undefined) {
            paidBy.unpaid += 1;
            continue;
          }
          const expected = expectedLevel(book, conversion);
          expect(expected, context).toBeDefined();
          expect(payment.level, context).toBe(expected!.level);
          expect(payment.contractId, context).toBe(expected!.contractId);
          expect(payment.amount.eq(levelAmount(expected!.events, conversion.rated)), context).toBe(true);
          const date = conversion.rated.occurredAt.slice(0, 10);
          const choice = choosePayoutLevel({
            offerId: OFFER_ID,
            partnerId: conversion.partnerId,
            tier: book.partners.find((partner) => partner.id === conversion.partnerId)?.tier,
            date,
            payouts: (versionOn(book.offer, date)?.terms as SellTerms).partnerPayouts,
            agreements,
          });
          expect(choice?.level, context).toBe(expected!.level);
          if (choice?.level === 'partner_contract') expect(choice.contractId, context).toBe(expected!.contractId);
          paidBy[expected!.level === 'partner_contract' ? 'partner_contract' : expected!.level === 'default' ? 'default' : 'tier'] += 1;
        }
      }),
      { numRuns },
    );
    // Not a property: the books must reach every level, and conversions credited to nobody, for the property to mean anything.
    expect(paidBy.partner_contract).toBeGreaterThan(0);
    expect(paidBy.tier).toBeGreaterThan(0);
    expect(paidBy.default).toBeGreaterThan(0);
    expect(paidBy.uncredited).toBeGreaterThan(0);
  });
});
