/**
 * Finance exports for a date range: the ledger journal as CSV, and issued invoices in Xero's or
 * QuickBooks Online's import columns, with QuickBooks' credit memos (the negative lines its invoice
 * import refuses) as a second file. Each covers all billing entities or one entity's books, with
 * dates in the product's own order or the one the organisation's import screen expects. Those
 * imports take a limited number of invoices per file, so a long range comes in parts: after the
 * first part, the screen offers the others.
 */
import { useState } from 'react';
import { exportDateFormats, type ExportDateFormat, type InvoiceExportFormat } from '../../../../src/wire/exports.ts';
import { addDays, monthStart, todayDate } from '../../common/dates.ts';
import type { DownloadedFile } from '../../common/download.ts';
import { formatCount } from '../../common/format.ts';
import { DownloadButton } from '../../common/ui/DownloadButton.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { ChoiceFilter } from '../../common/ui/filters.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { EntityFilter } from '../entities/EntityFilter.tsx';

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
/** Buttons for at most this many parts; a range that needs more is better cut shorter. */
const partsShownMax = 50;

/** Each invoice file: the product it is for, and the start of its name (as the server names it). */
const invoiceFiles: Record<InvoiceExportFormat, { product: string; fileStem: string }> = {
  xero: { product: 'Xero', fileStem: 'invoices-xero' },
  quickbooks: { product: 'QuickBooks', fileStem: 'invoices-quickbooks' },
  'quickbooks-credit-memos': { product: 'QuickBooks credit memos', fileStem: 'credit-memos-quickbooks' },
};

/** What an export covers. An empty `entityId` or `dateFormat` is all entities or the product's own order. */
export interface ExportOptions {
  from: string;
  to: string;
  entityId?: string;
  dateFormat?: ExportDateFormat | '';
  part?: number;
}

/** The API URL of an export; each option that is not the default is a query parameter, the others are left out. */
export function exportUrl(kind: 'journal' | InvoiceExportFormat, options: ExportOptions): string {
  const { from, to, entityId = '', dateFormat = '', part = 1 } = options;
  const parameters: [string, string][] = [
    ...(kind === 'journal' ? [] : [['format', kind] as [string, string]]),
    ['from', from],
    ['to', to],
  ];
  if (entityId !== '') parameters.push(['entityId', entityId]);
  if (dateFormat !== '') parameters.push(['dateFormat', dateFormat]);
  // The journal is one file; only the invoice files come in parts.
  if (kind !== 'journal' && part > 1) parameters.push(['part', String(part)]);
  const query = parameters.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
  return `/v1/exports/${kind === 'journal' ? 'journal' : 'invoices'}.csv?${query}`;
}

/** A date order in words. */
const dateFormatWords: Record<ExportDateFormat, string> = {
  'DD/MM/YYYY': 'DD/MM/YYYY (day first)',
  'MM/DD/YYYY': 'MM/DD/YYYY (month first)',
  'YYYY-MM-DD': 'YYYY-MM-DD (ISO 8601)',
};

export default function ExportsPage() {
  const lastMonthEnd = addDays(monthStart(todayDate()), -1);
  const [from, setFrom] = useState(monthStart(lastMonthEnd));
  const [to, setTo] = useState(lastMonthEnd);
  const [entityId, setEntityId] = useState('');
  const [dateFormat, setDateFormat] = useState<ExportDateFormat | ''>('');
  const [last, setLast] = useState<{ name: string; bytes: number } | undefined>();
  // The options part 1 was downloaded with, so that the other parts cover the same invoices even if the filters change.
  const [parts, setParts] = useState<{ format: InvoiceExportFormat; count: number; options: ExportOptions } | undefined>();
  const options: ExportOptions = { from, to, entityId, dateFormat };
  const valid = datePattern.test(from) && datePattern.test(to) && from <= to;
  const downloaded = (file: DownloadedFile) => setLast({ name: file.fileName, bytes: file.bytes });
  const invoicesDownloaded = (format: InvoiceExportFormat) => (file: DownloadedFile) => {
    downloaded(file);
    const count = Number(file.headers.get('tally-export-parts') ?? '1');
    setParts(count > 1 ? { format, count, options } : undefined);
  };
  const invoiceButton = (format: InvoiceExportFormat, label: string) => (
    <DownloadButton
      url={exportUrl(format, options)}
      fallbackName={`${invoiceFiles[format].fileStem}-${from}-${to}.csv`}
      disabled={!valid}
      onDownloaded={invoicesDownloaded(format)}
    >
      {label}
    </DownloadButton>
  );
  return (
    <>
      <PageHeader title="Exports" subtitle="The journal and issued invoices for your general ledger or accounting product." />
      <section className="card" aria-label="Export range">
        <div className="toolbar">
          <Field label="From" error={valid ? undefined : 'From must be a date on or before to'}>
            <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
          </Field>
          <Field label="To">
            <input type="date" value={to} onChange={(event) => setTo(event.target.value)} />
          </Field>
          <EntityFilter value={entityId} onChange={setEntityId} />
          <ChoiceFilter
            label="Date order"
            value={dateFormat}
            onChange={setDateFormat}
            choices={exportDateFormats}
            anyLabel="The product's own"
            describe={(format) => dateFormatWords[format]}
          />
        </div>
        <p className="small muted">
          Each product's own date order is DD/MM/YYYY for Xero, MM/DD/YYYY for QuickBooks and YYYY-MM-DD for the journal: choose another if
          your organisation's import screen expects it.
        </p>
        <div className="grid-2">
          <div>
            <h2>Journal</h2>
            <p className="small muted">Every ledger entry dated in the range: transaction, account, debit, credit, source document.</p>
            <div className="actions">
              <DownloadButton
                url={exportUrl('journal', options)}
                fallbackName={`journal-${from}-${to}.csv`}
                disabled={!valid}
                onDownloaded={downloaded}
              >
                Download journal CSV
              </DownloadButton>
            </div>
          </div>
          <div>
            <h2>Invoices</h2>
            <p className="small muted">Invoices issued in the range (not void), in the import columns of Xero or QuickBooks Online.</p>
            <div className="actions">
              {invoiceButton('xero', 'Download for Xero')}
              {invoiceButton('quickbooks', 'Download for QuickBooks')}
              {invoiceButton('quickbooks-credit-memos', 'Download QuickBooks credit memos')}
            </div>
            <p className="small muted">
              QuickBooks refuses negative lines on an invoice, so they come as credit memos in a second file: import it after the invoices
              (Import data → Credit memos), then apply each credit memo to its invoice.
            </p>
          </div>
        </div>
      </section>
      {last && (
        <div className="alert ok" role="status">
          Downloaded {last.name} ({formatCount(last.bytes)} bytes).
        </div>
      )}
      {parts && (
        <section className="card" aria-label="More parts">
          <p>
            That range has {parts.count} files for {invoiceFiles[parts.format].product}: part 1 is downloaded. Download the others too:
          </p>
          <div className="actions">
            {Array.from({ length: Math.min(parts.count, partsShownMax) - 1 }, (_, index) => index + 2).map((part) => (
              <DownloadButton
                key={part}
                size="small"
                url={exportUrl(parts.format, { ...parts.options, part })}
                fallbackName={`${invoiceFiles[parts.format].fileStem}-part${part}.csv`}
                onDownloaded={downloaded}
              >
                Part {part}
              </DownloadButton>
            ))}
          </div>
          {parts.count > partsShownMax && (
            <p className="small muted">Only the first {partsShownMax} parts are offered here: export a shorter range for the rest.</p>
          )}
        </section>
      )}
    </>
  );
}
