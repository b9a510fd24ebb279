/** Pacing series: amounts are plotted as whole minor units, exactly, and the labels keep the decimal text. */
import { describe, expect, it } from 'vitest';
import { minorToText, spendSeries, toPlottedMinorUnits } from '../../web/src/features/charges/pacing.ts';
import type { ChargesPreview } from '../../web/src/features/charges/charges-api.ts';

function preview(currency: string, subtotals: string[]): ChargesPreview {
  return {
    currency,
    periods: subtotals.map((subtotal, index) => ({
      label: `2026-${String(10 + index)}`,
      from: `2026-${String(10 + index)}-01`,
      to: `2026-${String(10 + index)}-28`,
      subtotal,
      flags: [],
    })),
  } as unknown as ChargesPreview;
}

describe('pacing', () => {
  it('plots spend and spend to date in whole minor units, with no binary fraction on the way', () => {
    // 0.10 + 0.20 as numbers is 0.30000000000000004; in cents it is 10 + 20 = 30.
    const points = spendSeries(preview('USD', ['0.10', '0.20', '1234567.89']), undefined, '2026-10-01', '2026-12-31');
    expect(points.map((point) => point.spend)).toEqual([10, 20, 123456789]);
    expect(points.map((point) => point.cumulative)).toEqual([10, 30, 123456819]);
    expect(points.map((point) => point.cumulativeText)).toEqual(['0.1', '0.3', '1234568.19']);
    expect(points.every((point) => Number.isInteger(point.spend) && Number.isInteger(point.cumulative))).toBe(true);
    expect(points[0]?.evenPace).toBeNull();
  });

  it("uses each currency's minor unit, and an even pace to the budget cap at that unit", () => {
    const yen = spendSeries(preview('JPY', ['1209876']), '3000000', '2026-10-01', '2026-12-31');
    expect(yen[0]).toMatchObject({ spend: 1209876, evenPaceText: '913043' });
    expect(yen[0]?.evenPace).toBe(913043);
    const fils = spendSeries(preview('KWD', ['1234.567']), undefined, '2026-10-01', '2026-12-31');
    expect(fils[0]?.spend).toBe(1234567);
  });

  it('turns a plotted value back into the decimal text, and refuses an amount it cannot plot exactly', () => {
    expect(minorToText(123456789, 'USD')).toBe('1234567.89');
    expect(minorToText(1250000, 'USD', 0)).toBe('12500');
    expect(minorToText(1234567, 'KWD')).toBe('1234.567');
    expect(minorToText(500, 'JPY')).toBe('500');
    expect(toPlottedMinorUnits('0.005', 'USD')).toBe(0);
    expect(toPlottedMinorUnits('0.015', 'USD')).toBe(2);
    expect(() => toPlottedMinorUnits('100000000000000', 'USD')).toThrow(RangeError);
  });
});
