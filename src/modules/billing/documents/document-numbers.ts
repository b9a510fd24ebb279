/** Document numbers: a series prefix, the year, and six digits (`INV-2026-000001`, `CN-2026-000001`). */

/** Formats a document number: prefix, year and six digits. */
export function documentNumber(prefix: string, year: string, value: number): string {
  return `${prefix}-${year}-${String(value).padStart(6, '0')}`;
}
