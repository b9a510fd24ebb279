/**
 * CPA terms in the terms editor and the terms view (SPEC §9): event entries with `when` and tiers
 * (graduated or volume levels), repeated event types, the attribution model, and an offer's partner
 * payouts; terms loaded and saved unchanged are the same terms (checked on the request the edit page
 * sends); the server's field errors land on their fields; the explain words for tiered CPA lines and
 * the payout level.
 */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'react-redux';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BuyTerms, SellTerms } from '../../src/wire/terms.ts';
import { makeStore } from '../../web/src/app/store.ts';
import { payoutLevelSentence } from '../../web/src/features/billing/explain/explain-cpa-text.ts';
import { type Explain, explainSummary, ruleLabel } from '../../web/src/features/billing/explain/explain-text.ts';
import EditVersionPage from '../../web/src/features/contracts/EditVersionPage.tsx';
import { TermsView } from '../../web/src/features/contracts/TermsView.tsx';
import { formToTerms, termsToForm } from '../../web/src/features/contracts/terms-editor/terms-conversion.ts';
import { sessionApi } from '../../web/src/features/session/session-api.ts';
import { signedInUser, stubRequests } from './api-stub.tsx';
import { currentTerms, TermsHarness } from './terms-harness.tsx';

const en = 'en-US';

/** An offer with every CPA shape: tiers both ways, repeated event types under `when`, a model, payouts by default and tier. */
const offer: SellTerms = {
  startDate: '2026-10-01',
  endDate: '2026-12-31',
  currency: 'USD',
  billingPeriod: 'calendar_month',
  lineItems: [
    {
      key: 'sales',
      name: 'Sales',
      pricing: {
        model: 'cpa',
        events: [
          {
            eventType: 'purchase',
            when: { countries: ['US'], newCustomer: true },
            tiers: {
              mode: 'volume',
              levels: [
                { upTo: 100, amount: '10.00' },
                { upTo: null, amount: '12.00' },
              ],
            },
          },
          { eventType: 'purchase', when: { countries: ['US'] }, amount: '20.00' },
          { eventType: 'purchase', when: { newCustomer: false }, revenueSharePercent: '5' },
          { eventType: 'purchase', amount: '10.00' },
          { eventType: 'subscription', revenueSharePercent: '12.5' },
        ],
        attribution: { viewWindowDays: 1, clickWindowDays: 7, model: 'first_click' },
        eligibility: { countries: ['US', 'CA'], newCustomersOnly: false },
        caps: { conversionsPerDay: null, conversionsPerPeriod: null },
        billOn: 'pending',
      },
    },
    {
      key: 'hybrid',
      name: 'Hybrid',
      pricing: {
        model: 'hybrid',
        combine: 'lesser_of',
        cpm: { model: 'cpm', ratePerMille: '4.00' },
        cpa: {
          model: 'cpa',
          events: [
            {
              eventType: 'lead',
              tiers: {
                mode: 'graduated',
                levels: [
                  { upTo: 50, amount: '2.00' },
                  { upTo: 500, amount: '1.50' },
                  { upTo: null, amount: '1.00' },
                ],
              },
            },
          ],
          attribution: { viewWindowDays: 0, clickWindowDays: 30, model: 'last_click' },
          eligibility: {},
        },
      },
    },
  ],
  fees: [],
  partnerPayouts: {
    default: { events: [{ eventType: 'purchase', amount: '10.00' }] },
    tiers: {
      gold: { events: [{ eventType: 'purchase', amount: '14.00' }] },
      platinum: {
        events: [
          { eventType: 'purchase', when: { countries: ['US'] }, amount: '18.00' },
          {
            eventType: 'purchase',
            tiers: {
              mode: 'graduated',
              levels: [
                { upTo: 10, amount: '15.00' },
                { upTo: null, amount: '16.00' },
              ],
            },
          },
        ],
      },
    },
    holdDays: 30,
    minimumPayout: '50.00',
    currency: 'USD',
  },
};

