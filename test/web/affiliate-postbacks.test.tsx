/**
 * Postback source setup (SPEC §9): create a source for an offer's CPA line item, the URL to copy
 * with its parameters, the signing secret shown once and then gone (from the screen and the store),
 * rotation with the previous secret's grace, and the actions hidden from roles that cannot use them.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { PostbackSource } from '../../src/wire/postbacks.ts';
import NewPostbackSourcePage from '../../web/src/features/affiliate/NewPostbackSourcePage.tsx';
import PostbackSourcePage from '../../web/src/features/affiliate/PostbackSourcePage.tsx';
import PostbackSourcesPage from '../../web/src/features/affiliate/PostbackSourcesPage.tsx';
import { renderSignedIn, signedInUser } from './api-stub.tsx';
import { offer, problem, stubAffiliate } from './affiliate-fixtures.ts';

const ops = { ...signedInUser, role: 'ops' as const };
const viewer = { ...signedInUser, role: 'viewer' as const };

const source: PostbackSource = {
  id: 'pbs_1',
  key: 'pbk_3q2N7wVd0bXk9LmP4rT6yZa1Hc8JfGs5',
  path: '/v1/postbacks/pbk_3q2N7wVd0bXk9LmP4rT6yZa1Hc8JfGs5',
  name: 'Shop & Co server',
  contractId: offer.id,
  lineItem: 'purchases',
  active: true,
  previousSecretExpiresAt: null,
  createdAt: '2026-10-01T09:00:00.000Z',
  createdBy: 'usr_olivia',
};
const secret = 'pbsec_7Kq2Vw9nX4pLm3Rt8Yb1Zc6Hd0Jf5Gs2Ae4Uo9Ni7Wx';
const rotatedSecret = 'pbsec_NEWNEWNEWnX4pLm3Rt8Yb1Zc6Hd0Jf5Gs2Ae4Uo9Ni7Wx';

const sourceReads = (request: { method: string; url: URL }) => {
  if (request.method !== 'GET') return undefined;
  if (request.url.pathname === '/v1/postback-sources') return { body: { data: [source], nextCursor: null } };
  if (request.url.pathname === `/v1/postback-sources/${source.id}`) return { body: source };
  return undefined;
};

describe('the postback sources list', () => {
  it('shows each source with its offer and line item; only who sets up contracts gets “New postback source”', async () => {
    stubAffiliate(sourceReads);
    const { unmount } = await renderSignedIn(<PostbackSourcesPage />, viewer);
    const table = await screen.findByRole('table', { name: 'Postback sources' });
    await within(table).findByText(offer.number);
    expect(within(table).getAllByRole('row')[1]?.textContent).toMatch(/^Shop & Co server.*C-2026-0007purchasesactive/);
    expect(screen.queryByRole('link', { name: 'New postback source' })).toBeNull();
    unmount();
    await renderSignedIn(<PostbackSourcesPage />, ops);
    expect(await screen.findByRole('link', { name: 'New postback source' })).toBeTruthy();
  });
});

describe('a new postback source', () => {
  it('offers only the line items priced per conversion, shows the URL and the secret once, then forgets the secret', async () => {
    const user = userEvent.setup();
    const sent = stubAffiliate((request) =>
      request.method === 'POST' && request.url.pathname === '/v1/postback-sources'
        ? { status: 201, body: { ...source, secret } }
        : sourceReads(request),
    );
    const { store } = await renderSignedIn(
      <Routes>
        <Route path="*" element={<NewPostbackSourcePage />} />
        <Route path="/affiliate/postback-sources/:sourceId" element={<PostbackSourcePage />} />
      </Routes>,
      ops,
    );
    await user.click(screen.getByRole('button', { name: 'Create source' }));
    expect(screen.getByText('A name is required, such as “Shop & Co server-to-server”')).toBeTruthy();
    expect(sent.some((request) => request.method === 'POST')).toBe(false);

    await user.type(screen.getByLabelText('Name'), 'Shop & Co server');
    const offerSelect = screen.getByLabelText('Offer');
    await within(offerSelect).findByRole('option', { name: `${offer.number} · ${offer.name}` });
    await user.selectOptions(offerSelect, offer.id);
    const lineItem = screen.getByLabelText('Line item');
    await within(lineItem).findByRole('option', { name: 'purchases (cpa)' });
    // The display line (cpm) takes no postbacks.
    expect(within(lineItem).queryByRole('option', { name: /display/ })).toBeNull();
    await user.selectOptions(lineItem, 'purchases');
    await user.click(screen.getByRole('button', { name: 'Create source' }));

    const shown = await screen.findByTestId('secret-once');
    expect(within(shown).getByLabelText('Signing secret')).toHaveProperty('value', secret);
    expect(screen.getByLabelText('Postback URL')).toHaveProperty(
      'value',
      `${window.location.origin}${source.path}?txid={txid}&click_id={click_id}&event={event}&amount={amount}&ts={ts}&sig={sig}`,
    );
    expect(sent.find((request) => request.method === 'POST')?.body).toEqual({
      name: 'Shop & Co server',
      contractId: offer.id,
      lineItem: 'purchases',
    });
    // The secret is not kept in the store: only the page's state holds it while it is shown.
    expect(JSON.stringify(store.getState())).not.toContain(secret);

    await user.click(screen.getByRole('button', { name: 'I have stored the secret' }));
    await screen.findByRole('heading', { name: source.name });
    expect(screen.queryByTestId('secret-once')).toBeNull();
    expect(document.body.innerHTML).not.toContain(secret);
    expect(screen.getByText('Shown only when the source is created or its secret rotated.')).toBeTruthy();
  });

  it('shows the server’s refusal at the field it names', async () => {
    const user = userEvent.setup();
    stubAffiliate((request) =>
      request.method === 'POST'
        ? problem(422, 'not_a_cpa_line_item', [{ path: 'lineItem', message: 'purchases is not priced per conversion' }])
        : undefined,
    );
    await renderSignedIn(<NewPostbackSourcePage />, ops);
    await user.type(screen.getByLabelText('Name'), 'Feed');
    const offerSelect = screen.getByLabelText('Offer');
    await within(offerSelect).findByRole('option', { name: `${offer.number} · ${offer.name}` });
    await user.selectOptions(offerSelect, offer.id);
    await within(screen.getByLabelText('Line item')).findByRole('option', { name: 'purchases (cpa)' });
    await user.selectOptions(screen.getByLabelText('Line item'), 'purchases');
    await user.click(screen.getByRole('button', { name: 'Create source' }));
    expect(await screen.findByText('purchases is not priced per conversion')).toBeTruthy();
    expect(screen.queryByTestId('secret-once')).toBeNull();
  });
});

describe('a postback source’s page', () => {
  const renderSource = (user: typeof signedInUser = ops) =>
    renderSignedIn(
      <Routes location={`/affiliate/postback-sources/${source.id}`}>
        <Route path="/affiliate/postback-sources/:sourceId" element={<PostbackSourcePage />} />
      </Routes>,
      user,
    );

  it('rotates the secret after a confirmation: the new one shown once, the previous one’s grace named, then gone', async () => {
    const user = userEvent.setup();
    let rotated = false;
    const expires = '2026-10-02T09:00:00.000Z';
    const sent = stubAffiliate((request) => {
      if (request.method === 'POST' && request.url.pathname === `/v1/postback-sources/${source.id}/rotate-secret`) {
        rotated = true;
        return { body: { ...source, previousSecretExpiresAt: expires, secret: rotatedSecret } };
      }
      if (request.method === 'GET' && request.url.pathname === `/v1/postback-sources/${source.id}`)
        return { body: rotated ? { ...source, previousSecretExpiresAt: expires } : source };
      return undefined;
    });
    const { store } = await renderSource();
    await screen.findByRole('heading', { name: source.name });
    expect(screen.queryByTestId('secret-once')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Rotate secret…' }));
    const dialog = screen.getByRole('dialog', { name: 'Rotate the signing secret' });
    expect(sent.some((request) => request.method === 'POST')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Rotate' }));
    const shown = await screen.findByTestId('secret-once');
    expect(within(shown).getByLabelText('Signing secret')).toHaveProperty('value', rotatedSecret);
    expect(shown.textContent).toContain('The previous secret is still accepted until');
    expect(JSON.stringify(store.getState())).not.toContain(rotatedSecret);
    await waitFor(() => expect(screen.getByText(/previous secret until/)).toBeTruthy());
    await user.click(screen.getByRole('button', { name: 'I have stored the secret' }));
    expect(screen.queryByTestId('secret-once')).toBeNull();
    expect(document.body.innerHTML).not.toContain(rotatedSecret);
  });

  it('disables an active source', async () => {
    const user = userEvent.setup();
    const sent = stubAffiliate((request) => (request.method === 'POST' ? { body: { ...source, active: false } } : sourceReads(request)));
    await renderSource();
    await user.click(await screen.findByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(sent.some((request) => request.method === 'POST')).toBe(true));
    expect(sent.find((request) => request.method === 'POST')?.url.pathname).toBe(`/v1/postback-sources/${source.id}/disable`);
  });

  it('shows a viewer the URL and how to sign, without the actions', async () => {
    stubAffiliate(sourceReads);
    await renderSource(viewer);
    await screen.findByRole('heading', { name: source.name });
    expect(screen.getByRole('table', { name: 'Postback parameters' })).toBeTruthy();
    expect(screen.getByLabelText('Postback URL')).toHaveProperty('value', expect.stringContaining(source.path));
    expect(screen.queryByRole('button', { name: 'Rotate secret…' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Disable' })).toBeNull();
  });
});
