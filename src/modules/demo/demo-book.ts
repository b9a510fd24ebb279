/** The demo book's content: realistic parties and contracts, with dates placed around today. Pure data. */
import { addDays, addMonths, endOfMonth } from '../../platform/dates.ts';

/** Dates relative to today, so that the book shows active, scheduled and expired contracts whenever it is seeded. */
export function demoDates(today: string) {
  const monthStart = `${today.slice(0, 7)}-01`;
  return {
    today,
    monthStart,
    twoMonthsAgo: addMonths(monthStart, -2),
    lastYearStart: addMonths(monthStart, -14),
    lastYearEnd: endOfMonth(addMonths(monthStart, -3)),
    nextMonthStart: addMonths(monthStart, 1),
    nextMonthEnd: endOfMonth(addMonths(monthStart, 1)),
    quarterEnd: endOfMonth(addMonths(monthStart, 1)),
    inSixMonths: endOfMonth(addMonths(monthStart, 6)),
    inYear: endOfMonth(addMonths(monthStart, 12)),
    midMonth: addDays(monthStart, 14),
  };
}

export type DemoDates = ReturnType<typeof demoDates>;

/** A CTV insertion order: a flat CPM line and a graduated tiered line, with a budget cap. */
export function ctvTerms(d: DemoDates, displayRate = '28.50') {
  return {
    startDate: d.twoMonthsAgo,
    endDate: d.quarterEnd,
    currency: 'USD',
    billingPeriod: 'calendar_month',
    paymentTermsDays: 30,
    budgetCap: '180000.00',
    renewal: { mode: 'manual', termMonths: 3, noticeDays: 30 },
    lineItems: [
      {
        key: 'ctv-prime',
        name: 'CTV prime time 30s',
        pricing: { model: 'cpm', ratePerMille: displayRate },
        billingSource: 'third_party',
        discrepancyTolerancePercent: '10',
      },
      {
        key: 'ctv-run-of-network',
        name: 'CTV run of network',
        pricing: {
          model: 'cpm',
          tierMode: 'graduated',
          tierBasis: 'period',
          tiers: [
            { upTo: 1000000, ratePerMille: '22.00', flatAmount: '0' },
            { upTo: 5000000, ratePerMille: '19.50' },
            { upTo: null, ratePerMille: '17.00' },
          ],
        },
      },
    ],
  };
}

/** A CPA agreement bought through an agency: purchases at a fixed amount, subscriptions on revenue share. */
export function cpaTerms(d: DemoDates) {
  return {
    startDate: d.twoMonthsAgo,
    endDate: d.inSixMonths,
    currency: 'USD',
    billingPeriod: 'calendar_month',
    budgetCap: '300000.00',
    minimumSpend: { amount: '5000.00', per: 'period' },
    renewal: { mode: 'auto', termMonths: 6, noticeDays: 45 },
    fees: [{ key: 'agency-commission', kind: 'percent_of_media', percent: '-15' }],
    lineItems: [
      {
        key: 'retail-conversions',
        name: 'Retail media conversions',
        pricing: {
          model: 'cpa',
          events: [
            { eventType: 'purchase', amount: '30.00' },
            { eventType: 'subscription', revenueSharePercent: '12.5' },
          ],
          attribution: { viewWindowDays: 7, clickWindowDays: 30 },
          eligibility: { countries: ['US', 'CA'], newCustomersOnly: false, minValue: '0' },
          caps: { conversionsPerDay: null, conversionsPerPeriod: 5000 },
          billOn: 'approved',
        },
      },
    ],
  };
}

/** A hybrid (CPM billing with a CPA guarantee: the lesser of the two), in yen. */
export function hybridTerms(d: DemoDates) {
  return {
    startDate: d.monthStart,
    endDate: d.inSixMonths,
    currency: 'JPY',
    billingPeriod: 'broadcast_month',
    lineItems: [
      {
        key: 'shoppable-ctv',
        name: 'Shoppable CTV',
        pricing: {
          model: 'hybrid',
          combine: 'lesser_of',
          cpm: { model: 'cpm', ratePerMille: '3200' },
          cpa: {
            model: 'cpa',
            events: [{ eventType: 'purchase', amount: '4500' }],
            attribution: { viewWindowDays: 3, clickWindowDays: 14 },
            billOn: 'approved',
          },
        },
      },
      { key: 'sponsorship', name: 'Home screen sponsorship', pricing: { model: 'flat', amount: '1500000', prorate: true } },
    ],
  };
}

