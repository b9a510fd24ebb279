/** Calendar dates as `YYYY-MM-DD` strings, computed in UTC so that no time zone shifts a day. */

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether the text is a real calendar date (2026-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  const match = datePattern.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

function toUtc(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

function fromUtc(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The date `days` days later (or earlier when negative). */
export function addDays(date: string, days: number): string {
  const value = toUtc(date);
  value.setUTCDate(value.getUTCDate() + days);
  return fromUtc(value);
}

/** The last day of the date's month. */
export function endOfMonth(date: string): string {
  const value = toUtc(date);
  return fromUtc(new Date(Date.UTC(value.getUTCFullYear(), value.getUTCMonth() + 1, 0)));
}

/**
 * The date `months` months later. A month-end stays a month-end (2026-02-28 + 1 → 2026-03-31), and a
 * day that the target month lacks is clamped to its end (2026-01-31 + 1 → 2026-02-28).
 */
export function addMonths(date: string, months: number): string {
  const value = toUtc(date);
  const targetFirst = new Date(Date.UTC(value.getUTCFullYear(), value.getUTCMonth() + months, 1));
  const targetEnd = endOfMonth(fromUtc(targetFirst));
  if (date === endOfMonth(date)) return targetEnd;
  const day = String(value.getUTCDate()).padStart(2, '0');
  const candidate = `${fromUtc(targetFirst).slice(0, 8)}${day}`;
  return candidate > targetEnd ? targetEnd : candidate;
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);
}

/** The later of two dates. */
export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** The earlier of two dates. */
export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
