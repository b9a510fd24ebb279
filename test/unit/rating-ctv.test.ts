/**
 * The CTV models in the pure engine (SPEC §8): what the HTTP scenario (test/scenarios/ctv-models.test.ts)
 * cannot reach cheaply: a line item whose model changes within a period counts each metric on its
 * own, an impressionCap never limits completed views, and delivery no line prices is flagged
 * whichever count it carries.
 */
import { describe, expect, it } from 'vitest';
import type { LineItem } from '../../src/wire/terms.ts';
import { rate, sellTerms } from '../support/rating-helpers.ts';
import type { ImpressionCount } from '../../src/modules/rating/types.ts';

const record = (lineItem: string, date: string, impressions: number, completedViews?: number, clicks?: number): ImpressionCount => ({
  lineItem,
  date,
  source: 'first_party',
  impressions,
  ...(completedViews === undefined ? {} : { completedViews }),
  ...(clicks === undefined ? {} : { clicks }),
});

describe('rating the CTV models', () => {
  it('an amendment from cpm to cpcv mid-period prices impressions before it and completed views after, each in its own tiers', () => {
    const tiered = (model: 'cpm' | 'cpcv', rateField: 'ratePerMille' | 'ratePerView', first: string, second: string) =>
      ({
        key: 'ctv',
        name: 'CTV',
        pricing: {
          model,
          tierMode: 'graduated',
          tierBasis: 'period',
          tiers: [
            { upTo: 10_000, [rateField]: first },
            { upTo: null, [rateField]: second },
          ],
        },
      }) as LineItem;
    const before = sellTerms({ lineItems: [tiered('cpm', 'ratePerMille', '20.00', '10.00')] });
    const after = sellTerms({ lineItems: [tiered('cpcv', 'ratePerView', '0.05', '0.04')] });
    const result = rate(
      [
        { number: 1, effectiveFrom: '2026-10-01', terms: before },
        { number: 2, effectiveFrom: '2026-10-16', terms: after },
      ],
      { impressions: [record('ctv', '2026-10-05', 30_000, 20_000), record('ctv', '2026-10-20', 30_000, 12_000)] },
    );
    // Oct 1–15, cpm: 30,000 impressions: 10,000 × 20.00 / 1000 = 200.00; 20,000 × 10.00 / 1000 = 200.00 → 400.00.
    // Oct 16–31, cpcv: its own tiers start at the first completed view, not after the 30,000 impressions:
    // 10,000 × 0.05 = 500.00; 2,000 × 0.04 = 80.00 → 580.00. (The 20,000 views of Oct 5 were not billed by cpm.)
    expect(result.lines.map((line) => [line.unit, line.quantity, line.amount, line.from])).toEqual([
      ['impressions', 30_000, '400.00', '2026-10-01'],
      ['completed_views', 12_000, '580.00', '2026-10-16'],
    ]);
    expect(result.lines[1]!.explain).toMatchObject({ rule: 'cpcv.graduated', pricing: { periodOffset: 0 } });
  });

  it('an impressionCap on an earlier cpm version never limits the completed views a later cpcv version bills', () => {
    const result = rate(
      [
        {
          number: 1,
          effectiveFrom: '2026-10-01',
          terms: sellTerms({
            lineItems: [{ key: 'ctv', name: 'CTV', impressionCap: 1_000, pricing: { model: 'cpm', ratePerMille: '10.00' } }],
          }),
        },
        {
          number: 2,
          effectiveFrom: '2026-10-10',
          terms: sellTerms({ lineItems: [{ key: 'ctv', name: 'CTV', pricing: { model: 'cpcv', ratePerView: '0.02' } }] }),
        },
      ],
      {
        impressions: [record('ctv', '2026-10-02', 5_000, 4_000), record('ctv', '2026-10-12', 5_000, 4_000)],
        prior: { impressionsByLine: { ctv: 900 }, amountByLine: {}, contractAmount: '0', mediaAmount: '0' },
      },
    );
    // cpm: cap 1,000, 900 billed before → 100 impressions × 10.00 / 1000 = 1.00 (4,900 capped).
    // cpcv: 4,000 views × 0.02 = 80.00, no quantity cap.
    expect(result.lines.map((line) => [line.unit, line.quantity, line.amount, line.flags])).toEqual([
      ['impressions', 100, '1.00', ['capped']],
      ['completed_views', 4_000, '80.00', []],
    ]);
  });

  it('flags delivery that no line item prices, whichever count it carries', () => {
    const terms = sellTerms({ lineItems: [{ key: 'ctv', name: 'CTV', pricing: { model: 'cpc', ratePerClick: '1.00' } }] });
    expect(rate(terms, { impressions: [record('zz', '2026-10-03', 0, 0, 7)] }).flags).toEqual(['unrated_impressions']);
    expect(rate(terms, { impressions: [record('zz', '2026-10-03', 0, 0, 0)] }).flags).toEqual([]);
    // Clicks on the cpc line bill; its impressions and views do not: 7 × 1.00 = 7.00.
    expect(rate(terms, { impressions: [record('ctv', '2026-10-03', 9_000, 800, 7)] }).subtotal).toBe('7.00');
  });
});
