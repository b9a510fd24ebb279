/**
 * The dunning schedule editor's form: a day count per step as typed, the body of
 * `PUT /v1/settings/dunning` made of them, and the errors at each step. The rules are the server's
 * own schema (src/wire/dunning.ts: 1 to 10 steps, each a whole day from 1 to 3,650, each greater
 * than the one before); the server checks again and its refusal shows at the same paths (`steps[1]`).
 */
import { dunningScheduleSchema } from '../../../../src/wire/dunning.ts';
import { schemaErrors } from '../../common/form-errors.ts';
import type { DunningSchedule } from './dunning-api.ts';

/** How many steps a schedule may have, for the editor's Add step button. */
export { dunningStepsMax } from '../../../../src/wire/dunning.ts';

/** The steps as typed, one string each. */
export interface ScheduleForm {
  steps: string[];
}

export function scheduleFormOf(schedule: DunningSchedule): ScheduleForm {
  return { steps: schedule.steps.map(String) };
}

/** A step as the request carries it: a whole number, or what zod will refuse with the right words. */
function stepValue(typed: string): number | undefined {
  const trimmed = typed.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

export function scheduleInputOf(form: ScheduleForm): DunningSchedule {
  return { steps: form.steps.map(stepValue) as number[] };
}

/** What the API would refuse in the form, keyed by path (`steps`, `steps[2]`). */
export function scheduleFormErrors(form: ScheduleForm): Record<string, string> {
  return schemaErrors(dunningScheduleSchema, scheduleInputOf(form));
}
