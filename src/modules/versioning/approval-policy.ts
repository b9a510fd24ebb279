/**
 * The approval policy is data: who may approve, and how many distinct approvers a version needs.
 * One policy serves every approved document (contract versions and rate card versions).
 */
import { z } from 'zod';
import type { UseCaseContext } from '../../platform/context.ts';
import type { Executor } from '../../platform/database.ts';
import { Decimal } from '../../wire/money.ts';
import { readSetting, writeSetting } from '../../platform/settings.repository.ts';
import { AppError } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { decimalStringSchema } from '../../wire/terms-fields.ts';

export const approvalPolicySchema = z
  .strictObject({
    approverRoles: z
      .array(z.enum(['admin', 'finance']))
      .min(1)
      .max(2),
    requiredApprovals: z.int().min(1).max(5),
    largeContractThreshold: decimalStringSchema({ min: '0', max: '1000000000000', decimalsMax: 6 }),
    largeContractApprovals: z.int().min(1).max(5),
    // Optional so that a policy written before rate cards existed stays valid: absent means the default.
    maxDiscountPercent: decimalStringSchema({ min: '0', max: '100', decimalsMax: 6 }).optional().meta({
      description: 'A version with a line discounted beyond this percent off its rate card needs largeContractApprovals (default "20").',
    }),
  })
  .superRefine((policy, context) => {
    if (policy.largeContractApprovals < policy.requiredApprovals) {
      context.addIssue({ code: 'custom', path: ['largeContractApprovals'], message: 'must be at least requiredApprovals' });
    }
  });
/** A policy as written (a field added since may be missing); what the rules read always has every field (`withDefaults`). */
export type ApprovalPolicyInput = z.infer<typeof approvalPolicySchema>;
export type ApprovalPolicy = ApprovalPolicyInput & { maxDiscountPercent: string };

export const defaultApprovalPolicy: ApprovalPolicy = {
  approverRoles: ['finance', 'admin'],
  requiredApprovals: 1,
  largeContractThreshold: '250000.00',
  largeContractApprovals: 2,
  maxDiscountPercent: '20',
};

const settingKey = 'approval_policy';

/** The policy with the default of each field it does not name (policies stored before the field existed). */
function withDefaults(policy: ApprovalPolicyInput): ApprovalPolicy {
  return { ...policy, maxDiscountPercent: policy.maxDiscountPercent ?? defaultApprovalPolicy.maxDiscountPercent };
}

/** The policy in force: the stored one (with the defaults of fields added since), or the default when none was ever set. */
export async function readApprovalPolicy(db: Executor): Promise<ApprovalPolicy> {
  const stored = await readSetting(db, settingKey);
  return stored === undefined ? defaultApprovalPolicy : withDefaults(stored as ApprovalPolicyInput);
}

/** Replaces the policy and audits the change; it applies to approvals recorded from now on. */
export async function updateApprovalPolicy(context: UseCaseContext, input: ApprovalPolicyInput): Promise<ApprovalPolicy> {
  const policy = withDefaults(input);
  const before = await readApprovalPolicy(context.trx);
  await writeSetting(context.trx, settingKey, policy, context.now.toISOString(), context.actor.userId);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'settings.approval_policy_updated',
    entityType: 'settings',
    entityId: settingKey,
    before,
    after: policy,
  });
  return policy;
}

/**
 * How many distinct approvals a contract version needs. The threshold is compared with the
 * version's committed value in the contract's own currency (the policy holds one number for all
 * currencies); a line discounted off its rate card beyond `maxDiscountPercent` needs as many
 * approvers as a large contract.
 */
export function requiredApprovalsFor(policy: ApprovalPolicy, committedValue: string, largestDiscountPercent = '0'): number {
  const large = new Decimal(committedValue).gte(policy.largeContractThreshold);
  const deepDiscount = new Decimal(largestDiscountPercent).gt(policy.maxDiscountPercent);
  return large || deepDiscount ? policy.largeContractApprovals : policy.requiredApprovals;
}

/** Throws forbidden unless the actor's role is an approver role. */
export function assertApproverRole(policy: ApprovalPolicy, role: string): void {
  if (!(policy.approverRoles as string[]).includes(role)) {
    throw new AppError('forbidden', `Only ${policy.approverRoles.join(' or ')} may approve or reject versions`);
  }
}
