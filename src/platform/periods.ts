/**
 * Billing periods (SPEC §4.4): calendar months and broadcast months, as inclusive `YYYY-MM-DD`
 * ranges labelled by their month key `YYYY-MM`. Dates are plain strings computed in UTC (see
 * `dates.ts`), so no time zone can shift a period by a day.
 */
import { addDays, daysBetween, endOfMonth, isCalendarDate } from './dates.ts';

export type BillingPeriodKind = 'calendar_month' | 'broadcast_month';

/** An inclusive range of calendar dates. */
export interface DateRange {
  from: string;
  to: string;
}

/** A billing period: its inclusive dates and its month key, e.g. `{label: "2026-10", from: "2026-10-01", to: "2026-10-31"}`. */
export interface BillingPeriod extends DateRange {
  label: string;
}

/**
 * The longest range `listDates` expands: a century. Rating only lists the days of one period, but
 * the limit keeps a caller's mistaken range from allocating millions of strings.
 */
export const LIST_DATES_MAX = 36_600;

const monthKeyPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Whether the text is a month key `YYYY-MM` (months 01–12). */
export function isMonthKey(text: string): boolean {
  return monthKeyPattern.test(text);
}

function assertMonthKey(month: string): void {
  if (!isMonthKey(month)) {
    throw new RangeError(`not a month key YYYY-MM: ${JSON.stringify(month)}`);
  }
}

function assertDate(date: string): void {
  if (!isCalendarDate(date)) {
    throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(date)}`);
  }
}

/** The month key `months` months after `month` (negative for earlier): 2026-12 + 1 → 2027-01. */
export function shiftMonth(month: string, months: number): string {
  assertMonthKey(month);
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + months;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The calendar month `YYYY-MM` as a period: its first to its last day. */
export function calendarMonth(month: string): BillingPeriod {
  assertMonthKey(month);
  const from = `${month}-01`;
  return { label: month, from, to: endOfMonth(from) };
}

/** The last Sunday of a calendar month: where its broadcast month ends. */
function lastSundayOf(month: string): string {
  const monthEnd = endOfMonth(`${month}-01`);
  // getUTCDay is 0 on Sunday, so stepping back that many days lands on the last Sunday.
  const weekday = new Date(`${monthEnd}T00:00:00.000Z`).getUTCDay();
  return addDays(monthEnd, -weekday);
}

/**
 * The broadcast month `YYYY-MM`: weeks run Monday to Sunday, the month ends on the last Sunday of
 * its calendar month and starts the day after the previous broadcast month ends (always a Monday
 * on or before the 1st). It has four or five whole weeks.
 */
export function broadcastMonth(month: string): BillingPeriod {
  assertMonthKey(month);
  return { label: month, from: addDays(lastSundayOf(shiftMonth(month, -1)), 1), to: lastSundayOf(month) };
}

/** The period of a kind for the month key `YYYY-MM`. */
export function periodFor(billingPeriod: BillingPeriodKind, month: string): BillingPeriod {
  return billingPeriod === 'calendar_month' ? calendarMonth(month) : broadcastMonth(month);
}

/** The period of a kind that contains `date` (a date after the last Sunday of its month belongs to the next broadcast month). */
export function periodContaining(billingPeriod: BillingPeriodKind, date: string): BillingPeriod {
  assertDate(date);
  const month = date.slice(0, 7);
  if (billingPeriod === 'calendar_month') {
    return calendarMonth(month);
  }
  return date > lastSundayOf(month) ? broadcastMonth(shiftMonth(month, 1)) : broadcastMonth(month);
}

/** Number of days from `from` to `to`, both included; zero when `to` is before `from`. */
export function daysInRange(from: string, to: string): number {
  assertDate(from);
  assertDate(to);
  return Math.max(0, daysBetween(from, to) + 1);
}

/** Every date from `from` to `to`, both included, in order; empty when `to` is before `from`. */
export function listDates(from: string, to: string): string[] {
  const count = daysInRange(from, to);
  if (count > LIST_DATES_MAX) {
    throw new RangeError(`date range ${from}..${to} has ${count} days, more than ${LIST_DATES_MAX}`);
  }
  const dates: string[] = [];
  for (let date = from, index = 0; index < count; index += 1, date = addDays(date, 1)) {
    dates.push(date);
  }
  return dates;
}

/** Whether `date` lies within the inclusive range. */
export function rangeContains(range: DateRange, date: string): boolean {
  return range.from <= date && date <= range.to;
}
