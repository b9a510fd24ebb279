/**
 * Receivables follow-up (SPEC §10): the dunning run, the dunning schedule it follows, and a party's
 * statement of account. The overdue invoices themselves are the invoice list filtered by
 * `overdue=true` (billing-api.ts).
 */
import { api } from '../../app/api.ts';
import type { DunningNotice, DunningRun, DunningSchedule } from '../../../../src/wire/dunning.ts';

// The API's own shapes (type-only imports): the run's answer, and the schedule, the days past due at
// which an overdue invoice is announced (`GET/PUT /v1/settings/dunning`).
export type { DunningNotice, DunningRun, DunningSchedule };

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