/** A partner agreement paying tiers and a share of what the advertiser is billed. */
const agreement: BuyTerms = {
  startDate: '2026-10-01',
  endDate: '2027-03-31',
  currency: 'EUR',
  billingPeriod: 'calendar_month',
  fees: [{ key: 'platform', kind: 'flat', amount: '20', prorate: false }],
  lineItems: [
    {
      key: 'payout',
      name: '  Payout, as written  ',
      pricing: {
        model: 'cpa',
        events: [
          {
            eventType: 'sale',
            tiers: {
              mode: 'graduated',
              levels: [
                { upTo: 100, amount: '3' },
                { upTo: null, amount: '4' },
              ],
            },
          },
          { eventType: 'refund-risk', when: { countries: ['DE', 'AT'] }, revenueSharePercent: '2.5' },
        ],
        attribution: { viewWindowDays: 1, clickWindowDays: 30, model: 'last_touch' },
        caps: { conversionsPerDay: 100, conversionsPerPeriod: null },
      },
    },
  ],
  appliesTo: 'all',
  holdDays: 0,
  minimumPayout: '0',
};

const group = (name: string | RegExp, container: HTMLElement = document.body) => within(container).getByRole('group', { name });
const lineItem = (number: number) => group(new RegExp(`^Line item ${number}`));
const event = (container: HTMLElement, number: number) => group(new RegExp(`^Event ${number}\\b`), container);
const input = (container: HTMLElement, label: string) => within(container).getByLabelText(label) as HTMLInputElement;

/** React's warnings (a missing or repeated key among them) go to console.error. */
let consoleErrors: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleErrors = vi.spyOn(console, 'error');
});
afterEach(() => {
  consoleErrors.mockRestore();
});
const reactWarnings = () => consoleErrors.mock.calls.map((call) => call.map(String).join(' ')).filter((line) => /key/i.test(line));

describe('CPA terms round trip', () => {
  it('turns any of these terms into a form and back into the same terms', () => {
    expect(formToTerms(termsToForm(offer), 'sell')).toEqual(offer);
    expect(formToTerms(termsToForm(agreement), 'buy')).toEqual(agreement);
    const onlyTiers: SellTerms = { ...offer, partnerPayouts: { tiers: { vip: { events: [{ eventType: 'purchase', amount: '1' }] } } } };
    delete onlyTiers.fees;
    expect(formToTerms(termsToForm(onlyTiers), 'sell')).toEqual(onlyTiers);
    const emptyTiers: SellTerms = {
      ...offer,
      partnerPayouts: { default: { events: [{ eventType: 'purchase', amount: '1' }] }, tiers: {} },
    };
    expect(formToTerms(termsToForm(emptyTiers), 'sell')).toEqual(emptyTiers);
  });

  it('saves loaded terms unchanged: the request the edit page sends carries the very terms it read', async () => {
    const user = userEvent.setup();
    // The edit page reads the contract and its version 1 (with its ETag), and sends a PATCH.
    const version = {
      number: 1,
      kind: 'original',
      status: 'draft',
      effectiveFrom: offer.startDate,
      createdBy: 'usr_me',
      createdAt: '2026-09-01T10:00:00Z',
      contractId: 'ctr_offer',
      terms: offer,
      reason: null,
      committedValue: '0',
      revision: 1,
      submittedBy: null,
      submittedAt: null,
      approvedAt: null,
      approvals: [],
      rejection: null,
    };
    const contract = {
      id: 'ctr_offer',
      number: 'IO-2026-0001',
      partyId: 'pty_adv',
      side: 'sell',
      name: 'Offer',
      status: 'draft',
      currentVersion: null,
      startDate: null,
      endDate: null,
      nonRenewalNotice: null,
      createdBy: 'usr_me',
      createdAt: '2026-09-01T10:00:00Z',
      versions: [],
    };
    const sent = stubRequests(
      () => undefined,
      (request) => ({ body: request.url.pathname.endsWith('/versions/1') ? version : contract }),
      () => ({ etag: '"1"' }),
    );
    const store = makeStore();
    await store.dispatch(sessionApi.util.upsertQueryData('me', undefined, signedInUser));
    render(
      <Provider store={store}>
        <MemoryRouter initialEntries={['/contracts/ctr_offer/versions/1/edit']}>
          <Routes>
            <Route path="/contracts/:contractId/versions/:versionNumber/edit" element={<EditVersionPage />} />
            <Route path="*" element={<p>Saved</p>} />
          </Routes>
        </MemoryRouter>
      </Provider>,
    );
    await user.click(await screen.findByRole('button', { name: 'Save draft' }));
    await screen.findByText('Saved');
    const saves = sent.filter((request) => request.method === 'PATCH');
    expect(saves).toHaveLength(1);
    expect(saves[0]!.body).toEqual({ terms: offer });
    expect(reactWarnings()).toEqual([]);
    vi.unstubAllGlobals();
  });
});

