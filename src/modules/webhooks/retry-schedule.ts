/** When a failed delivery is tried again, and when Tally gives up. Pure: no I/O, no clock. */

/** Attempts per round (the first one and seven retries); then the delivery is `failed` until re-queued by hand. */
export const deliveryAttemptsMax = 8;

// The wait after the first, second, … failed attempt: 30 s, 2 min, 10 min, 1 h, 6 h, 12 h, 24 h
// (about 44 hours in all), long enough to ride out a receiver's outage over a weekend night.
export const retryDelaysMs = [30_000, 120_000, 600_000, 3_600_000, 21_600_000, 43_200_000, 86_400_000] as const;

/** Up to this fraction is added at random, so that retries after an outage do not all arrive at once. */
export const retryJitterFraction = 0.2;

/**
 * The wait before the next attempt after `failedAttempts` failures in this round, or null when that
 * was the last attempt allowed. `random` returns a number in [0, 1) (Math.random, or fixed in tests).
 */
export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number | null {
  if (failedAttempts >= deliveryAttemptsMax) return null;
  const base = retryDelaysMs[Math.min(Math.max(failedAttempts, 1), retryDelaysMs.length) - 1] as number;
  return Math.round(base * (1 + retryJitterFraction * random()));
}
