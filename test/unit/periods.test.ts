/** Billing periods: calendar and broadcast months across year ends and leap years, and date ranges. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/platform/dates.ts';
import {
  LIST_DATES_MAX,
  broadcastMonth,
  calendarMonth,
  daysInRange,
  isMonthKey,
  listDates,
  periodContaining,
  periodFor,
  shiftMonth,
} from '../../src/platform/periods.ts';

const weekday = (date: string): number => new Date(`${date}T00:00:00.000Z`).getUTCDay();

describe('calendarMonth', () => {
  it('runs from the first to the last day of the month', () => {
    expect(calendarMonth('2026-10')).toEqual({ label: '2026-10', from: '2026-10-01', to: '2026-10-31' });
    expect(calendarMonth('2026-11')).toEqual({ label: '2026-11', from: '2026-11-01', to: '2026-11-30' });
    expect(calendarMonth('2026-12')).toEqual({ label: '2026-12', from: '2026-12-01', to: '2026-12-31' });
  });

  it('knows February in leap and common years (2000 is leap, 2100 is not)', () => {
    expect(calendarMonth('2024-02').to).toBe('2024-02-29');
    expect(calendarMonth('2026-02').to).toBe('2026-02-28');
    expect(calendarMonth('2000-02').to).toBe('2000-02-29');
    expect(calendarMonth('2100-02').to).toBe('2100-02-28');
  });

  it('refuses what is not a month key', () => {
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-10', '2026-10-01', '']) {
      expect(() => calendarMonth(bad)).toThrow(RangeError);
      expect(isMonthKey(bad)).toBe(false);
    }
  });
});

describe('broadcastMonth', () => {
  it('computes broadcast December 2025 by hand', () => {
    // 2025-01-01 is a Wednesday, so 2025-11-30 (day 334, 333 days later, 333 mod 7 = 4) is a Sunday:
    // broadcast November ends there and December starts Monday 2025-12-01. 2025-12-31 is a Wednesday,
    // so December's last Sunday is 2025-12-28. 28 days: four weeks.
    expect(broadcastMonth('2025-12')).toEqual({ label: '2025-12', from: '2025-12-01', to: '2025-12-28' });
  });

  it('crosses the year end: broadcast January 2026 starts in December 2025', () => {
    // Starts the day after 2025-12-28; 2026-01-31 is a Saturday, so it ends on Sunday 2026-01-25.
    expect(broadcastMonth('2026-01')).toEqual({ label: '2026-01', from: '2025-12-29', to: '2026-01-25' });
    // 2026-12-31 is a Thursday: December's last Sunday is 2026-12-27; 2027-01-31 is a Sunday.
    expect(broadcastMonth('2026-12')).toEqual({ label: '2026-12', from: '2026-11-30', to: '2026-12-27' });
    expect(broadcastMonth('2027-01')).toEqual({ label: '2027-01', from: '2026-12-28', to: '2027-01-31' });
  });

  it('puts a leap day in broadcast March when February ends earlier', () => {
    // 2024-01-01 is a Monday; 2024-02-29 is 59 days later (59 mod 7 = 3): a Thursday. February's last
    // Sunday is therefore 2024-02-25, and the leap day falls in broadcast March 2024: Monday 02-26 to
    // Sunday 2024-03-31 (2024-03-31 is 31 days after Thursday 02-29, 31 mod 7 = 3: a Sunday), that is
    // 4 February days + 31 March days = 35 days, five weeks.
    expect(broadcastMonth('2024-02')).toEqual({ label: '2024-02', from: '2024-01-29', to: '2024-02-25' });
    expect(broadcastMonth('2024-03')).toEqual({ label: '2024-03', from: '2024-02-26', to: '2024-03-31' });
    expect(periodContaining('broadcast_month', '2024-02-29')).toEqual(broadcastMonth('2024-03'));
  });

  it('matches the calendar month when both month ends are Sundays', () => {
    // 2021-01-31 and 2021-02-28 are both Sundays.
    expect(broadcastMonth('2021-02')).toEqual({ label: '2021-02', from: '2021-02-01', to: '2021-02-28' });
  });

  it('the October 2026 example of the spec: 2026-09-28 to 2026-10-25', () => {
    // 2026-09-30 is a Wednesday (last Sunday 09-27); 2026-10-31 is a Saturday (last Sunday 10-25).
    expect(periodFor('broadcast_month', '2026-10')).toEqual({ label: '2026-10', from: '2026-09-28', to: '2026-10-25' });
  });

  it('always runs Monday to Sunday in whole weeks, and months tile without gaps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2200 }), fc.integer({ min: 1, max: 12 }), (year, monthNumber) => {
        const month = `${year}-${String(monthNumber).padStart(2, '0')}`;
        const period = broadcastMonth(month);
        const days = daysInRange(period.from, period.to);
        expect(weekday(period.from)).toBe(1);
        expect(weekday(period.to)).toBe(0);
        expect([28, 35]).toContain(days);
        expect(period.from <= `${month}-01`).toBe(true);
        expect(broadcastMonth(shiftMonth(month, 1)).from).toBe(addDays(period.to, 1));
      }),
    );
  });
});

describe('periodContaining', () => {
  it('finds the calendar month of a date', () => {
    expect(periodContaining('calendar_month', '2026-10-17')).toEqual(calendarMonth('2026-10'));
    expect(periodContaining('calendar_month', '2024-02-29')).toEqual(calendarMonth('2024-02'));
  });

  it('moves a date after the last Sunday to the next broadcast month, across the year end', () => {
    expect(periodContaining('broadcast_month', '2025-12-28')).toEqual(broadcastMonth('2025-12'));
    expect(periodContaining('broadcast_month', '2025-12-29')).toEqual(broadcastMonth('2026-01'));
    expect(periodContaining('broadcast_month', '2026-12-31')).toEqual(broadcastMonth('2027-01'));
    expect(periodContaining('broadcast_month', '2026-09-28')).toEqual(broadcastMonth('2026-10'));
  });

  it('contains the date, for every date of several years', () => {
    for (const date of listDates('2023-12-01', '2028-01-31')) {
      for (const kind of ['calendar_month', 'broadcast_month'] as const) {
        const period = periodContaining(kind, date);
        expect(period.from <= date && date <= period.to).toBe(true);
        expect(periodFor(kind, period.label)).toEqual(period);
      }
    }
  });
});

describe('date ranges', () => {
  it('counts days inclusively', () => {
    expect(daysInRange('2026-10-01', '2026-10-31')).toBe(31);
    expect(daysInRange('2026-10-01', '2026-10-01')).toBe(1);
    expect(daysInRange('2024-02-01', '2024-03-01')).toBe(30);
    expect(daysInRange('2025-12-29', '2026-01-25')).toBe(28);
    expect(daysInRange('2026-10-02', '2026-10-01')).toBe(0);
  });

  it('lists dates across a leap day and a year end', () => {
    expect(listDates('2024-02-27', '2024-03-02')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
    expect(listDates('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(listDates('2026-10-02', '2026-10-01')).toEqual([]);
  });

  it('refuses bad dates and ranges past the limit', () => {
    expect(() => daysInRange('2026-02-30', '2026-03-01')).toThrow(RangeError);
    expect(() => listDates('1800-01-01', '2026-01-01')).toThrow(String(LIST_DATES_MAX));
  });

  it('shifts month keys across year ends', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2027-01', -1)).toBe('2026-12');
    expect(shiftMonth('2026-10', -22)).toBe('2024-12');
  });
});
