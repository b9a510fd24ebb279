/**
 * Scrub rules and their review (SPEC §9): the rules, the 30-day preview of a rule, the held queue
 * with its bulk release and rejection, and the scrub report. The shapes are the server's own
 * (src/wire/scrub.ts).
 */
import { api, type Page } from '../../app/api.ts';
import type {
  CreateScrubRuleInput,
  HeldConversion,
  HeldOutcome,
  HeldSelection,
  PreviewScrubRuleInput,
  ScrubPreview,
  ScrubReportRow,
  ScrubRule,
  UpdateScrubRuleInput,
} from '../../../../src/wire/scrub.ts';

export type {
  CreateScrubRuleInput,
  HeldConversion,
  HeldOutcome,
  HeldSelection,
  PreviewScrubRuleInput,
  ScrubPreview,
  ScrubReportRow,
  ScrubRule,
  UpdateScrubRuleInput,
};

export interface ScrubRuleListQuery {
  active?: boolean | undefined;
  contractId?: string | undefined;
  cursor?: string | undefined;
  limit?: number;
}

export interface HeldListQuery {
  ruleId?: string | undefined;
  partnerId?: string | undefined;
  contractId?: string | undefined;
  cursor?: string | undefined;
  limit?: number;
}

/** A page of the held queue, and when the server answered it. */
export type HeldPage = Page<HeldConversion> & { seenAt: string };

export interface ScrubReportQuery {
  from: string;
  to: string;
  partnerId?: string | undefined;
  contractId?: string | undefined;
}

/** A release or rejection changes the queue, the report, every conversion read and the audit log. */
const decided = ['Held', 'ScrubReport', 'Delivery', 'Conversion', 'Audit'] as const;

export const scrubApi = api
  .enhanceEndpoints({ addTagTypes: ['ScrubRule', 'ScrubRuleList', 'Held', 'ScrubReport', 'Conversion'] })
  .injectEndpoints({
    endpoints: (build) => ({
      listScrubRules: build.query<Page<ScrubRule>, ScrubRuleListQuery>({
        query: ({ active, contractId, cursor, limit = 50 }) => ({
          url: '/scrub-rules',
          params: { active: active === undefined ? undefined : String(active), contractId, cursor, limit },
        }),
        providesTags: (page) => ['ScrubRuleList', ...(page?.data ?? []).map((rule) => ({ type: 'ScrubRule' as const, id: rule.id }))],
      }),
      getScrubRule: build.query<ScrubRule, string>({
        query: (id) => `/scrub-rules/${encodeURIComponent(id)}`,
        providesTags: (_rule, _error, id) => [{ type: 'ScrubRule', id }],
      }),
      createScrubRule: build.mutation<ScrubRule, CreateScrubRuleInput>({
        query: (body) => ({ url: '/scrub-rules', method: 'POST', body }),
        invalidatesTags: ['ScrubRuleList', 'Audit'],
      }),
      updateScrubRule: build.mutation<ScrubRule, { id: string; patch: UpdateScrubRuleInput }>({
        query: ({ id, patch }) => ({ url: `/scrub-rules/${encodeURIComponent(id)}`, method: 'PATCH', body: patch }),
        invalidatesTags: (_rule, _error, { id }) => [{ type: 'ScrubRule', id }, 'ScrubRuleList', 'Audit'],
      }),
      // A POST that reads: asked for when the user tests a rule, never cached between forms.
      previewScrubRule: build.mutation<ScrubPreview, PreviewScrubRuleInput>({
        query: (body) => ({ url: '/scrub-rules/preview', method: 'POST', body }),
      }),
      listHeld: build.query<HeldPage, HeldListQuery>({
        query: ({ ruleId, partnerId, contractId, cursor, limit = 50 }) => ({
          url: '/scrub/held',
          params: { ruleId, partnerId, contractId, cursor, limit },
        }),
        // When the server answered, by its own clock (the Date header, to the second, rounded down):
        // a release of "everything matching" takes only what was held before the reviewer looked.
        transformResponse: (page: Page<HeldConversion>, meta) => {
          const date = Date.parse(meta?.response?.headers.get('date') ?? '');
          return { ...page, seenAt: new Date(Number.isNaN(date) ? Date.now() : date).toISOString() };
        },
        providesTags: ['Held'],
      }),
      releaseHeld: build.mutation<HeldOutcome, HeldSelection>({
        query: (body) => ({ url: '/scrub/held/release', method: 'POST', body }),
        invalidatesTags: [...decided],
      }),
      rejectHeld: build.mutation<HeldOutcome, HeldSelection>({
        query: (body) => ({ url: '/scrub/held/reject', method: 'POST', body }),
        invalidatesTags: [...decided],
      }),
      scrubReport: build.query<{ data: ScrubReportRow[] }, ScrubReportQuery>({
        query: ({ from, to, partnerId, contractId }) => ({ url: '/reports/scrub', params: { from, to, partnerId, contractId } }),
        providesTags: ['ScrubReport'],
      }),
    }),
  });

export const {
  useListScrubRulesQuery,
  useGetScrubRuleQuery,
  useCreateScrubRuleMutation,
  useUpdateScrubRuleMutation,
  usePreviewScrubRuleMutation,
  useListHeldQuery,
  useReleaseHeldMutation,
  useRejectHeldMutation,
  useScrubReportQuery,
} = scrubApi;
