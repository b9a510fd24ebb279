/**
 * The FX rates screen (SPEC §10): the rates newest first as the API answers them, the pair and date
 * filters sent only once whole, the new rate form (the API's own checks at each field as typed, the
 * body sent, a rate the pair already has on that date refused at its field with the server's
 * words), and the form kept from roles that may only read the rates.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { FxRate } from '../../src/wire/fx.ts';
import FxRatesPage from '../../web/src/features/fx/FxRatesPage.tsx';
import { renderSignedIn, type SentRequest, signedInUser, type StubAnswer, stubRequests } from './api-stub.tsx';

const ops = { ...signedInUser, role: 'ops' as const };

const euroNovember: FxRate = {
  id: 'fxr_2',
  date: '2026-11-30',
  from: 'EUR',
  to: 'USD',
  rate: '1.0825',
  source: 'ECB reference rate',
  createdAt: '2026-11-30T16:00:00.000Z',
  createdBy: 'usr_me',
};

const yenOctober: FxRate = {
  id: 'fxr_1',
  date: '2026-10-31',
  from: 'JPY',
  to: 'USD',
  rate: '0.006712',
  source: 'manual',
  createdAt: '2026-10-31T16:00:00.000Z',
  createdBy: 'usr_me',
};

const problem = (status: number, code: string, detail: string, errors: { path: string; message: string }[] = []): StubAnswer => ({
  status,
  body: { type: 'about:blank', title: code, status, code, detail, errors },
});

/** The screen's reads: the rates (the pair filter applied as the API would) and people. */
function reads(request: SentRequest): StubAnswer {
  if (request.url.pathname === '/v1/fx-rates') {
    const from = request.url.searchParams.get('from');
    return { body: { data: [euroNovember, yenOctober].filter((rate) => from === null || rate.from === from) } };
  }
  if (request.url.pathname === '/v1/people') return { body: { data: [] } };
  return problem(404, 'not_found', 'no such thing');
}

const rateLists = (sent: SentRequest[]) => sent.filter((request) => request.method === 'GET' && request.url.pathname === '/v1/fx-rates');
const posts = (sent: SentRequest[]) => sent.filter((request) => request.method === 'POST');

