/**
 * Rate cards (SPEC §8): reads, the version lifecycle (the same as a contract version's: draft,
 * submit, approve or reject, If-Match), and new versions. The cache tags are added here, with the
 * endpoints, so that the cards' code loads only with the screens that use it.
 */
import { api, type Page } from '../../app/api.ts';
import type {
  CardModel,
  CreateRateCardInput,
  RateCard,
  RateCardContent,
  RateCardEntry,
  RateCardPremium,
  RateCardVersion,
} from '../../../../src/wire/rate-cards.ts';

export type { CardModel, CreateRateCardInput, RateCard, RateCardContent, RateCardEntry, RateCardPremium, RateCardVersion };
export type CardVersionSummary = RateCard['versions'][number];

/** A version as read, with the ETag that guards the next change to it (412 when stale). */
export type CardVersionWithEtag = RateCardVersion & { etag: string | null };

export interface CardVersionRef {
  rateCardId: string;
  number: number;
}

export interface RateCardListQuery {
  currency?: string | undefined;
  cursor?: string | undefined;
  limit?: number;
}

/** Every change to a card touches its reads, the lists and the audit log. */
function touched(rateCardId: string) {
  return [
    { type: 'RateCard' as const, id: rateCardId },
    { type: 'RateCardVersion' as const, id: rateCardId },
    'RateCardList' as const,
    'Audit' as const,
  ];
}

const ifMatch = (etag: string | null | undefined) => (etag ? { 'if-match': etag } : undefined);
const versionUrl = ({ rateCardId, number }: CardVersionRef) => `/rate-cards/${encodeURIComponent(rateCardId)}/versions/${number}`;

export const rateCardsApi = api.enhanceEndpoints({ addTagTypes: ['RateCard', 'RateCardList', 'RateCardVersion'] }).injectEndpoints({
  endpoints: (build) => ({
    listRateCards: build.query<Page<RateCard>, RateCardListQuery>({
      query: ({ currency, cursor, limit = 50 }) => ({ url: '/rate-cards', params: { currency, cursor, limit } }),
      providesTags: (page) => ['RateCardList', ...(page?.data ?? []).map((card) => ({ type: 'RateCard' as const, id: card.id }))],
    }),
    getRateCard: build.query<RateCard, string>({
      query: (id) => `/rate-cards/${encodeURIComponent(id)}`,
      providesTags: (_card, _error, id) => [{ type: 'RateCard', id }],
    }),
    getRateCardVersion: build.query<CardVersionWithEtag, CardVersionRef>({
      query: versionUrl,
      transformResponse: (version: RateCardVersion, meta) => ({ ...version, etag: meta?.response?.headers.get('etag') ?? null }),
      providesTags: (_version, _error, { rateCardId, number }) => [
        { type: 'RateCardVersion', id: rateCardId },
        { type: 'RateCardVersion', id: `${rateCardId}.${number}` },
      ],
    }),
    createRateCard: build.mutation<RateCard, CreateRateCardInput>({
      query: (body) => ({ url: '/rate-cards', method: 'POST', body }),
      invalidatesTags: ['RateCardList', 'Audit'],
    }),
    addRateCardVersion: build.mutation<RateCardVersion, { rateCardId: string; content: RateCardContent }>({
      query: ({ rateCardId, content }) => ({
        url: `/rate-cards/${encodeURIComponent(rateCardId)}/versions`,
        method: 'POST',
        body: content,
      }),
      invalidatesTags: (_version, _error, { rateCardId }) => touched(rateCardId),
    }),
    editRateCardVersion: build.mutation<RateCardVersion, CardVersionRef & { content: RateCardContent; etag: string | null }>({
      query: ({ content, etag, ...ref }) => ({ url: versionUrl(ref), method: 'PATCH', headers: ifMatch(etag), body: content }),
      invalidatesTags: (_version, _error, { rateCardId }) => touched(rateCardId),
    }),
    submitRateCardVersion: build.mutation<RateCardVersion, CardVersionRef & { etag: string | null }>({
      query: ({ etag, ...ref }) => ({ url: `${versionUrl(ref)}/submit`, method: 'POST', headers: ifMatch(etag) }),
      invalidatesTags: (_version, _error, { rateCardId }) => touched(rateCardId),
    }),
    approveRateCardVersion: build.mutation<RateCardVersion, CardVersionRef & { etag: string | null; comment?: string | undefined }>({
      query: ({ etag, comment, ...ref }) => ({
        url: `${versionUrl(ref)}/approve`,
        method: 'POST',
        headers: ifMatch(etag),
        body: comment ? { comment } : {},
      }),
      invalidatesTags: (_version, _error, { rateCardId }) => touched(rateCardId),
    }),
    rejectRateCardVersion: build.mutation<RateCardVersion, CardVersionRef & { etag: string | null; reason: string }>({
      query: ({ etag, reason, ...ref }) => ({ url: `${versionUrl(ref)}/reject`, method: 'POST', headers: ifMatch(etag), body: { reason } }),
      invalidatesTags: (_version, _error, { rateCardId }) => touched(rateCardId),
    }),
  }),
});

export const {
  useListRateCardsQuery,
  useGetRateCardQuery,
  useGetRateCardVersionQuery,
  useCreateRateCardMutation,
  useAddRateCardVersionMutation,
  useEditRateCardVersionMutation,
  useSubmitRateCardVersionMutation,
  useApproveRateCardVersionMutation,
  useRejectRateCardVersionMutation,
} = rateCardsApi;

/** The version still being worked on (draft, pending or rejected), if any: a card has at most one at a time. */
export function openCardVersion(card: RateCard): CardVersionSummary | undefined {
  return card.versions.findLast(
    (version) => version.status === 'draft' || version.status === 'pending_approval' || version.status === 'rejected',
  );
}

/**
 * The approved version in force on `date` (`YYYY-MM-DD`): the latest effective date on or before it,
 * the higher number on a tie. The server picks the same one when it prices a line.
 */
export function versionInForce(card: RateCard, date: string): CardVersionSummary | undefined {
  let best: CardVersionSummary | undefined;
  for (const version of card.versions) {
    if (version.status !== 'approved' || version.effectiveFrom > date) continue;
    if (
      !best ||
      version.effectiveFrom > best.effectiveFrom ||
      (version.effectiveFrom === best.effectiveFrom && version.number > best.number)
    )
      best = version;
  }
  return best;
}

/** How each model's rate reads. */
export const cardModelUnits: Record<CardModel, string> = { cpm: 'per 1,000 impressions', cpcv: 'per completed view', cpc: 'per click' };
