/** `tally export journal|invoices`: the finance exports from the store (or the server that owns it), to a file or stdout. */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Config } from '../platform/config.ts';
import type { Executor } from '../platform/database.ts';
import { isCalendarDate } from '../platform/dates.ts';
import { AppError } from '../platform/errors.ts';
import { journalRowsMax } from '../modules/exports/index.ts';
import { exportDateFormats, journalCsv, type ExportDateFormat } from '../modules/exports/index.ts';
import { documentNumberColumnOf, invoiceExportCsv, invoicesPerFileOf, type InvoiceExportFormat } from '../modules/exports/index.ts';
import { journal } from '../modules/ledger/index.ts';
import { openStoreOrServer } from './runtime.ts';
import type { ServerClient } from './server-client.ts';
import { listIssuedInvoices } from '../modules/billing/documents/index.ts';

export interface ExportOptions {
  from: string;
  to: string;
  /** Xero's or QuickBooks' invoices, or QuickBooks' credit memos (the invoices' negative lines). */
  format: InvoiceExportFormat;
  /** The order of the dates in the file; absent: YYYY-MM-DD for the journal, each product's default for invoices. */
  dateFormat?: ExportDateFormat | undefined;
  /** A file to write; with several parts, `-partN` goes before the extension. Stdout when absent. */
  out?: string | undefined;
}

function partPath(out: string, part: number, parts: number): string {
  if (parts === 1) return out;
  const dot = out.lastIndexOf('.');
  return dot > 0 ? `${out.slice(0, dot)}-part${part}${out.slice(dot)}` : `${out}-part${part}`;
}

/** Writes the export; answers the files written (or "-" for stdout) and how many rows, invoices or credit memos went out. */
export async function runExport(config: Config, what: string, options: ExportOptions): Promise<{ files: string[]; count: number }> {
  if (what !== 'journal' && what !== 'invoices') throw new AppError('validation_failed', `Export journal or invoices, not "${what}"`);
  if (!isCalendarDate(options.from) || !isCalendarDate(options.to) || options.to < options.from)
    throw new AppError('validation_failed', '--from and --to must be dates YYYY-MM-DD, from on or before to');
  if (options.dateFormat !== undefined && !exportDateFormats.includes(options.dateFormat))
    throw new AppError('validation_failed', `--date-format must be one of ${exportDateFormats.join(', ')}`);
  const target = await openStoreOrServer(config);
  const source = target.kind === 'server' ? serverSource(target.server) : storeSource(target.store.db);
  try {
    if (what === 'journal') {
      const { csv, count } = await source.journal(options);
      write(options.out, csv);
      return { files: [options.out ?? '-'], count };
    }
    const first = await source.invoices(options, 1);
    if (first.parts > 1 && options.out === undefined)
      throw new AppError(
        'validation_failed',
        `These invoices need ${first.parts} files of at most ${invoicesPerFileOf(options.format)}; give --out FILE`,
      );
    const files: string[] = [];
    let count = 0;
    for (let part = 1; part <= first.parts; part++) {
      const page = part === 1 ? first : await source.invoices(options, part);
      const path = options.out === undefined ? undefined : partPath(options.out, part, first.parts);
      write(path, page.csv);
      files.push(path ?? '-');
      count += page.documents;
    }
    return { files, count };
  } finally {
    if (target.kind === 'store') await target.store.close();
  }
}

function write(path: string | undefined, text: string): void {
  if (path === undefined) process.stdout.write(text);
  else fs.writeFileSync(path, text);
}

/** One part of an invoice export: its CSV, how many documents (invoices or credit memos) it holds, and how many parts there are. */
interface InvoicePart {
  csv: string;
  documents: number;
  parts: number;
}

/** Where the CSVs come from: the store's repositories, or the server's export routes. */
interface ExportSource {
  journal(options: ExportOptions): Promise<{ csv: string; count: number }>;
  invoices(options: ExportOptions, part: number): Promise<InvoicePart>;
}

/** How many documents a file of `format` holds: an invoice or credit memo is several rows (one per line), each naming its number. */
function documentsIn(csv: string, format: InvoiceExportFormat): number {
  const rows = parse(csv, { columns: true, bom: true }) as Record<string, string>[];
  return new Set(rows.map((row) => row[documentNumberColumnOf(format)])).size;
}

function storeSource(db: Executor): ExportSource {
  return {
    async journal({ from, to, dateFormat }) {
      const entries = await journal(db, from, to, journalRowsMax + 1);
      if (entries.length > journalRowsMax)
        throw new AppError('validation_failed', `More than ${journalRowsMax} entries; export a shorter range`);
      return { csv: journalCsv(entries, { dateFormat }), count: entries.length };
    },
    async invoices({ from, to, format, dateFormat }, part) {
      const perFile = invoicesPerFileOf(format);
      const page = await listIssuedInvoices(db, { from, to, offset: (part - 1) * perFile, limit: perFile });
      const csv = invoiceExportCsv(format, page.documents, { dateFormat });
      return { csv, documents: documentsIn(csv, format), parts: Math.max(1, Math.ceil(page.total / perFile)) };
    },
  };
}

/** The query of an export route: the range, and the date format when one was asked for (its slashes encoded). */
function exportQuery(options: ExportOptions, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ from: options.from, to: options.to, ...extra });
  if (options.dateFormat !== undefined) query.set('dateFormat', options.dateFormat);
  return query.toString();
}

function serverSource(server: ServerClient): ExportSource {
  return {
    async journal(options) {
      const { text } = await server.text(`/v1/exports/journal.csv?${exportQuery(options)}`);
      return { csv: text, count: parse(text, { columns: true, bom: true }).length };
    },
    async invoices(options, part) {
      const { format } = options;
      const { text, headers } = await server.text(`/v1/exports/invoices.csv?${exportQuery(options, { format, part: String(part) })}`);
      return { csv: text, documents: documentsIn(text, format), parts: Number(headers.get('tally-export-parts') ?? '1') };
    },
  };
}
