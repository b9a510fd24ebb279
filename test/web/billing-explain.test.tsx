/**
 * A line's `explain` read in words: sentences for the shapes the rating engine writes (taken from a
 * real billing run of the demo book), every input as a labelled list, long lists cut until asked,
 * and nothing rendered until "How this was computed" is opened.
 */
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import {
  classify,
  type Explain,
  explainSummary,
  formatValue,
  formulaWithValues,
  humanizeKey,
  ruleLabel,
} from '../../web/src/features/billing/explain/explain-text.ts';
import { ExplainDetails, ExplainView } from '../../web/src/features/billing/explain/ExplainView.tsx';

const en = 'en-US';

const cpmFlat: Explain = {
  version: { number: 1, effectiveFrom: '2026-09-01' },
  rule: 'cpm.flat',
  lineItem: 'ctv-prime',
  segment: { from: '2026-10-01', to: '2026-10-31', days: 31 },
  inputs: {
    billingSource: 'third_party',
    firstPartyImpressions: 1380720,
    thirdPartyImpressions: 1333521,
    countedImpressions: 1333521,
    missingThirdPartyDates: [],
    discrepancy: {
      basis: 'period, days with both counts',
      daysCompared: 31,
      firstPartyImpressions: 1380720,
      thirdPartyImpressions: 1333521,
      percent: '3.418434',
      tolerancePercent: '10',
      aboveTolerance: false,
    },
    impressionCap: null,
    billedImpressions: 1333521,
  },
  pricing: { formula: 'impressions × ratePerMille / 1000', impressions: 1333521, ratePerMille: '28.50' },
  budgetCaps: {
    lineBudgetCap: null,
    contractBudgetCap: { cap: '180000.00', billedBefore: '0', amountBefore: '38005.3485', capped: '0' },
    amountBeforeCaps: '38005.3485',
    cappedAmount: '0',
    conversionsAfterCaps: null,
  },
  exactAmount: '38005.3485',
  rounding: { mode: 'half_even', decimals: 2, from: '38005.3485', to: '38005.35' },
};

const cpmGraduated: Explain = {
  version: { number: 1, effectiveFrom: '2026-09-01' },
  rule: 'cpm.graduated',
  segment: { from: '2026-10-01', to: '2026-10-31', days: 31 },
  pricing: {
    impressions: 5159589,
    periodOffset: 0,
    tiers: [
      { tier: 1, fromImpression: 1, upTo: 1000000, ratePerMille: '22.00', impressions: 1000000, flatAmount: '0', amount: '22000' },
      { tier: 2, fromImpression: 1000001, upTo: 5000000, ratePerMille: '19.50', impressions: 4000000, flatAmount: '0', amount: '78000' },
      { tier: 3, fromImpression: 5000001, upTo: null, ratePerMille: '17.00', impressions: 159589, flatAmount: '0', amount: '2713.013' },
    ],
  },
  exactAmount: '102713.013',
  rounding: { mode: 'half_even', decimals: 2, from: '102713.013', to: '102713.01' },
};

const percentFee: Explain = {
  version: { number: 1, effectiveFrom: '2026-09-01' },
  rule: 'fee.percent_of_media',
  fee: 'agency-commission',
  formula: 'mediaAmount × percent / 100',
  percent: '-15',
  mediaAmount: '4110',
  exactAmount: '-616.50',
  rounding: { mode: 'half_even', decimals: 2, from: '-616.50', to: '-616.50' },
};

const adjustment: Explain = {
  rule: 'adjustment',
  formula: 'ratedNow − billedBefore',
  correctsDocument: 'INV-2026-000001',
  correctsPeriod: '2026-10',
  currency: 'USD',
  billedBefore: { quantity: 1000000, amount: '20000.00' },
  ratedNow: { quantity: 1050000, amount: '21000.00' },
};

