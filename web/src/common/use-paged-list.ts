/**
 * The state of a list screen, and the hook that pages one through the API. Cursor pagination
 * (SPEC §2): the server answers a page and the cursor of the next one, so the hook keeps the cursors
 * of the pages seen to go back. Nothing but one page is ever loaded, which keeps lists of any size
 * fast. The cursors belong to the filters they were given for: when the filters change, the list is
 * back on page 1 in the same render, so no request is ever made with another filter's cursor.
 */
import { useState } from 'react';
import type { SerializedError } from '@reduxjs/toolkit';
import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import type { Page } from '../app/api.ts';

/** Where a paged list is, and how to move. */
export interface PagerState {
  pageNumber: number;
  hasNext: boolean;
  next: () => void;
  previous: () => void;
}

/** What a list screen shows: its rows, or why there are none yet; a pager when the API pages it. */
export interface ListState<Item> {
  items: readonly Item[] | undefined;
  error: FetchBaseQueryError | SerializedError | undefined;
  /** The first load: nothing to show yet. */
  isLoading: boolean;
  /** Any load, the first or a refresh: the rows shown may be about to change. */
  isFetching: boolean;
  refetch: () => unknown;
  pager?: PagerState | undefined;
}

/** The parts of an RTK Query result that a list reads. */
export interface QueryState<Data> {
  data?: Data | undefined;
  error?: FetchBaseQueryError | SerializedError | undefined;
  isLoading: boolean;
  isFetching: boolean;
  refetch: () => unknown;
}

/** Options passed on to the query hook. */
export interface PagedQueryOptions {
  pollingInterval?: number;
  skipPollingIfUnfocused?: boolean;
}

/** The list state of a query that is not paged (an inbox, a report): `items` picked from its answer. */
export function listOf<Item>(query: QueryState<unknown>, items: readonly Item[] | undefined): ListState<Item> {
  return { items, error: query.error, isLoading: query.isLoading, isFetching: query.isFetching, refetch: query.refetch };
}

const firstPage: readonly (string | undefined)[] = [undefined];

/**
 * Pages an RTK Query list endpoint: `usePagedList(useListPartiesQuery, { q, kind })` asks for the
 * page at the current cursor with those filters and answers the list with its pager. `useQuery`
 * must be the same hook on every render (an endpoint's generated hook always is).
 */
export function usePagedList<Filters extends object, Item>(
  useQuery: (arg: NoInfer<Filters> & { cursor: string | undefined }, options?: PagedQueryOptions) => QueryState<Page<Item>>,
  filters: Filters,
  options?: PagedQueryOptions,
): ListState<Item> & { pager: PagerState } {
  const filterKey = JSON.stringify(filters);
  const [pages, setPages] = useState({ filterKey, cursors: firstPage });
  // New filters start at page 1 in this very render; the stored cursors follow (React re-renders
  // at once), so that going back to earlier filters does not return to a page of theirs either.
  const cursors = pages.filterKey === filterKey ? pages.cursors : firstPage;
  if (pages.filterKey !== filterKey) setPages({ filterKey, cursors: firstPage });
  const query = useQuery({ ...filters, cursor: cursors.at(-1) }, options);
  const nextCursor = query.data?.nextCursor ?? null;
  const pager: PagerState = {
    pageNumber: cursors.length,
    hasNext: nextCursor !== null,
    next: () => {
      if (nextCursor !== null) setPages({ filterKey, cursors: [...cursors, nextCursor] });
    },
    previous: () => {
      if (cursors.length > 1) setPages({ filterKey, cursors: cursors.slice(0, -1) });
    },
  };
  return { ...listOf(query, query.data?.data), pager };
}
