/** Calendar arithmetic on `YYYY-MM-DD` strings, in UTC (a date is not an instant). */

/** Today's date in the browser, as `YYYY-MM-DD` (UTC, like the server's clock). */
export function todayDate(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The first day of the month of `date`. */
export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The last day of the month `months` after the month of `date`. */
export function monthEnd(date: string, months = 0): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1 + months;
  return new Date(Date.UTC(year, month + 1, 0)).toISOString().slice(0, 10);
}

/** `date` plus `days` days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Days from `from` to `to` (0 for the same date, negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The earlier of two dates. */
export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

/** The later of two dates. */
export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
