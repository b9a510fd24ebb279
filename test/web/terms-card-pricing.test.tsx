/**
 * Pricing a line from a rate card in the terms editor (SPEC §8): the card, model, product, premiums
 * and discount are chosen from the card version in force, the list, net and floor rates show as you
 * type (a warning below the floor, before the server refuses it), the terms carry the reference, and
 * a card-priced line read back shows its frozen rate and the card version it came from.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { SellTerms } from '../../src/wire/terms.ts';
import { TermsView } from '../../web/src/features/contracts/TermsView.tsx';
import { formToTerms, termsToForm } from '../../web/src/features/contracts/terms-editor/terms-conversion.ts';
import { renderSignedIn, signedInUser } from './api-stub.tsx';
import { TermsHarness } from './terms-harness.tsx';
import { card, stubRateCards, version2 } from './rate-card-fixtures.ts';

// The stand-in fetch is never taken away: a mutation's refetches may still be on their way when a
// test ends, and must meet a stand-in (each test installs its own), not happy-dom's real fetch,
// which the teardown would abort. Each test file has a window of its own (vmThreads).

const ops = { ...signedInUser, role: 'ops' as const };

/** As the amendment page holds it: an effective date typed beside the editor, passed into it. */
function AmendmentHarness({ initialTerms, effectiveFrom: initial }: { initialTerms: SellTerms; effectiveFrom: string }) {
  const [effectiveFrom, setEffectiveFrom] = useState(initial);
  return (
    <>
      <label>
        Effective from
        <input type="date" value={effectiveFrom} onChange={(event) => setEffectiveFrom(event.target.value)} />
      </label>
      <TermsHarness initialTerms={initialTerms} effectiveFrom={effectiveFrom} />
    </>
  );
}

const lineItem = (number: number) => screen.getByRole('group', { name: new RegExp(`^Line item ${number}`) });
const currentPricing = (index = 0) =>
  (JSON.parse(screen.getByTestId('terms').textContent ?? '{}') as { lineItems: { pricing: unknown }[] }).lineItems[index]?.pricing;

/** Terms as the API reads them back: a cpm line and a cpcv line priced from the card, and a hybrid whose cpm part is. */
const cardPricedTerms: SellTerms = {
  startDate: '2026-10-01',
  endDate: '2026-12-31',
  currency: 'USD',
  billingPeriod: 'calendar_month',
  lineItems: [
    {
      key: 'prime',
      name: 'Prime time',
      pricing: {
        model: 'cpm',
        ratePerMille: '48.60',
        rateCard: {
          id: 'rcd_1',
          product: 'ctv-prime-30',
          premiums: ['geo:dma', 'audience:first_party'],
          discountPercent: '10',
          version: 1,
          listRate: '40.00',
          floorRate: '30.00',
          appliedPremiums: [
            { premium: 'geo:dma', percent: '20' },
            { premium: 'audience:first_party', percent: '15' },
          ],
        },
      },
    },
    {
      key: 'views',
      name: 'Completed views',
      pricing: {
        model: 'cpcv',
        ratePerView: '0.054625',
        rateCard: {
          id: 'rcd_1',
          product: 'ctv-prime-30',
          premiums: ['audience:first_party'],
          discountPercent: '5',
          version: 1,
          listRate: '0.0500',
        },
      },
    },
    {
      key: 'hybrid',
      name: 'Hybrid',
      pricing: {
        model: 'hybrid',
        combine: 'lesser_of',
        cpm: { model: 'cpm', ratePerMille: '40.00', rateCard: { id: 'rcd_1', product: 'ctv-prime-30', version: 1, listRate: '40.00' } },
        cpa: {
          model: 'cpa',
          events: [{ eventType: 'purchase', amount: '30.00' }],
          attribution: { viewWindowDays: 1, clickWindowDays: 30 },
        },
      },
    },
  ],
};

/** The card once its version 2 (prime time at 42.00 from 2026-12-01) is approved too. */
const cardWithTwoVersions = {
  ...card,
  currentVersion: 2,
  versions: card.versions.map((summary) => ({ ...summary, status: 'approved' as const })),
};

