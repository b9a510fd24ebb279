/**
 * Rate management screens (SPEC §8): the net rate of a card (the server's own function), the keyed
 * diff of two card versions, a card's page (versions, entries and premiums, people by name, approval
 * with the maker-checker note and refusal), the editor of a draft version with the API's field
 * errors at their fields, and the product catalog with its create form.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { quoteFromCard, formatRate } from '../../src/wire/rate-cards.ts';
import ProductsPage from '../../web/src/features/products/ProductsPage.tsx';
import { diffCardVersions } from '../../web/src/features/rate-cards/card-diff.ts';
import CardVersionFormPage from '../../web/src/features/rate-cards/CardVersionFormPage.tsx';
import RateCardPage from '../../web/src/features/rate-cards/RateCardPage.tsx';
import { renderSignedIn, signedInUser } from './api-stub.tsx';
import { card, stubRateCards, version1, version2 } from './rate-card-fixtures.ts';

// The stand-in fetch is never taken away: a mutation's refetches may still be on their way when a
// test ends, and must meet a stand-in (each test installs its own), not happy-dom's real fetch,
// which the teardown would abort. Each test file has a window of its own (vmThreads).

const problem = (status: number, code: string, errors: { path: string; message: string }[] = []) => ({
  status,
  body: { type: 'about:blank', title: code, status, code, detail: `refused: ${code}`, errors },
});

/** The card's page at `location` (`?tab=…&version=…`), as `user` sees it. */
function renderCardPage(location: string, user = signedInUser) {
  return renderSignedIn(
    <Routes location={`/rate-cards/${card.id}${location}`}>
      <Route path="/rate-cards/:rateCardId" element={<RateCardPage />} />
    </Routes>,
    user,
  );
}

describe('the net rate of a card', () => {
  it('is list × (1 + Σ percent / 100) + Σ amount, less the discount, exactly, with the floor and unknown premiums named', () => {
    const asked = { product: 'ctv-prime-30', premiums: ['geo:dma', 'audience:first_party'], discountPercent: '10' };
    const quote = quoteFromCard(version1, 'cpm', asked);
    expect(quote.entry?.listRate).toBe('40.00');
    expect(quote.netRate && formatRate(quote.netRate)).toBe('48.60');
    expect(quote.belowFloor).toBe(false);
    // An amount premium is added after the percents: (40 × 1.2 + 2) × 0.5 = 25, below the floor of 30.
    const deep = quoteFromCard(version1, 'cpm', { product: 'ctv-prime-30', premiums: ['geo:dma', 'daypart:prime'], discountPercent: '50' });
    expect(deep.netRate && formatRate(deep.netRate)).toBe('25.00');
    expect(deep.belowFloor).toBe(true);
    // A cpcv rate keeps every decimal: 0.05 × 1.15 × 0.95.
    const views = quoteFromCard(version1, 'cpcv', { product: 'ctv-prime-30', premiums: ['audience:first_party'], discountPercent: '5' });
    expect(views.netRate && formatRate(views.netRate)).toBe('0.054625');
    const unknown = quoteFromCard(version1, 'cpm', { product: 'ctv-prime-30', premiums: ['geo:dma', 'geo:mars'] });
    expect(unknown.unknownPremiums).toEqual([1]);
    expect(quoteFromCard(version1, 'cpc', { product: 'ctv-prime-30' }).entry).toBeUndefined();
  });
});

describe('the diff of two card versions', () => {
  it('names entries and premiums added, removed and changed, comparing figures as decimals', () => {
    const diff = diffCardVersions(version1, version2);
    expect(diff.effectiveFrom).toEqual({ from: '2026-01-01', to: '2026-12-01' });
    expect(diff.entries.map((change) => [change.key, change.change])).toEqual([
      ['ctv-prime-30/cpm', 'changed'],
      ['display/cpc', 'removed'],
      ['ctv-ron/cpm', 'added'],
    ]);
    // geo:dma 20 and 20.00 are the same premium; "0.0500" and "0.05" the same rate.
    expect(diff.premiums.map((change) => [change.key, change.change])).toEqual([
      ['audience:first_party', 'removed'],
      ['daypart:prime', 'changed'],
    ]);
    expect(diffCardVersions(version1, version1)).toEqual({ effectiveFrom: undefined, entries: [], premiums: [] });
  });
});

