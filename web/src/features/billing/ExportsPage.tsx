/**
 * Finance exports for a date range: the ledger journal as CSV, and issued invoices in Xero's or
 * QuickBooks Online's import columns. Those imports take a limited number of invoices per file, so
 * a long range comes in parts: after the first part, the screen offers the others.
 */
import { useState } from 'react';
import { addDays, monthStart, todayDate } from '../../common/dates.ts';
import type { DownloadedFile } from '../../common/download.ts';
import { formatCount } from '../../common/format.ts';
import { DownloadButton } from '../../common/ui/DownloadButton.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';

type InvoiceFormat = 'xero' | 'quickbooks';

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
/** Buttons for at most this many parts; a range that needs more is better cut shorter. */
const partsShownMax = 50;

export function exportUrl(kind: 'journal' | InvoiceFormat, from: string, to: string, part = 1): string {
  const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  return kind === 'journal'
    ? `/v1/exports/journal.csv?${range}`
    : `/v1/exports/invoices.csv?format=${kind}&${range}${part > 1 ? `&part=${part}` : ''}`;
}

export default function ExportsPage() {
  const lastMonthEnd = addDays(monthStart(todayDate()), -1);
  const [from, setFrom] = useState(monthStart(lastMonthEnd));
  const [to, setTo] = useState(lastMonthEnd);
  const [last, setLast] = useState<{ name: string; bytes: number } | undefined>();
  const [parts, setParts] = useState<{ format: InvoiceFormat; count: number; from: string; to: string } | undefined>();
  const valid = datePattern.test(from) && datePattern.test(to) && from <= to;
  const downloaded = (file: DownloadedFile) => setLast({ name: file.fileName, bytes: file.bytes });
  const invoicesDownloaded = (format: InvoiceFormat) => (file: DownloadedFile) => {
    downloaded(file);
    const count = Number(file.headers.get('tally-export-parts') ?? '1');
    setParts(count > 1 ? { format, count, from, to } : undefined);
  };
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
        </div>
        <div className="grid-2">
          <div>
            <h2>Journal</h2>
            <p className="small muted">Every ledger entry dated in the range: transaction, account, debit, credit, source document.</p>
            <div className="actions">
              <DownloadButton
                url={exportUrl('journal', from, to)}
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
              <DownloadButton
                url={exportUrl('xero', from, to)}
                fallbackName={`invoices-xero-${from}-${to}.csv`}
                disabled={!valid}
                onDownloaded={invoicesDownloaded('xero')}
              >
                Download for Xero
              </DownloadButton>
              <DownloadButton
                url={exportUrl('quickbooks', from, to)}
                fallbackName={`invoices-quickbooks-${from}-${to}.csv`}
                disabled={!valid}
                onDownloaded={invoicesDownloaded('quickbooks')}
              >
                Download for QuickBooks
              </DownloadButton>
            </div>
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
            That range has {parts.count} files for {parts.format === 'xero' ? 'Xero' : 'QuickBooks'}: part 1 is downloaded. Download the
            others too:
          </p>
          <div className="actions">
            {Array.from({ length: Math.min(parts.count, partsShownMax) - 1 }, (_, index) => index + 2).map((part) => (
              <DownloadButton
                key={part}
                size="small"
                url={exportUrl(parts.format, parts.from, parts.to, part)}
                fallbackName={`invoices-${parts.format}-part${part}.csv`}
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
