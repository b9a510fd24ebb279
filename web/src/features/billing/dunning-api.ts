/**
 * Receivables follow-up (SPEC §10): the dunning run, the dunning schedule it follows, and a party's
 * statement of account. The overdue invoices themselves are the invoice list filtered by
 * `overdue=true` (billing-api.ts).
 */
import { api } from '../../app/api.ts';

/**
 * What `POST /v1/dunning/run` answers (the route's response schema in
 * src/modules/billing/dunning/dunning.routes.ts, written out here since src/wire has no shape for
 * it): the notices sent, one per invoice (its latest step reached), and the earlier steps recorded
 * as skipped.
 */
export interface DunningRun {
  asOf: string;
  notices: DunningNotice[];
  skipped: { documentId: string; number: string; step: number }[];
}

export interface DunningNotice {
  documentId: string;
  number: string;
  partyId: string;
  /** The step of the schedule sent: days past due. */
  step: number;
  daysPastDue: number;
  amountDue: string;
}

/** The days past due at which an overdue invoice is announced (`GET/PUT /v1/settings/dunning`). */
export interface DunningSchedule {
  steps: number[];
}

export const dunningApi = api.enhanceEndpoints({ addTagTypes: ['DunningSchedule'] }).injectEndpoints({
  endpoints: (build) => ({
    runDunning: build.mutation<DunningRun, { asOf: string }>({
      query: (body) => ({ url: '/dunning/run', method: 'POST', body }),
      // A run moves no money and changes no document (overdue is derived); it writes audit entries.
      invalidatesTags: ['Audit'],
    }),
    getDunningSchedule: build.query<DunningSchedule, void>({
      query: () => '/settings/dunning',
      providesTags: ['DunningSchedule'],
    }),
    replaceDunningSchedule: build.mutation<DunningSchedule, DunningSchedule>({
      query: (body) => ({ url: '/settings/dunning', method: 'PUT', body }),
      invalidatesTags: ['DunningSchedule', 'Audit'],
    }),
  }),
});

export const { useRunDunningMutation, useGetDunningScheduleQuery, useReplaceDunningScheduleMutation } = dunningApi;

/** The API's URL of a party's statement of account as of a date (today when none). */
export function statementPdfUrl(partyId: string, asOf?: string): string {
  const query = asOf ? `?asOf=${encodeURIComponent(asOf)}` : '';
  return `/v1/parties/${encodeURIComponent(partyId)}/statement.pdf${query}`;
}
