/**
 * The delivery-shortfall report: lines under their goal with what was expected and delivered, and
 * the "Make good" action that writes a draft makegood version for the shortfall to date; people who
 * may not write contracts get the report without the action.
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryShortfall } from '../../src/wire/goals.ts';
import ShortfallPage from '../../web/src/features/reports/ShortfallPage.tsx';
import { renderSignedIn, signedInUser } from './api-stub.tsx';

const report: DeliveryShortfall = {
  asOf: '2026-11-15',
  data: [
    {
      contractId: 'ctr_short1',
      lineItem: 'ctv',
      goal: { metric: 'impressions', quantity: 3_000_000 },
      delivered: 1_000_000,
      expectedToDate: 1_500_000,
      shortfallPercent: '33.33',
    },
  ],
};

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

/** The stand-in API: the report, and the makegood answer `makegood` gives; records what was sent. */
function stubReports(makegood: { status: number; body: unknown }): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', async (input: Request) => {
    const url = new URL(input.url, 'http://localhost');
    const text = input.method === 'GET' ? '' : await input.clone().text();
    sent.push({ method: input.method, path: url.pathname, body: text === '' ? undefined : JSON.parse(text) });
    const answer =
      url.pathname === '/v1/reports/delivery-shortfall'
        ? { status: 200, body: report }
        : url.pathname === '/v1/contracts/ctr_short1/makegoods'
          ? makegood
          : { status: 200, body: { data: [], nextCursor: null } };
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': answer.status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  });
  return sent;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('<ShortfallPage>', () => {
  it('lists the line with its goal, pace and shortfall, and makes good the shortfall to date', async () => {
    const sent = stubReports({ status: 201, body: { number: 2 } });
    await renderSignedIn(<ShortfallPage />, { ...signedInUser, role: 'ops' });
    const table = await screen.findByRole('table', { name: 'Lines under their goal' });
    const cells = within(table)
      .getAllByRole('cell')
      .map((cell) => cell.textContent);
    expect(cells.slice(0, 6)).toEqual(['ctr_short1', 'ctv', '3,000,000 impressions', '1,500,000', '1,000,000', '33.33 %']);

    await userEvent.click(within(table).getByRole('button', { name: 'Make good' }));
    const dialog = await screen.findByRole('form', { name: 'Make good' });
    // What the line owes to date: 1,500,000 expected − 1,000,000 delivered.
    const quantity = within(dialog).getByLabelText(/Quantity/) as HTMLInputElement;
    expect(quantity.value).toBe('500000');
    await userEvent.clear(quantity);
    await userEvent.type(quantity, '600000');
    await userEvent.selectOptions(within(dialog).getByLabelText('Reason'), 'technical');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Write the makegood' }));
    await vi.waitFor(() => expect(sent.some((request) => request.method === 'POST')).toBe(true));
    const post = sent.find((request) => request.method === 'POST');
    expect(post?.path).toBe('/v1/contracts/ctr_short1/makegoods');
    expect(post?.body).toMatchObject({ lineItem: 'ctv', quantity: 600000, reason: 'technical' });
  });

  it('shows why the API refused a makegood, and refuses a quantity that is not a whole number before sending', async () => {
    const sent = stubReports({
      status: 422,
      body: {
        type: 'about:blank',
        title: 'Unprocessable',
        status: 422,
        code: 'no_shortfall',
        detail: 'Line ctv is on pace; nothing to make good',
      },
    });
    await renderSignedIn(<ShortfallPage />, { ...signedInUser, role: 'ops' });
    await userEvent.click(await screen.findByRole('button', { name: 'Make good' }));
    const dialog = await screen.findByRole('form', { name: 'Make good' });
    const quantity = within(dialog).getByLabelText(/Quantity/);
    await userEvent.clear(quantity);
    await userEvent.type(quantity, '1.5');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Write the makegood' }));
    expect(within(dialog).getByText('a whole number, at least 1')).toBeTruthy();
    expect(sent.filter((request) => request.method === 'POST')).toEqual([]);

    await userEvent.clear(quantity);
    await userEvent.type(quantity, '10');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Write the makegood' }));
    expect(await within(dialog).findByText(/nothing to make good/)).toBeTruthy();
  });

  it('has no Make good action for someone who may not write contracts', async () => {
    stubReports({ status: 201, body: {} });
    await renderSignedIn(<ShortfallPage />, { ...signedInUser, role: 'viewer' });
    const table = await screen.findByRole('table', { name: 'Lines under their goal' });
    expect(within(table).queryByRole('button', { name: 'Make good' })).toBeNull();
  });
});
