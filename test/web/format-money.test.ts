/** Money for display is formatted from the decimal string: exact at any size, never rounded away. */
import { describe, expect, it } from 'vitest';
import { currencyMinorUnits, formatDecimal, formatMoney } from '../../web/src/common/format-money.ts';

const en = { locale: 'en-US' };

describe('formatMoney', () => {
  it('shows USD with two decimals and grouping', () => {
    expect(formatMoney('1234.5', 'USD', en)).toBe('$1,234.50');
    expect(formatMoney('0', 'USD', en)).toBe('$0.00');
    expect(formatMoney('1234.50', 'USD', en)).toBe('$1,234.50');
  });

  it('shows JPY without decimals and KWD with three (their ISO 4217 minor units)', () => {
    expect(currencyMinorUnits('JPY')).toBe(0);
    expect(currencyMinorUnits('KWD')).toBe(3);
    expect(formatMoney('1234567', 'JPY', en)).toBe('¥1,234,567');
    expect(formatMoney('1234567.000', 'JPY', en)).toBe('¥1,234,567');
    expect(formatMoney('1234.5', 'KWD', en)).toBe('KWD\u00a01,234.500');
    expect(formatMoney('0.125', 'KWD', en)).toBe('KWD\u00a00.125');
  });

  it('shows negative amounts, including those between -1 and 0', () => {
    expect(formatMoney('-1234.56', 'USD', en)).toBe('-$1,234.56');
    expect(formatMoney('-0.50', 'USD', en)).toBe('-$0.50');
    expect(formatMoney('-0.00', 'USD', en)).toBe('$0.00');
    expect(formatMoney('-15', 'JPY', en)).toBe('-¥15');
  });

  it('formats values far beyond a float exactly', () => {
    // 2^53 + 1 and a 30-digit amount: a float would print ...992 and lose the cents.
    expect(formatMoney('9007199254740993.01', 'USD', en)).toBe('$9,007,199,254,740,993.01');
    expect(formatMoney('123456789012345678901234567890.99', 'USD', en)).toBe('$123,456,789,012,345,678,901,234,567,890.99');
    expect(formatMoney('-999999999999999999.999', 'KWD', en)).toBe('-KWD\u00a0999,999,999,999,999,999.999');
    expect(formatMoney('0.1', 'USD', en)).toBe('$0.10');
  });

  it('keeps digits beyond the minor unit instead of rounding them away', () => {
    expect(formatMoney('0.0125', 'USD', en)).toBe('$0.0125');
    expect(formatMoney('25.125000', 'USD', en)).toBe('$25.125');
    expect(formatMoney('1.5', 'JPY', en)).toBe('¥1.5');
  });

  it("follows the locale's separators and symbol placement", () => {
    expect(formatMoney('1234567.5', 'EUR', { locale: 'de-DE' })).toBe('1.234.567,50\u00a0€');
    expect(formatMoney('-1234.5', 'EUR', { locale: 'de-DE' })).toBe('-1.234,50\u00a0€');
    expect(formatMoney('1234567.5', 'INR', { locale: 'en-IN' })).toBe('₹12,34,567.50');
    expect(formatMoney('1234.5', 'USD', { locale: 'en-US', currencyDisplay: 'code' })).toBe('USD\u00a01,234.50');
  });

  it('shows a value that is not a decimal string as it came, rather than hiding it', () => {
    expect(formatMoney('1e5', 'USD', en)).toBe('1e5');
    expect(formatMoney('', 'USD', en)).toBe('');
    expect(formatMoney('12.5', 'XYZ1', en)).toBe('12.5 XYZ1');
  });
});

describe('formatDecimal', () => {
  it('formats rates and percentages exactly, with the locale separators', () => {
    expect(formatDecimal('-15', { locale: 'en-US' })).toBe('-15');
    expect(formatDecimal('12.5', { locale: 'de-DE' })).toBe('12,5');
    expect(formatDecimal('1234567.000001', { locale: 'en-US' })).toBe('1,234,567.000001');
  });
});
