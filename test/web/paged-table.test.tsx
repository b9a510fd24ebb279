/**
 * The one paged table of the list screens: it pages forward and back by the API's cursors, goes
 * back to page 1 when the filters change (without ever sending a cursor with other filters), and
 * shows the same loading, error and empty states everywhere.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Page } from '../../web/src/app/api.ts';
import { type Column, PagedTable } from '../../web/src/common/ui/PagedTable.tsx';
import { type QueryState, usePagedList } from '../../web/src/common/use-paged-list.ts';
import PartyListPage from '../../web/src/features/parties/PartyListPage.tsx';
import { renderSignedIn, stubApi } from './api-stub.tsx';

interface Fruit {
  id: string;
  name: string;
}

const columns: Column<Fruit>[] = [
  { header: 'Name', cell: (fruit) => fruit.name },
  { header: 'Id', cell: (fruit) => fruit.id, className: 'mono' },
];

/** Three pages of fruit by colour, two a page; the cursor is the page number. */
const fruitByColour: Record<string, string[]> = {
  red: ['apple', 'cherry', 'strawberry', 'raspberry', 'tomato'],
  yellow: ['banana', 'lemon'],
};

type FruitQuery = { colour: string; cursor: string | undefined };

/** A stand-in for an RTK Query list hook, answering at once and recording what it was asked. */
function fakeListHook(asked: FruitQuery[], state: Partial<QueryState<Page<Fruit>>> = {}) {
  return function useListFruitQuery(query: FruitQuery): QueryState<Page<Fruit>> {
    asked.push(query);
    const page = Number(query.cursor ?? '0');
    const names = fruitByColour[query.colour] ?? [];
    const data = names.slice(page * 2, page * 2 + 2).map((name) => ({ id: `fr_${name}`, name }));
    const nextCursor = (page + 1) * 2 < names.length ? String(page + 1) : null;
    return { data: { data, nextCursor }, isLoading: false, isFetching: false, refetch: () => undefined, ...state };
  };
}

function FruitList({ useQuery }: { useQuery: ReturnType<typeof fakeListHook> }) {
  const [colour, setColour] = useState('red');
  const fruit = usePagedList(useQuery, { colour });
  return (
    <>
      <button onClick={() => setColour(colour === 'red' ? 'yellow' : 'red')}>Change colour</button>
      <PagedTable list={fruit} columns={columns} label="Fruit" emptyTitle="No fruit" emptyHint="Plant some." />
    </>
  );
}

