/**
 * Partner tiers on the party page (SPEC §9, payout hierarchy): shown on a partner, set and cleared
 * with PATCH /v1/parties/:id {tier} by who may edit parties, checked as the server checks it, and
 * not offered to other roles nor on advertisers.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { Party } from '../../src/wire/parties.ts';
import PartyDetailPage from '../../web/src/features/parties/PartyDetailPage.tsx';
import { renderSignedIn, signedInUser } from './api-stub.tsx';
import { advertiser, coupons, stubAffiliate } from './affiliate-fixtures.ts';

const ops = { ...signedInUser, role: 'ops' as const };
const viewer = { ...signedInUser, role: 'viewer' as const };

function renderParty(party: Party, user: typeof signedInUser) {
  return renderSignedIn(
    <Routes location={`/parties/${party.id}`}>
      <Route path="/parties/:partyId" element={<PartyDetailPage />} />
    </Routes>,
    user,
  );
}

describe('a partner’s tier', () => {
  it('is set with PATCH {tier}, after the same check the server makes, and shown once saved', async () => {
    const user = userEvent.setup();
    let current: Party = coupons;
    const sent = stubAffiliate((request) => {
      if (request.url.pathname !== `/v1/parties/${coupons.id}`) return undefined;
      if (request.method === 'PATCH') current = { ...coupons, ...(request.body as { tier: string }) };
      return { body: current };
    });
    await renderParty(coupons, ops);
    const card = await screen.findByRole('region', { name: 'Partner tier' });
    expect(within(card).getByTestId('partner-tier').textContent).toMatch(/^No tier/);
    await user.click(within(card).getByRole('button', { name: 'Set tier' }));
    await user.type(within(card).getByLabelText('Tier'), 'Gold!');
    await user.click(within(card).getByRole('button', { name: 'Save tier' }));
    expect(within(card).getByText(/must start with a lower-case letter or digit/)).toBeTruthy();
    expect(sent.some((request) => request.method === 'PATCH')).toBe(false);
    await user.clear(within(card).getByLabelText('Tier'));
    await user.type(within(card).getByLabelText('Tier'), 'gold');
    await user.click(within(card).getByRole('button', { name: 'Save tier' }));
    await waitFor(() => expect(within(card).getByTestId('partner-tier').textContent).toMatch(/^Tier gold/));
    expect(sent.find((request) => request.method === 'PATCH')?.body).toEqual({ tier: 'gold' });
  });

  it('is cleared with {tier: null}', async () => {
    const user = userEvent.setup();
    let current: Party = { ...coupons, tier: 'gold' };
    const sent = stubAffiliate((request) => {
      if (request.url.pathname !== `/v1/parties/${coupons.id}`) return undefined;
      if (request.method === 'PATCH') current = coupons;
      return { body: current };
    });
    await renderParty(current, ops);
    const card = await screen.findByRole('region', { name: 'Partner tier' });
    await user.click(within(card).getByRole('button', { name: 'Change tier' }));
    expect(within(card).getByLabelText('Tier')).toHaveProperty('value', 'gold');
    await user.click(within(card).getByRole('button', { name: 'Clear tier' }));
    await waitFor(() => expect(within(card).getByTestId('partner-tier').textContent).toMatch(/^No tier/));
    expect(sent.find((request) => request.method === 'PATCH')?.body).toEqual({ tier: null });
  });

  it('is shown to a viewer without a way to change it, and not offered on an advertiser', async () => {
    stubAffiliate((request) => (request.url.pathname === `/v1/parties/${coupons.id}` ? { body: { ...coupons, tier: 'gold' } } : undefined));
    const { unmount } = await renderParty(coupons, viewer);
    const card = await screen.findByRole('region', { name: 'Partner tier' });
    expect(within(card).getByTestId('partner-tier').textContent).toMatch(/^Tier gold/);
    expect(within(card).queryByRole('button')).toBeNull();
    unmount();
    await renderParty(advertiser, ops);
    await screen.findByRole('heading', { name: advertiser.name });
    expect(screen.queryByRole('region', { name: 'Partner tier' })).toBeNull();
  });
});