describe('a rate card page', () => {
  it('shows its versions by status and effective date, people by name, and the selected version’s entries and premiums', async () => {
    stubRateCards();
    await renderCardPage('?version=1');
    await screen.findByRole('heading', { name: 'CTV 2026' });
    const versions = screen.getByRole('table', { name: 'Versions of this card' });
    const rows = within(versions).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringMatching(/^v1approvedJan 1, 2026/),
      expect.stringMatching(/^v2pending approvalDec 1, 2026/),
    ]);
    await within(versions).findAllByText('Olivia Ops');
    const entries = await screen.findByRole('table', { name: 'Entries' });
    expect(within(entries).getAllByRole('row')[1]?.textContent).toBe('ctv-prime-30cpm (per 1,000 impressions)$40.00$30.00');
    const premiums = screen.getByRole('table', { name: 'Premiums' });
    expect(
      within(premiums)
        .getAllByRole('row')
        .map((row) => row.textContent),
    ).toEqual(['PremiumAdds', 'geo:dma+20%', 'audience:first_party+15%', 'daypart:prime+$2.00']);
    // The approval, by name (the signed-in approver is "you"), with its comment.
    expect(screen.getByText(/“Matches the sales deck”/)).toBeTruthy();
    expect(screen.getByText('(you)')).toBeTruthy();
  });

  it('lets finance approve a pending version made by someone else, with If-Match', async () => {
    const user = userEvent.setup();
    const sent = stubRateCards((request) =>
      request.method === 'POST' && request.url.pathname.endsWith('/versions/2/approve')
        ? { body: { ...version2, status: 'approved' } }
        : undefined,
    );
    await renderCardPage('');
    // The open version is the one shown by default.
    await screen.findByRole('heading', { name: /Version 2/ });
    expect(screen.getByText('Check the terms and approve or reject them.')).toBeTruthy();
    await user.click(await screen.findByRole('button', { name: 'Approve…' }));
    const dialog = screen.getByRole('dialog', { name: 'Approve version 2' });
    await user.type(within(dialog).getByLabelText('Comment (optional)'), 'New deck');
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(sent.some((request) => request.method === 'POST')).toBe(true));
    const approval = sent.find((request) => request.method === 'POST');
    expect(approval?.url.pathname).toBe('/v1/rate-cards/rcd_1/versions/2/approve');
    expect(approval?.headers.get('if-match')).toBe('"/v1/rate-cards/rcd_1/versions/2"');
    expect(approval?.body).toEqual({ comment: 'New deck' });
  });

  it('tells the maker that someone else must approve, and shows the maker-checker refusal as the contract screens do', async () => {
    const user = userEvent.setup();
    stubRateCards((request) => (request.method === 'POST' ? problem(403, 'maker_checker') : undefined));
    // An admin who made version 2 may approve in general, but not this one.
    await renderCardPage('?version=2', { ...signedInUser, id: 'usr_olivia', name: 'Olivia Ops', role: 'admin' });
    await screen.findByText('You created or submitted this version, so someone else must approve it (maker-checker).');
    await user.click(screen.getByRole('button', { name: 'Approve…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Approve' }));
    const refusal = await screen.findByText('Maker-checker: someone else must do this');
    expect(refusal.closest('[data-code]')?.getAttribute('data-code')).toBe('maker_checker');
  });

  it('offers ops a new version only when none is open', async () => {
    stubRateCards();
    await renderCardPage('', { ...signedInUser, role: 'ops' });
    await screen.findByText(/Version 2 is open/);
    expect(screen.queryByRole('link', { name: 'New version' })).toBeNull();
  });

  it('offers a viewer no action', async () => {
    stubRateCards((request) =>
      request.url.pathname === `/v1/rate-cards/${card.id}` ? { body: { ...card, versions: card.versions.slice(0, 1) } } : undefined,
    );
    await renderCardPage('', { ...signedInUser, role: 'viewer' });
    await screen.findAllByRole('heading', { name: /Version 1/ });
    expect(screen.queryByRole('link', { name: 'New version' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Version actions' })).toBeNull();
  });

  it('compares two versions: entries and premiums added, removed and changed', async () => {
    stubRateCards();
    await renderCardPage('?tab=compare');
    const table = await screen.findByRole('table', { name: 'Changes from version 1 to version 2' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.textContent);
    expect(rows).toEqual([
      'effective fromchangedJan 1, 2026Dec 1, 2026',
      'entry ctv-prime-30/cpmchangedlist $40.00, floor $30.00list $42.00, floor $30.00',
      'entry display/cpcremovedlist $1.50, floor $1.00—',
      'entry ctv-ron/cpmadded—list $24.00, floor —',
      'premium audience:first_partyremoved+15%—',
      'premium daypart:primechanged+$2.00+$2.50',
    ]);
  });
});

describe('the editor of a draft version', () => {
  const draft = { ...version2, status: 'draft' as const, submittedBy: null, submittedAt: null };

  function renderEditor() {
    return renderSignedIn(
      <Routes location={`/rate-cards/${card.id}/versions/2/edit`}>
        <Route path="/rate-cards/:rateCardId/versions/:versionNumber/edit" element={<CardVersionFormPage />} />
        <Route path="/rate-cards/:rateCardId" element={<p>card page</p>} />
      </Routes>,
      { ...signedInUser, role: 'ops' },
    );
  }

  it('checks rates as you type, and shows the API’s field errors at their fields until edited', async () => {
    const user = userEvent.setup();
    const sent = stubRateCards((request) => {
      if (request.url.pathname.endsWith('/versions/2') && request.method === 'GET') return { body: draft };
      if (request.method === 'PATCH') return problem(422, 'unknown_product', [{ path: 'entries[2].product', message: 'no such product' }]);
      return undefined;
    });
    await renderEditor();
    const floor = await screen.findByLabelText('Entry 1 floor rate');
    await user.clear(floor);
    await user.type(floor, '45');
    expect(await screen.findByText('must not be above listRate')).toBeTruthy();
    expect(floor.getAttribute('aria-invalid')).toBe('true');
    await user.clear(floor);
    await user.type(floor, '31.50');
    expect(screen.queryByText('must not be above listRate')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Add premium' }));
    await user.type(screen.getByLabelText('Premium 3 dimension'), 'audience');
    await user.type(screen.getByLabelText('Premium 3 value'), 'first_party');
    await user.selectOptions(screen.getByLabelText('Premium 3 kind'), 'amount per unit');
    await user.type(screen.getByLabelText('Premium 3 amount'), '1.25');

    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    const product = await screen.findByLabelText('Entry 3 product');
    await waitFor(() => expect(product.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getAllByText('no such product').length).toBeGreaterThan(0);
    const patch = sent.find((request) => request.method === 'PATCH');
    expect(patch?.headers.get('if-match')).toBe('"/v1/rate-cards/rcd_1/versions/2"');
    expect(patch?.body).toEqual({
      effectiveFrom: '2026-12-01',
      entries: [
        { product: 'ctv-prime-30', model: 'cpm', listRate: '42.00', floorRate: '31.50' },
        { product: 'ctv-prime-30', model: 'cpcv', listRate: '0.05', floorRate: '0.035' },
        { product: 'ctv-ron', model: 'cpm', listRate: '24.00' },
      ],
      premiums: [
        { dimension: 'geo', value: 'dma', percent: '20.00' },
        { dimension: 'daypart', value: 'prime', amount: '2.50' },
        { dimension: 'audience', value: 'first_party', amount: '1.25' },
      ],
    });
    await user.selectOptions(product, 'CTV prime time, 30 s (ctv-prime-30)');
    expect(product.getAttribute('aria-invalid')).toBeNull();
    // Now a duplicate of entry 1's product and model: the API's own schema says so as you type.
    await user.selectOptions(screen.getByLabelText('Entry 3 model'), 'cpcv (per completed view)');
    expect(await screen.findByText('duplicate entry for this product and model')).toBeTruthy();
  });
});

describe('the product catalog', () => {
  it('lists products with who added them by name, and adds one, with the key checked as typed and refusals at their field', async () => {
    const user = userEvent.setup();
    const sent = stubRateCards((request) =>
      request.method === 'POST' ? problem(409, 'product_key_taken', [{ path: 'key', message: 'already in use' }]) : undefined,
    );
    await renderSignedIn(<ProductsPage />, { ...signedInUser, role: 'ops' });
    const table = await screen.findByRole('table', { name: 'Products' });
    await within(table).findByText('CTV run of network');
    await waitFor(() => expect(within(table).getAllByText('Olivia Ops')).toHaveLength(3));
    const form = screen.getByRole('form', { name: 'New product' });
    const key = within(form).getByLabelText('Key');
    await user.type(key, 'CTV Prime');
    expect(within(form).getByText(/must start with a lower-case letter or digit/)).toBeTruthy();
    await user.clear(key);
    await user.type(key, 'ctv-prime-30');
    await user.type(within(form).getByLabelText('Name'), 'CTV prime again');
    await user.click(within(form).getByRole('button', { name: 'Add product' }));
    await within(form).findByText('already in use');
    expect(key.getAttribute('aria-invalid')).toBe('true');
    expect(sent.find((request) => request.method === 'POST')?.body).toEqual({ key: 'ctv-prime-30', name: 'CTV prime again' });
  });

  it('has no create form for a role that may not write', async () => {
    stubRateCards();
    await renderSignedIn(<ProductsPage />);
    await screen.findByRole('table', { name: 'Products' });
    expect(screen.queryByRole('form', { name: 'New product' })).toBeNull();
  });
});