const rowNames = () =>
  within(screen.getByRole('table', { name: 'Fruit' }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.querySelector('td')?.textContent);

afterEach(() => vi.unstubAllGlobals());

describe('usePagedList and <PagedTable>', () => {
  it('pages forward by the next cursor and back by the cursors seen', async () => {
    const user = userEvent.setup();
    const asked: FruitQuery[] = [];
    render(<FruitList useQuery={fakeListHook(asked)} />);
    expect(rowNames()).toEqual(['apple', 'cherry']);
    expect(screen.getByText('Page 1')).toBeTruthy();
    expect((screen.getByRole('button', { name: '← Previous' }) as HTMLButtonElement).disabled).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Next →' }));
    expect(rowNames()).toEqual(['strawberry', 'raspberry']);
    await user.click(screen.getByRole('button', { name: 'Next →' }));
    expect(rowNames()).toEqual(['tomato']);
    expect(screen.getByText('Page 3')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next →' }) as HTMLButtonElement).disabled).toBe(true);

    await user.click(screen.getByRole('button', { name: '← Previous' }));
    expect(rowNames()).toEqual(['strawberry', 'raspberry']);
    expect(asked.map((query) => query.cursor)).toEqual(expect.arrayContaining([undefined, '1', '2']));
  });

  it('goes back to page 1 when the filters change, and never asks with the old cursor', async () => {
    const user = userEvent.setup();
    const asked: FruitQuery[] = [];
    render(<FruitList useQuery={fakeListHook(asked)} />);
    await user.click(screen.getByRole('button', { name: 'Next →' }));
    expect(screen.getByText('Page 2')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Change colour' }));
    expect(rowNames()).toEqual(['banana', 'lemon']);
    // One page of yellow fruit: no pager at all.
    expect(screen.queryByRole('navigation', { name: 'Pages' })).toBeNull();
    const yellowCursors = asked.filter((query) => query.colour === 'yellow').map((query) => query.cursor);
    expect(yellowCursors.length).toBeGreaterThan(0);
    expect(new Set(yellowCursors)).toEqual(new Set([undefined]));

    // Back to red: page 1 again, not the page it was on.
    await user.click(screen.getByRole('button', { name: 'Change colour' }));
    expect(rowNames()).toEqual(['apple', 'cherry']);
    expect(screen.getByText('Page 1')).toBeTruthy();
  });

  it('shows the loading state first, then an empty state with its hint', () => {
    const { rerender } = render(<FruitList useQuery={fakeListHook([], { data: undefined, isLoading: true, isFetching: true })} />);
    expect(screen.getByRole('status').textContent).toContain('Loading…');
    expect(screen.queryByRole('table')).toBeNull();
    rerender(<FruitList useQuery={fakeListHook([], { data: { data: [], nextCursor: null } })} />);
    expect(screen.getByText('No fruit')).toBeTruthy();
    expect(screen.getByText('Plant some.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows what the server said when the list fails, and tries again on request', async () => {
    const user = userEvent.setup();
    const refetch = vi.fn();
    const error = { status: 503, data: { code: 'store_unavailable', title: 'The store is unavailable', detail: 'Try again shortly.' } };
    render(<FruitList useQuery={fakeListHook([], { data: undefined, error, refetch })} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The store is unavailable');
    expect(alert.textContent).toContain('Try again shortly.');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(refetch).toHaveBeenCalledTimes(1);
  });

  it('marks the table busy while the next page loads, and keeps the pager from moving meanwhile', () => {
    render(<FruitList useQuery={fakeListHook([], { isFetching: true })} />);
    expect(screen.getByRole('table', { name: 'Fruit' }).closest('[aria-busy]')?.getAttribute('aria-busy')).toBe('true');
    expect((screen.getByRole('button', { name: 'Next →' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('a list screen on the real API slice', () => {
  it('asks the API for the next page by its cursor, and for page 1 again when a filter changes', async () => {
    const user = userEvent.setup();
    const party = (id: string, kind: string) => ({
      id,
      kind,
      name: `Party ${id}`,
      currency: 'USD',
      paymentTermsDays: 30,
      billingEmail: null,
      externalRef: null,
      agencyId: null,
      createdAt: '2026-11-01T00:00:00.000Z',
    });
    const requests = stubApi((url) => {
      const cursor = url.searchParams.get('cursor');
      if (url.searchParams.get('kind') === 'partner') return { body: { data: [party('pty_p1', 'partner')], nextCursor: null } };
      return cursor === 'c2'
        ? { body: { data: [party('pty_a2', 'advertiser')], nextCursor: null } }
        : { body: { data: [party('pty_a1', 'advertiser')], nextCursor: 'c2' } };
    });
    await renderSignedIn(<PartyListPage />);
    await screen.findByText('Party pty_a1');
    await user.click(screen.getByRole('button', { name: 'Next →' }));
    await screen.findByText('Party pty_a2');
    expect(requests.at(-1)?.searchParams.get('cursor')).toBe('c2');

    await user.selectOptions(screen.getByLabelText('Kind'), 'partner');
    await screen.findByText('Party pty_p1');
    await waitFor(() => expect(screen.queryByRole('navigation', { name: 'Pages' })).toBeNull());
    const partnerRequests = requests.filter((url) => url.searchParams.get('kind') === 'partner');
    expect(partnerRequests.length).toBeGreaterThan(0);
    for (const url of partnerRequests) expect(url.searchParams.get('cursor')).toBeNull();
  });
});
