/**
 * The clicks and conversions explorer (SPEC §9): an offer's conversions by status with the credited
 * partner by name, a conversion's attribution (every touch, credited or not, and why) and its status
 * history with the scrub rule that held it, and the offer's clicks.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import ClicksPage from '../../web/src/features/affiliate/ClicksPage.tsx';
import ConversionPage from '../../web/src/features/affiliate/ConversionPage.tsx';
import ConversionsPage from '../../web/src/features/affiliate/ConversionsPage.tsx';
import { renderSignedIn, signedInUser } from './api-stub.tsx';
import { heldDetail, offer, problem, stubAffiliate } from './affiliate-fixtures.ts';

const viewer = { ...signedInUser, role: 'viewer' as const };

/** `element` at `location`; without one, at the router's own location, which the screen's links and filters move. */
function renderAt(location: string | undefined, path: string, element: ReactNode) {
  return renderSignedIn(
    <Routes location={location}>
      <Route path={path} element={element} />
    </Routes>,
    viewer,
  );
}

/** The router's address, for filters kept in it. */
function Address() {
  return <output data-testid="address">{useLocation().search}</output>;
}

const rowTexts = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.textContent);

describe('the conversions explorer', () => {
  it('asks for an offer first, then lists its conversions with the credited partner by name and the value in the offer’s currency', async () => {
    const sent = stubAffiliate();
    await renderAt(undefined, '*', <ConversionsPage />);
    expect(screen.getByText('Choose an offer')).toBeTruthy();
    const user = userEvent.setup();
    const offerSelect = screen.getByLabelText('Offer');
    await within(offerSelect).findByRole('option', { name: `${offer.number} · ${offer.name}` });
    // Once the page has loaded what it asks for without an offer (the offers to choose from): no conversions.
    expect(sent.some((request) => request.url.pathname === '/v1/contracts')).toBe(true);
    expect(sent.some((request) => request.url.pathname === '/v1/conversions')).toBe(false);
    await user.selectOptions(offerSelect, offer.id);
    const table = await screen.findByRole('table', { name: 'Conversions' });
    await within(table).findByText('CashbackApp');
    await within(table).findByText('CouponCity');
    expect(rowTexts(table)).toEqual([
      expect.stringMatching(/^ord-1001.*purchase on purchases.*CashbackApp.*click\$120\.50approved/),
      expect.stringMatching(/^ord-1002.*CouponCity.*\$2,400\.00held/),
      expect.stringMatching(/^ord-1003.*none.*—rejected/),
    ]);
    const request = sent.find((item) => item.url.pathname === '/v1/conversions');
    expect(request?.url.searchParams.get('contractId')).toBe(offer.id);
    expect(request?.url.searchParams.has('status')).toBe(false);
  });

  it('filters by status, held included, and says so when none match', async () => {
    const user = userEvent.setup();
    const sent = stubAffiliate((request) =>
      request.url.pathname === '/v1/conversions' && request.url.searchParams.get('status') === 'reversed'
        ? { body: { data: [], nextCursor: null } }
        : undefined,
    );
    await renderAt(`/affiliate/conversions?contractId=${offer.id}`, '/affiliate/conversions', <ConversionsPage />);
    await screen.findByRole('table', { name: 'Conversions' });
    await user.selectOptions(screen.getByLabelText('Status'), 'held');
    await waitFor(() => expect(rowTexts(screen.getByRole('table', { name: 'Conversions' }))).toHaveLength(1));
    expect(sent.at(-1)?.url.searchParams.get('status')).toBe('held');
    expect(screen.getByRole('link', { name: 'ord-1002' }).getAttribute('href')).toBe(
      `/affiliate/conversions/ord-1002?contractId=${offer.id}`,
    );
    await user.selectOptions(screen.getByLabelText('Status'), 'reversed');
    await screen.findByText('No reversed conversions on this offer');
  });

  it('filters by credited partner and by the scrub rule that decided them, kept in the address', async () => {
    const user = userEvent.setup();
    const sent = stubAffiliate();
    await renderAt(
      undefined,
      '*',
      <>
        <ConversionsPage />
        <Address />
      </>,
    );
    const offerSelect = screen.getByLabelText('Offer');
    await within(offerSelect).findByRole('option', { name: `${offer.number} · ${offer.name}` });
    await user.selectOptions(offerSelect, offer.id);
    await screen.findByRole('table', { name: 'Conversions' });
    const partner = screen.getByLabelText('Credited partner');
    await within(partner).findByRole('option', { name: /CouponCity/ });
    await user.selectOptions(partner, 'pty_coupons');
    const rule = screen.getByLabelText('Rule');
    await within(rule).findByRole('option', { name: 'Orders over 1,000' });
    // Every rule is offered here, those that reject too (the held queue offers only those that hold).
    expect(within(rule).getByRole('option', { name: 'Click to conversion under 20 s' })).toBeTruthy();
    await user.selectOptions(rule, 'scr_big_orders');
    await waitFor(() => {
      const last = sent.filter((request) => request.url.pathname === '/v1/conversions').at(-1);
      expect(last?.url.searchParams.get('ruleId')).toBe('scr_big_orders');
      expect(last?.url.searchParams.get('partnerId')).toBe('pty_coupons');
      expect(last?.url.searchParams.get('contractId')).toBe(offer.id);
    });
    const address = new URLSearchParams(screen.getByTestId('address').textContent ?? '');
    expect(Object.fromEntries(address)).toEqual({ contractId: offer.id, partnerId: 'pty_coupons', ruleId: 'scr_big_orders' });
    // Changing the offer (here to none) keeps the partner and the rule, as in the held queue.
    await user.selectOptions(offerSelect, '');
    expect(Object.fromEntries(new URLSearchParams(screen.getByTestId('address').textContent ?? ''))).toEqual({
      partnerId: 'pty_coupons',
      ruleId: 'scr_big_orders',
    });
  });

  it('shows the server’s refusal with a way to try again', async () => {
    stubAffiliate((request) => (request.url.pathname === '/v1/conversions' ? problem(503, 'store_unavailable') : undefined));
    await renderAt(`/affiliate/conversions?contractId=${offer.id}`, '/affiliate/conversions', <ConversionsPage />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('refused: store_unavailable');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});

describe('a conversion', () => {
  it('names the credited partner, every touch with why it was or was not credited, and its statuses with the rule and reason', async () => {
    stubAffiliate();
    await renderAt(`/affiliate/conversions/${heldDetail.id}`, '/affiliate/conversions/:conversionId', <ConversionPage />);
    await screen.findByRole('heading', { name: 'Conversion ord-1002' });
    const credited = screen.getByTestId('credited');
    await within(credited).findByText('CouponCity');
    expect(credited.textContent).toContain('clk-9');
    const touches = screen.getByRole('table', { name: 'Touches' });
    await within(touches).findByText('ReviewBlog');
    expect(rowTexts(touches)).toEqual([
      expect.stringMatching(/^1ReviewBlogview.*not crediteda click in its window won over this view$/),
      expect.stringMatching(/^2CashbackAppclick.*clk-7not crediteda later click won$/),
      expect.stringMatching(/^3CouponCityclick.*clk-9creditedthe latest click in its window$/),
    ]);
    const history = screen.getByRole('table', { name: 'Status history' });
    await within(history).findByText('Ada Advertiser');
    // The rule by its name, linked to its page (a viewer may read rules).
    const rule = await within(history).findByRole('link', { name: 'Orders over 1,000' });
    expect(rule.getAttribute('href')).toBe('/affiliate/scrub-rules/scr_big_orders');
    expect(rowTexts(history)).toEqual([expect.stringMatching(/^held.*Ada AdvertiserOrders over 1,000large order$/)]);
    // Releasing is a status change: not for a viewer.
    expect(screen.queryByRole('button', { name: 'Release' })).toBeNull();
    expect(screen.getByText('last click')).toBeTruthy();
    expect(screen.getByRole('link', { name: offer.number }).getAttribute('href')).toBe(`/contracts/${offer.id}`);
  });

  it('is released from its page by who may change statuses', async () => {
    const user = userEvent.setup();
    const sent = stubAffiliate((request) => (request.method === 'POST' ? { body: { updated: 1, skipped: [], remaining: 0 } } : undefined));
    await renderSignedIn(
      <Routes location={`/affiliate/conversions/${heldDetail.id}`}>
        <Route path="/affiliate/conversions/:conversionId" element={<ConversionPage />} />
      </Routes>,
      { ...signedInUser, role: 'ops' },
    );
    await user.click(await screen.findByRole('button', { name: 'Release' }));
    await waitFor(() => expect(sent.some((request) => request.method === 'POST')).toBe(true));
    const release = sent.find((request) => request.method === 'POST');
    expect(release?.url.pathname).toBe('/v1/scrub/held/release');
    expect(release?.body).toEqual({ ids: [heldDetail.id] });
  });

  it('says so when nobody was credited', async () => {
    stubAffiliate((request) =>
      request.url.pathname === '/v1/conversions/ord-1003'
        ? { body: { ...heldDetail, id: 'ord-1003', status: 'rejected', partnerId: null, credited: null, touches: [], statusHistory: [] } }
        : undefined,
    );
    await renderAt('/affiliate/conversions/ord-1003', '/affiliate/conversions/:conversionId', <ConversionPage />);
    expect((await screen.findByTestId('credited')).textContent).toContain('No partner credited.');
  });

  it('is “Not found” when the server does not know it (or the caller may not see it)', async () => {
    stubAffiliate();
    await renderAt('/affiliate/conversions/nope', '/affiliate/conversions/:conversionId', <ConversionPage />);
    await screen.findByText('Not found');
  });
});

describe('the clicks list', () => {
  it('lists an offer’s clicks with partners by name, and sends the partner and dates it is filtered by', async () => {
    const user = userEvent.setup();
    const sent = stubAffiliate();
    await renderAt(`/affiliate/clicks?contractId=${offer.id}`, '/affiliate/clicks', <ClicksPage />);
    const table = await screen.findByRole('table', { name: 'Clicks' });
    await within(table).findByText('CashbackApp');
    expect(rowTexts(table)).toEqual([expect.stringMatching(/^clk-7.*CashbackApppurchasesUS/)]);
    await user.type(screen.getByLabelText('From'), '2026-10-01');
    await user.type(screen.getByLabelText('To'), '2026-10-31');
    const partner = screen.getByLabelText('Partner');
    await within(partner).findByRole('option', { name: /CouponCity/ });
    await user.selectOptions(partner, 'pty_coupons');
    await waitFor(() => expect(sent.at(-1)?.url.searchParams.get('partnerId')).toBe('pty_coupons'));
    const last = sent.filter((request) => request.url.pathname === '/v1/clicks').at(-1);
    expect(last?.url.searchParams.get('from')).toBe('2026-10-01');
    expect(last?.url.searchParams.get('to')).toBe('2026-10-31');
    expect(last?.url.searchParams.get('contractId')).toBe(offer.id);
  });
});
