/** The charges preview (what a period would bill, written nowhere) and the delivery counts behind it. */
import { api } from '../../app/api.ts';

export type ChargeFlag = 'missing_third_party' | 'discrepancy' | 'capped' | 'unrated_impressions';

export interface ChargeLine {
  period: string;
  lineItem: string | null;
  kind: 'media' | 'fee' | 'minimum_spend' | 'adjustment';
  description: string;
  quantity: number;
  unit: 'impressions' | 'conversions' | 'days' | 'period';
  rate?: string;
  amount: string;
  version: number | null;
  from: string;
  to: string;
  flags: ChargeFlag[];
  explain: Record<string, unknown>;
}

export interface ChargesPreview {
  contractId: string;
  side: 'sell' | 'buy';
  currency: string;
  from: string;
  to: string;
  periods: { label: string; from: string; to: string; subtotal: string; flags: ChargeFlag[] }[];
  lines: ChargeLine[];
  subtotal: string;
  flags: ChargeFlag[];
}

export interface ImpressionCount {
  lineItem: string;
  date: string;
  source: 'first_party' | 'third_party';
  impressions: number;
  revision: number;
}

export const chargesApi = api.injectEndpoints({
  endpoints: (build) => ({
    previewCharges: build.query<ChargesPreview, { contractId: string; from: string; to: string }>({
      query: ({ contractId, from, to }) => ({ url: `/contracts/${encodeURIComponent(contractId)}/charges`, params: { from, to } }),
      providesTags: (_preview, _error, { contractId }) => [{ type: 'Charges', id: contractId }],
    }),
    listImpressions: build.query<{ data: ImpressionCount[] }, { contractId: string; from: string; to: string }>({
      query: (params) => ({ url: '/impressions', params }),
      providesTags: (_counts, _error, { contractId }) => [{ type: 'Charges', id: contractId }, 'Delivery'],
    }),
  }),
});

export const { usePreviewChargesQuery, useListImpressionsQuery } = chargesApi;
