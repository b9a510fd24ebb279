/**
 * Accruals and the revenue report (SPEC §10): a month's revenue per sell contract (recognized,
 * billed, accrued) with the prepayments held as deferred revenue, and posting the month's accruals.
 * Money stays the API's decimal strings.
 */
import { api } from '../../app/api.ts';

/** Recognized (delivered, by rating), billed (finalized invoices) and accrued (the difference). */
export interface RevenueAmounts {
  recognized: string;
  billed: string;
  accrued: string;
}

/**
 * `GET /v1/reports/revenue?period=` (the route's response schema in
 * src/modules/billing/reports/reports.routes.ts, written out here since src/wire has no shape for it).
 */
export interface RevenueReport {
  period: string;
  /** The month's last day: deferred revenue is what parties hold then. */
  asOf: string;
  rows: (RevenueAmounts & { contractId: string; contractNumber: string; partyId: string; currency: string })[];
  /** Prepayments each party holds, not yet applied: per party, since a prepayment is not made for one contract. */
  deferred: { partyId: string; currency: string; amount: string }[];
  totals: (RevenueAmounts & { currency: string; deferred: string })[];
}
export type RevenueRow = RevenueReport['rows'][number];
export type DeferredRow = RevenueReport['deferred'][number];

/** One contract's accrual in a run: sell (revenue) or buy (partner cost). */
export interface ContractAccrual {
  side: 'sell' | 'buy';
  contractId: string;
  contractNumber: string;
  /** The party invoiced (sell) or paid (buy). */
  partyId: string;
  billingEntityId: string;
  currency: string;
  rated: string;
  billed: string;
  accrued: string;
}

/**
 * What `POST /v1/accruals` answers (the route's response schema in
 * src/modules/billing/accruals/accruals.routes.ts): the run and what each entity's books got.
 */
export interface AccrualRun {
  period: string;
  /** The month's last day: the accruals' date. */
  accruedOn: string;
  /** The next month's first day: the reversals' date. */
  reversedOn: string;
  postedAt: string;
  postedBy: string;
  contracts: ContractAccrual[];
  books: { billingEntityId: string; currency: string; revenue: string; cost: string }[];
}

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
