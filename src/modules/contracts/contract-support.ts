/** Steps that several contract use cases share: loading under lock, parsing terms, writing a version. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError, type FieldError, formatPath } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/index.ts';
import { resolveCardPricing } from '../rate-cards/index.ts';
import { findContractRow, findContractSides, refreshContractProjection } from './contract.repository.ts';
import type { Side, VersionKind, VersionStatus } from './contract.table.ts';
import { committedValue, type Terms, termsSchemaForSide } from '../../wire/terms.ts';
import { findVersionRow, insertVersionRow, latestApprovedEffectiveFrom, type VersionRow } from './version.repository.ts';

/** Locks and returns the contract, or throws contract_not_found. */
export async function lockContract(context: UseCaseContext, contractId: string) {
  const contract = await findContractRow(context.trx, contractId, true);
  if (!contract) throw new AppError('contract_not_found', `Contract ${contractId} does not exist`);
  return contract;
}

/** Locks and returns one version of a locked contract, or throws version_not_found. */
export async function lockVersion(context: UseCaseContext, contractId: string, versionNumber: number): Promise<VersionRow> {
  const version = await findVersionRow(context.trx, contractId, versionNumber, true);
  if (!version) throw new AppError('version_not_found', `Contract ${contractId} has no version ${versionNumber}`);
  return version;
}

/**
 * Reads the terms a caller wrote for a version: prices the lines priced from a rate card (the card
 * version in force on `effectiveFrom`, SPEC §8), then validates them for the contract's side.
 */
export async function readWrittenTerms(context: UseCaseContext, side: Side, input: unknown, effectiveFrom: unknown): Promise<Terms> {
  return parseTerms(side, await resolveCardPricing(context.trx, input, effectiveFrom));
}

/** The start date a caller wrote in raw terms, if any: version 1 is effective from it. */
export function writtenStartDate(input: unknown): unknown {
  return input !== null && typeof input === 'object' ? (input as { startDate?: unknown }).startDate : undefined;
}

/** Validates terms for the contract's side; every problem is reported with its full path under `prefix`. */
export function parseTerms(side: Side, input: unknown, prefix = 'terms'): Terms {
  const result = termsSchemaForSide(side).safeParse(input);
  if (result.success) return result.data;
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const path = [prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ path: formatPath([...path, key]), message: 'unknown field' });
    } else {
      errors.push({ path: formatPath(path), message: issue.message });
    }
  }
  const unknownOnly = result.error.issues.every((issue) => issue.code === 'unrecognized_keys');
  throw new AppError(
    unknownOnly ? 'unknown_field' : 'validation_failed',
    `The ${side}-side terms are invalid: ${errors[0]?.path}: ${errors[0]?.message}`,
    errors,
  );
}

/** The latest approved version of a contract, whose terms the next amendment starts from. */
export async function latestApprovedVersion(
  context: UseCaseContext,
  contractId: string,
  currentVersion: number | null,
): Promise<VersionRow> {
  if (currentVersion === null) throw new AppError('contract_not_approved', `Contract ${contractId} has no approved version yet`);
  const version = await findVersionRow(context.trx, contractId, currentVersion);
  if (!version) throw new Error(`contract ${contractId} projection names version ${currentVersion}, which does not exist`);
  return version;
}

/**
 * What every new version (amendment, renewal, termination) starts with: the contract locked, not
 * terminated, its latest approved version (what the new one changes), and no other version open.
 */
export async function lockForNewVersion(context: UseCaseContext, contractId: string) {
  const contract = await lockContract(context, contractId);
  assertNotTerminated(contract);
  const latest = await latestApprovedVersion(context, contractId, contract.current_version);
  assertNoOpenVersion(contract);
  return { contract, latest };
}

/** Refuses a new version while another is still being drafted or approved (one change at a time). */
export function assertNoOpenVersion(contract: { id: string; open_version: number | null; open_version_status: string | null }): void {
  if (contract.open_version !== null) {
    throw new AppError(
      'version_in_progress',
      `Contract ${contract.id} already has version ${contract.open_version} in ${contract.open_version_status}; approve, or withdraw it first`,
    );
  }
}