/** A simple flat-CPM order, used for the draft, scheduled, expired and terminated examples. */
export function simpleCpmTerms(startDate: string, endDate: string, currency: string, rate: string, renewal: object = { mode: 'none' }) {
  return {
    startDate,
    endDate,
    currency,
    billingPeriod: 'calendar_month',
    renewal,
    fees: [{ key: 'platform', kind: 'flat', amount: currency === 'JPY' ? '50000' : '500.00', prorate: true }],
    lineItems: [{ key: 'display', name: 'Streaming display', pricing: { model: 'cpm', ratePerMille: rate } }],
  };
}

/** A publisher's payout agreement: a CPM payout on the impressions it served for the named orders. */
export function publisherPayoutTerms(d: DemoDates, sellContractId: string) {
  return {
    startDate: d.twoMonthsAgo,
    endDate: d.quarterEnd,
    currency: 'USD',
    billingPeriod: 'calendar_month',
    appliesTo: [sellContractId],
    holdDays: 0,
    minimumPayout: '100.00',
    lineItems: [{ key: 'ctv-supply', name: 'CTV supply payout', pricing: { model: 'cpm', ratePerMille: '14.00' } }],
  };
}

/** An affiliate's payout agreement: per purchase, and a share of what we bill for subscriptions. */
export function affiliatePayoutTerms(d: DemoDates) {
  return {
    startDate: d.twoMonthsAgo,
    endDate: d.inYear,
    currency: 'USD',
    billingPeriod: 'calendar_month',
    appliesTo: 'all',
    holdDays: 30,
    minimumPayout: '50.00',
    lineItems: [
      {
        key: 'affiliate-conversions',
        name: 'Affiliate conversions',
        pricing: {
          model: 'cpa',
          events: [
            { eventType: 'purchase', amount: '12.00' },
            { eventType: 'subscription', revenueSharePercent: '40' },
          ],
          attribution: { viewWindowDays: 1, clickWindowDays: 30 },
          billOn: 'approved',
        },
      },
    ],
  };
}

/** The demo catalog: what the rate card prices. */
export const demoProducts = [
  { key: 'ctv-prime-30', name: 'CTV prime time, 30 s', description: 'Connected TV, 18:00–23:00, non-skippable 30-second spot' },
  { key: 'ctv-run-of-network', name: 'CTV run of network', description: 'Connected TV across the network, any daypart' },
  { key: 'display-standard', name: 'Standard display', description: 'IAB standard display units' },
];

/** The demo rate card (USD): list and floor rates per product and model, and the premiums sales may add. */
export function demoRateCard(d: DemoDates) {
  return {
    name: 'CTV and display 2026',
    currency: 'USD',
    effectiveFrom: d.lastYearStart,
    entries: [
      { product: 'ctv-prime-30', model: 'cpm' as const, listRate: '40.00', floorRate: '30.00' },
      { product: 'ctv-prime-30', model: 'cpcv' as const, listRate: '0.0500', floorRate: '0.0350' },
      { product: 'ctv-run-of-network', model: 'cpm' as const, listRate: '24.00', floorRate: '18.00' },
      { product: 'display-standard', model: 'cpc' as const, listRate: '1.50', floorRate: '1.00' },
    ],
    premiums: [
      { dimension: 'geo', value: 'dma', percent: '20' },
      { dimension: 'audience', value: 'first_party', percent: '15' },
      { dimension: 'daypart', value: 'prime', amount: '2.00' },
    ],
  };
}

/**
 * A CTV order priced from the rate card: prime time on cpm (40.00 × 1.35 × 0.90 = 48.60 per 1,000)
 * with a delivery goal, and completed views on cpcv (0.05 × 1.15 × 0.95 = 0.054625 per view).
 */
