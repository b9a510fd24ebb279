/**
 * The rows of a tiered price, shared by the metric models' tiers (cpm, cpcv, cpc: `tiers[]` with a
 * rate and a flat amount) and a cpa event's levels (`tiers.levels[]` with an amount): an inclusive
 * `upTo` per row, left empty on the last (open-ended) one, the row's price columns, and adding a row
 * before the last or removing one. Each input names its terms path, so errors land on it.
 */
import { at, DecimalAt, ListFoot, RemoveItem, WholeAt } from './fields.tsx';
import type { TermsForm } from './terms-form.ts';

/** A price column: the row's form field, its terms field (for the path), its header and its label's word. */
export interface TierColumn<Field extends string> {
  field: Field;
  termsField: string;
  header: string;
  /** "rate" → the input is labelled "Tier 1 rate". */
  label: string;
  placeholder?: string;
}

export function TierRows<Field extends string, Row extends { upTo: string } & Record<Field, string>>({
  listPath,
  rows,
  rowsOf,
  emptyRow,
  noun,
  units,
  columns,
  firstUpToPlaceholder,
}: {
  /** The terms path of the list: `lineItems[0].pricing.tiers`, `…events[1].tiers.levels`. */
  listPath: string;
  rows: Row[];
  rowsOf: (draft: TermsForm) => Row[];
  emptyRow: () => Row;
  /** What a row is called: "Tier" (metric tiers) or "Level" (cpa levels). */
  noun: 'Tier' | 'Level';
  /** What `upTo` counts: "impressions", "conversions". */
  units: string;
  columns: TierColumn<Field>[];
  firstUpToPlaceholder: string;
}) {
  return (
    <div className="table-wrap" style={{ marginTop: '0.5rem' }}>
      <table className="table">
        <caption className="muted small" style={{ textAlign: 'left' }}>
          {noun === 'Tier' ? 'Tiers' : 'Levels'} per billing period; leave &quot;up to&quot; empty on the last {noun.toLowerCase()} (no
          upper limit).
        </caption>
        <thead>
          <tr>
            <th>Up to ({units}, inclusive)</th>
            {columns.map((column) => (
              <th key={column.field}>{column.header}</th>
            ))}
            <th>
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              <td>
                <WholeAt
                  path={`${listPath}[${index}].upTo`}
                  label={`${noun} ${index + 1} up to`}
                  value={row.upTo}
                  placeholder={index === rows.length - 1 ? 'no limit' : firstUpToPlaceholder}
                  set={(draft, value) => {
                    at(rowsOf(draft), index).upTo = value;
                  }}
                />
              </td>
              {columns.map((column) => (
                <td key={column.field}>
                  <DecimalAt
                    path={`${listPath}[${index}].${column.termsField}`}
                    label={`${noun} ${index + 1} ${column.label}`}
                    value={row[column.field]}
                    placeholder={column.placeholder}
                    set={(draft, value) => {
                      (at(rowsOf(draft), index) as Record<Field, string>)[column.field] = value;
                    }}
                  />
                </td>
              ))}
              <td style={{ verticalAlign: 'bottom' }}>
                <RemoveItem
                  path={listPath}
                  listOf={rowsOf}
                  index={index}
                  disabled={rows.length === 1}
                  label={`Remove ${noun.toLowerCase()} ${index + 1}`}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ListFoot
        path={listPath}
        noun={noun.toLowerCase()}
        add={(draft) => {
          const list = rowsOf(draft);
          // The new row goes before the open-ended last one, which stays last.
          list.splice(Math.max(list.length - 1, 0), 0, emptyRow());
        }}
      />
    </div>
  );
}