/** A CPA line with many billed conversions, as the engine lists them. */
function cpaWith(conversions: number): Explain {
  return {
    version: { number: 1, effectiveFrom: '2026-09-01' },
    rule: 'cpa.fixed',
    segment: { from: '2026-10-01', to: '2026-10-31', days: 31 },
    pricing: { eventType: 'purchase', amount: '30.00', billOn: 'approved' },
    inputs: {
      conversionsBilled: Array.from({ length: conversions }, (_, index) => ({
        id: `conv-${index + 1}`,
        eventType: 'purchase',
        occurredAt: '2026-10-01T09:18:00.000Z',
        base: null,
        amount: '30',
      })),
      conversionsOverCap: [],
    },
    exactAmount: `${conversions * 30}.00`,
    rounding: { mode: 'half_even', decimals: 2, from: `${conversions * 30}.00`, to: `${conversions * 30}.00` },
  };
}

describe('explain in words', () => {
  it('says how a flat CPM line was computed, with the formula filled in and the rounding', () => {
    const sentences = explainSummary(cpmFlat, 'USD', en);
    expect(sentences).toEqual([
      'Rule: CPM at one rate.',
      'Priced by version 1 of the contract, in force from Sep 1, 2026.',
      'Delivery from Oct 1, 2026 to Oct 31, 2026 (31 days).',
      'Counted 1,333,521 impressions by the third-party count (first-party 1,380,720, third-party 1,333,521).',
      'First- and third-party counts differ by 3.418434 % over 31 day(s) (tolerance 10 %): within the tolerance.',
      'impressions × ratePerMille / 1000: 1,333,521 × $28.50 / 1,000 = $38,005.3485.',
      'Contract budget cap $180,000.00: $0.00 billed before this line; nothing capped.',
      'Exact amount $38,005.3485, rounded once (half to even) to 2 decimals: $38,005.35.',
    ]);
  });

  it('lists the tiers a graduated line used', () => {
    const sentences = explainSummary(cpmGraduated, 'USD', en);
    expect(sentences).toContain('Tier 1 (impressions 1 to 1,000,000): 1,000,000 impressions at $22.00 per 1,000 = $22,000.00.');
    expect(sentences).toContain('Tier 3 (impressions 5,000,001 and up): 159,589 impressions at $17.00 per 1,000 = $2,713.013.');
  });

  it('reads a cpcv line in completed views and a graduated cpc line in clicks (SPEC §8)', () => {
    const cpcv: Explain = {
      rule: 'cpcv.flat',
      inputs: {
        metric: 'completedViews',
        billingSource: 'third_party',
        firstPartyCompletedViews: 25000,
        thirdPartyCompletedViews: 18400,
        countedCompletedViews: 23400,
        missingThirdPartyDates: [],
        billedCompletedViews: 23400,
      },
      pricing: { formula: 'completedViews × ratePerView', metric: 'completedViews', completedViews: 23400, ratePerView: '0.05' },
      exactAmount: '1170.00',
    };
    expect(explainSummary(cpcv, 'USD', en)).toEqual([
      'Rule: CPCV at one rate per completed view.',
      'Counted 23,400 completed views by the third-party count (first-party 25,000, third-party 18,400).',
      'completedViews × ratePerView: 23,400 × $0.05 = $1,170.00.',
    ]);
    const cpc: Explain = {
      rule: 'cpc.graduated',
      pricing: {
        metric: 'clicks',
        clicks: 2000,
        periodOffset: 0,
        tiers: [{ tier: 1, fromClick: 1, upTo: 1000, ratePerClick: '2.00', clicks: 1000, flatAmount: '0', amount: '2000' }],
      },
    };
    expect(explainSummary(cpc, 'USD', en)).toContain('Tier 1 (clicks 1 to 1,000): 1,000 clicks at $2.00 per click = $2,000.00.');
  });

  it('fills a fee formula with the percentage as the number it is', () => {
    expect(explainSummary(percentFee, 'USD', en)).toContain('mediaAmount × percent / 100: $4,110.00 × -15 / 100 = -$616.50.');
    expect(formulaWithValues('mediaAmount × percent / 100', percentFee, 'EUR', 'de-DE')).toBe('4.110,00\u00a0€ × -15 / 100');
  });

  it('says what an adjustment corrects and by how much', () => {
    expect(explainSummary(adjustment, 'USD', en)).toEqual([
      'Rule: Adjustment to an issued document (delivery changed after it was issued).',
      'Corrects INV-2026-000001 for 2026-10.',
      'Billed before: 1,000,000 for $20,000.00. Rated now: 1,050,000 for $21,000.00. This line bills the difference.',
    ]);
  });

  it('formats each kind of value: exact money, percentages, counts, dates, words', () => {
    expect(classify('ratePerMille', '0.0125')).toBe('money');
    expect(formatValue('ratePerMille', '0.0125', 'USD', en)).toBe('$0.0125');
    expect(formatValue('amount', '1234', 'JPY', en)).toBe('¥1,234');
    expect(formatValue('tolerancePercent', '10', 'USD', en)).toBe('10 %');
    expect(formatValue('impressions', 1234567, 'USD', en)).toBe('1,234,567');
    expect(formatValue('effectiveFrom', '2026-09-01', 'USD', en)).toBe('Sep 1, 2026');
    expect(formatValue('billingSource', 'third_party', 'USD', en)).toBe('third party');
    expect(formatValue('aboveTolerance', false, 'USD', en)).toBe('no');
    expect(formatValue('impressionCap', null, 'USD', en)).toBe('none');
    expect(humanizeKey('firstPartyImpressions')).toBe('first-party impressions');
    expect(humanizeKey('daysCompared')).toBe('days compared');
    expect(ruleLabel('hybrid.lesser_of')).toBe('Hybrid: the lesser of media (CPM, CPCV or CPC) and CPA');
    expect(ruleLabel('something.new_rule')).toBe('something, new rule');
  });
});

