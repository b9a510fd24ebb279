/**
 * The terms editor keeps what it does not edit: a line item's delivery goal and the line a makegood
 * makes good (SPEC §8) survive a round trip through the form, so editing a makegood draft in the web
 * app does not turn it into an ordinary zero-priced line.
 */
import { describe, expect, it } from 'vitest';
import { formToTerms, termsToForm } from '../../web/src/features/contracts/terms-editor/terms-conversion.ts';
import { emptyLineItem } from '../../web/src/features/contracts/terms-editor/terms-form.ts';
import type { SellTerms } from '../../src/wire/terms.ts';

const terms: SellTerms = {
  startDate: '2026-10-01',
  endDate: '2026-12-31',
  currency: 'USD',
  billingPeriod: 'calendar_month',
  lineItems: [
    {
      key: 'ctv',
      name: 'CTV',
      pricing: { model: 'cpm', ratePerMille: '20.00' },
      goal: { metric: 'impressions', quantity: 610_000 },
    },
    {
      key: 'ctv-mg1',
      name: 'CTV (makegood 1)',
      startDate: '2026-11-01',
      endDate: '2026-11-29',
      pricing: { model: 'cpm', ratePerMille: '0' },
      goal: { metric: 'impressions', quantity: 155_000 },
      makegoodFor: 'ctv',
    },
    { key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '5.00' } },
  ],
};

describe('terms editor and goals', () => {
  it('keeps goals and makegoodFor through the form, and adds neither to a line that had none', () => {
    const back = formToTerms(termsToForm(terms), 'sell') as unknown as SellTerms;
    expect(back.lineItems).toEqual(terms.lineItems);
    expect(Object.keys(back.lineItems[2] ?? {})).not.toContain('goal');
  });

  it('a new line item has no goal', () => {
    const form = termsToForm(terms);
    form.lineItems.push(emptyLineItem(3));
    const back = formToTerms(form, 'sell') as unknown as SellTerms;
    expect(back.lineItems[3]).not.toHaveProperty('goal');
    expect(back.lineItems[3]).not.toHaveProperty('makegoodFor');
  });
});
