/**
 * The ledger as a general journal CSV (SPEC §5, `GET /v1/exports/journal.csv`): one row per posting,
 * in the order given, for an accountant to open in a spreadsheet or load into a general ledger.
 */
import { stringify } from 'csv-stringify/sync';
import type { JournalEntry } from '../../wire/ledger.ts';
import { formatMoney, parseMoney } from '../../wire/money.ts';

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
] as const;

/**
 * A posting's side as the journal prints it: the currency's minor-unit decimals, and empty for the
 * side the posting does not touch, as a paper journal leaves it, so each row shows one amount.
 */
function sideAmount(amount: string, currency: string): string {
  const value = parseMoney(amount);
  return value.isZero() ? '' : formatMoney(value, currency);
}

/**
 * A spreadsheet runs a cell that starts with =, +, - or @ as a formula (CSV injection). Descriptions
 * can carry a party's name, so a text cell that starts so is prefixed with an apostrophe, which
 * spreadsheets hide. Amount cells are left alone: they are ours, and "-5.00" must stay a number.
 */
function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** The general journal CSV of `entries`: Date, Transaction, Account, Description, Debit, Credit, Currency, Source, Source ID, Document. */
export function journalCsv(entries: JournalEntry[]): string {
  const rows = entries.map((entry) => [
    entry.date,
    entry.transactionId,
    inertText(entry.account),
    inertText(entry.description),
    sideAmount(entry.debit, entry.currency),
    sideAmount(entry.credit, entry.currency),
    entry.currency,
    entry.sourceType,
    entry.sourceId,
    entry.documentNumber ?? '',
  ]);
  return stringify([[...journalColumns], ...rows], { record_delimiter: 'windows' });
}
