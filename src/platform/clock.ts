/** The clock: what "now" and "today" are, fixed in tests and demos, real otherwise. */
export interface Clock {
  now(): Date;
  /** Today's date in UTC as YYYY-MM-DD. */
  today(): string;
}

/** A clock that reads the system time, or one pinned to a date (midday UTC) when `fixedToday` is set. */
export function createClock(fixedToday?: string): Clock {
  if (fixedToday === undefined) {
    return { now: () => new Date(), today: () => new Date().toISOString().slice(0, 10) };
  }
  // A pinned clock still moves forward in milliseconds so that timestamps stay ordered.
  const start = Date.now();
  const base = Date.parse(`${fixedToday}T12:00:00.000Z`);
  return {
    now: () => new Date(base + (Date.now() - start)),
    today: () => fixedToday,
  };
}
