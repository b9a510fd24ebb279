/**
 * FX (SPEC §10): the exchange rates the ledger converts each entry into its entity's base currency
 * at, and a month's revaluation of what is open in other currencies. Every staff role reads the
 * rates (`settings.read`); admins and finance record them (`entities.write`) and revalue a month
 * (`billing.write`). A rate and the revaluation's amounts stay the API's decimal strings.
 */
import { api } from '../../app/api.ts';
import type { CreateFxRateInput, FxRate, RevaluationRun, RevaluedAccount } from '../../../../src/wire/fx.ts';

// The API's own shapes (type-only imports: nothing of the server enters the bundle).
export type { CreateFxRateInput, FxRate, RevaluationRun, RevaluedAccount };

/** The list's filters; each is left out of the request when empty. */
export interface FxRateFilters {
  from?: string | undefined;
  to?: string | undefined;
  onOrBefore?: string | undefined;
}

/** How many rates the API answers at most, newest first (src/modules/fx/fx.routes.ts). */
export const fxRateListMax = 1000;

export const fxApi = api.enhanceEndpoints({ addTagTypes: ['FxRate'] }).injectEndpoints({
  endpoints: (build) => ({
    listFxRates: build.query<{ data: FxRate[] }, FxRateFilters>({
      query: ({ from, to, onOrBefore }) => ({
        url: '/fx-rates',
        params: { from: from || undefined, to: to || undefined, onOrBefore: onOrBefore || undefined },
      }),
      providesTags: ['FxRate'],
    }),
    // A rate only converts entries posted after it is recorded (posted entries keep their base
    // amounts), so recording one leaves the ledger's cached answers as they are.
    createFxRate: build.mutation<FxRate, CreateFxRateInput>({
      query: (body) => ({ url: '/fx-rates', method: 'POST', body }),
      invalidatesTags: ['FxRate', 'Audit'],
    }),
    // With an Idempotency-Key: a retry after a timeout replays the run's answer instead of being
    // refused as revaluation_already_posted, which would hide what was posted.
    postRevaluation: build.mutation<RevaluationRun, { period: string; idempotencyKey: string }>({
      query: ({ period, idempotencyKey }) => ({
        url: '/fx/revaluations',
        method: 'POST',
        body: { period },
        headers: { 'idempotency-key': idempotencyKey },
      }),
      invalidatesTags: ['Ledger', 'Audit'],
    }),
  }),
});

export const { useListFxRatesQuery, useCreateFxRateMutation, usePostRevaluationMutation } = fxApi;
