/**
 * How much of each long cycle `npm test` runs. The assertions are the same at every scale; only
 * the counts (kills, random books, fuzzed requests) change. `npm test` runs the small counts;
 * `npm run test:long` sets TALLY_TEST_LONG=1 for the full ones, and a variable of a test's own
 * (TALLY_FAULT_CYCLES, TALLY_PROPERTY_RUNS, …) overrides both.
 */
export const longRun = process.env.TALLY_TEST_LONG === '1';

/** The count `variable` names, else `small` in `npm test` and `long` in the long run. */
export function scaledCount(variable: string, small: number, long: number): number {
  const given = process.env[variable];
  if (given !== undefined && given !== '') {
    const value = Number(given);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${variable} must be a positive integer, not ${given}`);
    return value;
  }
  return longRun ? long : small;
}