/** The stand-in API with both card versions approved, and the approval policy given. */
function stubTwoVersionsAndPolicy(policy: Record<string, unknown> = {}) {
  return stubRateCards(({ url }) => {
    if (url.pathname === '/v1/rate-cards') return { body: { data: [cardWithTwoVersions], nextCursor: null } };
    if (url.pathname === `/v1/rate-cards/${card.id}`) return { body: cardWithTwoVersions };
    if (url.pathname === `/v1/rate-cards/${card.id}/versions/2`) return { body: { ...version2, status: 'approved' } };
    if (url.pathname === '/v1/settings/approval-policy')
      return {
        body: {
          approverRoles: ['finance', 'admin'],
          requiredApprovals: 1,
          largeContractThreshold: '250000.00',
          largeContractApprovals: 2,
          maxDiscountPercent: '20',
          ...policy,
        },
      };
    return undefined;
  });
}

/** Approved terms that an amendment starts from: one prime-time cpm line priced from the card's version 1. */
const primeFromCard: SellTerms = {
  startDate: '2026-10-01',
  endDate: '2026-12-31',
  currency: 'USD',
  billingPeriod: 'calendar_month',
  lineItems: [
    {
      key: 'prime',
      name: 'Prime time',
      pricing: {
        model: 'cpm',
        ratePerMille: '40.00',
        rateCard: { id: 'rcd_1', product: 'ctv-prime-30', version: 1, listRate: '40.00' },
      },
    },
  ],
};

