/** Calendar arithmetic on YYYY-MM-DD strings: month ends, clamping, leap years, year boundaries. */
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, endOfMonth, isCalendarDate } from '../../src/platform/dates.ts';

describe('addMonths', () => {
  it('keeps a month-end a month-end', () => {
    expect(addMonths('2026-12-31', 3)).toBe('2027-03-31');
    expect(addMonths('2026-02-28', 1)).toBe('2026-03-31');
    expect(addMonths('2026-04-30', 1)).toBe('2026-05-31');
    expect(addMonths('2026-09-30', 3)).toBe('2026-12-31');
    expect(addMonths('2026-06-30', 12)).toBe('2027-06-30');
  });

  it('clamps a day that the target month lacks to its last day', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-01-30', 1)).toBe('2026-02-28');
    expect(addMonths('2026-01-29', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2026-05-30', 1)).toBe('2026-06-30');
  });

  it('keeps an ordinary day of the month', () => {
    expect(addMonths('2026-01-15', 1)).toBe('2026-02-15');
    expect(addMonths('2026-10-01', 3)).toBe('2027-01-01');
    expect(addMonths('2026-01-15', 13)).toBe('2027-02-15');
    expect(addMonths('2026-02-27', 1)).toBe('2026-03-27');
    expect(addMonths('2026-07-14', 0)).toBe('2026-07-14');
  });

  it('knows leap years', () => {
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2028-01-29', 1)).toBe('2028-02-29');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2028-02-29', 1)).toBe('2028-03-31');
    expect(addMonths('2027-02-28', 12)).toBe('2028-02-29');
    expect(addMonths('2100-01-31', 1)).toBe('2100-02-28');
    expect(addMonths('2000-01-31', 1)).toBe('2000-02-29');
  });

  it('goes backwards across a year', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2027-01-15', -2)).toBe('2026-11-15');
    expect(addMonths('2027-02-28', -12)).toBe('2026-02-28');
    expect(addMonths('2026-11-01', -14)).toBe('2025-09-01');
  });
});

describe('addDays', () => {
  it('crosses month and year boundaries both ways', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', -30)).toBe('2026-12-01');
    expect(addDays('2026-12-15', 30)).toBe('2027-01-14');
    expect(addDays('2026-11-25', 0)).toBe('2026-11-25');
  });

  it('counts leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 365)).toBe('2027-12-31');
    expect(addDays('2028-01-01', 366)).toBe('2029-01-01');
    expect(addDays('2027-01-01', 365)).toBe('2028-01-01');
  });

  it('agrees with daysBetween', () => {
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(daysBetween('2027-03-31', '2026-12-31')).toBe(-90);
  });
});

describe('endOfMonth', () => {
  it('is the last day of the month', () => {
    expect(endOfMonth('2026-02-10')).toBe('2026-02-28');
    expect(endOfMonth('2028-02-01')).toBe('2028-02-29');
    expect(endOfMonth('2026-12-01')).toBe('2026-12-31');
    expect(endOfMonth('2026-04-30')).toBe('2026-04-30');
  });
});

describe('isCalendarDate', () => {
  it('accepts real dates', () => {
    for (const date of ['2026-01-01', '2026-12-31', '2028-02-29', '2000-02-29', '2026-04-30'])
      expect(isCalendarDate(date), date).toBe(true);
  });

  it('refuses days a month does not have and malformed text', () => {
    for (const text of [
      '2026-02-29',
      '2100-02-29',
      '2026-02-30',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '2026-1-01',
      '2026-01-1',
      '20260101',
      '2026/01/01',
      '2026-01-01T00:00:00Z',
      ' 2026-01-01',
      '',
    ]) {
      expect(isCalendarDate(text), text).toBe(false);
    }
  });
});
