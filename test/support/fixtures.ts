/** Valid request bodies to start from; tests change one thing at a time. */

export function advertiserBody(overrides: Record<string, unknown> = {}) {
  return { kind: 'advertiser', name: 'Northwind Streaming', currency: 'USD', ...overrides };
}

export function partnerBody(overrides: Record<string, unknown> = {}) {
  return { kind: 'partner', name: 'StreamCast Publishers', currency: 'USD', ...overrides };
}

/** Sell terms with two CPM line items (one flat, one graduated tiers) over a quarter. */
export function cpmTerms(overrides: Record<string, unknown> = {}) {
  return {
    startDate: '2026-10-01',
    endDate: '2026-12-31',
    currency: 'USD',
    billingPeriod: 'calendar_month',
    paymentTermsDays: 30,
    budgetCap: '100000.00',
    renewal: { mode: 'manual', termMonths: 3, noticeDays: 30 },
    lineItems: [
      { key: 'display', name: 'CTV display', pricing: { model: 'cpm', ratePerMille: '25.00' } },
      {
        key: 'run-of-network',
        name: 'Run of network',
        pricing: {
          model: 'cpm',
          tierMode: 'graduated',
          tierBasis: 'period',
          tiers: [
            { upTo: 1000000, ratePerMille: '20.00', flatAmount: '0' },
            { upTo: null, ratePerMille: '15.00' },
          ],
        },
      },
    ],
    ...overrides,
  };
}
