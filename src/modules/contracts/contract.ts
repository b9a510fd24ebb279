/** Contract and version rules: statuses, the version state machine, and the API shapes. */
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import type { Side, VersionKind, VersionStatus } from './contract.table.ts';

export type { Side, VersionKind, VersionStatus };
export const contractStatuses = ['draft', 'pending_approval', 'active', 'scheduled', 'expired', 'terminated'] as const;
export type ContractStatus = (typeof contractStatuses)[number];
export const versionStatuses = ['draft', 'pending_approval', 'approved', 'rejected', 'withdrawn'] as const;

/** The named transitions of a version, with the statuses each starts from. */
const transitions = {
  edit: { from: ['draft', 'rejected'], code: 'version_not_draft' },
  submit: { from: ['draft', 'rejected'], code: 'version_not_draft' },
  approve: { from: ['pending_approval'], code: 'version_not_pending' },
  reject: { from: ['pending_approval'], code: 'version_not_pending' },
  withdraw: { from: ['draft', 'rejected', 'pending_approval'], code: 'version_not_editable' },
} as const;
export type VersionTransition = keyof typeof transitions;

/** Throws the transition's typed error when the version's status does not allow it. */
export function assertTransition(status: string, transition: VersionTransition, versionNumber: number): void {
  const rule = transitions[transition];
  if (!(rule.from as readonly string[]).includes(status)) {
    throw new AppError(rule.code, `Version ${versionNumber} is ${status}; ${transition} needs it to be ${rule.from.join(' or ')}`);
  }
}

/** Maker-checker: whoever created or submitted the version cannot approve (or reject) it. */
export function assertNotMaker(version: { created_by: string; submitted_by: string | null }, userId: string, verb: string): void {
  if (version.created_by === userId || version.submitted_by === userId) {
    throw new AppError('maker_checker', `You created or submitted this version, so you cannot ${verb} it; another approver must`);
  }
}

/** The ETag of a version: changes with every edit and status change. */
export function versionEtag(contractId: string, versionNumber: number, revision: number): string {
  return `"${contractId}.${versionNumber}.${revision}"`;
}

export const approvalSchema = z.object({ by: z.string(), at: z.string(), comment: z.string().nullable() });

export const versionSummarySchema = z.object({
  number: z.int(),
  kind: z.enum(['original', 'amendment', 'renewal', 'termination']),
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
  revision: z.int(),
  submittedBy: z.string().nullable(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  approvals: z.array(approvalSchema),
  rejection: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(),
});
export type ContractVersion = z.infer<typeof versionSchema>;

export const contractSchema = z.object({
  id: z.string(),
  number: z.string(),
  partyId: z.string(),
  side: z.enum(['sell', 'buy']),
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
