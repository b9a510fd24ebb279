/** The charges preview (what a period would bill, written nowhere) and the delivery counts behind it. */
import { api } from '../../app/api.ts';
import type { ChargesPreview } from '../../../../src/wire/charges.ts';
import type { ImpressionCountView } from '../../../../src/wire/delivery.ts';

export type { ChargesPreview, RatingFlag as ChargeFlag } from '../../../../src/wire/charges.ts';
export type { PreviewLine as ChargeLine } from '../../../../src/wire/charges.ts';
export type { ImpressionCountView as ImpressionCount } from '../../../../src/wire/delivery.ts';

export const chargesApi = api.injectEndpoints({
  endpoints: (build) => ({
    previewCharges: build.query<ChargesPreview, { contractId: string; from: string; to: string }>({
      query: ({ contractId, from, to }) => ({ url: `/contracts/${encodeURIComponent(contractId)}/charges`, params: { from, to } }),
      providesTags: (_preview, _error, { contractId }) => [{ type: 'Charges', id: contractId }],
    }),
    listImpressions: build.query<{ data: ImpressionCountView[] }, { contractId: string; from: string; to: string }>({
      query: (params) => ({ url: '/impressions', params }),
      providesTags: (_counts, _error, { contractId }) => [{ type: 'Charges', id: contractId }, 'Delivery'],
    }),
  }),
});

export const { usePreviewChargesQuery, useListImpressionsQuery } = chargesApi;
