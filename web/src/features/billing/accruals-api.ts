/**
 * Accruals and the revenue report (SPEC §10): a month's revenue per sell contract (recognized,
 * billed, accrued) with the prepayments held as deferred revenue, and posting the month's accruals.
 * Money stays the API's decimal strings.
 */
import { api } from '../../app/api.ts';
import type { AccrualRun, ContractAccrual, DeferredRevenueRow, RevenueReport, RevenueRow } from '../../../../src/wire/finance-reports.ts';

// The API's own shapes (type-only imports: nothing of the server enters the bundle).
export type { AccrualRun, ContractAccrual, DeferredRevenueRow, RevenueReport, RevenueRow };

export const accrualsApi = api.injectEndpoints({
  endpoints: (build) => ({
    revenueReport: build.query<RevenueReport, { period: string }>({
      query: ({ period }) => ({ url: '/reports/revenue', params: { period } }),
      // Finalizing or voiding an invoice, or granting a credit, changes billed and deferred.
      providesTags: ['Ledger', 'PartyBalance'],
    }),
    // With an Idempotency-Key: a retry after a timeout replays the run's answer instead of being
    // refused as accruals_already_posted, which would hide what was posted.
    postAccruals: build.mutation<AccrualRun, { period: string; idempotencyKey: string }>({
      query: ({ period, idempotencyKey }) => ({
        url: '/accruals',
        method: 'POST',
        body: { period },
        headers: { 'idempotency-key': idempotencyKey },
      }),
      invalidatesTags: ['Ledger', 'Audit'],
    }),
  }),
});

export const { useRevenueReportQuery, usePostAccrualsMutation } = accrualsApi;
