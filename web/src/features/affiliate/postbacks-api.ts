/**
 * Postback sources (SPEC §9): list, read, create, rotate the secret, disable and enable. The secret
 * comes only in the answers to create and rotate; the screens keep it in their own state while it
 * is shown and never put it in the cache of reads.
 */
import { api, type Page } from '../../app/api.ts';
import type { CreatePostbackSourceInput, PostbackSource, PostbackSourceWithSecret } from '../../../../src/wire/postbacks.ts';

export type { CreatePostbackSourceInput, PostbackSource, PostbackSourceWithSecret };

export interface PostbackSourceListQuery {
  contractId?: string | undefined;
  cursor?: string | undefined;
  limit?: number;
}

const touched = (id: string) => [{ type: 'PostbackSource' as const, id }, 'PostbackSourceList' as const, 'Audit' as const];

export const postbacksApi = api.enhanceEndpoints({ addTagTypes: ['PostbackSource', 'PostbackSourceList'] }).injectEndpoints({
  endpoints: (build) => ({
    listPostbackSources: build.query<Page<PostbackSource>, PostbackSourceListQuery>({
      query: ({ contractId, cursor, limit = 50 }) => ({ url: '/postback-sources', params: { contractId, cursor, limit } }),
      providesTags: (page) => [
        'PostbackSourceList',
        ...(page?.data ?? []).map((source) => ({ type: 'PostbackSource' as const, id: source.id })),
      ],
    }),
    getPostbackSource: build.query<PostbackSource, string>({
      query: (id) => `/postback-sources/${encodeURIComponent(id)}`,
      providesTags: (_source, _error, id) => [{ type: 'PostbackSource', id }],
    }),
    createPostbackSource: build.mutation<PostbackSourceWithSecret, CreatePostbackSourceInput>({
      query: (body) => ({ url: '/postback-sources', method: 'POST', body }),
      invalidatesTags: ['PostbackSourceList', 'Audit'],
    }),
    rotatePostbackSecret: build.mutation<PostbackSourceWithSecret, string>({
      query: (id) => ({ url: `/postback-sources/${encodeURIComponent(id)}/rotate-secret`, method: 'POST', body: {} }),
      invalidatesTags: (_source, _error, id) => touched(id),
    }),
    setPostbackSourceActive: build.mutation<PostbackSource, { id: string; active: boolean }>({
      query: ({ id, active }) => ({
        url: `/postback-sources/${encodeURIComponent(id)}/${active ? 'enable' : 'disable'}`,
        method: 'POST',
        body: {},
      }),
      invalidatesTags: (_source, _error, { id }) => touched(id),
    }),
  }),
});

export const {
  useListPostbackSourcesQuery,
  useGetPostbackSourceQuery,
  useCreatePostbackSourceMutation,
  useRotatePostbackSecretMutation,
  useSetPostbackSourceActiveMutation,
} = postbacksApi;
