/** The impact of a draft or pending version: what its approval would change in billing, period by period. */
import { api } from '../../app/api.ts';
import type { VersionImpact } from '../../../../src/wire/impact.ts';

export type { ImpactPeriod, VersionImpact } from '../../../../src/wire/impact.ts';

export const impactApi = api.injectEndpoints({
  endpoints: (build) => ({
    versionImpact: build.query<VersionImpact, { contractId: string; number: number }>({
      query: ({ contractId, number }) => `/contracts/${encodeURIComponent(contractId)}/versions/${number}/impact`,
      // An edit of the version, an approval of another, new delivery or a billing run change it.
      providesTags: (_impact, _error, { contractId, number }) => [
        { type: 'Version', id: `${contractId}.${number}` },
        { type: 'Version', id: contractId },
        { type: 'Charges', id: contractId },
        'Delivery',
        'DocumentList',
      ],
    }),
  }),
});

export const { useVersionImpactQuery } = impactApi;
