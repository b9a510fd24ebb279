/**
 * The approvals inbox: versions pending approval that the signed-in user may approve. The API has
 * no inbox endpoint, and a pending amendment leaves its contract "active", so the inbox reads the
 * contract list a page of 500 at a time (at most 20 pages: 10,000 contracts), keeps the pending
 * versions, and drops those the user created or submitted (maker-checker) or already approved.
 * A server-side inbox query would make this one request; see the report of issue 5.
 */
import { api, type Page } from '../../app/api.ts';
import type { Contract, ContractVersion } from '../contracts/contracts-api.ts';

export interface InboxItem {
  contract: Contract;
  version: ContractVersion;
}

export interface Inbox {
  items: InboxItem[];
  /** True when the scan stopped at its page limit before the end of the list. */
  truncated: boolean;
}

const pageLimit = 500;
const pagesMax = 20;
const detailsMax = 200;

export const approvalsApi = api.injectEndpoints({
  endpoints: (build) => ({
    approvalsInbox: build.query<Inbox, { userId: string }>({
      async queryFn({ userId }, _api, _extra, baseQuery) {
        const pending: { contract: Contract; number: number }[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await baseQuery({ url: '/contracts', params: { limit: pageLimit, cursor } });
          if (page.error) return { error: page.error };
          const { data, nextCursor } = page.data as Page<Contract>;
          for (const contract of data) {
            for (const version of contract.versions) {
              if (version.status === 'pending_approval' && version.createdBy !== userId) pending.push({ contract, number: version.number });
            }
          }
          cursor = nextCursor ?? undefined;
          pages += 1;
        } while (cursor !== undefined && pages < pagesMax);

        const items: InboxItem[] = [];
        for (const { contract, number } of pending.slice(0, detailsMax)) {
          const read = await baseQuery(`/contracts/${encodeURIComponent(contract.id)}/versions/${number}`);
          if (read.error) return { error: read.error };
          const version = read.data as ContractVersion;
          if (version.submittedBy === userId || version.approvals.some((approval) => approval.by === userId)) continue;
          items.push({ contract, version });
        }
        return { data: { items, truncated: cursor !== undefined || pending.length > detailsMax } };
      },
      providesTags: ['Approvals', 'ContractList'],
    }),
  }),
});

export const { useApprovalsInboxQuery } = approvalsApi;
