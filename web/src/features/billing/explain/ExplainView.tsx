/**
 * A line's `explain`, readable: the sentences of explainSummary first, then every input as a
 * labelled list (lists of records as small tables), then the raw JSON for whoever reproduces the
 * amount by hand. Nothing of the explain is hidden; long lists show their first rows until asked.
 */
import { useState } from 'react';
import { Button } from '../../../common/ui/Button.tsx';
import { type Explain, explainSummary, formatValue, humanizeKey, type JsonValue } from './explain-text.ts';

/** Rows of a list of records shown before "Show all". */
const previewRows = 10;

export function ExplainView({ explain, currency, locale }: { explain: Explain; currency: string; locale?: string | undefined }) {
  const sentences = explainSummary(explain, currency, locale);
  const [raw, setRaw] = useState(false);
  return (
    <div className="explain">
      {sentences.length > 0 && (
        <ul className="explain-summary">
          {sentences.map((sentence, index) => (
            <li key={index}>{sentence}</li>
          ))}
        </ul>
      )}
      <details className="explain-inputs">
        <summary>Every input</summary>
        <ExplainObject value={explain} currency={currency} locale={locale} />
      </details>
      <details onToggle={(event) => setRaw(event.currentTarget.open)}>
        <summary>Raw JSON</summary>
        {raw && <pre className="mono explain-raw">{JSON.stringify(explain, null, 2)}</pre>}
      </details>
    </div>
  );
}

/** "How this was computed", rendered only once opened: a page of lines stays light. */
export function ExplainDetails({
  explain,
  currency,
  locale,
  label = 'How this was computed',
}: {
  explain: Explain;
  currency: string;
  locale?: string | undefined;
  label?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <details className="small explain-details" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{label}</summary>
      {open && <ExplainView explain={explain} currency={currency} locale={locale} />}
    </details>
  );
}

function isRecord(value: JsonValue): value is Explain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Formatting {
  currency: string;
  locale: string | undefined;
}

function ExplainObject({ value, currency, locale }: { value: Explain } & Formatting) {
  const entries = Object.entries(value);
  if (entries.length === 0) return <span className="muted">nothing</span>;
  return (
    <dl className="explain-tree">
      {entries.map(([key, item]) => (
        <div key={key} className="explain-entry">
          <dt>{humanizeKey(key)}</dt>
          <dd>
            <ExplainValue name={key} value={item} currency={currency} locale={locale} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function ExplainValue({ name, value, currency, locale }: { name: string; value: JsonValue } & Formatting) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    if (value.every(isRecord)) return <RecordTable name={name} rows={value} currency={currency} locale={locale} />;
    return <PrimitiveList name={name} values={value} currency={currency} locale={locale} />;
  }
  if (isRecord(value)) return <ExplainObject value={value} currency={currency} locale={locale} />;
  return <span title={value === null ? undefined : String(value)}>{formatValue(name, value, currency, locale)}</span>;
}

function PrimitiveList({ name, values, currency, locale }: { name: string; values: JsonValue[] } & Formatting) {
  const [all, setAll] = useState(false);
  const shown = all ? values : values.slice(0, previewRows * 2);
  return (
    <span>
      {shown
        .map((item) => (isRecord(item) || Array.isArray(item) ? JSON.stringify(item) : formatValue(name, item, currency, locale)))
        .join(', ')}
      {values.length > shown.length && (
        <>
          {' '}
          <Button variant="link" size="small" onClick={() => setAll(true)}>
            and {values.length - shown.length} more
          </Button>
        </>
      )}
    </span>
  );
}

/** A list of records (tiers, conversions) as a table with a column per key. */
function RecordTable({ name, rows, currency, locale }: { name: string; rows: Explain[] } & Formatting) {
  const [all, setAll] = useState(false);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const shown = all ? rows : rows.slice(0, previewRows);
  return (
    <div className="table-wrap">
      <table className="table explain-table" aria-label={humanizeKey(name)}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column}>{humanizeKey(column)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row, index) => (
            <tr key={index}>
              {columns.map((column) => {
                const cell = row[column];
                return (
                  <td key={column}>
                    {cell === undefined
                      ? ''
                      : isRecord(cell) || Array.isArray(cell)
                        ? JSON.stringify(cell)
                        : formatValue(column, cell, currency, locale)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown.length && (
        <Button variant="link" size="small" onClick={() => setAll(true)}>
          Show all {rows.length} rows
        </Button>
      )}
    </div>
  );
}
