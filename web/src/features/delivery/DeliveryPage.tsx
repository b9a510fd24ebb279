/** Delivery upload: an impressions or conversions CSV, with progress and what the import did. */
import { useRef, useState, type FormEvent } from 'react';
import { api } from '../../app/api.ts';
import { useAppDispatch, useCan } from '../../app/hooks.ts';
import { formatCount } from '../../common/format.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { csvColumns, type DeliveryKind, type ImportResult, rowErrors, type UploadFailure, uploadDeliveryCsv } from './upload-csv.ts';

type UploadState =
  | { phase: 'idle' }
  | { phase: 'sending'; sent: number; total: number }
  | { phase: 'processing' }
  | { phase: 'done'; result: ImportResult; fileName: string }
  | { phase: 'failed'; failure: UploadFailure; fileName: string };

export default function DeliveryPage() {
  const dispatch = useAppDispatch();
  const kinds = [useCan('delivery.write') && 'impressions', useCan('conversions.write') && 'conversions'].filter(
    (kind): kind is DeliveryKind => Boolean(kind),
  );
  const [kind, setKind] = useState<DeliveryKind>(kinds[0] ?? 'conversions');
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const abortRef = useRef<(() => void) | null>(null);
  const busy = state.phase === 'sending' || state.phase === 'processing';

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setState({ phase: 'sending', sent: 0, total: file.size });
    const upload = uploadDeliveryCsv(kind, file, {
      onProgress: (sent, total) => setState({ phase: 'sending', sent, total }),
      onSent: () => setState({ phase: 'processing' }),
    });
    abortRef.current = upload.abort;
    try {
      const result = await upload.promise;
      setState({ phase: 'done', result, fileName: file.name });
      // New delivery changes every preview, pacing chart and the audit log.
      dispatch(api.util.invalidateTags(['Charges', 'Delivery', 'Audit']));
    } catch (failure) {
      setState({ phase: 'failed', failure: failure as UploadFailure, fileName: file.name });
    } finally {
      abortRef.current = null;
    }
  };

  return (
    <>
      <PageHeader
        title="Delivery"
        subtitle="Load impressions or conversions from a CSV file. A file is all or nothing: one bad row and nothing is written."
      />
      <form className="card" onSubmit={onSubmit}>
        <div className="form-grid">
          <Field label="What the file holds">
            <select value={kind} onChange={(event) => setKind(event.target.value as DeliveryKind)} disabled={busy}>
              {kinds.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="CSV file"
            className="wide"
            hint={
              <>
                Columns: <code>{csvColumns[kind].join(',')}</code>
              </>
            }
          >
            <input type="file" accept=".csv,text/csv" disabled={busy} onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
          </Field>
        </div>
        <div className="actions" style={{ marginTop: '1rem' }}>
          <Button type="submit" variant="primary" disabled={!file} busy={busy}>
            Upload {kind}
          </Button>
          {busy && <Button onClick={() => abortRef.current?.()}>Cancel</Button>}
        </div>
      </form>
      <UploadStatus state={state} />
    </>
  );
}

function UploadStatus({ state }: { state: UploadState }) {
  switch (state.phase) {
    case 'idle':
      return null;
    case 'sending': {
      const percent = state.total > 0 ? Math.round((state.sent / state.total) * 100) : 0;
      return (
        <div className="card" role="status" aria-live="polite">
          <div>Uploading… {percent}%</div>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
            <div style={{ width: `${percent}%` }} />
          </div>
        </div>
      );
    }
    case 'processing':
      return (
        <div className="card" role="status" aria-live="polite">
          <div>Checking and writing every row…</div>
          <div className="progress indeterminate" role="progressbar" aria-label="Processing">
            <div />
          </div>
        </div>
      );
    case 'done':
      return <ImportSummary result={state.result} fileName={state.fileName} />;
    case 'failed':
      return <ImportFailure failure={state.failure} fileName={state.fileName} />;
  }
}

function ImportSummary({ result, fileName }: { result: ImportResult; fileName: string }) {
  const facts: [string, number][] =
    result.kind === 'impressions'
      ? [
          ['rows', result.rows],
          ['created', result.created],
          ['restated', result.restated],
          ['unchanged', result.unchanged],
        ]
      : [
          ['rows', result.rows],
          ['created', result.created],
          ['duplicates', result.duplicates],
        ];
  return (
    <div className="alert ok" role="status" data-testid="import-summary">
      <strong>
        Imported {fileName}: {formatCount(result.rows)} {result.kind} rows
      </strong>
      <dl className="facts">
        {facts.map(([label, count]) => (
          <div key={label} style={{ display: 'contents' }}>
            <dt>{label}</dt>
            <dd>{formatCount(count)}</dd>
          </div>
        ))}
        <dt>batch</dt>
        <dd className="mono">{result.batchId}</dd>
      </dl>
    </div>
  );
}

function ImportFailure({ failure, fileName }: { failure: UploadFailure; fileName: string }) {
  const rows = rowErrors(failure.errors);
  return (
    <div className="alert error" role="alert" data-testid="import-errors">
      <strong>Nothing was imported from {fileName}</strong>
      {failure.detail}
      {rows.length > 0 && (
        <table className="table" style={{ marginTop: '0.75rem' }}>
          <thead>
            <tr>
              <th className="number">Line</th>
              <th>Field</th>
              <th>Problem</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index}>
                <td className="number">{row.line ?? '—'}</td>
                <td className="mono">{row.field}</td>
                <td>{row.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
