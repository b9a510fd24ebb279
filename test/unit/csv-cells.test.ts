/** The one rule every CSV export applies to its cells: nothing a spreadsheet would run, numbers left as numbers. */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { inertCsvCell, startsFormula, writeCsv } from '../../src/platform/csv-cells.ts';

const dangerous = [
  '=HYPERLINK("http://evil.example","x")',
  '+1 555',
  '@SUM(A1)',
  '-cmd',
  '\tTabbed',
  '\rReturned',
  '\nFed',
  '\uFF1D1+1',
  "-2+3+cmd|' /C calc'!A0",
  '-',
  '+15',
  '-1e5',
  '--1',
  '-15.',
];

const harmless = ['-15.00', '-100', '0.125', '1250000', '15.00', 'Acme Media', 'a=b', ' =1+1', '', 'INV-2026-000001', "'=already"];

describe('startsFormula and inertCsvCell', () => {
  it('prefixes a single quote to text that begins with = + - @, a tab, CR or LF', () => {
    for (const cell of dangerous) {
      expect(startsFormula(cell), JSON.stringify(cell)).toBe(true);
      expect(inertCsvCell(cell)).toBe(`'${cell}`);
    }
  });

  it('leaves plain decimal numbers (a negative amount too) and other text as they are', () => {
    for (const cell of harmless) {
      expect(startsFormula(cell), JSON.stringify(cell)).toBe(false);
      expect(inertCsvCell(cell)).toBe(cell);
    }
  });
});

describe('writeCsv', () => {
  it('quotes every neutralized cell and reads back as the prefixed text; numbers stay bare', () => {
    const csv = writeCsv([
      ['Name', 'Amount'],
      ['=HYPERLINK("http://evil.example","x")', '-15.00'],
      ['-cmd', '42'],
      ['@SUM(A1)', '-0.125'],
      ['\tTabbed', ''],
    ]);
    expect(csv.split('\r\n')).toEqual([
      'Name,Amount',
      '"\'=HYPERLINK(""http://evil.example"",""x"")",-15.00',
      '"\'-cmd",42',
      '"\'@SUM(A1)",-0.125',
      '"\'\tTabbed",',
      '',
    ]);
    expect(parse(csv)).toEqual([
      ['Name', 'Amount'],
      ['\'=HYPERLINK("http://evil.example","x")', '-15.00'],
      ["'-cmd", '42'],
      ["'@SUM(A1)", '-0.125'],
      ["'\tTabbed", ''],
    ]);
  });

  it('keeps a cell that only holds a formula further in, after a separator, inside its quoted field', () => {
    const csv = writeCsv([['a,=1+1', 'b"=2']]);
    expect(csv).toBe('"a,=1+1","b""=2"\r\n');
  });
});