export function cardPricedTerms(d: DemoDates, rateCardId: string) {
  return {
    startDate: d.twoMonthsAgo,
    endDate: d.quarterEnd,
    currency: 'USD',
    billingPeriod: 'calendar_month',
    paymentTermsDays: 30,
    renewal: { mode: 'none' },
    lineItems: [
      {
        key: 'prime-from-card',
        name: 'CTV prime time (rate card)',
        // Behind pace in every month of the demo, so the shortfall report lists it and a makegood answers it.
        goal: { metric: 'impressions', quantity: 3_000_000 },
        pricing: {
          model: 'cpm',
          rateCard: { id: rateCardId, product: 'ctv-prime-30', premiums: ['geo:dma', 'audience:first_party'], discountPercent: '10' },
        },
      },
      {
        key: 'completed-views',
        name: 'CTV completed views (rate card)',
        pricing: {
          model: 'cpcv',
          rateCard: { id: rateCardId, product: 'ctv-prime-30', premiums: ['audience:first_party'], discountPercent: '5' },
        },
      },
    ],
  };
}

/** The affiliate offer's only line item: what clicks, conversions and the postback source name. */
export const offerLineItem = 'online-sales';

/**
 * An affiliate offer (SPEC §9): the advertiser pays 45.00 for a new customer's purchase and 35.00
 * for any other (conditional CPA), and partners are paid from the offer's own payouts: 10.00 per
 * purchase by default, and for gold partners 14.00 per purchase up to the 40th of a month and
 * 15.00 from the 41st (graduated). A partner with its own agreement is paid by it instead.
 * `billOn: "pending"`: the network bills and pays what arrived unless a scrub rule or the
 * advertiser rejected it, and held conversions wait for review.
 */
export function affiliateOfferTerms(d: DemoDates) {
  return {
    startDate: d.twoMonthsAgo,
    endDate: d.inSixMonths,
    currency: 'USD',
    billingPeriod: 'calendar_month',
    paymentTermsDays: 30,
    renewal: { mode: 'manual', termMonths: 6, noticeDays: 30 },
    lineItems: [
      {
        key: offerLineItem,
        name: 'Online store sales',
        pricing: {
          model: 'cpa',
          events: [
            { eventType: 'purchase', when: { newCustomer: true }, amount: '45.00' },
            { eventType: 'purchase', amount: '35.00' },
          ],
          attribution: { viewWindowDays: 1, clickWindowDays: 30, model: 'last_click' },
          // No eligibility by country: postbacks carry no attributes, and the clicks already come from where the store ships.
          billOn: 'pending',
        },
      },
    ],
    partnerPayouts: {
      default: { events: [{ eventType: 'purchase', amount: '10.00' }] },
      tiers: {
        gold: {
          events: [
            {
              eventType: 'purchase',
              tiers: {
                mode: 'graduated',
                levels: [
                  { upTo: 40, amount: '14.00' },
                  { upTo: null, amount: '15.00' },
                ],
              },
            },
          ],
        },
      },
      holdDays: 0,
      minimumPayout: '25.00',
    },
  };
}

/** A partner's own agreement on the affiliate offer: 16.00 per purchase, which takes the place of the offer's payouts. */
export function offerAgreementTerms(d: DemoDates, offerId: string) {
  return {
    startDate: d.twoMonthsAgo,
    endDate: d.inSixMonths,
    currency: 'USD',
    billingPeriod: 'calendar_month',
    appliesTo: [offerId],
    holdDays: 0,
    minimumPayout: '50.00',
    lineItems: [
      {
        key: 'review-sales',
        name: 'Sales from reviews',
        pricing: {
          model: 'cpa',
          events: [{ eventType: 'purchase', amount: '16.00' }],
          attribution: { viewWindowDays: 1, clickWindowDays: 30 },
          billOn: 'pending',
        },
      },
    ],
  };
}

/** The offer's scrub rules, as POST /v1/scrub-rules takes them: the first that matches decides. */
export function offerScrubRules(offerId: string) {
  return [
    {
      name: 'Purchase under 20 s after the click',
      priority: 10,
      conditions: [{ field: 'clickToConversionSeconds', op: 'lt', value: 20 }],
      action: 'reject',
      reason: 'click_too_fast',
      contractId: offerId,
    },
    {
      name: 'Orders over 500.00 checked by hand',
      priority: 20,
      conditions: [{ field: 'value', op: 'gt', value: '500.00' }],
      action: 'hold',
      reason: 'large_order_review',
      contractId: offerId,
    },
  ];
}
