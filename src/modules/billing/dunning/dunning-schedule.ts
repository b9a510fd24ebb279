/**
 * The dunning schedule is data (SPEC §10): the days past due at which an overdue invoice is
 * announced with an `invoice.overdue` webhook. It is the `dunning_schedule` setting, read and written
 * like the approval policy (modules/versioning/approval-policy.ts); absent, the default applies.
 */
import { z } from 'zod';
import type { UseCaseContext } from '../../../platform/context.ts';
import type { Executor } from '../../../platform/database.ts';
import { readSetting, writeSetting } from '../../../platform/settings.repository.ts';
import { appendAuditEntry } from '../../audit/index.ts';

/** At most 10 steps, each at most ten years past due: a limit on what a caller controls. */
export const dunningStepsMax = 10;
export const dunningStepDaysMax = 3650;

export const dunningScheduleSchema = z
  .strictObject({
    steps: z
      .array(z.int().min(1).max(dunningStepDaysMax))
      .min(1)
      .max(dunningStepsMax)
      .meta({ description: 'Days past due at which an invoice.overdue webhook goes out: distinct, ascending, e.g. [1, 15, 30]' }),
  })
  .superRefine((schedule, context) => {
    schedule.steps.forEach((step, index) => {
      const previous = schedule.steps[index - 1];
      if (previous !== undefined && step <= previous) {
        context.addIssue({ code: 'custom', path: ['steps', index], message: `must be greater than the step before it (${previous})` });
      }
    });
  });
export type DunningSchedule = z.infer<typeof dunningScheduleSchema>;

/** +1, +15 and +30 days past due (SPEC §10). */
export const defaultDunningSchedule: DunningSchedule = { steps: [1, 15, 30] };

const settingKey = 'dunning_schedule';

/** The schedule in force: the stored one, or the default when none was ever set. */
export async function readDunningSchedule(db: Executor): Promise<DunningSchedule> {
  const stored = await readSetting(db, settingKey);
  return stored === undefined ? defaultDunningSchedule : (stored as DunningSchedule);
}

/** Replaces the schedule and audits the change; it applies to dunning runs from now on. */
export async function updateDunningSchedule(context: UseCaseContext, schedule: DunningSchedule): Promise<DunningSchedule> {
  const before = await readDunningSchedule(context.trx);
  await writeSetting(context.trx, settingKey, schedule, context.now.toISOString(), context.actor.userId);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'settings.dunning_schedule_updated',
    entityType: 'settings',
    entityId: settingKey,
    before,
    after: schedule,
  });
  return schedule;
}