describe('pricing a line from a rate card', () => {
  it('picks the card, product, premiums and discount, and shows the list, net and floor rates as you type', async () => {
    const user = userEvent.setup();
    const sent = stubRateCards();
    await renderSignedIn(<TermsHarness />, ops);
    const item = lineItem(1);
    await user.type(within(item).getByLabelText('Key'), 'prime');
    await user.type(within(item).getByLabelText('Name'), 'Prime time');
    await user.selectOptions(within(item).getByLabelText('Pricing model'), 'Price from a rate card (CPM, CPCV or CPC)');
    // The cards offered are those in the contract's currency.
    await within(item).findByRole('option', { name: 'CTV 2026' });
    expect(sent.some((request) => request.url.pathname === '/v1/rate-cards' && request.url.searchParams.get('currency') === 'USD')).toBe(
      true,
    );
    await user.selectOptions(within(item).getByLabelText('Rate card'), 'CTV 2026');
    // The products of the version in force on the start date (version 1; version 2 is not approved), for cpm.
    await within(item).findByRole('option', { name: 'ctv-prime-30 (list 40.00)' });
    expect(within(item).queryByRole('option', { name: /display/ })).toBeNull();
    await user.selectOptions(within(item).getByLabelText('Product'), 'ctv-prime-30 (list 40.00)');
    // Ticked in any order, the premiums are sent in the card's order.
    await user.click(within(item).getByRole('checkbox', { name: /audience:first_party/ }));
    await user.click(within(item).getByRole('checkbox', { name: /geo:dma/ }));
    await user.type(within(item).getByLabelText('Discount %'), '10');

    const price = within(item).getByRole('status', { name: 'Card price of line item 1' });
    expect(within(price).getByTestId('net-rate-1').textContent).toBe('$48.60');
    expect(price.textContent).toContain('List rate$40.00 per 1,000 impressions');
    expect(price.textContent).toContain('Floor rate$30.00');
    expect(price.textContent).toContain('From version 1 of the card');
    expect(currentPricing()).toEqual({
      model: 'cpm',
      rateCard: { id: 'rcd_1', product: 'ctv-prime-30', premiums: ['geo:dma', 'audience:first_party'], discountPercent: '10' },
    });
    // The server resolves the rate: the terms are valid without one.
    expect(screen.getByTestId('valid').textContent).toBe('true');

    // 40 × 1.35 × 0.5 = 27.00, under the floor of 30.00: said before anything is sent.
    await user.clear(within(item).getByLabelText('Discount %'));
    await user.type(within(item).getByLabelText('Discount %'), '50');
    expect(within(price).getByTestId('net-rate-1').textContent).toBe('$27.00');
    expect(within(item).getByText('Below the floor rate')).toBeTruthy();
    await user.clear(within(item).getByLabelText('Discount %'));
    await user.type(within(item).getByLabelText('Discount %'), '10');
    expect(within(item).queryByText('Below the floor rate')).toBeNull();

    // Sold per click: the products are those with a cpc rate; the chosen one has none.
    await user.selectOptions(within(item).getByLabelText('Sold'), 'CPC, per click');
    await within(item).findByRole('option', { name: 'display (list 1.50)' });
    expect(within(item).getByRole('option', { name: 'ctv-prime-30 (no cpc rate on this card)' })).toBeTruthy();
    expect(within(item).getByText('No cpc rate for ctv-prime-30 on this card version.')).toBeTruthy();
    await user.selectOptions(within(item).getByLabelText('Product'), 'display (list 1.50)');
    // 1.50 × 1.35 × 0.9 = 1.8225 per click, exact.
    await waitFor(() => expect(within(item).getByTestId('net-rate-1').textContent).toBe('$1.8225'));
    expect(currentPricing()).toMatchObject({ model: 'cpc', rateCard: { product: 'display' } });
  });

  it('reads a card-priced line back with its frozen rate and card version, and sends the reference again', async () => {
    stubRateCards();
    // The form keeps the reference, not what was resolved; a hybrid whose cpm part is card-priced is kept as it is.
    const sentBack = formToTerms(termsToForm(cardPricedTerms), 'sell') as unknown as SellTerms;
    expect(sentBack.lineItems.map((line) => line.pricing)).toEqual([
      {
        model: 'cpm',
        rateCard: { id: 'rcd_1', product: 'ctv-prime-30', premiums: ['geo:dma', 'audience:first_party'], discountPercent: '10' },
      },
      { model: 'cpcv', rateCard: { id: 'rcd_1', product: 'ctv-prime-30', premiums: ['audience:first_party'], discountPercent: '5' } },
      cardPricedTerms.lineItems[2]?.pricing,
    ]);
    await renderSignedIn(<TermsHarness initialTerms={cardPricedTerms} />, ops);
    const prime = lineItem(1);
    expect((within(prime).getByLabelText('Pricing model') as HTMLSelectElement).value).toBe('card');
    expect(prime.textContent).toContain('As saved: $48.60 per 1,000 impressions, from card version 1 (list 40.00).');
    expect(lineItem(2).textContent).toContain('As saved: $0.054625 per completed view, from card version 1 (list 0.0500).');
    expect((within(lineItem(2)).getByLabelText('Sold') as HTMLSelectElement).value).toBe('cpcv');
    expect(lineItem(3).textContent).toContain('pricing is kept as it is');
    await within(prime).findByRole('status', { name: 'Card price of line item 1' });
    expect(within(prime).getByTestId('net-rate-1').textContent).toBe('$48.60');
    expect(screen.getByTestId('valid').textContent).toBe('true');
  });

  it("previews an amendment's line with the card version in force on the amendment's effective date", async () => {
    stubTwoVersionsAndPolicy();
    // An amendment effective 2026-12-15, after version 2 took effect: prime time is listed at 42.00.
    await renderSignedIn(<AmendmentHarness initialTerms={primeFromCard} effectiveFrom="2026-12-15" />, ops);
    const price = await within(lineItem(1)).findByRole('status', { name: 'Card price of line item 1' });
    expect(within(price).getByTestId('net-rate-1').textContent).toBe('$42.00');
    expect(price.textContent).toContain('From version 2 of the card (effective Dec 1, 2026), the one in force on Dec 15, 2026');
    expect(screen.queryByText(/an amendment is priced by/)).toBeNull();
    // Moved back before version 2 took effect, the amendment is priced from version 1 again.
    fireEvent.change(screen.getByLabelText('Effective from'), { target: { value: '2026-11-15' } });
    await waitFor(() => expect(within(lineItem(1)).getByTestId('net-rate-1').textContent).toBe('$40.00'));
    expect(within(lineItem(1)).getByRole('status').textContent).toContain('From version 1 of the card');
    // The amendment's date, not the contract's start, is what counts: the start date is still 2026-10-01.
    expect((screen.getByLabelText('Start date') as HTMLInputElement).value).toBe('2026-10-01');
  });

  it('previews a new contract with the card version in force on its start date, as edited', async () => {
    stubTwoVersionsAndPolicy();
    await renderSignedIn(<TermsHarness initialTerms={primeFromCard} />, ops);
    await within(lineItem(1)).findByTestId('net-rate-1');
    expect(within(lineItem(1)).getByTestId('net-rate-1').textContent).toBe('$40.00');
    fireEvent.change(screen.getByLabelText('Start date'), { target: { value: '2026-12-01' } });
    await waitFor(() => expect(within(lineItem(1)).getByTestId('net-rate-1').textContent).toBe('$42.00'));
  });

  it("says when a discount goes beyond the approval policy's limit and the version will need two approvers", async () => {
    const user = userEvent.setup();
    // The policy's own limit, not the default 20.
    const sent = stubTwoVersionsAndPolicy({ maxDiscountPercent: '15' });
    await renderSignedIn(<TermsHarness initialTerms={primeFromCard} />, ops);
    const discount = within(lineItem(1)).getByLabelText('Discount %');
    await waitFor(() => expect(sent.some((request) => request.url.pathname === '/v1/settings/approval-policy')).toBe(true));
    await user.type(discount, '10');
    expect(within(lineItem(1)).queryByText(/approvers/)).toBeNull();
    // At the limit is not beyond it.
    await user.clear(discount);
    await user.type(discount, '15');
    expect(within(lineItem(1)).queryByText(/approvers/)).toBeNull();
    await user.type(discount, '.5');
    expect(within(lineItem(1)).getByText('Beyond 15 %: this version will need two approvers.')).toBeTruthy();
    // The hint describes the discount field.
    expect(discount.getAttribute('aria-describedby')).toBeTruthy();
    await user.clear(discount);
    await user.type(discount, '14.99');
    expect(within(lineItem(1)).queryByText(/approvers/)).toBeNull();
  });

  it("shows the server's refusal at the card field it names", async () => {
    stubRateCards();
    await renderSignedIn(
      <TermsHarness
        initialTerms={cardPricedTerms}
        serverErrors={{ 'lineItems[0].pricing.rateCard.discountPercent': 'the net rate 27.00 is below the floor rate 30.00' }}
      />,
      ops,
    );
    const discount = within(lineItem(1)).getByLabelText('Discount %');
    expect(discount.getAttribute('aria-invalid')).toBe('true');
    expect(within(lineItem(1)).getByText('the net rate 27.00 is below the floor rate 30.00')).toBeTruthy();
  });

  it('the terms view names the card version a line was priced from, to staff only', async () => {
    stubRateCards();
    await renderSignedIn(<TermsView terms={cardPricedTerms} />);
    const link = await screen.findAllByRole('link', { name: 'CTV 2026 version 1' });
    expect(link[0]?.getAttribute('href')).toBe('/rate-cards/rcd_1?version=1');
    expect(link[0]?.parentElement?.textContent).toBe(
      'priced from CTV 2026 version 1: ctv-prime-30, list $40.00, geo:dma +20%, audience:first_party +15%, discount 10%',
    );
  });

  it('shows a party user the rate but nothing of the card', async () => {
    stubRateCards();
    await renderSignedIn(<TermsView terms={cardPricedTerms} />, { ...signedInUser, role: 'party', partyId: 'pty_1' });
    expect(screen.getAllByText('$48.60').length).toBeGreaterThan(0);
    expect(screen.queryByText(/priced from/)).toBeNull();
  });
});
