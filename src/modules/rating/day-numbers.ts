/**
 * Calendar dates as integer day numbers (days since 1970-01-01), for the engine's inner loops: rating
 * a book walks every day of every line item, and `Date` objects there cost more than the rating
 * itself. The arithmetic is the proleptic Gregorian calendar, the same as `Date` in UTC
 * (Howard Hinnant's `days_from_civil` and `civil_from_days`).
 */

const ZERO = 48; // '0'
const DASH = 45; // '-'

/** Whether `text` is shaped like `YYYY-MM-DD` (digits and dashes); it does not check the day exists. */
function isDateShaped(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return false;
  for (const index of [0, 1, 2, 3, 5, 6, 8, 9]) {
    const code = text.charCodeAt(index) - ZERO;
    if (code < 0 || code > 9) return false;
  }
  return true;
}

function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index++) value = value * 10 + (text.charCodeAt(index) - ZERO);
  return value;
}

/** The day number of a `YYYY-MM-DD` date; refuses text of another shape (a caller's bug, not data). */
export function dayNumberOf(date: string): number {
  if (!isDateShaped(date)) throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(date)}`);
  const month = digits(date, 5, 7);
  const day = digits(date, 8, 10);
  const year = digits(date, 0, 4) - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** The `YYYY-MM-DD` date of a day number (the inverse of dayNumberOf). */
export function dateOfDayNumber(dayNumber: number): string {
  const shifted = dayNumber + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** The most date lists kept by datesFrom: a book is rated over one or two periods, a test over a few dozen. */
const DATE_LISTS_KEPT_MAX = 64;
const dateLists = new Map<string, readonly string[]>();

/**
 * The `count` dates from `from` on, in order. Rating a book asks for the same period's dates once
 * per contract, so the lists are kept (a bounded number of them; they are never changed).
 */
export function datesFrom(from: string, count: number): readonly string[] {
  const key = `${from}+${count}`;
  const kept = dateLists.get(key);
  if (kept !== undefined) return kept;
  const first = dayNumberOf(from);
  const dates = Object.freeze(Array.from({ length: count }, (_, index) => dateOfDayNumber(first + index)));
  if (dateLists.size >= DATE_LISTS_KEPT_MAX) dateLists.clear();
  dateLists.set(key, dates);
  return dates;
}
