/**
 * Which dunning step an overdue invoice gets on a run (SPEC §10). Pure: a step is due when the
 * invoice is at least that many days past due; a step already recorded (sent or skipped) is never
 * dealt with again. When several steps are due at once (a first run long after the due date, or
 * runs that were missed), the customer gets one reminder, the most severe: the latest due step is
 * sent and the earlier ones are recorded as skipped. A step that is less severe than one already
 * recorded (a schedule changed since) is skipped too, since a milder reminder after a sterner one
 * reads as a mistake.
 */

export interface StepDecision {
  /** The step to send, or null for none. */
  send: number | null;
  /** Steps to record as skipped, ascending. */
  skip: number[];
}

/** The decision for an invoice `daysPastDue` days past due, given the schedule's steps (ascending) and the steps already recorded. */
export function decideDunningStep(steps: readonly number[], daysPastDue: number, recorded: ReadonlySet<number>): StepDecision {
  const fresh = steps.filter((step) => step <= daysPastDue && !recorded.has(step));
  if (fresh.length === 0) return { send: null, skip: [] };
  const latest = fresh[fresh.length - 1] as number;
  const latestRecorded = Math.max(0, ...recorded);
  if (latest < latestRecorded) return { send: null, skip: fresh };
  return { send: latest, skip: fresh.slice(0, -1) };
}