describe('CPA events in the terms editor', () => {
  it('reads repeated event types, their conditions, tiers and the attribution model into their fields', () => {
    render(<TermsHarness initialTerms={offer} />);
    const sales = lineItem(1);
    const first = event(sales, 1);
    expect(input(first, 'Event type').value).toBe('purchase');
    expect(input(first, 'Only for countries').value).toBe('US');
    expect(input(first, 'Only for customers').value).toBe('true');
    expect(input(first, 'Paid as').value).toBe('tiers');
    expect(input(first, 'Tier mode').value).toBe('volume');
    expect(input(first, 'Level 1 up to').value).toBe('100');
    expect(input(first, 'Level 2 up to').value).toBe('');
    expect(input(first, 'Level 2 amount').value).toBe('12.00');
    expect(input(event(sales, 2), 'Amount').value).toBe('20.00');
    expect(input(event(sales, 3), 'Only for customers').value).toBe('false');
    expect(input(event(sales, 3), 'Revenue share %').value).toBe('5');
    expect(input(sales, 'Attribution model').value).toBe('first_click');
    const hybridCpa = group('CPA part', lineItem(2));
    expect(input(event(hybridCpa, 1), 'Tier mode').value).toBe('graduated');
    expect(input(event(hybridCpa, 1), 'Level 3 amount').value).toBe('1.00');
    expect(screen.getByTestId('valid').textContent).toBe('true');
    expect(reactWarnings()).toEqual([]);
  });

  it('writes a tiered entry, a conditional entry before a general one, and the attribution model', async () => {
    const user = userEvent.setup();
    render(<TermsHarness />);
    const item = lineItem(1);
    await user.type(input(item, 'Name'), 'Sales');
    await user.selectOptions(input(item, 'Pricing model'), 'CPA (per conversion)');
    const first = event(item, 1);
    await user.type(input(first, 'Event type'), 'purchase');
    await user.selectOptions(input(first, 'Paid as'), 'tiers by count in the period');
    await user.selectOptions(input(first, 'Tier mode'), 'volume');
    await user.type(input(first, 'Level 1 up to'), '100');
    await user.type(input(first, 'Level 1 amount'), '10.00');
    await user.type(input(first, 'Level 2 amount'), '12.00');
    await user.click(within(item).getByRole('button', { name: 'Add event' }));
    const second = event(item, 2);
    await user.type(input(second, 'Event type'), 'purchase');
    await user.type(input(second, 'Amount'), '20');
    await user.selectOptions(input(item, 'Attribution model'), 'last touch');
    const tiered = {
      eventType: 'purchase',
      tiers: {
        mode: 'volume',
        levels: [
          { upTo: 100, amount: '10.00' },
          { upTo: null, amount: '12.00' },
        ],
      },
    };
    // Two entries of one type without conditions: the later one could never apply, and says so at its event type.
    expect(within(second).getByText(/already prices purchase under the same conditions/)).toBeTruthy();
    await user.type(input(second, 'Only for countries'), 'us, ca');
    await user.selectOptions(input(second, 'Only for customers'), 'new customers');
    // Narrower after wider: refused at the later entry's when, saying to put it first.
    expect(within(second).getByText(/events\[0\] already prices every purchase conversion this entry matches/)).toBeTruthy();
    await user.click(within(second).getByRole('button', { name: 'Move event 2 up' }));
    expect(input(event(item, 1), 'Only for countries').value).toBe('US, CA');
    expect(input(event(item, 2), 'Level 1 amount').value).toBe('10.00');
    expect(within(item).queryByText(/already prices/)).toBeNull();
    expect(currentTerms().lineItems[0].pricing).toEqual({
      model: 'cpa',
      events: [{ eventType: 'purchase', when: { countries: ['US', 'CA'], newCustomer: true }, amount: '20' }, tiered],
      attribution: { viewWindowDays: 1, clickWindowDays: 30, model: 'last_touch' },
    });
    expect(screen.getByTestId('valid').textContent).toBe('true');

    // A level out of order is refused at its upTo, as the CPM tiers are.
    await user.click(within(event(item, 2)).getByRole('button', { name: 'Add level' }));
    await user.type(input(event(item, 2), 'Level 2 up to'), '50');
    expect(within(event(item, 2)).getByText("upTo must be greater than the previous level's upTo (100)")).toBeTruthy();
    expect(reactWarnings()).toEqual([]);
  });

  it('keeps each entry with its own fields when an entry of the same type before it is removed', async () => {
    const user = userEvent.setup();
    render(<TermsHarness initialTerms={offer} />);
    const sales = lineItem(1);
    const typed = input(event(sales, 2), 'Amount');
    await user.click(within(event(sales, 1)).getByRole('button', { name: 'Remove event 1' }));
    // The US entry is now first, and it is the same input element: its key went with it.
    expect(input(event(sales, 1), 'Amount')).toBe(typed);
    expect(input(event(sales, 1), 'Only for countries').value).toBe('US');
    expect(currentTerms().lineItems[0].pricing.events).toHaveLength(4);
    expect(reactWarnings()).toEqual([]);
  });

  it('shows the server field errors of events, levels, the model and payouts at their fields', () => {
    render(
      <TermsHarness
        initialTerms={offer}
        serverErrors={{
          'lineItems[0].pricing.events[1].when': 'events[0] already prices every purchase conversion this entry matches',
          'lineItems[0].pricing.events[0].tiers.levels[1].amount': 'must be a decimal string',
          'lineItems[0].pricing.attribution.model': 'not a model',
          'partnerPayouts.tiers.gold.events[0].amount': 'too much',
          'partnerPayouts.minimumPayout': 'too small',
        }}
      />,
    );
    const sales = lineItem(1);
    expect(within(event(sales, 2)).getByText(/already prices every purchase/)).toBeTruthy();
    expect(input(event(sales, 1), 'Level 2 amount').getAttribute('aria-invalid')).toBe('true');
    expect(input(sales, 'Attribution model').getAttribute('aria-invalid')).toBe('true');
    const gold = group('Tier payout: gold');
    expect(input(event(gold, 1), 'Amount').getAttribute('aria-invalid')).toBe('true');
    expect(within(gold).getByText('too much')).toBeTruthy();
    expect(input(group('Partner payouts'), 'Minimum payout').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('partner payouts in the terms editor', () => {
  it('is offered on a sell contract with a CPA line item only', async () => {
    const user = userEvent.setup();
    render(<TermsHarness />);
    expect(screen.queryByRole('group', { name: 'Partner payouts' })).toBeNull();
    await user.selectOptions(input(lineItem(1), 'Pricing model'), 'Hybrid (CPM and CPA)');
    expect(group('Partner payouts')).toBeTruthy();
  });

  it('is not offered on a partner agreement', () => {
    render(<TermsHarness side="buy" initialTerms={agreement} />);
    expect(screen.queryByRole('group', { name: 'Partner payouts' })).toBeNull();
    expect(screen.getByTestId('valid').textContent).toBe('true');
  });

  it('writes a default, tier payouts by name, a hold and a minimum, and refuses a tier named twice', async () => {
    const user = userEvent.setup();
    const terms: SellTerms = { ...offer, lineItems: [offer.lineItems[0]!] };
    delete terms.partnerPayouts;
    delete terms.fees;
    render(<TermsHarness initialTerms={terms} />);
    const section = group('Partner payouts');
    await user.click(within(section).getByLabelText('Pay partners from this offer'));
    const byDefault = group('Default payout', section);
    await user.type(input(event(byDefault, 1), 'Event type'), 'purchase');
    await user.type(input(event(byDefault, 1), 'Amount'), '10.00');
    await user.type(input(section, 'Payout hold days'), '30');
    await user.type(input(section, 'Minimum payout'), '50');
    await user.click(within(section).getByRole('button', { name: 'Add tier payout' }));
    const tier = group(/^Tier payout/, section);
    await user.type(input(tier, 'Partner tier'), 'Gold');
    expect(within(tier).getByText(/a tier name is a slug/)).toBeTruthy();
    await user.clear(input(tier, 'Partner tier'));
    await user.type(input(tier, 'Partner tier'), 'gold');
    expect(within(tier).queryByText(/a tier name is a slug/)).toBeNull();
    await user.type(input(event(tier, 1), 'Event type'), 'purchase');
    await user.selectOptions(input(event(tier, 1), 'Paid as'), 'tiers by count in the period');
    await user.type(input(event(tier, 1), 'Level 1 up to'), '10');
    await user.type(input(event(tier, 1), 'Level 1 amount'), '14');
    await user.type(input(event(tier, 1), 'Level 2 amount'), '16');
    expect(screen.getByTestId('valid').textContent).toBe('true');
    expect(currentTerms().partnerPayouts).toEqual({
      default: { events: [{ eventType: 'purchase', amount: '10.00' }] },
      tiers: {
        gold: {
          events: [
            {
              eventType: 'purchase',
              tiers: {
                mode: 'graduated',
                levels: [
                  { upTo: 10, amount: '14' },
                  { upTo: null, amount: '16' },
                ],
              },
            },
          ],
        },
      },
      holdDays: 30,
      minimumPayout: '50',
    });

    await user.click(within(section).getByRole('button', { name: 'Add tier payout' }));
    const second = within(section).getAllByRole('group', { name: /^Tier payout/ })[1]!;
    await user.type(input(second, 'Partner tier'), 'gold');
    expect(within(second).getByText('two payouts for tier gold: give each tier one payout')).toBeTruthy();
    expect(screen.getByTestId('valid').textContent).toBe('false');
    await user.click(within(second).getByRole('button', { name: 'Remove tier payout' }));

    // Without a default and without tiers, the payouts pay nobody: refused at partnerPayouts.
    await user.click(within(byDefault).getByLabelText('Pay partners without a tier payout'));
    await user.click(within(group('Tier payout: gold', section)).getByRole('button', { name: 'Remove tier payout' }));
    await user.click(screen.getByRole('button', { name: 'Try to save' }));
    expect(within(section).getByText('partnerPayouts needs a default, or at least one tier')).toBeTruthy();
    expect(reactWarnings()).toEqual([]);
  });
});

describe('CPA terms in words', () => {
  it('shows conditions, tiers, shares, the attribution model and the payouts, without key warnings', () => {
    render(<TermsView terms={offer} />);
    const sales = screen.getByRole('row', { name: /^sales/ });
    expect(within(sales).getByText('(US; new customers)')).toBeTruthy();
    expect(within(sales).getByText(/volume tiers per period/)).toBeTruthy();
    expect(within(sales).getByText(/^conversions 1–100:/).textContent).toBe('conversions 1–100: $10.00 each');
    expect(within(sales).getByText(/^from conversion 101:/).textContent).toBe('from conversion 101: $12.00 each');
    expect(within(sales).getByText('(not new customers)')).toBeTruthy();
    expect(within(sales).getByText(/^purchase: 5% of its value$/)).toBeTruthy();
    expect(within(sales).queryByText(/0% of value/)).toBeNull();
    expect(within(sales).getByText(/credit: first click · bills pending conversions/)).toBeTruthy();
    const hybrid = screen.getByRole('row', { name: /^hybrid/ });
    expect(within(hybrid).getByText(/credit: last click/)).toBeTruthy();
    expect(within(hybrid).getByText(/^conversions 51–500:/).textContent).toBe('conversions 51–500: $1.50 each');

    const payouts = screen.getByRole('region', { name: 'Partner payouts' });
    expect(within(payouts).getByText('gold')).toBeTruthy();
    expect(within(payouts).getByText('platinum')).toBeTruthy();
    expect(within(payouts).getByText('30 days')).toBeTruthy();
    expect(within(payouts).getByText('$50.00')).toBeTruthy();
    expect(within(payouts).getByText(/^from conversion 11:/).textContent).toBe('from conversion 11: $16.00 each');
    expect(reactWarnings()).toEqual([]);
  });

  it('says what a partner share is a share of on an agreement', () => {
    render(<TermsView terms={agreement} />);
    expect(screen.getByText(/refund-risk: 2.5% of what the advertiser is billed for it$/)).toBeTruthy();
    expect(screen.getByText(/credit: last touch/)).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Partner payouts' })).toBeNull();
  });
});

/** A graduated CPA line of an entry for US purchases, as rating writes it: two conversions at 10.00, the third at 12.00. */
const graduatedLine: Explain = {
  version: { number: 1, effectiveFrom: '2026-10-01' },
  rule: 'cpa.graduated',
  lineItem: 'perf',
  segment: { from: '2026-10-01', to: '2026-10-31', days: 31 },
  pricing: {
    eventType: 'purchase',
    entry: 0,
    when: { countries: ['US'] },
    amount: null,
    revenueSharePercent: null,
    revenueShareBase: null,
    tierLevels: {
      mode: 'graduated',
      levels: [
        { upTo: 2, amount: '10.00' },
        { upTo: null, amount: '12.00' },
      ],
    },
    billOn: 'approved',
    attribution: { viewWindowDays: 7, clickWindowDays: 30 },
    eligibility: null,
    caps: null,
  },
  inputs: {
    conversionsBilled: [1, 2, 3].map((ordinal) => ({
      id: `a0${ordinal}`,
      eventType: 'purchase',
      occurredAt: `2026-10-0${ordinal}T10:00:00.000Z`,
      base: null,
      amount: ordinal < 3 ? '10' : '12',
      entry: { index: 0, when: { countries: ['US'] } },
      tier: { level: ordinal < 3 ? 1 : 2, ordinal },
    })),
    conversionsOverCap: [],
  },
  tierBreakdown: {
    mode: 'graduated',
    periodCount: 3,
    reversedInCount: 0,
    levels: [
      { level: 1, fromConversion: 1, upTo: 2, rate: '10.00', conversions: 2, amount: '20' },
      { level: 2, fromConversion: 3, upTo: null, rate: '12.00', conversions: 1, amount: '12' },
    ],
  },
  budgetCaps: { lineBudgetCap: null, contractBudgetCap: null, amountBeforeCaps: '32', cappedAmount: '0', conversionsAfterCaps: null },
  exactAmount: '32.00',
  rounding: { mode: 'half_even', decimals: 2, from: '32.00', to: '32.00' },
};

describe('explain words for tiered CPA and payout levels', () => {
  it('reads a graduated CPA line: its entry, the period count and each level used', () => {
    expect(explainSummary(graduatedLine, 'USD', en)).toEqual([
      "Rule: CPA, graduated tiers (each conversion priced by the level its place in the period's count falls in).",
      'Priced by version 1 of the contract, in force from Oct 1, 2026.',
      'Delivery from Oct 1, 2026 to Oct 31, 2026 (31 days).',
      '3 conversion(s) billed.',
      'Entry 1 of the events prices these purchase conversions: those from US.',
      '3 conversion(s) of this event type counted in the period: each at the level its place in the count falls in.',
      'Level 1 (conversions 1 to 2): 2 conversion(s) at $10.00 = $20.00.',
      'Level 2 (conversions 3 and up): 1 conversion(s) at $12.00 = $12.00.',
      'Exact amount $32.00: no rounding needed at 2 decimals.',
    ]);
  });

  it("reads a hybrid's CPA tier breakdowns, reversed conversions kept in the count, and skips levels that priced nothing", () => {
    const hybrid: Explain = {
      rule: 'hybrid.greater_of',
      chosen: 'cpa',
      cpm: {
        rule: 'cpm.flat',
        amount: '0',
        pricing: { formula: 'impressions × ratePerMille / 1000', impressions: 0, ratePerMille: '0.01' },
      },
      cpa: {
        rule: 'cpa',
        amount: '36',
        tierBreakdowns: [
          {
            entry: 1,
            mode: 'volume',
            periodCount: 4,
            reversedInCount: 1,
            levels: [
              { level: 1, fromConversion: 1, upTo: 2, rate: '10.00', conversions: 0, amount: '0' },
              { level: 2, fromConversion: 3, upTo: null, rate: '12.00', conversions: 3, amount: '36' },
            ],
          },
        ],
      },
    };
    const sentences = explainSummary(hybrid, 'USD', en);
    expect(sentences).toContain(
      "CPA entry 2: 4 conversion(s) of this event type counted in the period (1 of them reversed, keeping their place in the count, not billed): all at the level the period's count reaches.",
    );
    expect(sentences).toContain('CPA entry 2: Level 2 (conversions 3 and up): 3 conversion(s) at $12.00 = $36.00.');
    expect(sentences.some((sentence) => sentence.includes('Level 1'))).toBe(false);
    expect(ruleLabel('cpa.volume')).toBe("CPA, volume tiers (all conversions priced by the level the period's count reaches)");
  });

  it('names the payout level that paid a partner', () => {
    expect(explainSummary({ rule: 'cpa.fixed', payoutLevel: 'tier:gold' }, 'USD', en)).toEqual([
      'Rule: CPA, a fixed amount per conversion.',
      "Paid by the offer's payout for partner tier gold.",
    ]);
    expect(payoutLevelSentence('partner_contract')).toBe("Paid by the partner's own agreement, which comes before the offer's payouts.");
    expect(payoutLevelSentence('default')).toMatch(/^Paid by the offer's default payout/);
    expect(explainSummary({ rule: 'adjustment', payoutLevel: 'default' }, 'USD', en)[1]).toMatch(/^Paid by the offer's default payout/);
  });
});
