/** The hash-chained audit log and its verification. */
import { api, type Page } from '../../app/api.ts';

export interface AuditEntry {
  seq: number;
  id: string;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBroken: { seq: number; id: string; reason: string } | null;
}

export const auditApi = api.injectEndpoints({
  endpoints: (build) => ({
    listAudit: build.query<Page<AuditEntry>, { entityType?: string | undefined; entityId?: string | undefined; cursor?: string | undefined; limit?: number }>({
      query: ({ entityType, entityId, cursor, limit = 50 }) => ({ url: '/audit', params: { entityType: entityType || undefined, entityId: entityId || undefined, cursor, limit } }),
      providesTags: ['Audit'],
    }),
    verifyAudit: build.query<ChainVerification, void>({
      query: () => '/audit/verify',
      providesTags: ['Audit'],
      // Recomputing the chain reads every entry: keep the answer for a minute rather than per screen.
      keepUnusedDataFor: 60,
    }),
  }),
});

export const { useListAuditQuery, useVerifyAuditQuery } = auditApi;
