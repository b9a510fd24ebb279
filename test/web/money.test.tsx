/**
 * An unknown currency is an error, not two decimals: the shared table refuses it, formatMoney shows
 * the amount exactly as sent with its code, and <Money> marks it so that nobody reads it as money.
 */
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { UnknownCurrencyError } from '../../src/wire/currencies.ts';
import { currencyMinorUnits, formatMoney } from '../../web/src/common/format-money.ts';
import { Money } from '../../web/src/common/ui/Money.tsx';

describe('an unknown currency', () => {
  it('has no minor unit: the table throws instead of guessing 2', () => {
    expect(() => currencyMinorUnits('XYZ')).toThrow(UnknownCurrencyError);
    expect(() => currencyMinorUnits('XAU')).toThrow(/XAU/);
    expect(currencyMinorUnits('CLF')).toBe(4);
  });

  it('is formatted as sent, with its code, never padded to 2 decimals', () => {
    expect(formatMoney('12.5', 'XYZ', { locale: 'en-US' })).toBe('12.5 XYZ');
    expect(formatMoney('1234567', 'XXX', { locale: 'en-US' })).toBe('1234567 XXX');
    // A known code keeps its formatting.
    expect(formatMoney('12.5', 'USD', { locale: 'en-US' })).toBe('$12.50');
  });

  it('is marked as an error by <Money>', () => {
    render(<Money amount="12.5" currency="XYZ" />);
    const shown = screen.getByText('unknown currency');
    expect(shown.className).toContain('bad');
    const money = shown.closest('.money');
    expect(money?.textContent).toBe('12.5 XYZ unknown currency');
    expect(money?.getAttribute('title')).toContain('XYZ is not an ISO 4217 currency');
  });

  it('leaves known currencies as they were', () => {
    render(<Money amount="1234.5" currency="KWD" />);
    expect(screen.getByTitle('1234.5 KWD').textContent).toMatch(/1,234\.500/);
    expect(screen.queryByText('unknown currency')).toBeNull();
  });
});
