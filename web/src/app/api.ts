/**
 * The one RTK Query API of the app. Features add their endpoints with `api.injectEndpoints` in
 * their own `*-api.ts`, so each route's chunk brings only its endpoints. Requests carry the session
 * cookie (same origin) and the X-Tally-CSRF header, which the server requires on cookie-signed
 * changes; a 401 anywhere but sign-in means the session ended, and the shell asks to sign in again.
 */
import {
  createApi,
  fetchBaseQuery,
  type BaseQueryFn,
  type FetchArgs,
  type FetchBaseQueryError,
  type FetchBaseQueryMeta,
} from '@reduxjs/toolkit/query/react';
import { sessionExpired } from '../features/session/session-slice.ts';

const rawBaseQuery = fetchBaseQuery({
  baseUrl: '/v1',
  credentials: 'same-origin',
  prepareHeaders: (headers) => {
    headers.set('x-tally-csrf', '1');
    return headers;
  },
});

const baseQuery: BaseQueryFn<string | FetchArgs, unknown, FetchBaseQueryError, object, FetchBaseQueryMeta> = async (
  args,
  api,
  extraOptions,
) => {
  const result = await rawBaseQuery(args, api, extraOptions);
  if (result.error?.status === 401 && api.endpoint !== 'signIn' && api.endpoint !== 'me') api.dispatch(sessionExpired());
  return result;
};

export const tagTypes = [
  'Me',
  'Party',
  'PartyList',
  'Contract',
  'ContractList',
  'Version',
  'Approvals',
  'Charges',
  'Delivery',
  'Audit',
  'BillingRun',
  'Document',
  'DocumentList',
  'CreditNote',
  'Payment',
  'Ledger',
  // A party's credits and what it owes (SPEC §10): granting a credit and every document that posts change it.
  'PartyBalance',
] as const;

export const api = createApi({
  reducerPath: 'api',
  baseQuery,
  tagTypes,
  endpoints: () => ({}),
});

/** A page of a cursor-paginated list (SPEC §2). */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
