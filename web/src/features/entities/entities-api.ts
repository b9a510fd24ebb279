/**
 * Billing entities and their tax rates (SPEC §10): the legal entities that issue documents, each
 * with its issuer block, number prefix and the tax rates it charges. Every staff role reads them
 * (`settings.read`); admins and finance write them (`entities.write`). Party users do not list them.
 * The cache tags are added here, with the endpoints, so that this code loads only with the screens
 * that use it.
 */
import { api } from '../../app/api.ts';
import type { BillingEntity, CreateBillingEntityInput, UpdateBillingEntityInput } from '../../../../src/wire/billing-entities.ts';
import type { CreateTaxRateInput, TaxRate, TaxSide } from '../../../../src/wire/taxes.ts';

export type { BillingEntity, CreateBillingEntityInput, CreateTaxRateInput, TaxRate, TaxSide, UpdateBillingEntityInput };

/** A tax rate's side in words. */
export const taxSideWords: Record<TaxSide, string> = {
  sell: 'invoices (sell)',
  buy: 'payout statements (buy)',
  both: 'invoices and payout statements',
};

export const entitiesApi = api.enhanceEndpoints({ addTagTypes: ['BillingEntity', 'TaxRate'] }).injectEndpoints({
  endpoints: (build) => ({
    // The API answers every entity at once (a platform has a handful), oldest first.
    listBillingEntities: build.query<{ data: BillingEntity[] }, void>({
      query: () => '/billing-entities',
      providesTags: (list) => ['BillingEntity', ...(list?.data ?? []).map((entity) => ({ type: 'BillingEntity' as const, id: entity.id }))],
    }),
    getBillingEntity: build.query<BillingEntity, string>({
      query: (id) => `/billing-entities/${encodeURIComponent(id)}`,
      providesTags: (_entity, _error, id) => [{ type: 'BillingEntity', id }],
    }),
    createBillingEntity: build.mutation<BillingEntity, CreateBillingEntityInput>({
      query: (body) => ({ url: '/billing-entities', method: 'POST', body }),
      invalidatesTags: ['BillingEntity', 'Audit'],
    }),
    updateBillingEntity: build.mutation<BillingEntity, { id: string; patch: UpdateBillingEntityInput }>({
      query: ({ id, patch }) => ({ url: `/billing-entities/${encodeURIComponent(id)}`, method: 'PATCH', body: patch }),
      invalidatesTags: (_entity, _error, { id }) => ['BillingEntity', { type: 'BillingEntity', id }, 'Audit'],
    }),
    listTaxRates: build.query<{ data: TaxRate[] }, { entityId: string }>({
      query: ({ entityId }) => ({ url: '/tax-rates', params: { entityId } }),
      providesTags: ['TaxRate'],
    }),
    createTaxRate: build.mutation<TaxRate, CreateTaxRateInput>({
      query: (body) => ({ url: '/tax-rates', method: 'POST', body }),
      invalidatesTags: ['TaxRate', 'Audit'],
    }),
    setTaxRateActive: build.mutation<TaxRate, { id: string; active: boolean }>({
      query: ({ id, active }) => ({ url: `/tax-rates/${encodeURIComponent(id)}`, method: 'PATCH', body: { active } }),
      invalidatesTags: ['TaxRate', 'Audit'],
    }),
  }),
});

export const {
  useListBillingEntitiesQuery,
  useGetBillingEntityQuery,
  useCreateBillingEntityMutation,
  useUpdateBillingEntityMutation,
  useListTaxRatesQuery,
  useCreateTaxRateMutation,
  useSetTaxRateActiveMutation,
} = entitiesApi;
