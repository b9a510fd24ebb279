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
