/** Parties: advertisers and agencies we bill, partners we pay. */
import { api, type Page } from '../../app/api.ts';
import type { CreatePartyInput, Party, PartyKind, UpdatePartyInput } from '../../../../src/wire/parties.ts';

export type { Party, PartyKind };
export const partyKinds: PartyKind[] = ['advertiser', 'agency', 'partner'];

export interface PartyListQuery {
  q?: string | undefined;
  kind?: PartyKind | undefined;
  cursor?: string | undefined;
  limit?: number;
}

export const partiesApi = api.injectEndpoints({
  endpoints: (build) => ({
    listParties: build.query<Page<Party>, PartyListQuery>({
      query: ({ q, kind, cursor, limit = 50 }) => ({ url: '/parties', params: { q: q || undefined, kind, cursor, limit } }),
      providesTags: (page) => ['PartyList', ...(page?.data ?? []).map((party) => ({ type: 'Party' as const, id: party.id }))],
    }),
    getParty: build.query<Party, string>({
      query: (id) => `/parties/${encodeURIComponent(id)}`,
      providesTags: (_party, _error, id) => [{ type: 'Party', id }],
    }),
    createParty: build.mutation<Party, CreatePartyInput>({
      query: (body) => ({ url: '/parties', method: 'POST', body }),
      invalidatesTags: ['PartyList', 'Audit'],
    }),
    updateParty: build.mutation<Party, { id: string; patch: UpdatePartyInput }>({
      query: ({ id, patch }) => ({ url: `/parties/${encodeURIComponent(id)}`, method: 'PATCH', body: patch }),
      invalidatesTags: (_party, _error, { id }) => ['PartyList', { type: 'Party', id }, 'Audit'],
    }),
  }),
});

export const { useListPartiesQuery, useGetPartyQuery, useCreatePartyMutation, useUpdatePartyMutation } = partiesApi;
