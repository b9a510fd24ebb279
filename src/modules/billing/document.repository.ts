/** SQL for billing documents: write drafts in bulk, replace them, and read documents with their money state. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import { newId } from '../../platform/ids.ts';
import { Decimal, formatMoney } from '../../wire/money.ts';
import type { DraftDocument } from './group-documents.ts';
import type { BillingDocument, DocumentKind, DocumentLine, InvoiceStatus, StoredStatus } from '../../wire/billing.ts';

/** Deletes the drafts (and their lines) of a month: a re-run replaces them. Finalized documents stay. */
export async function deleteDrafts(trx: Tx, month: string): Promise<number> {
  // Lines first, in one statement (their check runs once); the documents' foreign key has no cascade.
  await sql`delete from document_lines where document_id in (select id from billing_documents where period_label = ${month} and status <> 'finalized')`.execute(
    trx,
  );
  const result = await trx
    .deleteFrom('billing_documents')
    .where('period_label', '=', month)
    .where('status', '!=', 'finalized')
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Writes drafts and all their lines with two statements. */
export async function insertDrafts(trx: Tx, runId: string, now: Date, drafts: DraftDocument[]): Promise<string[]> {
  if (drafts.length === 0) return [];
  const ids = drafts.map((draft) => newId(draft.kind === 'invoice' ? 'inv' : 'pst'));
  await sql`
    insert into billing_documents (id, kind, run_id, party_id, currency, period_label, period_from, period_to, status, flags, subtotal, total, payment_terms_days, created_at)
    select id, kind, ${runId}, party_id, currency, period_label, period_from, period_to, status, flags, subtotal, subtotal, payment_terms_days, ${now.toISOString()}::timestamptz
    from unnest(
      ${ids}::text[], ${drafts.map((draft) => draft.kind)}::text[], ${drafts.map((draft) => draft.partyId)}::text[],
      ${drafts.map((draft) => draft.currency)}::text[], ${drafts.map((draft) => draft.period.label)}::text[],
      ${drafts.map((draft) => draft.period.from)}::date[], ${drafts.map((draft) => draft.period.to)}::date[],
      ${drafts.map((draft) => (draft.flags.length > 0 ? 'needs_review' : 'draft'))}::text[],
      ${drafts.map((draft) => JSON.stringify(draft.flags))}::jsonb[], ${drafts.map((draft) => draft.subtotal)}::numeric[],
      ${drafts.map((draft) => draft.paymentTermsDays)}::integer[]
    ) as t(id, kind, party_id, currency, period_label, period_from, period_to, status, flags, subtotal, payment_terms_days)`.execute(trx);
  const lines = drafts.flatMap((draft, index) => draft.lines.map((line) => ({ documentId: ids[index] as string, ...line })));
  // Large runs write tens of thousands of lines; chunks keep each statement's arrays moderate.
  const chunkSize = 20_000;
  for (let start = 0; start < lines.length; start += chunkSize) {
    const chunk = lines.slice(start, start + chunkSize);
    // The explains travel as one JSON array joined by position: as a json[] parameter, every
    // element would be escaped into an array literal and parsed again, which costs several times more.
    await sql`
      insert into document_lines (document_id, position, contract_id, line_item, line_key, kind, description, quantity, unit, rate, amount, version,
        date_from, date_to, billed_period, corrects_kind, corrects_document_id, flags, explain)
      select l.document_id, l.position, l.contract_id, l.line_item, l.line_key, l.kind, l.description, l.quantity, l.unit, l.rate, l.amount, l.version,
        l.date_from, l.date_to, l.billed_period, l.corrects_kind, l.corrects_document_id, l.flags, e.value
      from unnest(
        ${chunk.map((line) => line.documentId)}::text[], ${chunk.map((line) => line.position)}::integer[],
        ${chunk.map((line) => line.contractId)}::text[], ${chunk.map((line) => line.lineItem)}::text[], ${chunk.map((line) => line.lineKey)}::text[],
        ${chunk.map((line) => line.kind)}::text[], ${chunk.map((line) => line.description)}::text[], ${chunk.map((line) => line.quantity)}::bigint[],
        ${chunk.map((line) => line.unit)}::text[], ${chunk.map((line) => line.rate)}::numeric[], ${chunk.map((line) => line.amount)}::numeric[],
        ${chunk.map((line) => line.version)}::integer[], ${chunk.map((line) => line.from)}::date[], ${chunk.map((line) => line.to)}::date[],
        ${chunk.map((line) => line.billedPeriod)}::text[], ${chunk.map((line) => line.correctsKind)}::text[],
        ${chunk.map((line) => line.corrects?.documentId ?? null)}::text[], ${chunk.map((line) => JSON.stringify(line.flags))}::jsonb[]
      ) with ordinality as l(document_id, position, contract_id, line_item, line_key, kind, description, quantity, unit, rate, amount, version,
        date_from, date_to, billed_period, corrects_kind, corrects_document_id, flags, ordinal)
      join json_array_elements(${JSON.stringify(chunk.map((line) => line.explain))}::json) with ordinality as e(value, ordinal) on e.ordinal = l.ordinal`.execute(
      trx,
    );
  }
  return ids;
}

export type DocumentRow = {
  id: string;
  kind: DocumentKind;
  number: string | null;
  run_id: string;
  party_id: string;
  party_name: string;
  party_kind: 'advertiser' | 'agency' | 'partner';
  billing_email: string | null;
  external_ref: string | null;
  period_label: string;
  period_from: string;
  period_to: string;
  currency: string;
  status: StoredStatus;
  issue_date: string | null;
  due_date: string | null;
  payment_terms_days: number;
  subtotal: string;
  total: string;
  flags: string[];
  created_at: string;
  finalized_at: string | null;
  finalized_by: string | null;
  amount_paid: string;
  amount_credited: string;
  voided: boolean;
};

const documentColumns = sql`
  d.id, d.kind, d.number, d.run_id, d.party_id, p.name as party_name, p.kind as party_kind, p.billing_email, p.external_ref,
  d.period_label, d.period_from, d.period_to, d.currency, d.status, d.issue_date, d.due_date, d.payment_terms_days,
  d.subtotal, d.total, d.flags, d.created_at, d.finalized_at, d.finalized_by,
  coalesce((select sum(amount) from payments where document_id = d.id), 0) as amount_paid,
  coalesce((select sum(amount) from credit_notes where invoice_id = d.id), 0) as amount_credited,
  exists (select 1 from document_voids where document_id = d.id) as voided`;

/** The status the API shows: the stored one, or what voids, payments and credit notes made of a finalized document. */
export function derivedStatus(row: Pick<DocumentRow, 'status' | 'voided' | 'total' | 'amount_paid' | 'amount_credited'>): InvoiceStatus {
  if (row.voided) return 'void';
  if (row.status !== 'finalized') return row.status;
  const settled = new Decimal(row.amount_paid).plus(row.amount_credited);
  if (settled.isZero()) return 'finalized';
  return settled.greaterThanOrEqualTo(row.total) ? 'paid' : 'partially_paid';
}

type LineRow = {
  document_id: string;
  position: number;
  contract_id: string;
  contract_number: string;
  line_item: string | null;
  kind: DocumentLine['kind'];
  description: string;
  quantity: string;
  unit: DocumentLine['unit'];
  rate: string | null;
  amount: string;
  date_from: string;
  date_to: string;
  billed_period: string;
  corrects_document_id: string | null;
  corrects_number: string | null;
  flags: DocumentLine['flags'];
  explain: DocumentLine['explain'];
};

function toLine(row: LineRow, currency: string): DocumentLine {
  return {
    position: row.position,
    contractId: row.contract_id,
    contractNumber: row.contract_number,
    lineItem: row.line_item,
    kind: row.kind,
    description: row.description,
    quantity: Number(row.quantity),
    unit: row.unit,
    rate: row.rate,
    amount: formatMoney(new Decimal(row.amount), currency),
    from: row.date_from,
    to: row.date_to,
    flags: row.flags,
    explain: row.explain,
    corrects:
      row.corrects_document_id === null
        ? null
        : { documentId: row.corrects_document_id, number: row.corrects_number ?? '', periodLabel: row.billed_period },
  };
}

/** Assembles the API's view of a document from its row and lines. */
export function toDocument(row: DocumentRow, lines: LineRow[]): BillingDocument {
  const money = (value: string) => formatMoney(new Decimal(value), row.currency);
  const status = derivedStatus(row);
  return {
    id: row.id,
    kind: row.kind,
    number: row.number,
    runId: row.run_id,
    partyId: row.party_id,
    party: { id: row.party_id, name: row.party_name, kind: row.party_kind, billingEmail: row.billing_email, externalRef: row.external_ref },
    period: { label: row.period_label, from: row.period_from, to: row.period_to },
    currency: row.currency,
    status,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    paymentTermsDays: row.payment_terms_days,
    lines: lines.map((line) => toLine(line, row.currency)),
    subtotal: money(row.subtotal),
    total: money(row.total),
    amountPaid: money(row.amount_paid),
    amountCredited: money(row.amount_credited),
    amountDue: status === 'void' ? money('0') : money(new Decimal(row.total).minus(row.amount_paid).minus(row.amount_credited).toFixed()),
    flags: row.flags as BillingDocument['flags'],
    createdAt: row.created_at,
    finalizedAt: row.finalized_at,
    finalizedBy: row.finalized_by,
  };
}

async function loadLines(db: Executor, documentIds: string[]): Promise<Map<string, LineRow[]>> {
  const grouped = new Map<string, LineRow[]>();
  if (documentIds.length === 0) return grouped;
  const rows = await sql<LineRow>`
    select l.document_id, l.position, l.contract_id, c.number as contract_number, l.line_item, l.kind, l.description, l.quantity, l.unit, l.rate, l.amount,
      l.date_from, l.date_to, l.billed_period, l.corrects_document_id, corrected.number as corrects_number, l.flags, l.explain
    from document_lines l
    join contracts c on c.id = l.contract_id
    left join billing_documents corrected on corrected.id = l.corrects_document_id
    where l.document_id = any(${documentIds}::text[])
    order by l.document_id, l.position`.execute(db);
  for (const row of rows.rows) grouped.set(row.document_id, [...(grouped.get(row.document_id) ?? []), row]);
  return grouped;
}

/** One document with its lines, or undefined. `forUpdate` locks its row until the transaction ends. */
export async function findDocument(db: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<BillingDocument | undefined> {
  if (options.forUpdate) await sql`select id from billing_documents where id = ${id} for update`.execute(db);
  const rows =
    await sql<DocumentRow>`select ${documentColumns} from billing_documents d join parties p on p.id = d.party_id where d.id = ${id}`.execute(
      db,
    );
  const row = rows.rows[0];
  if (!row) return undefined;
  const lines = await loadLines(db, [row.id]);
  return toDocument(row, lines.get(row.id) ?? []);
}

/** What deciding who may see a document takes, without its lines: its kind, party, number and currency. */
export async function findDocumentHeading(
  db: Executor,
  id: string,
): Promise<Pick<BillingDocument, 'kind' | 'partyId' | 'number' | 'currency'> | undefined> {
  const rows = await sql<{ kind: DocumentKind; party_id: string; number: string | null; currency: string }>`
    select kind, party_id, number, currency from billing_documents where id = ${id}`.execute(db);
  const row = rows.rows[0];
  return row && { kind: row.kind, partyId: row.party_id, number: row.number, currency: row.currency };
}

export interface DocumentFilter {
  kind: DocumentKind;
  partyId?: string;
  period?: string;
  status?: InvoiceStatus;
  runId?: string;
  /** A party user sees only issued documents: drafts are internal. */
  issuedOnly?: boolean;
  after?: string;
  limit: number;
  /** false: the documents without their lines (a list screen's page of 50 weighs kilobytes, not megabytes). */
  withLines?: boolean;
}

/** A document in a list: its lines only when they were asked for. */
export type DocumentListItem = Omit<BillingDocument, 'lines'> & { lines?: BillingDocument['lines'] };

/** A page of documents (newest last by id), with their lines unless told otherwise. */
export async function listDocuments(db: Executor, filter: DocumentFilter): Promise<DocumentListItem[]> {
  const conditions = [sql`d.kind = ${filter.kind}`];
  if (filter.partyId !== undefined) conditions.push(sql`d.party_id = ${filter.partyId}`);
  if (filter.period !== undefined) conditions.push(sql`d.period_label = ${filter.period}`);
  if (filter.runId !== undefined) conditions.push(sql`d.run_id = ${filter.runId}`);
  if (filter.issuedOnly) conditions.push(sql`d.status = 'finalized'`);
  if (filter.after !== undefined) conditions.push(sql`d.id > ${filter.after}`);
  if (filter.status !== undefined) conditions.push(statusCondition(filter.status));
  const rows = await sql<DocumentRow>`
    select ${documentColumns} from billing_documents d join parties p on p.id = d.party_id
    where ${sql.join(conditions, sql` and `)}
    order by d.id limit ${filter.limit}`.execute(db);
  if (filter.withLines === false) {
    return rows.rows.map((row) => {
      const { lines: _lines, ...summary } = toDocument(row, []);
      return summary;
    });
  }
  const lines = await loadLines(
    db,
    rows.rows.map((row) => row.id),
  );
  return rows.rows.map((row) => toDocument(row, lines.get(row.id) ?? []));
}

function statusCondition(status: InvoiceStatus) {
  const voided = sql`exists (select 1 from document_voids v where v.document_id = d.id)`;
  const settled = sql`(coalesce((select sum(amount) from payments where document_id = d.id), 0) + coalesce((select sum(amount) from credit_notes where invoice_id = d.id), 0))`;
  switch (status) {
    case 'draft':
    case 'needs_review':
      return sql`d.status = ${status}`;
    case 'void':
      return voided;
    case 'finalized':
      return sql`d.status = 'finalized' and not ${voided} and ${settled} = 0`;
    case 'paid':
      return sql`d.status = 'finalized' and not ${voided} and ${settled} > 0 and ${settled} >= d.total`;
    case 'partially_paid':
      return sql`d.status = 'finalized' and not ${voided} and ${settled} > 0 and ${settled} < d.total`;
  }
}

/** Finalized invoices issued from..to that are not void, in number order (what accounting imports). */
export async function listIssuedInvoices(
  db: Executor,
  range: { from: string; to: string; offset: number; limit: number },
): Promise<{ documents: BillingDocument[]; total: number }> {
  const where = sql`d.kind = 'invoice' and d.status = 'finalized' and d.issue_date between ${range.from}::date and ${range.to}::date
    and not exists (select 1 from document_voids v where v.document_id = d.id)`;
  const [rows, count] = await Promise.all([
    sql<DocumentRow>`select ${documentColumns} from billing_documents d join parties p on p.id = d.party_id where ${where} order by d.number offset ${range.offset} limit ${range.limit}`.execute(
      db,
    ),
    sql<{ total: number }>`select count(*)::int as total from billing_documents d where ${where}`.execute(db),
  ]);
  const lines = await loadLines(
    db,
    rows.rows.map((row) => row.id),
  );
  return { documents: rows.rows.map((row) => toDocument(row, lines.get(row.id) ?? [])), total: count.rows[0]?.total ?? 0 };
}
