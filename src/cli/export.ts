/** `tally export journal|invoices`: the finance exports straight from the store, to a file or stdout. */
import fs from 'node:fs';
import type { Config } from '../platform/config.ts';
import { isCalendarDate } from '../platform/dates.ts';
import { AppError } from '../platform/errors.ts';
import { listIssuedInvoices } from '../modules/billing/index.ts';
import { journalRowsMax } from '../modules/exports/index.ts';
import { journalCsv } from '../modules/exports/index.ts';
import { QUICKBOOKS_INVOICES_PER_FILE_MAX, quickbooksInvoicesCsv } from '../modules/exports/index.ts';
import { XERO_INVOICES_PER_FILE_MAX, xeroInvoicesCsv } from '../modules/exports/index.ts';
import { journal } from '../modules/ledger/index.ts';
import { openMigratedStore } from './runtime.ts';

export interface ExportOptions {
  from: string;
  to: string;
  format: 'xero' | 'quickbooks';
  /** A file to write; with several parts, `-partN` goes before the extension. Stdout when absent. */
  out?: string | undefined;
}

function partPath(out: string, part: number, parts: number): string {
  if (parts === 1) return out;
  const dot = out.lastIndexOf('.');
  return dot > 0 ? `${out.slice(0, dot)}-part${part}${out.slice(dot)}` : `${out}-part${part}`;
}

/** Writes the export; answers the files written (or "-" for stdout) and how many rows or invoices went out. */
export async function runExport(config: Config, what: string, options: ExportOptions): Promise<{ files: string[]; count: number }> {
  if (what !== 'journal' && what !== 'invoices') throw new AppError('validation_failed', `Export journal or invoices, not "${what}"`);
  if (!isCalendarDate(options.from) || !isCalendarDate(options.to) || options.to < options.from)
    throw new AppError('validation_failed', '--from and --to must be dates YYYY-MM-DD, from on or before to');
  const { store } = await openMigratedStore(config);
  const write = (path: string | undefined, text: string) =>
    path === undefined ? process.stdout.write(text) : fs.writeFileSync(path, text);
  try {
    if (what === 'journal') {
      const entries = await journal(store.db, options.from, options.to, journalRowsMax + 1);
      if (entries.length > journalRowsMax)
        throw new AppError('validation_failed', `More than ${journalRowsMax} entries; export a shorter range`);
      write(options.out, journalCsv(entries));
      return { files: [options.out ?? '-'], count: entries.length };
    }
    const perFile = options.format === 'xero' ? XERO_INVOICES_PER_FILE_MAX : QUICKBOOKS_INVOICES_PER_FILE_MAX;
    const first = await listIssuedInvoices(store.db, { from: options.from, to: options.to, offset: 0, limit: perFile });
    const parts = Math.max(1, Math.ceil(first.total / perFile));
    if (parts > 1 && options.out === undefined)
      throw new AppError('validation_failed', `${first.total} invoices need ${parts} files of at most ${perFile}; give --out FILE`);
    const files: string[] = [];
    for (let part = 1; part <= parts; part++) {
      const page =
        part === 1
          ? first
          : await listIssuedInvoices(store.db, { from: options.from, to: options.to, offset: (part - 1) * perFile, limit: perFile });
      const csv = options.format === 'xero' ? xeroInvoicesCsv(page.documents) : quickbooksInvoicesCsv(page.documents);
      const path = options.out === undefined ? undefined : partPath(options.out, part, parts);
      write(path, csv);
      files.push(path ?? '-');
    }
    return { files, count: first.total };
  } finally {
    await store.close();
  }
}
