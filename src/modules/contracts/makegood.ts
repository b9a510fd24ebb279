/**
 * `POST /v1/contracts/:id/makegoods` (SPEC §8): a draft version of kind `makegood` that adds a line
 * item `<lineItem>-mg<N>` delivering, at no charge, up to `quantity` of the original line's goal
 * metric from `startDate` to `endDate`. It is the latest approved terms plus that line, effective
 * from `startDate`, and follows the normal submit/approve flow.
 *
 * Whether the line is short of its goal is the goals module's to say (it reads delivery, which this
 * module may not): the caller passes `measure`, asked inside this transaction once the contract is
 * locked.
 */
import type { Executor } from '../../platform/database.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type MakegoodRequest, makegoodPricing } from '../../wire/goals.ts';
import { KEY_LENGTH_MAX } from '../../wire/terms-fields.ts';
import type { LineItem, Terms } from '../../wire/terms.ts';
import { type ApprovedContract, findApprovedContract } from './approved-versions.repository.ts';
import { insertVersion, lockForNewVersion, parseTerms } from './contract-support.ts';
import { latestApprovedEffectiveFrom, nextVersionNumber } from './version.repository.ts';

/** How a line paces against its goal as of a date: what it delivered and what it should have by then. */
export interface GoalStanding {
  delivered: number;
  expectedToDate: number;
}

/** Measures one line item of an approved contract against its goal as of `asOf` (undefined: it has no goal then). */
export type MeasureGoal = (db: Executor, contract: ApprovedContract, lineItem: string, asOf: string) => Promise<GoalStanding | undefined>;

/** The next makegood number of a line item: one more than any `<key>-mg<N>` an approved version ever had. */
function nextMakegoodNumber(contract: ApprovedContract, key: string): number {
  // Keys hold only a-z, 0-9, "_" and "-", none of which a regular expression reads as special here.
  const pattern = new RegExp(`^${key}-mg([1-9][0-9]*)$`);
  let highest = 0;
  for (const version of contract.versions) {
    for (const lineItem of version.terms.lineItems) {
      const match = pattern.exec(lineItem.key);
      if (match) highest = Math.max(highest, Number(match[1]));
    }
  }
  return highest + 1;
}

function refuse(code: 'validation_failed' | 'date_outside_contract' | 'effective_date_out_of_range', path: string, message: string): never {
  throw new AppError(code, `${path}: ${message}`, [{ path, message }]);
}

/** Creates the makegood as a draft version; answers its number. Refuses, writing nothing, what cannot be made good. */
export async function createMakegood(
  context: UseCaseContext,
  contractId: string,
  input: MakegoodRequest,
  measure: MeasureGoal,
): Promise<number> {
  const { contract, latest } = await lockForNewVersion(context, contractId);
  const terms = latest.terms as Terms;
  const original = terms.lineItems.find((lineItem) => lineItem.key === input.lineItem);
  if (original === undefined) {
    throw new AppError('unknown_line_item', `Contract ${contractId} has no line item ${input.lineItem}`, [
      { path: 'lineItem', message: 'no such line item in the current terms' },
    ]);
  }
  if (original.makegoodFor !== undefined) {
    refuse('validation_failed', 'lineItem', `is itself a makegood of ${original.makegoodFor}: make good that line instead`);
  }
  if (original.goal === undefined) {
    throw new AppError('no_goal', `Line item ${original.key} has no goal, so there is nothing to make good`, [
      { path: 'lineItem', message: 'has no goal' },
    ]);
  }
  if (input.endDate < input.startDate) refuse('validation_failed', 'endDate', 'must be on or after startDate');
  if (input.startDate < terms.startDate || input.endDate > terms.endDate) {
    const path = input.startDate < terms.startDate ? 'startDate' : 'endDate';
    refuse('date_outside_contract', path, `must be inside the contract's dates (${terms.startDate} to ${terms.endDate})`);
  }
  // The makegood prices delivery from its start date on: versions apply in the order they were approved.
  const floor = (await latestApprovedEffectiveFrom(context.trx, contractId)) ?? terms.startDate;
  if (input.startDate < floor) {
    refuse('effective_date_out_of_range', 'startDate', `must be on or after ${floor}, the effective date of the latest approved version`);
  }

  const approved = await findApprovedContract(context.trx, contractId);
  const standing = approved && (await measure(context.trx, approved, original.key, context.today));
  if (!standing || standing.delivered >= standing.expectedToDate) {
    throw new AppError(
      'no_shortfall',
      standing
        ? `Line item ${original.key} delivered ${standing.delivered} of the ${standing.expectedToDate} expected by ${context.today}: no shortfall to make good`
        : `Line item ${original.key} has no goal in force on ${context.today}`,
      [{ path: 'lineItem', message: 'is not short of its goal' }],
    );
  }

  const number = nextMakegoodNumber(approved as ApprovedContract, original.key);
  const key = `${original.key}-mg${number}`;
  if (key.length > KEY_LENGTH_MAX)
    refuse('validation_failed', 'lineItem', `its makegood key ${key} would be longer than ${KEY_LENGTH_MAX}`);
  const makegood: LineItem = {
    key,
    name: `${original.name} (makegood ${number})`,
    startDate: input.startDate,
    endDate: input.endDate,
    pricing: { ...makegoodPricing[original.goal.metric] },
    ...(original.billingSource === undefined ? {} : { billingSource: original.billingSource }),
    goal: { metric: original.goal.metric, quantity: input.quantity },
    makegoodFor: original.key,
  };
  const newTerms = parseTerms(contract.side, { ...terms, lineItems: [...terms.lineItems, makegood] });
  const versionNumber = await nextVersionNumber(context.trx, contractId);
  await insertVersion(
    context,
    {
      contractId,
      number: versionNumber,
      kind: 'makegood',
      status: 'draft',
      effectiveFrom: input.startDate,
      terms: newTerms,
      reason: `Makegood ${key} for ${original.key} (${input.reason})${input.note === undefined ? '' : `: ${input.note}`}`,
    },
    'contract_version.created',
  );
  return versionNumber;
}
