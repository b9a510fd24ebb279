/** Contracts and their versions as the API answers them (SPEC §3), shared with the web app. */
import { z } from 'zod';

export const contractStatuses = ['draft', 'pending_approval', 'active', 'scheduled', 'expired', 'terminated'] as const;
export type ContractStatus = (typeof contractStatuses)[number];
export const versionStatuses = ['draft', 'pending_approval', 'approved', 'rejected', 'withdrawn'] as const;
export type VersionStatus = (typeof versionStatuses)[number];
export const versionKinds = ['original', 'amendment', 'renewal', 'termination', 'makegood'] as const;
export type VersionKind = (typeof versionKinds)[number];
export const sides = ['sell', 'buy'] as const;
export type Side = (typeof sides)[number];

export const approvalSchema = z.object({ by: z.string(), at: z.string(), comment: z.string().nullable() });

/** What a version of any approved document (a contract, a rate card) says of its approval: its ETag revision, who submitted, approved or rejected it. */
export const versionApprovalFields = {
  revision: z.int(),
  submittedBy: z.string().nullable(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  approvals: z.array(approvalSchema),
  rejection: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(),
};

export const versionSummarySchema = z.object({
  number: z.int(),
  kind: z.enum(versionKinds),
  status: z.enum(versionStatuses),
  effectiveFrom: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const versionSchema = versionSummarySchema.extend({
  contractId: z.string(),
  terms: z.record(z.string(), z.unknown()),
  reason: z.string().nullable(),
  committedValue: z.string(),
  ...versionApprovalFields,
});
export type ContractVersion = z.infer<typeof versionSchema>;

export const contractSchema = z.object({
  id: z.string(),
  number: z.string(),
  partyId: z.string(),
  side: z.enum(sides),
  name: z.string(),
  status: z.enum(contractStatuses),
  currentVersion: z.int().nullable(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  nonRenewalNotice: z.object({ at: z.string(), by: z.string(), reason: z.string().nullable() }).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  versions: z.array(versionSummarySchema),
});
export type Contract = z.infer<typeof contractSchema>;
