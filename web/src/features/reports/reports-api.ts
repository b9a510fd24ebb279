/**
 * The sales desk's reports (SPEC §8): lines delivering under their goal, with the makegood request
 * that answers one, and lines sold below today's rate card.
 */
import { api } from '../../app/api.ts';
import type { ContractVersion } from '../../../../src/wire/contracts.ts';
import type { DeliveryShortfall, MakegoodRequest, ShortfallRow } from '../../../../src/wire/goals.ts';
import type { BelowCardLine } from '../../../../src/wire/rate-cards.ts';

export type { BelowCardLine, DeliveryShortfall, MakegoodRequest, ShortfallRow };

export const reportsApi = api.enhanceEndpoints({ addTagTypes: ['Shortfall'] }).injectEndpoints({
  endpoints: (build) => ({
    deliveryShortfall: build.query<DeliveryShortfall, { asOf?: string | undefined }>({
      query: ({ asOf }) => ({ url: '/reports/delivery-shortfall', params: { asOf } }),
      providesTags: ['Shortfall'],
    }),
    belowCard: build.query<{ asOf: string; data: BelowCardLine[] }, void>({
      query: () => ({ url: '/reports/below-card' }),
    }),
    createMakegood: build.mutation<ContractVersion, { contractId: string; body: MakegoodRequest }>({
      query: ({ contractId, body }) => ({ url: `/contracts/${contractId}/makegoods`, method: 'POST', body }),
      invalidatesTags: (_version, _error, { contractId }) => [{ type: 'Contract', id: contractId }, 'ContractList', 'Shortfall', 'Audit'],
    }),
  }),
});

export const { useDeliveryShortfallQuery, useBelowCardQuery, useCreateMakegoodMutation } = reportsApi;
