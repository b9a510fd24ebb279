/**
 * The tax report (SPEC §10, `GET /v1/reports/tax`): per billing entity, side, rate and currency,
 * the tax charged on documents issued in a date range (voided ones left out) and the tax credit
 * notes issued in that range took back. What a VAT return is filled from.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../platform/database.ts';
import type { CreditNoteTax } from '../../../wire/billing.ts';
import type { TaxReportRow } from '../../../wire/finance-reports.ts';
import { Decimal, formatMoney } from '../../../wire/money.ts';

/** The report's rows from `from` to `to` (issue dates, inclusive), of one billing entity or of all. */
export async function taxReport(db: Executor, from: string, to: string, entityId?: string): Promise<TaxReportRow[]> {
  const entityFilter = entityId === undefined ? sql`` : sql`and d.billing_entity_id = ${entityId}`;
  const charged = await sql<{
    entity_id: string;
    kind: 'invoice' | 'payout_statement';
    code: string;
    name: string;
    percent: string;
    currency: string;
    documents: number;
    base: string;
    tax: string;
  }>`
    select d.billing_entity_id as entity_id, d.kind, t.code, min(t.name) as name, t.percent, d.currency,
      count(*)::int as documents, sum(t.base) as base, sum(t.amount) as tax
    from document_taxes t
    join billing_documents d on d.id = t.document_id
    join document_states s on s.id = d.id
    where d.issue_date between ${from}::date and ${to}::date and s.status <> 'void' ${entityFilter}
    group by d.billing_entity_id, d.kind, t.code, t.percent, d.currency`.execute(db);
  const credits = await sql<{ entity_id: string; currency: string; taxes: CreditNoteTax[] }>`
    select d.billing_entity_id as entity_id, d.currency, n.taxes
    from credit_notes n join billing_documents d on d.id = n.invoice_id
    where n.issue_date between ${from}::date and ${to}::date and jsonb_array_length(n.taxes) > 0 ${entityFilter}`.execute(db);

  const key = (entity: string, side: string, code: string, percent: string, currency: string) =>
    `${entity}|${side}|${code}|${new Decimal(percent).toFixed()}|${currency}`;
  const rows = new Map<
    string,
    { row: Omit<TaxReportRow, 'base' | 'tax' | 'credited' | 'net'>; base: Decimal; tax: Decimal; credited: Decimal }
  >();
  for (const line of charged.rows) {
    const side = line.kind === 'invoice' ? 'sell' : 'buy';
    rows.set(key(line.entity_id, side, line.code, line.percent, line.currency), {
      row: {
        entityId: line.entity_id,
        side,
        code: line.code,
        name: line.name,
        percent: new Decimal(line.percent).toFixed(),
        currency: line.currency,
        documents: line.documents,
      },
      base: new Decimal(line.base),
      tax: new Decimal(line.tax),
      credited: new Decimal(0),
    });
  }
  for (const note of credits.rows) {
    for (const tax of note.taxes) {
      const k = key(note.entity_id, 'sell', tax.code, tax.percent, note.currency);
      let entry = rows.get(k);
      if (!entry) {
        entry = {
          row: {
            entityId: note.entity_id,
            side: 'sell',
            code: tax.code,
            name: tax.code,
            percent: tax.percent,
            currency: note.currency,
            documents: 0,
          },
          base: new Decimal(0),
          tax: new Decimal(0),
          credited: new Decimal(0),
        };
        rows.set(k, entry);
      }
      entry.credited = entry.credited.plus(tax.amount);
    }
  }
  return [...rows.values()]
    .map(({ row, base, tax, credited }) => ({
      ...row,
      base: formatMoney(base, row.currency),
      tax: formatMoney(tax, row.currency),
      credited: formatMoney(credited, row.currency),
      net: formatMoney(tax.minus(credited), row.currency),
    }))
    .sort(
      (a, b) =>
        a.entityId.localeCompare(b.entityId) ||
        a.side.localeCompare(b.side) ||
        a.code.localeCompare(b.code) ||
        a.currency.localeCompare(b.currency),
    );
}
