/**
 * Settings: the approval policy in force (`GET /v1/settings/approval-policy`, permission
 * `settings.read`, which every staff role holds). The web app reads it to say, before anything is
 * submitted, when a version will need more approvers.
 */
import { api } from '../../app/api.ts';

/**
 * The policy as the API answers it (src/modules/versioning/approval-policy.ts; the web app imports
 * from the server only src/wire, so the fields it reads are written out here). Money and percents
 * are decimal strings.
 */
export interface ApprovalPolicy {
  approverRoles: ('admin' | 'finance')[];
  requiredApprovals: number;
  largeContractThreshold: string;
  largeContractApprovals: number;
  /** A version with a line discounted off its rate card beyond this needs largeContractApprovals; absent means "20". */
  maxDiscountPercent?: string | undefined;
}

/** The server's default for a policy written before `maxDiscountPercent` existed. */
export const DEFAULT_MAX_DISCOUNT_PERCENT = '20';

export const settingsApi = api.enhanceEndpoints({ addTagTypes: ['ApprovalPolicy'] }).injectEndpoints({
  endpoints: (build) => ({
    getApprovalPolicy: build.query<ApprovalPolicy, void>({
      query: () => '/settings/approval-policy',
      providesTags: ['ApprovalPolicy'],
    }),
  }),
});

export const { useGetApprovalPolicyQuery } = settingsApi;
