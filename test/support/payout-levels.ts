/** Partner payout fixtures shared by the payout suites (no store, no harness: unit tests import it too). */
import type { PartnerPayouts } from '../../src/wire/terms.ts';

/**
 * An offer's partner payouts with one level of each kind a partner postback's {payout} meets:
 * default 10.00 per purchase; gold 14.00; silver 12.50 in DE, else 11.00; graduated (10.00 for the
 * first 100, then 12.00); share (20 % of what the advertiser was billed).
 */
export const payoutLevelsByKind: PartnerPayouts = {
  default: { events: [{ eventType: 'purchase', amount: '10.00' }] },
  tiers: {
    gold: { events: [{ eventType: 'purchase', amount: '14.00' }] },
    silver: {
      events: [
        { eventType: 'purchase', when: { countries: ['DE'] }, amount: '12.50' },
        { eventType: 'purchase', amount: '11.00' },
      ],
    },
    graduated: {
      events: [
        {
          eventType: 'purchase',
          tiers: {
            mode: 'graduated',
            levels: [
              { upTo: 100, amount: '10.00' },
              { upTo: null, amount: '12.00' },
            ],
          },
        },
      ],
    },
    share: { events: [{ eventType: 'purchase', revenueSharePercent: '20' }] },
  },
};
