/**
 * The terms editor: validation as you type (with the server's own schema), every pricing model,
 * and the server's field errors (problem+json `errors[].path`) shown at their fields.
 */
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fieldErrorsUnder, toProblem } from '../../web/src/common/problem.ts';
import { formToTerms, termsToForm } from '../../web/src/features/contracts/terms-editor/terms-conversion.ts';
import type { BuyTerms, SellTerms } from '../../src/wire/terms.ts';
import { currentTerms, TermsHarness } from './terms-harness.tsx';

const lineItem = (number: number) => screen.getByRole('group', { name: new RegExp(`^Line item ${number}`) });

describe('terms editor', () => {
  it('validates a CPM rate as you type and shows the error at the field', async () => {
    const user = userEvent.setup();
    render(<TermsHarness />);
    const rate = within(lineItem(1)).getByLabelText('Rate per 1,000 impressions');
    // Nothing is flagged before the user has touched a field.
    expect(screen.queryAllByRole('alert')).toHaveLength(0);
    await user.type(rate, '12,50');
    expect(rate.getAttribute('aria-invalid')).toBe('true');
    expect(within(lineItem(1)).getByText(/must be a decimal string/)).toBeTruthy();
    await user.clear(rate);
    await user.type(rate, '12.5000001');
    expect(within(lineItem(1)).getByText('must have at most 6 decimal places')).toBeTruthy();
    await user.clear(rate);
    await user.type(rate, '25.00');
    expect(rate.getAttribute('aria-invalid')).toBeNull();
    expect(currentTerms().lineItems[0].pricing).toEqual({ model: 'cpm', ratePerMille: '25.00' });
  });

  it('checks rules that span fields as soon as either is edited', async () => {
    const user = userEvent.setup();
    render(<TermsHarness />);
    const end = screen.getByLabelText('End date');
    fireEvent.change(end, { target: { value: '2026-09-01' } });
    expect(await screen.findByText('endDate must be on or after startDate')).toBeTruthy();
    await user.type(within(lineItem(1)).getByLabelText('Key'), 'X');
    expect(within(lineItem(1)).getByText(/must start with a lower-case letter or digit/)).toBeTruthy();
  });

  it('reveals every problem when the user tries to save, with a summary', async () => {
    const user = userEvent.setup();
    render(<TermsHarness />);
    expect(screen.getByTestId('valid').textContent).toBe('false');
    await user.click(screen.getByRole('button', { name: 'Try to save' }));
    const name = within(lineItem(1)).getByLabelText('Name');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(within(lineItem(1)).getAllByText('Required').length).toBeGreaterThan(0);
    expect(screen.getByText(/problems? in the terms/)).toBeTruthy();
  });

  it('edits tiered CPM tiers and reports a tier out of order at its upTo', async () => {
    const user = userEvent.setup();
    render(<TermsHarness />);
    const item = lineItem(1);
    await user.selectOptions(within(item).getByLabelText('Pricing model'), 'CPM, tiered rates');
    await user.click(within(item).getByRole('button', { name: 'Add tier' }));
    await user.type(within(item).getByLabelText('Tier 1 up to'), '5000000');
    await user.type(within(item).getByLabelText('Tier 2 up to'), '1000000');
    expect(within(item).getByText("upTo must be greater than the previous tier's upTo (5000000)")).toBeTruthy();
    await user.clear(within(item).getByLabelText('Tier 2 up to'));
    await user.type(within(item).getByLabelText('Tier 2 up to'), '9000000');
    for (const [index, rate] of ['20', '18', '15'].entries()) await user.type(within(item).getByLabelText(`Tier ${index + 1} rate`), rate);
    expect(currentTerms().lineItems[0].pricing).toEqual({
      model: 'cpm',
      tierMode: 'graduated',
      tierBasis: 'period',
      tiers: [
        { upTo: 5000000, ratePerMille: '20' },
        { upTo: 9000000, ratePerMille: '18' },
        { upTo: null, ratePerMille: '15' },
      ],
    });
    await user.type(within(item).getByLabelText('Tier 1 up to'), 'x');
    expect(within(item).getByText('Must be a whole number')).toBeTruthy();
  });

  it('offers CPA, hybrid and flat pricing with their own fields', async () => {
    const user = userEvent.setup();
    render(<TermsHarness />);
    const item = lineItem(1);
    await user.selectOptions(within(item).getByLabelText('Pricing model'), 'CPA (per conversion)');
    await user.type(within(item).getByLabelText('Event type'), 'purchase');
    await user.type(within(item).getByLabelText('Amount'), '30.00');
    await user.type(within(item).getByLabelText('Countries (optional)'), 'usa');
    expect(within(item).getByText(/ISO 3166-1 alpha-2/)).toBeTruthy();
    await user.clear(within(item).getByLabelText('Countries (optional)'));
    await user.type(within(item).getByLabelText('Countries (optional)'), 'us, ca');
    expect(currentTerms().lineItems[0].pricing).toMatchObject({
      model: 'cpa',
      events: [{ eventType: 'purchase', amount: '30.00' }],
      eligibility: { countries: ['US', 'CA'] },
    });
    // A CPA line item bills no impressions, so it takes no billing source.
    expect(within(item).queryByLabelText('Count impressions from')).toBeNull();

    await user.selectOptions(within(item).getByLabelText('Pricing model'), 'Hybrid (CPM and CPA)');
    expect(within(item).getByRole('group', { name: 'CPM part' })).toBeTruthy();
    expect(within(item).getByRole('group', { name: 'CPA part' })).toBeTruthy();
    expect(within(item).getByLabelText('Count impressions from')).toBeTruthy();
    // What was typed for CPA is kept when the model changes.
    expect((within(within(item).getByRole('group', { name: 'CPA part' })).getByLabelText('Event type') as HTMLInputElement).value).toBe(
      'purchase',
    );
    expect(currentTerms().lineItems[0].pricing).toMatchObject({
      model: 'hybrid',
      combine: 'lesser_of',
      cpa: { model: 'cpa' },
      cpm: { model: 'cpm' },
    });

    await user.selectOptions(within(item).getByLabelText('Pricing model'), 'Flat fee per period');
    await user.type(within(item).getByLabelText('Amount per period'), '5000');
    expect(currentTerms().lineItems[0].pricing).toEqual({ model: 'flat', amount: '5000', prorate: true });
  });

  it('writes a literal CPCV line and a tiered CPC line, with the billing source and tolerance a CPM line has (SPEC §8)', async () => {
    const user = userEvent.setup();
    render(<TermsHarness />);
    const views = lineItem(1);
    await user.clear(within(views).getByLabelText('Key'));
    await user.type(within(views).getByLabelText('Key'), 'views');
    await user.type(within(views).getByLabelText('Name'), 'Completed views');
    await user.selectOptions(within(views).getByLabelText('Pricing model'), 'CPCV (per completed view)');
    const rate = within(views).getByLabelText('Rate per completed view');
    // Checked by the server's schema at the model's own rate field.
    await user.type(rate, '0.0500001');
    expect(rate.getAttribute('aria-invalid')).toBe('true');
    expect(within(views).getByText('must have at most 6 decimal places')).toBeTruthy();
    await user.clear(rate);
    await user.type(rate, '0.05');
    expect(rate.getAttribute('aria-invalid')).toBeNull();
    await user.selectOptions(within(views).getByLabelText('Count impressions from'), 'third party');
    await user.type(within(views).getByLabelText('Discrepancy tolerance %'), '5');
    expect(currentTerms().lineItems[0]).toEqual({
      key: 'views',
      name: 'Completed views',
      pricing: { model: 'cpcv', ratePerView: '0.05' },
      billingSource: 'third_party',
      discrepancyTolerancePercent: '5',
    });

    await user.click(screen.getByRole('button', { name: 'Add line item' }));
    const clicks = lineItem(2);
    await user.type(within(clicks).getByLabelText('Name'), 'Clicks');
    await user.selectOptions(within(clicks).getByLabelText('Pricing model'), 'CPC (per click)');
    await user.type(within(clicks).getByLabelText('Rate per click'), '1.50');
    expect(currentTerms().lineItems[1].pricing).toEqual({ model: 'cpc', ratePerClick: '1.50' });
    // Tiers are the CPM tier rows, priced per click.
    await user.click(within(clicks).getByLabelText('Tiered rates'));
    expect(within(clicks).getByRole('columnheader', { name: 'Up to (clicks, inclusive)' })).toBeTruthy();
    await user.type(within(clicks).getByLabelText('Tier 1 up to'), '10000');
    await user.type(within(clicks).getByLabelText('Tier 1 rate'), '1.50');
    await user.type(within(clicks).getByLabelText('Tier 2 rate'), '1.2');
    expect(currentTerms().lineItems[1].pricing).toEqual({
      model: 'cpc',
      tierMode: 'graduated',
      tierBasis: 'period',
      tiers: [
        { upTo: 10000, ratePerClick: '1.50' },
        { upTo: null, ratePerClick: '1.2' },
      ],
    });
    await user.type(within(clicks).getByLabelText('Tier 2 rate'), 'x');
    expect(within(clicks).getByText(/must be a decimal string/)).toBeTruthy();
    await user.clear(within(clicks).getByLabelText('Tier 2 rate'));
    await user.type(within(clicks).getByLabelText('Tier 2 rate'), '1.20');
    // What was typed for each model stays with it: the CPCV line's rate is its own.
    expect((within(views).getByLabelText('Rate per completed view') as HTMLInputElement).value).toBe('0.05');
    expect(screen.getByTestId('valid').textContent).toBe('true');
  });

  it('reads literal CPCV and CPC lines back into their fields and writes them back unchanged', () => {
    const terms: SellTerms = {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      lineItems: [
        { key: 'views', name: 'Views', pricing: { model: 'cpcv', ratePerView: '0.05' }, billingSource: 'lesser_of' },
        {
          key: 'views-tiered',
          name: 'Views, volume',
          pricing: {
            model: 'cpcv',
            tierMode: 'volume',
            tierBasis: 'period',
            tiers: [
              { upTo: 100000, ratePerView: '0.06', flatAmount: '10' },
              { upTo: null, ratePerView: '0.04' },
            ],
          },
        },
        { key: 'clicks', name: 'Clicks', pricing: { model: 'cpc', ratePerClick: '1.50' }, discrepancyTolerancePercent: '7.5' },
      ],
    };
    expect(formToTerms(termsToForm(terms), 'sell')).toEqual(terms);
    render(<TermsHarness initialTerms={terms} />);
    expect((within(lineItem(1)).getByLabelText('Pricing model') as HTMLSelectElement).value).toBe('cpcv');
    expect((within(lineItem(1)).getByLabelText('Rate per completed view') as HTMLInputElement).value).toBe('0.05');
    expect((within(lineItem(2)).getByLabelText('Tier 1 rate') as HTMLInputElement).value).toBe('0.06');
    expect((within(lineItem(3)).getByLabelText('Pricing model') as HTMLSelectElement).value).toBe('cpc');
    expect((within(lineItem(3)).getByLabelText('Rate per click') as HTMLInputElement).value).toBe('1.50');
    expect(screen.queryByText(/kept as it is/)).toBeNull();
    expect(screen.getByTestId('valid').textContent).toBe('true');
  });

  it('shows the server field errors of a problem+json answer at their fields, until the field is edited', async () => {
    const user = userEvent.setup();
    const problem = toProblem({
      status: 422,
      data: {
        type: 'https://tally.dev/problems/invalid-terms',
        title: 'Unprocessable Content',
        status: 422,
        code: 'effective_date_out_of_range',
        detail: 'two problems',
        errors: [
          { path: 'terms.lineItems[0].key', message: 'line item key "line-1" was removed, but delivery refers to it' },
          { path: 'terms.endDate', message: 'must not be before the last billed period' },
          { path: 'name', message: 'not a terms field' },
        ],
      },
    });
    const serverErrors = fieldErrorsUnder(problem, 'terms');
    expect(serverErrors).toEqual({
      'lineItems[0].key': 'line item key "line-1" was removed, but delivery refers to it',
      endDate: 'must not be before the last billed period',
    });
    render(<TermsHarness serverErrors={serverErrors} />);
    const key = within(lineItem(1)).getByLabelText('Key');
    expect(key.getAttribute('aria-invalid')).toBe('true');
    expect(within(lineItem(1)).getByText(/delivery refers to it/)).toBeTruthy();
    expect(screen.getByLabelText('End date').getAttribute('aria-invalid')).toBe('true');
    await user.type(key, 'x');
    expect(within(lineItem(1)).queryByText(/delivery refers to it/)).toBeNull();
    expect(screen.getByText('must not be before the last billed period')).toBeTruthy();
  });

  it('adds and removes line items', async () => {
    const user = userEvent.setup();
    render(<TermsHarness />);
    await user.click(screen.getByRole('button', { name: 'Add line item' }));
    // A new, empty line item is not flagged before the user fills it in.
    expect(within(lineItem(2)).queryAllByRole('alert')).toHaveLength(0);
    expect(currentTerms().lineItems.map((item: { key: string }) => item.key)).toEqual(['line-1', 'line-2']);
    await user.click(within(lineItem(1)).getByRole('button', { name: 'Remove line item 1' }));
    expect(currentTerms().lineItems.map((item: { key: string }) => item.key)).toEqual(['line-2']);
  });

  it('edits existing buy-side terms without changing what it does not touch', () => {
    const terms: BuyTerms = {
      startDate: '2026-10-01',
      endDate: '2027-09-30',
      currency: 'KWD',
      billingPeriod: 'broadcast_month',
      paymentTermsDays: 45,
      budgetCap: '250000.125',
      minimumSpend: { amount: '1000', per: 'contract' },
      renewal: { mode: 'auto', termMonths: 12, noticeDays: 60 },
      fees: [
        { key: 'agency', kind: 'percent_of_media', percent: '-15' },
        { key: 'platform', kind: 'flat', amount: '500.000', prorate: true },
      ],
      lineItems: [
        {
          key: 'tiers',
          name: 'Tiered',
          startDate: '2026-11-01',
          impressionCap: 9000000,
          pricing: {
            model: 'cpm',
            tierMode: 'volume',
            tierBasis: 'period',
            tiers: [
              { upTo: 1000000, ratePerMille: '2.5', flatAmount: '10' },
              { upTo: null, ratePerMille: '2' },
            ],
          },
          billingSource: 'lesser_of',
          discrepancyTolerancePercent: '7.5',
        },
        {
          key: 'hybrid',
          name: 'Hybrid',
          pricing: {
            model: 'hybrid',
            combine: 'greater_of',
            cpm: { model: 'cpm', ratePerMille: '1.25' },
            cpa: {
              model: 'cpa',
              events: [{ eventType: 'sale', revenueSharePercent: '12.5' }],
              attribution: { viewWindowDays: 1, clickWindowDays: 30 },
              eligibility: { countries: ['KW'], newCustomersOnly: true, minValue: '5' },
              caps: { conversionsPerDay: null, conversionsPerPeriod: 500 },
              billOn: 'pending',
            },
          },
        },
        { key: 'flat', name: 'Flat', budgetCap: '100', pricing: { model: 'flat', amount: '300', prorate: false } },
      ],
      appliesTo: ['ctr_01abc', 'ctr_01def'],
      holdDays: 30,
      minimumPayout: '50',
    };
    expect(formToTerms(termsToForm(terms), 'buy')).toEqual(terms);
    render(<TermsHarness side="buy" initialTerms={terms} />);
    expect((screen.getByLabelText('Sell contract ids') as HTMLInputElement).value).toBe('ctr_01abc, ctr_01def');
    expect(screen.getByTestId('valid').textContent).toBe('true');
  });
});
