/**
 * The dunning schedule is data (SPEC §10): the days past due at which an overdue invoice is
 * announced with an `invoice.overdue` webhook. It is the `dunning_schedule` setting, read and written
 * like the approval policy (modules/versioning/approval-policy.ts); absent, the default applies. Its
 * schema and rules are the wire's (src/wire/dunning.ts), which the web app's editor checks with too.
 */
import type { UseCaseContext } from '../../../platform/context.ts';
import type { Executor } from '../../../platform/database.ts';
import { readSetting, writeSetting } from '../../../platform/settings.repository.ts';
import type { DunningSchedule } from '../../../wire/dunning.ts';
import { appendAuditEntry } from '../../audit/index.ts';

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
