/** Contracts and their versions: reads, the lifecycle actions, and the diff. */
import { api, type Page } from '../../app/api.ts';
import type { Contract, ContractStatus, ContractVersion } from '../../../../src/wire/contracts.ts';

export type { Contract, ContractStatus, ContractVersion };
export type VersionSummary = Contract['versions'][number];
export type Side = Contract['side'];

export const contractStatuses: ContractStatus[] = ['draft', 'pending_approval', 'active', 'scheduled', 'expired', 'terminated'];

/** A version as read, with the ETag that guards the next change to it (412 when stale). */
export type VersionWithEtag = ContractVersion & { etag: string | null };

export interface ContractListQuery {
  q?: string | undefined;
  status?: ContractStatus | undefined;
  side?: Side | undefined;
  partyId?: string | undefined;
  cursor?: string | undefined;
  limit?: number;
}

export interface VersionRef {
  contractId: string;
  number: number;
}

export interface DiffChange {
  path: string;
  from: unknown;
  to: unknown;
}

/** Every change to a contract touches these: its reads, lists, the inbox, previews and the audit log. */
function touched(contractId: string) {
  return [
    { type: 'Contract' as const, id: contractId },
    { type: 'Version' as const, id: contractId },
    'ContractList' as const,
    'Approvals' as const,
    { type: 'Charges' as const, id: contractId },
    'Audit' as const,
  ];
}

const ifMatch = (etag: string | null | undefined) => (etag ? { 'if-match': etag } : undefined);

export const contractsApi = api.injectEndpoints({
  endpoints: (build) => ({
    listContracts: build.query<Page<Contract>, ContractListQuery>({
      query: ({ q, status, side, partyId, cursor, limit = 50 }) => ({
        url: '/contracts',
        params: { q: q || undefined, status, side, partyId, cursor, limit },
      }),
      providesTags: (page) => ['ContractList', ...(page?.data ?? []).map((contract) => ({ type: 'Contract' as const, id: contract.id }))],
    }),
    getContract: build.query<Contract, string>({
      query: (id) => `/contracts/${encodeURIComponent(id)}`,
      providesTags: (_contract, _error, id) => [{ type: 'Contract', id }],
    }),
    getVersion: build.query<VersionWithEtag, VersionRef>({
      query: ({ contractId, number }) => `/contracts/${encodeURIComponent(contractId)}/versions/${number}`,
      transformResponse: (version: ContractVersion, meta) => ({ ...version, etag: meta?.response?.headers.get('etag') ?? null }),
      providesTags: (_version, _error, { contractId, number }) => [
        { type: 'Version', id: contractId },
        { type: 'Version', id: `${contractId}.${number}` },
      ],
    }),
    diffVersions: build.query<{ from: number; to: number; changes: DiffChange[] }, { contractId: string; from: number; to: number }>({
      query: ({ contractId, from, to }) => ({ url: `/contracts/${encodeURIComponent(contractId)}/diff`, params: { from, to } }),
      providesTags: (_diff, _error, { contractId }) => [{ type: 'Version', id: contractId }],
    }),
    createContract: build.mutation<Contract, { partyId: string; side: Side; name: string; terms: unknown }>({
      query: (body) => ({ url: '/contracts', method: 'POST', body }),
      invalidatesTags: ['ContractList', 'Audit'],
    }),
    editVersion: build.mutation<
      VersionWithEtag,
      VersionRef & { terms: unknown; etag: string | null; effectiveFrom?: string; reason?: string }
    >({
      query: ({ contractId, number, terms, etag, effectiveFrom, reason }) => ({
        url: `/contracts/${encodeURIComponent(contractId)}/versions/${number}`,
        method: 'PATCH',
        headers: ifMatch(etag),
        body: { terms, ...(effectiveFrom ? { effectiveFrom } : {}), ...(reason ? { reason } : {}) },
      }),
      invalidatesTags: (_version, _error, { contractId }) => touched(contractId),
    }),
    submitVersion: build.mutation<ContractVersion, VersionRef & { etag: string | null }>({
      query: ({ contractId, number, etag }) => ({
        url: `/contracts/${encodeURIComponent(contractId)}/versions/${number}/submit`,
        method: 'POST',
        headers: ifMatch(etag),
      }),
      invalidatesTags: (_version, _error, { contractId }) => touched(contractId),
    }),
    approveVersion: build.mutation<ContractVersion, VersionRef & { etag: string | null; comment?: string }>({
      query: ({ contractId, number, etag, comment }) => ({
        url: `/contracts/${encodeURIComponent(contractId)}/versions/${number}/approve`,
        method: 'POST',
        headers: ifMatch(etag),
        body: comment ? { comment } : {},
      }),
      invalidatesTags: (_version, _error, { contractId }) => touched(contractId),
    }),
    rejectVersion: build.mutation<ContractVersion, VersionRef & { etag: string | null; reason: string }>({
      query: ({ contractId, number, etag, reason }) => ({
        url: `/contracts/${encodeURIComponent(contractId)}/versions/${number}/reject`,
        method: 'POST',
        headers: ifMatch(etag),
        body: { reason },
      }),
      invalidatesTags: (_version, _error, { contractId }) => touched(contractId),
    }),
    withdrawVersion: build.mutation<ContractVersion, VersionRef & { reason?: string }>({
      query: ({ contractId, number, reason }) => ({
        url: `/contracts/${encodeURIComponent(contractId)}/versions/${number}/withdraw`,
        method: 'POST',
        body: reason ? { reason } : {},
      }),
      invalidatesTags: (_version, _error, { contractId }) => touched(contractId),
    }),
    amendContract: build.mutation<ContractVersion, { contractId: string; effectiveFrom: string; terms: unknown; reason: string }>({
      query: ({ contractId, ...body }) => ({ url: `/contracts/${encodeURIComponent(contractId)}/amendments`, method: 'POST', body }),
      invalidatesTags: (_version, _error, { contractId }) => touched(contractId),
    }),
    renewContract: build.mutation<ContractVersion, { contractId: string; termMonths?: number | undefined }>({
      query: ({ contractId, termMonths }) => ({
        url: `/contracts/${encodeURIComponent(contractId)}/renew`,
        method: 'POST',
        body: termMonths ? { termMonths } : {},
      }),
      invalidatesTags: (_version, _error, { contractId }) => touched(contractId),
    }),
    terminateContract: build.mutation<ContractVersion, { contractId: string; effectiveDate: string; reason: string }>({
      query: ({ contractId, ...body }) => ({ url: `/contracts/${encodeURIComponent(contractId)}/terminate`, method: 'POST', body }),
      invalidatesTags: (_version, _error, { contractId }) => touched(contractId),
    }),
  }),
});

export const {
  useListContractsQuery,
  useGetContractQuery,
  useGetVersionQuery,
  useDiffVersionsQuery,
  useCreateContractMutation,
  useEditVersionMutation,
  useSubmitVersionMutation,
  useApproveVersionMutation,
  useRejectVersionMutation,
  useWithdrawVersionMutation,
  useAmendContractMutation,
  useRenewContractMutation,
  useTerminateContractMutation,
} = contractsApi;

/** The version still being worked on (draft, pending or rejected), if any: at most one at a time. */
export function openVersion(contract: Contract): VersionSummary | undefined {
  return contract.versions.findLast(
    (version) => version.status === 'draft' || version.status === 'pending_approval' || version.status === 'rejected',
  );
}
