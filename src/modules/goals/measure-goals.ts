/** Lines measured against their goals as of a date: what each delivered (its makegoods included) and its straight-line pace. */
import type { Executor } from '../../platform/database.ts';
import type { ApprovedContract, GoalStanding } from '../contracts/index.ts';
import { goalDeliveryKey, sumGoalDelivery } from '../delivery/index.ts';
import { type GoalMetric, goalMetrics, type GoalPace, goalPace } from '../../wire/goals.ts';
import { type GoalLine, goalLinesOf } from './goal-lines.ts';

/** A goal line with what it delivered and its pace. */
export interface MeasuredGoal extends GoalLine, GoalPace {
  delivered: number;
}

/** Measures every goal line of the contracts as of `asOf`, with one query per metric for all their delivery. */
export async function measureGoals(db: Executor, contracts: readonly ApprovedContract[], asOf: string): Promise<MeasuredGoal[]> {
  const lines = contracts.flatMap((contract) => goalLinesOf(contract, asOf));
  const delivered = new Map<GoalMetric, Map<string, number>>();
  for (const metric of goalMetrics) {
    const ranges = lines.filter((line) => line.goal.metric === metric).flatMap((line) => line.counted);
    if (ranges.length > 0) delivered.set(metric, await sumGoalDelivery(db, ranges, metric));
  }
  return lines.map((line) => {
    const counts = delivered.get(line.goal.metric);
    const count = line.counted.reduce((total, range) => total + (counts?.get(goalDeliveryKey(range.contractId, range.lineItem)) ?? 0), 0);
    return { ...line, delivered: count, ...goalPace(line.goal.quantity, line.elapsedDays, line.flightDays, count) };
  });
}

/** One line's standing as of `asOf`, for a makegood request (undefined when it has no measurable goal then). */
export async function measureLineGoal(
  db: Executor,
  contract: ApprovedContract,
  lineItem: string,
  asOf: string,
): Promise<GoalStanding | undefined> {
  const measured = (await measureGoals(db, [contract], asOf)).find((line) => line.lineItem === lineItem);
  return measured && { delivered: measured.delivered, expectedToDate: measured.expectedToDate };
}