describe('the FX rates list', () => {
  it('shows each rate newest first with what it means; ops reads them but gets no form', async () => {
    stubRequests(() => undefined, reads);
    await renderSignedIn(<FxRatesPage />, ops);
    const table = await screen.findByRole('table', { name: 'FX rates' });
    await within(table).findByText('EUR → USD');
    // Date, pair, rate and source; the last cell says when and by whom it was recorded.
    const cells = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      );
    expect(cells.map((row) => row.slice(0, 4))).toEqual([
      ['Nov 30, 2026', 'EUR → USD', '1 EUR = 1.0825 USD', 'ECB reference rate'],
      ['Oct 31, 2026', 'JPY → USD', '1 JPY = 0.006712 USD', 'manual'],
    ]);
    expect(cells[0]?.[4]).toMatch(/ by Mia Me \(you\)$/);
    expect(screen.queryByRole('form', { name: 'New FX rate' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Record rate' })).toBeNull();
  });

  it('filters by pair and date, sending a currency only once it is a whole code', async () => {
    const user = userEvent.setup();
    const sent = stubRequests(() => undefined, reads);
    await renderSignedIn(<FxRatesPage />, ops);
    const table = await screen.findByRole('table', { name: 'FX rates' });
    await within(table).findByText('JPY → USD');
    expect([...(rateLists(sent)[0]?.url.searchParams.keys() ?? [])]).toEqual([]);

    await user.type(screen.getByLabelText('From currency'), 'eu');
    expect(rateLists(sent).every((request) => !request.url.searchParams.has('from'))).toBe(true);
    await user.type(screen.getByLabelText('From currency'), 'r');
    await waitFor(() => expect(rateLists(sent).at(-1)?.url.searchParams.get('from')).toBe('EUR'));
    await waitFor(() => expect(within(table).queryByText('JPY → USD')).toBeNull());

    await user.type(screen.getByLabelText('To currency'), 'XYZ');
    expect(screen.getByText('unknown ISO 4217 currency code')).toBeTruthy();
    expect(rateLists(sent).every((request) => !request.url.searchParams.has('to'))).toBe(true);

    await user.type(screen.getByLabelText('On or before'), '2026-11-15');
    await waitFor(() => expect(rateLists(sent).at(-1)?.url.searchParams.get('onOrBefore')).toBe('2026-11-15'));
    expect(Object.fromEntries(rateLists(sent).at(-1)?.url.searchParams ?? [])).toEqual({ from: 'EUR', onOrBefore: '2026-11-15' });
  });
});

describe('recording an FX rate', () => {
  it('checks each field with the API’s own rules before anything is sent', async () => {
    const user = userEvent.setup();
    const sent = stubRequests(() => undefined, reads);
    await renderSignedIn(<FxRatesPage />);
    const form = await screen.findByRole('form', { name: 'New FX rate' });
    await user.type(within(form).getByLabelText('From'), 'eur');
    expect((within(form).getByLabelText('From') as HTMLInputElement).value).toBe('EUR');
    await user.type(within(form).getByLabelText('To'), 'eur');
    expect(within(form).getByText('must differ from `from`')).toBeTruthy();
    await user.type(within(form).getByLabelText('Rate'), '0');
    expect(within(form).getByText('must be greater than 0')).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: 'Record rate' }));
    expect(posts(sent)).toEqual([]);
  });

  it('sends the rate, and shows a rate the pair already has on that date at the date, in the server’s words', async () => {
    const user = userEvent.setup();
    let refused = false;
    const sent = stubRequests((request) => {
      if (request.method !== 'POST') return undefined;
      if (!refused) {
        refused = true;
        return problem(
          409,
          'fx_rate_exists',
          'A EUR→USD rate of 1.0825 is recorded for 2026-11-30; a rate never changes, record the correction with a later date',
          [{ path: 'date', message: 'this pair already has a rate on this date' }],
        );
      }
      return { status: 201, body: { ...euroNovember, id: 'fxr_3', date: '2026-12-01', rate: '1.09' } };
    }, reads);
    await renderSignedIn(<FxRatesPage />);
    const form = await screen.findByRole('form', { name: 'New FX rate' });
    const date = within(form).getByLabelText('Date');
    await user.clear(date);
    await user.type(date, '2026-11-30');
    await user.type(within(form).getByLabelText('From'), 'EUR');
    await user.type(within(form).getByLabelText('To'), 'USD');
    await user.type(within(form).getByLabelText('Rate'), '1.0900');
    await user.type(within(form).getByLabelText('Source (optional)'), 'ECB reference rate');
    expect(within(form).getByText('1 EUR = 1.09 USD')).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: 'Record rate' }));

    const alert = await within(form).findByText('This pair already has a rate on this date: a rate never changes');
    expect(alert.closest('[data-code]')?.textContent).toBe(
      'This pair already has a rate on this date: a rate never changesA EUR→USD rate of 1.0825 is recorded for 2026-11-30; a rate never changes, record the correction with a later date (fx_rate_exists)',
    );
    // The server's refusal shows at the field it names, until that field is edited.
    const dateError = document.getElementById(
      (date.getAttribute('aria-describedby') ?? '').split(' ').find((id) => id.endsWith('-error')) ?? '',
    );
    expect(dateError?.textContent).toBe('this pair already has a rate on this date');

    await user.clear(date);
    await user.type(date, '2026-12-01');
    expect(within(form).queryByText('this pair already has a rate on this date')).toBeNull();
    await user.click(within(form).getByRole('button', { name: 'Record rate' }));
    await within(form).findByText('Rate 1 EUR = 1.09 USD recorded from Dec 1, 2026.');
    expect(posts(sent).map((request) => [request.url.pathname, request.body])).toEqual([
      ['/v1/fx-rates', { date: '2026-11-30', from: 'EUR', to: 'USD', rate: '1.0900', source: 'ECB reference rate' }],
      ['/v1/fx-rates', { date: '2026-12-01', from: 'EUR', to: 'USD', rate: '1.0900', source: 'ECB reference rate' }],
    ]);
    // Ready for the next day's rate of the same pair; the list is asked again.
    expect((within(form).getByLabelText('From') as HTMLInputElement).value).toBe('EUR');
    expect((within(form).getByLabelText('Rate') as HTMLInputElement).value).toBe('');
    await waitFor(() => expect(rateLists(sent).length).toBeGreaterThan(1));
  });

  it('leaves a blank source out, for the API to record it as manual', async () => {
    const user = userEvent.setup();
    const sent = stubRequests((request) => (request.method === 'POST' ? { status: 201, body: yenOctober } : undefined), reads);
    await renderSignedIn(<FxRatesPage />, { ...signedInUser, role: 'admin' });
    const form = await screen.findByRole('form', { name: 'New FX rate' });
    const date = within(form).getByLabelText('Date');
    await user.clear(date);
    await user.type(date, '2026-10-31');
    await user.type(within(form).getByLabelText('From'), 'JPY');
    await user.type(within(form).getByLabelText('To'), 'USD');
    await user.type(within(form).getByLabelText('Rate'), '0.006712');
    await user.click(within(form).getByRole('button', { name: 'Record rate' }));
    await within(form).findByRole('status');
    expect(posts(sent)[0]?.body).toEqual({ date: '2026-10-31', from: 'JPY', to: 'USD', rate: '0.006712' });
  });
});
