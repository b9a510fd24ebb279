/**
 * Every CSV the product writes goes through `writeCsv`, so that no cell of it runs as a formula when
 * finance opens the file in a spreadsheet (CSV or formula injection: a party named
 * `=HYPERLINK("http://x","y")` would otherwise become a live link, and worse). The rule follows
 * OWASP's CSV Injection page: a text cell that begins with `=`, `+`, `-`, `@`, a tab (0x09), a
 * carriage return (0x0D) or a line feed (0x0A) gets a single quote in front, which spreadsheets read
 * as "this is text" and do not show, and the field is wrapped in double quotes (inner quotes doubled).
 * The full-width forms of `= + - @` are included because Apple Numbers folds them into the ASCII
 * ones (csv-stringify's `escape_formulas` notes the same).
 *
 * Numbers are kept as they are: a money cell such as `-15.00` (a credit note, a journal credit, an
 * adjustment line) must stay a number for the accounting import to read it, and a cell that is only
 * a decimal number cannot hold a formula. csv-stringify's own `escape_formulas` cannot tell them
 * apart, since our amounts are strings, hence this cast.
 */
import { stringify } from 'csv-stringify/sync';

/** The first characters that make a spreadsheet read a cell as a formula, or split it into one. */
const formulaStart = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A plain decimal number, as Tally writes amounts and quantities: `-15.00`, `1250000`, `0.125`. */
const plainNumber = /^-?\d+(\.\d+)?$/;

/** True for a cell that would start a formula in a spreadsheet: a text cell beginning with `= + - @`, a tab, CR or LF. */
export function startsFormula(cell: string): boolean {
  return formulaStart.test(cell) && !plainNumber.test(cell);
}

/** The cell as a spreadsheet must show it and never run it: a single quote in front when it would start a formula. */
export function inertCsvCell(cell: string): string {
  return startsFormula(cell) ? `'${cell}` : cell;
}

/** `rows` (the header first) as RFC 4180 CSV with CRLF line ends and no byte-order mark, every cell made inert. */
export function writeCsv(rows: readonly (readonly string[])[]): string {
  return stringify(rows as string[][], {
    record_delimiter: 'windows',
    cast: {
      // A neutralized cell is always quoted, as OWASP asks, so its quote mark cannot end up outside the field.
      string: (cell) => (startsFormula(cell) ? { value: inertCsvCell(cell), quoted: true } : cell),
    },
  });
}