/** Refuses changes to a contract whose termination is approved. */
export function assertNotTerminated(contract: { id: string; ended_by_termination: boolean }): void {
  if (contract.ended_by_termination) throw new AppError('contract_terminated', `Contract ${contract.id} is terminated`);
}

export interface NewVersion {
  contractId: string;
  number: number;
  kind: VersionKind;
  status: VersionStatus;
  effectiveFrom: string;
  terms: Terms;
  reason: string | null;
}

/** Inserts a version, refreshes the contract's projection and audits the creation. */
export async function insertVersion(context: UseCaseContext, version: NewVersion, action: string): Promise<void> {
  const now = context.now.toISOString();
  const approved = version.status === 'approved';
  await insertVersionRow(context.trx, {
    contract_id: version.contractId,
    number: version.number,
    kind: version.kind,
    status: version.status,
    effective_from: version.effectiveFrom,
    terms: JSON.stringify(version.terms),
    reason: version.reason,
    committed_value: committedValue(version.terms).toFixed(),
    created_by: context.actor.userId,
    created_at: now,
    submitted_by: approved ? context.actor.userId : null,
    submitted_at: approved ? now : null,
    rejected_by: null,
    rejected_at: null,
    rejection_reason: null,
    approved_at: approved ? now : null,
  });
  await refreshContractProjection(context.trx, version.contractId);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action,
    entityType: 'contract',
    entityId: version.contractId,
    after: {
      version: version.number,
      kind: version.kind,
      status: version.status,
      effectiveFrom: version.effectiveFrom,
      reason: version.reason,
      terms: version.terms,
    },
  });
}

/**
 * The rules an amendment's terms must keep against the version it amends: the same currency and
 * start date, and an effective date inside the (new) contract dates, not before the latest
 * approved version's own effective date (so versions apply in the order they were approved).
 */
export async function checkAmendmentTerms(
  context: UseCaseContext,
  contractId: string,
  base: VersionRow,
  terms: Terms,
  effectiveFrom: string,
): Promise<void> {
  const baseTerms = base.terms as Terms;
  if (terms.currency !== baseTerms.currency) {
    throw new AppError(
      'currency_change',
      `An amendment cannot change the currency (${baseTerms.currency}); end this contract and write a new one`,
      [{ path: 'terms.currency', message: `must stay ${baseTerms.currency}` }],
    );
  }
  if (terms.startDate !== baseTerms.startDate) {
    throw new AppError('start_date_change', `An amendment cannot move the start date (${baseTerms.startDate})`, [
      { path: 'terms.startDate', message: `must stay ${baseTerms.startDate}` },
    ]);
  }
  const floor = (await latestApprovedEffectiveFrom(context.trx, contractId)) ?? terms.startDate;
  if (effectiveFrom < floor || effectiveFrom > terms.endDate) {
    throw new AppError(
      'effective_date_out_of_range',
      `effectiveFrom must be from ${floor} (the latest approved version's) to ${terms.endDate} (the end date)`,
      [{ path: 'effectiveFrom', message: `must be between ${floor} and ${terms.endDate}` }],
    );
  }
}

/** Buy-side terms name the sell contracts a partner is paid on: throws unknown_contract naming the first that is not one. */
export async function assertAppliesTo(context: UseCaseContext, terms: Terms): Promise<void> {
  if (!('appliesTo' in terms) || !Array.isArray(terms.appliesTo)) return;
  const ids = terms.appliesTo as string[];
  const sides = await findContractSides(context.trx, ids);
  const index = ids.findIndex((id) => sides.get(id) !== 'sell');
  if (index >= 0) {
    throw new AppError('unknown_contract', `appliesTo names ${ids[index]}, which is not a sell-side contract`, [
      { path: `terms.appliesTo[${index}]`, message: 'no such sell-side contract' },
    ]);
  }
}