describe('<ExplainView>', () => {
  it('shows the sentences, every input labelled, and tables for lists of records', () => {
    render(<ExplainView explain={cpmGraduated} currency="USD" locale={en} />);
    expect(screen.getByText('Rule: CPM, graduated tiers (each impression priced by the tier it falls in).')).toBeTruthy();
    const tiers = screen.getByRole('table', { name: 'tiers' });
    expect(within(tiers).getAllByRole('row')).toHaveLength(4);
    expect(within(tiers).getByText('$2,713.013')).toBeTruthy();
    expect(within(tiers).getAllByText('none')).toHaveLength(1);
    expect(screen.getByText('impressions earlier in the period')).toBeTruthy();
  });

  it('cuts a long list of conversions to its first rows until asked for all', async () => {
    const user = userEvent.setup();
    render(<ExplainView explain={cpaWith(123)} currency="USD" locale={en} />);
    expect(screen.getByText('123 conversion(s) billed.')).toBeTruthy();
    const table = screen.getByRole('table', { name: 'conversions billed' });
    expect(within(table).getAllByRole('row')).toHaveLength(11);
    await user.click(screen.getByRole('button', { name: 'Show all 123 rows' }));
    expect(within(screen.getByRole('table', { name: 'conversions billed' })).getAllByRole('row')).toHaveLength(124);
  });

  it('renders the raw JSON only once it is opened', () => {
    const { container } = render(<ExplainView explain={percentFee} currency="USD" locale={en} />);
    expect(container.querySelector('pre')).toBeNull();
    const raw = screen.getByText('Raw JSON').closest('details') as HTMLDetailsElement;
    raw.open = true;
    fireEvent(raw, new Event('toggle'));
    expect(container.querySelector('pre')?.textContent).toContain('"agency-commission"');
  });
});

describe('<ExplainDetails>', () => {
  it('renders nothing of the explanation until it is opened', () => {
    render(<ExplainDetails explain={cpmFlat} currency="USD" locale={en} />);
    expect(screen.queryByText('Rule: CPM at one rate.')).toBeNull();
    const details = screen.getByText('How this was computed').closest('details') as HTMLDetailsElement;
    details.open = true;
    fireEvent(details, new Event('toggle'));
    expect(screen.getByText('Rule: CPM at one rate.')).toBeTruthy();
  });
});
