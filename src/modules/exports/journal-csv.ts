/**
 * The ledger as a general journal CSV (SPEC §5, `GET /v1/exports/journal.csv`): one row per posting,
 * in the order given, for an accountant to open in a spreadsheet or load into a general ledger.
 */
import type { JournalEntry } from '../../wire/ledger.ts';
import { formatMoney, parseMoney } from '../../wire/money.ts';
import { writeCsv } from '../../platform/csv-cells.ts';
import { formatExportDate, type ExportDateFormat } from './invoice-export-lines.ts';

export const journalColumns = [
  'Date',
  'Transaction',
  'Account',
  'Description',
  'Debit',
  'Credit',
  'Currency',
  'Source',
  'Source ID',
  'Document',
  'Base Debit',
  'Base Credit',
] as const;

/**
 * A posting's side as the journal prints it: the currency's minor-unit decimals, and empty for the
 * side the posting does not touch, as a paper journal leaves it, so each row shows one amount.
 */
function sideAmount(amount: string, currency: string): string {
  const value = parseMoney(amount);
  return value.isZero() ? '' : formatMoney(value, currency);
}

/** A base amount as stored (with its base currency's decimals); empty for the side it does not touch or when it has none. */
function baseSide(amount: string | null): string {
  return amount === null || parseMoney(amount).isZero() ? '' : amount;
}

export interface JournalExportOptions {
  /** The order a general ledger's import reads dates in; YYYY-MM-DD (ISO 8601) unless told otherwise. */
  dateFormat?: ExportDateFormat;
}

/** The general journal CSV of `entries`: Date, Transaction, Account, Description, Debit, Credit, Currency, Source, Source ID, Document, and the amounts in the entity's base currency. */
export function journalCsv(entries: JournalEntry[], options: JournalExportOptions = {}): string {
  const dateFormat = options.dateFormat ?? 'YYYY-MM-DD';
  const rows = entries.map((entry) => [
    formatExportDate(entry.date, dateFormat),
    entry.transactionId,
    entry.account,
    entry.description,
    sideAmount(entry.debit, entry.currency),
    sideAmount(entry.credit, entry.currency),
    entry.currency,
    entry.sourceType,
    entry.sourceId,
    entry.documentNumber ?? '',
    baseSide(entry.baseDebit),
    baseSide(entry.baseCredit),
  ]);
  // writeCsv makes an account or a description that starts like a formula (a party's name) inert.
  return writeCsv([[...journalColumns], ...rows]);
}
