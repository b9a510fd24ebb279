import { api, type Page } from '../../app/api.ts';
import type { AuditEntry } from '../../../../src/wire/audit.ts';

// The API's own type (a type-only import: nothing of the server enters the bundle).
export type { AuditEntry };

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBroken: { seq: number; id: string; reason: string } | null;
}

export const auditApi = api.injectEndpoints({
  endpoints: (build) => ({
    listAudit: build.query<
      Page<AuditEntry>,
      { entityType?: string | undefined; entityId?: string | undefined; cursor?: string | undefined; limit?: number }
    >({
      query: ({ entityType, entityId, cursor, limit = 50 }) => ({
        url: '/audit',
        params: { entityType: entityType || undefined, entityId: entityId || undefined, cursor, limit },
      }),
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
