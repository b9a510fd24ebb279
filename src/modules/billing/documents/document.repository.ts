/**
 * SQL for billing documents: write drafts in bulk, replace them, finalize them, and read documents
 * with their money state within a visibility scope. A document's status comes from one view,
 * document_states (migration 0010), for lists and reads alike. A finalized document is shown as it
 * was issued: its bill-to party and issuer are the snapshot taken at finalization; a draft shows the
 * party as it is now (the parties module answers that).
 */
import { type RawBuilder, sql } from 'kysely';
import type { Executor, Tx } from '../../../platform/database.ts';
import { daysBetween } from '../../../platform/dates.ts';
import { newId } from '../../../platform/ids.ts';
import { copyCell, copyJsonText, copyRowListIn } from '../../../platform/copy-rows.ts';
import type { Explain } from '../../../wire/charges.ts';
import { decodeExplain, ExplainEncoder, type ExplainShape, isStoredExplain } from './explain-codec.ts';
import {
  instantTextSql,
  jsonArraySql,
  jsonObjectSql,
  minorUnitsSql,
  moneyTextSql,
  roundMoneySql,
  selectWrittenPage,
  writtenPageRowsMax,
  type WrittenPage,
} from '../../../platform/json-text.repository.ts';
import type { VisibilityScope } from '../../../platform/visibility.ts';
import type { BillingDocument, DocumentKind, DocumentLine, DocumentParty, InvoiceStatus, StoredStatus } from '../../../wire/billing.ts';
import type { DocumentTax } from '../../../wire/taxes.ts';
import { Decimal, formatMoney } from '../../../wire/money.ts';
import { findContractNumbers } from '../../contracts/index.ts';
import { documentPartyJsonSql, findPartiesByIds } from '../../parties/index.ts';
import type { DraftDocument } from './draft.ts';

/**
 * Deletes the drafts (and their lines) of a month, of these parties only when named (a billing
 * run's partition: SPEC §11): a re-run replaces them. Finalized documents stay.
 */
export async function deleteDrafts(trx: Tx, month: string, partyIds?: readonly string[]): Promise<number> {
  if (partyIds?.length === 0) return 0;
  // A partition names its parties: their drafts are found by the party index, not among the month's.
  const ofParties = partyIds === undefined ? sql`` : sql`and party_id = any(${[...partyIds]}::text[])`;
  // The drafts are found once; a month's first run has none, and skips two deletes whose statement-level checks run even for no rows.
  const drafts = await sql<{ id: string }>`
    select id from billing_documents where period_label = ${month} and status <> 'finalized' ${ofParties}`.execute(trx);
  if (drafts.rows.length === 0) return 0;
  const ids = drafts.rows.map((draft) => draft.id);
  // Lines first, in one statement (their check runs once); a document with lines cannot be deleted.
  await sql`delete from document_lines where document_id = any(${ids}::text[])`.execute(trx);
  const result = await sql`delete from billing_documents where id = any(${ids}::text[])`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Refreshes the planner's statistics of the documents and their lines before a run replaces the
 * month's drafts. Right after the previous run wrote tens of thousands of them the statistics may
 * still say the tables are empty (PostgreSQL analyses them a minute or so later, PGlite never by
 * itself), and the planner then scans every document and line of the book for each partition
 * instead of looking its parties' up by index. A sample of the columns those reads use, once a run
 * that has drafts to replace or lines the statistics have never counted; nothing otherwise (the
 * first run of a month), which costs two index probes.
 */
export async function analyzeDocuments(db: Executor, month: string): Promise<void> {
  const state = await sql<{ drafts: boolean; unanalysed: boolean }>`
    select exists (select 1 from billing_documents where period_label = ${month} and status <> 'finalized') as drafts,
      (select reltuples <= 0 from pg_class where oid = 'document_lines'::regclass) and exists (select 1 from document_lines) as unanalysed`.execute(
    db,
  );
  if (state.rows[0]?.drafts !== true && state.rows[0]?.unanalysed !== true) return;
  // The other columns' statistics (explain's JSON above all) would cost a run more to gather than they help to plan.
  await sql`analyze billing_documents (id, period_label, status, party_id), document_lines (document_id)`.execute(db);
}

/**
 * Writes drafts and all their lines by COPY (and the new shapes of their explains), each line's
 * explain encoded (explain-codec.ts) and stringified once here and checked once there as json. A
 * JSON array of records, the way before, was parsed as json, split into records and each explain
 * read again: a billing run writes tens of thousands of lines.
 */
export async function insertDrafts(trx: Tx, runId: string, now: Date, drafts: DraftDocument[]): Promise<string[]> {
  if (drafts.length === 0) return [];
  const ids = drafts.map((draft) => newId(draft.kind === 'invoice' ? 'inv' : 'pst'));
  const createdAt = now.toISOString();
  const documentRows = drafts.map((draft, index) =>
    [
      copyCell(ids[index]),
      draft.kind,
      copyCell(runId),
      copyCell(draft.partyId),
      copyCell(draft.currency),
      copyCell(draft.period.label),
      draft.period.from,
      draft.period.to,
      draft.flags.length > 0 ? 'needs_review' : 'draft',
      copyJsonText(JSON.stringify(draft.flags)),
      draft.subtotal,
      draft.subtotal,
      String(draft.paymentTermsDays),
      createdAt,
    ].join('\t'),
  );
  await copyRowListIn(trx, `copy billing_documents (${draftColumns}) from stdin`, documentRows);
  const explains = new ExplainEncoder();
  const rows = drafts.flatMap((draft, index) => draft.lines.map((line) => lineRow(ids[index] as string, line, explains)));
  await insertExplainShapes(trx, explains.shapes);
  await copyRowListIn(trx, `copy document_lines (${lineColumns}) from stdin`, rows);
  return ids;
}

/**
 * Stores the shapes of the explains about to be written, in the lines' transaction; a shape already
 * there is the same content (its id is its hash) and is left as it is.
 */
async function insertExplainShapes(trx: Tx, shapes: ReadonlyMap<string, ExplainShape>): Promise<void> {
  if (shapes.size === 0) return;
  await sql`
    insert into explain_shapes (id, shape)
    select id, shape::json from unnest(${[...shapes.keys()]}::text[], ${[...shapes.values()].map((shape) => JSON.stringify(shape))}::text[]) as t(id, shape)
    on conflict (id) do nothing`.execute(trx);
}

/** Shapes already read, by id: a shape never changes (its id is its hash), so any store's is good for every store. */
const shapesRead = new Map<string, ExplainShape>();
const SHAPES_KEPT_MAX = 10_000;

/**
 * The whole explain of each stored line: encoded ones get their keys back from their shapes, read
 * once per process. The shapes this read needs are gathered first, so that making room in the
 * process's cache never drops one of them.
 */
async function decodeExplains(db: Executor, stored: readonly unknown[]): Promise<Explain[]> {
  const shapes = new Map<string, ExplainShape>();
  const missing = new Set<string>();
  for (const explain of stored) {
    if (!isStoredExplain(explain) || shapes.has(explain[0])) continue;
    const known = shapesRead.get(explain[0]);
    if (known === undefined) missing.add(explain[0]);
    else shapes.set(explain[0], known);
  }
  if (missing.size > 0) {
    const found = await sql<{ id: string; shape: ExplainShape }>`
      select id, shape from explain_shapes where id = any(${[...missing]}::text[])`.execute(db);
    if (shapesRead.size + found.rows.length > SHAPES_KEPT_MAX) shapesRead.clear();
    for (const row of found.rows) {
      shapes.set(row.id, row.shape);
      shapesRead.set(row.id, row.shape);
    }
  }
  return stored.map((explain) => {
    if (!isStoredExplain(explain)) return explain as Explain;
    const shape = shapes.get(explain[0]);
    if (shape === undefined) throw new Error(`a document line's explain names shape ${explain[0]}, which explain_shapes does not hold`);
    return decodeExplain(explain, shape);
  });
}

const draftColumns =
  'id, kind, run_id, party_id, currency, period_label, period_from, period_to, status, flags, subtotal, total, payment_terms_days, created_at';

const lineColumns =
  'document_id, position, contract_id, line_item, line_key, kind, description, quantity, unit, rate, amount, version, ' +
  'date_from, date_to, billed_period, corrects_kind, corrects_document_id, flags, explain';

/** A line as one row of COPY's text format, in lineColumns' order (amounts and rates are decimal strings, read by numeric's own input: never a JS number). */
function lineRow(documentId: string, line: DraftDocument['lines'][number], explains: ExplainEncoder): string {
  return [
    copyCell(documentId),
    String(line.position),
    copyCell(line.contractId),
    copyCell(line.lineItem),
    copyCell(line.lineKey),
    line.kind,
    copyCell(line.description),
    String(line.quantity),
    line.unit,
    copyCell(line.rate),
    line.amount,
    copyCell(line.version),
    line.from,
    line.to,
    line.billedPeriod,
    copyCell(line.correctsKind),
    copyCell(line.corrects?.documentId),
    copyJsonText(JSON.stringify(line.flags)),
    copyJsonText(JSON.stringify(explains.encode(line.explain))),
  ].join('\t');
}

type DocumentRow = {
  id: string;
  kind: DocumentKind;
  number: string | null;
  run_id: string;
  party_id: string;
  period_label: string;
  period_from: string;
  period_to: string;
  currency: string;
  stored_status: StoredStatus;
  status: InvoiceStatus;
  issue_date: string | null;
  due_date: string | null;
  payment_terms_days: number;
  subtotal: string;
  tax_total: string;
  tax_note: string | null;
  total: string;
  credits_applied: string;
  flags: string[];
  created_at: string;
  finalized_at: string | null;
  finalized_by: string | null;
  bill_to: DocumentParty | null;
  amount_paid: string;
  amount_credited: string;
};

const documentColumns = sql`
  d.id, d.kind, d.number, d.run_id, d.party_id, d.period_label, d.period_from, d.period_to, d.currency,
  d.status as stored_status, s.status, d.issue_date, d.due_date, d.payment_terms_days, d.subtotal, d.tax_total, d.tax_note, d.total, d.credits_applied, d.flags,
  d.created_at, d.finalized_at, d.finalized_by, d.bill_to, s.amount_paid, s.amount_credited`;

const fromDocuments = sql`billing_documents d join document_states s on s.id = d.id`;

/** The scope's conditions on documents `d`: a party's own, and only issued ones. */
function scopeConditions(scope: VisibilityScope) {
  const conditions = [];
  if (scope.partyId !== null) conditions.push(sql`d.party_id = ${scope.partyId}`);
  if (scope.issuedDocumentsOnly) conditions.push(sql`d.status = 'finalized'`);
  return conditions;
}

type LineRow = {
  document_id: string;
  position: number;
  contract_id: string;
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

function toLine(row: LineRow, currency: string, contractNumbers: Map<string, string>): DocumentLine {
  return {
    position: row.position,
    contractId: row.contract_id,
    contractNumber: contractNumbers.get(row.contract_id) ?? row.contract_id,
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

/**
 * The system's date, for reads whose caller passes no `today`: the documents they answer are not
 * shown with their overdue flag (exports), or cannot be overdue (a void one). Routes that show the
 * flag pass the server clock's today, which tests and demos pin.
 */
function systemToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Whether a document is overdue on `today` (SPEC §10): an issued invoice, not void or settled, with
 * something due after its due date. Derived, never stored, since an issued invoice never changes.
 */
export function overdueState(
  document: Pick<BillingDocument, 'kind' | 'status' | 'dueDate' | 'amountDue'>,
  today: string,
): Pick<BillingDocument, 'overdue' | 'daysPastDue'> {
  const open = document.status === 'finalized' || document.status === 'partially_paid';
  const overdue =
    document.kind === 'invoice' &&
    open &&
    document.dueDate !== null &&
    document.dueDate < today &&
    new Decimal(document.amountDue).greaterThan(0);
  return { overdue, daysPastDue: overdue ? daysBetween(document.dueDate as string, today) : null };
}

/** Assembles the API's view of a document from its row, its party (the snapshot once finalized) and its lines. */
function toDocument(row: DocumentRow, party: DocumentParty, lines: DocumentLine[], taxes: DocumentTax[], today: string): BillingDocument {
  const money = (value: string) => formatMoney(new Decimal(value), row.currency);
  const amountDue =
    row.status === 'void'
      ? money('0')
      : money(new Decimal(row.total).minus(row.amount_paid).minus(row.amount_credited).minus(row.credits_applied).toFixed());
  return {
    id: row.id,
    kind: row.kind,
    number: row.number,
    runId: row.run_id,
    partyId: row.party_id,
    party,
    period: { label: row.period_label, from: row.period_from, to: row.period_to },
    currency: row.currency,
    status: row.status,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    paymentTermsDays: row.payment_terms_days,
    lines,
    subtotal: money(row.subtotal),
    taxes,
    taxTotal: money(row.tax_total),
    taxNote: row.tax_note,
    total: money(row.total),
    amountPaid: money(row.amount_paid),
    amountCredited: money(row.amount_credited),
    creditsApplied: money(row.credits_applied),
    amountDue,
    ...overdueState({ kind: row.kind, status: row.status, dueDate: row.due_date, amountDue }, today),
    flags: row.flags as BillingDocument['flags'],
    createdAt: row.created_at,
    finalizedAt: row.finalized_at,
    finalizedBy: row.finalized_by,
  };
}

/** Each row's party: the snapshot of a finalized document, the party as it is now for a draft. */
async function partiesOf(db: Executor, rows: readonly DocumentRow[]): Promise<Map<string, DocumentParty>> {
  const parties = new Map<string, DocumentParty>();
  const draftPartyIds = [...new Set(rows.filter((row) => row.bill_to === null).map((row) => row.party_id))];
  for (const party of await findPartiesByIds(db, draftPartyIds)) {
    parties.set(party.id, {
      id: party.id,
      name: party.name,
      kind: party.kind,
      billingEmail: party.billingEmail,
      externalRef: party.externalRef,
    });
  }
  const byDocument = new Map<string, DocumentParty>();
  for (const row of rows) {
    const party = row.bill_to ?? parties.get(row.party_id);
    if (!party) throw new Error(`document ${row.id} names party ${row.party_id}, which does not exist`);
    byDocument.set(row.id, party);
  }
  return byDocument;
}

async function loadLines(db: Executor, rows: readonly DocumentRow[]): Promise<Map<string, DocumentLine[]>> {
  const grouped = new Map<string, DocumentLine[]>();
  if (rows.length === 0) return grouped;
  const lines = await sql<LineRow>`
    select l.document_id, l.position, l.contract_id, l.line_item, l.kind, l.description, l.quantity, l.unit, l.rate, l.amount,
      l.date_from, l.date_to, l.billed_period, l.corrects_document_id, corrected.number as corrects_number, l.flags, l.explain
    from document_lines l
    left join billing_documents corrected on corrected.id = l.corrects_document_id
    where l.document_id = any(${rows.map((row) => row.id)}::text[])
    order by l.document_id, l.position`.execute(db);
  const [contractNumbers, explains] = await Promise.all([
    findContractNumbers(db, [...new Set(lines.rows.map((line) => line.contract_id))]),
    decodeExplains(
      db,
      lines.rows.map((line) => line.explain),
    ),
  ]);
  for (const [index, line] of lines.rows.entries()) line.explain = explains[index] as Explain;
  const currencyOf = new Map(rows.map((row) => [row.id, row.currency]));
  for (const line of lines.rows) {
    let list = grouped.get(line.document_id);
    if (!list) grouped.set(line.document_id, (list = []));
    list.push(toLine(line, currencyOf.get(line.document_id) as string, contractNumbers));
  }
  return grouped;
}

/** The tax lines of the taxed documents among these (one query, none when no document is taxed). */
async function loadTaxes(db: Executor, rows: readonly DocumentRow[]): Promise<Map<string, DocumentTax[]>> {
  const grouped = new Map<string, DocumentTax[]>();
  const taxed = rows.filter((row) => row.stored_status === 'finalized' && !new Decimal(row.tax_total).isZero());
  if (taxed.length === 0) return grouped;
  const currencyOf = new Map(taxed.map((row) => [row.id, row.currency]));
  const taxes = await db
    .selectFrom('document_taxes')
    .select(['document_id', 'code', 'name', 'percent', 'base', 'amount'])
    .where(
      'document_id',
      'in',
      taxed.map((row) => row.id),
    )
    .orderBy('document_id')
    .orderBy('position')
    .execute();
  for (const tax of taxes) {
    const currency = currencyOf.get(tax.document_id) as string;
    let list = grouped.get(tax.document_id);
    if (!list) grouped.set(tax.document_id, (list = []));
    list.push({
      code: tax.code,
      name: tax.name,
      percent: new Decimal(tax.percent).toFixed(),
      base: formatMoney(new Decimal(tax.base), currency),
      amount: formatMoney(new Decimal(tax.amount), currency),
    });
  }
  return grouped;
}

/** Documents with their parties, taxes and, unless told otherwise, their lines, in the rows' order; overdue as of `today`. */
async function assemble(db: Executor, rows: DocumentRow[], withLines = true, today = systemToday()): Promise<BillingDocument[]> {
  const [parties, lines, taxes] = await Promise.all([
    partiesOf(db, rows),
    withLines ? loadLines(db, rows) : new Map<string, DocumentLine[]>(),
    loadTaxes(db, rows),
  ]);
  return rows.map((row) => toDocument(row, parties.get(row.id) as DocumentParty, lines.get(row.id) ?? [], taxes.get(row.id) ?? [], today));
}

/** One document with its lines if the scope may see it, or undefined. */
export async function findDocument(db: Executor, scope: VisibilityScope, id: string): Promise<BillingDocument | undefined> {
  const rows = await sql<DocumentRow>`
    select ${documentColumns} from ${fromDocuments} where ${sql.join([sql`d.id = ${id}`, ...scopeConditions(scope)], sql` and `)}`.execute(
    db,
  );
  return (await assemble(db, rows.rows))[0];
}

/** What deciding who may see a document takes, without its lines: its kind, party, number and currency. */
export async function findDocumentHeading(
  db: Executor,
  scope: VisibilityScope,
  id: string,
): Promise<Pick<BillingDocument, 'id' | 'kind' | 'partyId' | 'number' | 'currency'> | undefined> {
  const rows = await sql<{ id: string; kind: DocumentKind; party_id: string; number: string | null; currency: string }>`
    select d.id, d.kind, d.party_id, d.number, d.currency from billing_documents d
    where ${sql.join([sql`d.id = ${id}`, ...scopeConditions(scope)], sql` and `)}`.execute(db);
  const row = rows.rows[0];
  return row && { id: row.id, kind: row.kind, partyId: row.party_id, number: row.number, currency: row.currency };
}

export interface DocumentFilter {
  kind: DocumentKind;
  partyId?: string | undefined;
  period?: string | undefined;
  status?: InvoiceStatus | undefined;
  runId?: string | undefined;
  /** Only invoices overdue on `today` (true), or only documents that are not (false). */
  overdue?: boolean | undefined;
  /** The server's date: what `overdue` is as of. */
  today?: string | undefined;
  after?: string | undefined;
  limit: number;
  /** false: the documents without their lines (a list screen's page of 50 weighs kilobytes, not megabytes). */
  withLines?: boolean;
}

/** A document in a list: its lines only when they were asked for. */
export type DocumentListItem = Omit<BillingDocument, 'lines'> & { lines?: BillingDocument['lines'] };

/** The conditions of a list of documents `d` (with their states `s`) that the scope may see. */
function listConditions(scope: VisibilityScope, filter: DocumentFilter, today: string) {
  const conditions = [sql`d.kind = ${filter.kind}`, ...scopeConditions(scope)];
  if (filter.partyId !== undefined) conditions.push(sql`d.party_id = ${filter.partyId}`);
  if (filter.period !== undefined) conditions.push(sql`d.period_label = ${filter.period}`);
  if (filter.runId !== undefined) conditions.push(sql`d.run_id = ${filter.runId}`);
  if (filter.after !== undefined) conditions.push(sql`d.id > ${filter.after}`);
  if (filter.status !== undefined) conditions.push(sql`s.status = ${filter.status}`);
  if (filter.overdue !== undefined) {
    // overdueState's rule in SQL; a draft has no due date, which coalesce reads as not overdue.
    const overdue = sql`coalesce(d.kind = 'invoice' and s.status in ('finalized', 'partially_paid') and d.due_date < ${today}::date
      and d.total - s.amount_paid - s.amount_credited - d.credits_applied > 0, false)`;
    conditions.push(filter.overdue ? overdue : sql`not ${overdue}`);
  }
  return conditions;
}

/** A page of the documents the scope may see (in id order), with their lines unless told otherwise. */
export async function listDocuments(db: Executor, scope: VisibilityScope, filter: DocumentFilter): Promise<DocumentListItem[]> {
  const today = filter.today ?? systemToday();
  const conditions = listConditions(scope, filter, today);
  const rows = await sql<DocumentRow>`
    select ${documentColumns} from ${fromDocuments}
    where ${sql.join(conditions, sql` and `)}
    order by d.id limit ${filter.limit}`.execute(db);
  const documents = await assemble(db, rows.rows, filter.withLines !== false, today);
  if (filter.withLines !== false) return documents;
  return documents.map(({ lines: _lines, ...summary }) => summary);
}

/**
 * A document row `r` of listDocumentsWritten's rows as the API's JSON, without its lines:
 * documentSchema's properties in its order, as toDocument, overdueState and the serializer write
 * them (`r.minor_units` and the rounded `r.amount_due` come with the row).
 */
function documentJsonSql(today: string) {
  const money = (amount: RawBuilder<unknown>) => moneyTextSql(amount, sql`r.minor_units`);
  // The party: the snapshot of a finalized document (its tax id only when it had one), the party as
  // it is now for a draft; a document whose party does not exist fails the statement, as toDocument's
  // assembly refuses it.
  const snapshot = {
    id: sql`r.bill_to->>'id'`,
    name: sql`r.bill_to->>'name'`,
    kind: sql`r.bill_to->>'kind'`,
    billingEmail: sql`r.bill_to->>'billingEmail'`,
    externalRef: sql`r.bill_to->>'externalRef'`,
  };
  const party = sql`case
    when r.bill_to is null then coalesce(${documentPartyJsonSql(sql`r.party_id`)}, ('document ' || r.id || ' names a missing party')::integer::text::json)
    when jsonb_typeof(r.bill_to->'taxId') = 'string' then ${jsonObjectSql({ ...snapshot, taxId: sql`r.bill_to->>'taxId'` })}
    else ${jsonObjectSql(snapshot)} end`;
  // loadTaxes: the tax lines of a finalized document with tax, none otherwise.
  const tax = jsonObjectSql({
    code: sql`t.code`,
    name: sql`t.name`,
    percent: sql`trim_scale(t.percent)::text`,
    base: money(sql`t.base`),
    amount: money(sql`t.amount`),
  });
  const overdue = sql`r.kind = 'invoice' and r.status in ('finalized', 'partially_paid') and r.due_date is not null
    and r.due_date < ${today}::date and r.amount_due > 0`;
  return jsonObjectSql({
    id: sql`r.id`,
    kind: sql`r.kind`,
    number: sql`r.number`,
    runId: sql`r.run_id`,
    partyId: sql`r.party_id`,
    party,
    period: jsonObjectSql({ label: sql`r.period_label`, from: sql`r.period_from`, to: sql`r.period_to` }),
    currency: sql`r.currency`,
    status: sql`r.status`,
    issueDate: sql`r.issue_date`,
    dueDate: sql`r.due_date`,
    paymentTermsDays: sql`r.payment_terms_days`,
    subtotal: money(sql`r.subtotal`),
    taxes: sql`case when r.stored_status = 'finalized' and r.tax_total <> 0
      then ${jsonArraySql(tax, sql`document_taxes t where t.document_id = r.id`, sql`t.position`)} else '[]'::json end`,
    taxTotal: money(sql`r.tax_total`),
    taxNote: sql`r.tax_note`,
    total: money(sql`r.total`),
    amountPaid: money(sql`r.amount_paid`),
    amountCredited: money(sql`r.amount_credited`),
    creditsApplied: money(sql`r.credits_applied`),
    amountDue: sql`r.amount_due::text`,
    overdue: sql`coalesce(${overdue}, false)`,
    daysPastDue: sql`case when ${overdue} then ${today}::date - r.due_date end`,
    flags: sql`case when r.flags = '[]'::jsonb then '{}'::text[] else array(select jsonb_array_elements_text(r.flags)) end`,
    createdAt: instantTextSql(sql`r.created_at`),
    finalizedAt: instantTextSql(sql`r.finalized_at`),
    finalizedBy: sql`r.finalized_by`,
  });
}

/**
 * A page of the documents the scope may see (in id order) without their lines, written as the
 * API's JSON text by PostgreSQL in one statement (src/platform/json-text.repository.ts says why):
 * what a list screen reads. `filter.limit` is the page's size; one more row says whether another follows.
 */
export async function listDocumentsWritten(db: Executor, scope: VisibilityScope, filter: DocumentFilter): Promise<WrittenPage> {
  const today = filter.today ?? systemToday();
  const conditions = listConditions(scope, filter, today);
  // amountDue as toDocument has it: zero for a void document, else what is left, rounded. It is
  // computed over the page's rows once they are read: each mention of the state view's columns
  // inside the query that reads them would sum the payments and credit notes once more.
  const due = sql`(q.total - q.amount_paid - q.amount_credited - q.credits_applied)`;
  const rows = sql`
    select q.*, case when q.status = 'void' then round(0, q.minor_units) else ${roundMoneySql(due, sql`q.minor_units`)} end as amount_due
    from (select ${documentColumns}, d.id as key, ${minorUnitsSql(sql`d.currency`)} as minor_units
      from ${fromDocuments}
      where ${sql.join(conditions, sql` and `)}
      order by d.id limit ${writtenPageRowsMax}) as q`;
  return selectWrittenPage(db, { rows, item: documentJsonSql(today), limit: filter.limit });
}

/** The lowest-numbered invoice of a billing run (its id, total and currency), or undefined for none. */
export async function findFirstRunInvoice(
  db: Executor,
  runId: string,
): Promise<{ id: string; total: string; currency: string } | undefined> {
  return db
    .selectFrom('billing_documents')
    .select(['id', 'total', 'currency'])
    .where('run_id', '=', runId)
    .where('kind', '=', 'invoice')
    .orderBy('number')
    .executeTakeFirst();
}

/** Finalized invoices issued from..to that are not void, in number order (what accounting imports). */
export async function listIssuedInvoices(
  db: Executor,
  range: { from: string; to: string; offset: number; limit: number; entityId?: string | undefined },
): Promise<{ documents: BillingDocument[]; total: number }> {
  const entity = range.entityId === undefined ? sql`` : sql` and d.billing_entity_id = ${range.entityId}`;
  const where = sql`d.kind = 'invoice' and d.status = 'finalized' and d.issue_date between ${range.from}::date and ${range.to}::date and not s.voided${entity}`;
  const [rows, count] = await Promise.all([
    sql<DocumentRow>`select ${documentColumns} from ${fromDocuments} where ${where} order by d.number offset ${range.offset} limit ${range.limit}`.execute(
      db,
    ),
    sql<{ total: number }>`select count(*)::int as total from ${fromDocuments} where ${where}`.execute(db),
  ]);
  return { documents: await assemble(db, rows.rows), total: count.rows[0]?.total ?? 0 };
}

/** A draft as finalization reads it under lock, with the run that wrote it and who started that run. */
export interface LockedDraft {
  id: string;
  kind: DocumentKind;
  party_id: string;
  currency: string;
  status: StoredStatus;
  total: string;
  payment_terms_days: number;
  run_id: string;
  started_by: string;
}

/** Locks the documents given (in the order finalization numbers them) until the transaction ends. */
export async function lockDocumentsForFinalizing(trx: Tx, ids: readonly string[]): Promise<LockedDraft[]> {
  const rows = await sql<LockedDraft>`
    select d.id, d.kind, d.party_id, d.currency, d.status, d.total, d.payment_terms_days, d.run_id, r.started_by
    from billing_documents d join billing_runs r on r.id = d.run_id
    where d.id = any(${[...ids]}::text[])
    order by d.kind, d.party_id, d.currency, d.id
    for update of d`.execute(trx);
  return rows.rows;
}

/** The drafts of one kind that a run wrote (not yet finalized), in id order; undefined when the run does not exist. */
export async function listRunDrafts(
  db: Executor,
  runId: string,
  kind: DocumentKind,
): Promise<{ id: string; status: StoredStatus }[] | undefined> {
  const run = await db.selectFrom('billing_runs').select('id').where('id', '=', runId).executeTakeFirst();
  if (!run) return undefined;
  return db
    .selectFrom('billing_documents')
    .select(['id', 'status'])
    .where('run_id', '=', runId)
    .where('kind', '=', kind)
    .where('status', '!=', 'finalized')
    .orderBy(sql`party_id collate "C"`)
    .orderBy(sql`currency collate "C"`)
    .execute();
}

/** One finalized document's number, dates and the snapshot of its bill-to party and issuer. */
export interface Finalization {
  id: string;
  number: string;
  dueDate: string;
  billTo: DocumentParty;
  issuer: unknown;
  billingEntityId: string;
  /** The subtotal plus the taxes, the taxes' sum, and the note printed instead of tax. */
  total: string;
  taxTotal: string;
  taxNote: string | null;
  /** What the party's credits paid of it. */
  creditsApplied: string;
}

/** Finalizes drafts in one statement: numbers, issue and due dates, who finalized, and the snapshots. */
export async function markFinalized(trx: Tx, finalizations: readonly Finalization[], issueDate: string, at: string, by: string) {
  await sql`
    update billing_documents d set status = 'finalized', number = t.number, issue_date = ${issueDate}::date,
      due_date = t.due_date, finalized_at = ${at}::timestamptz, finalized_by = ${by}, bill_to = t.bill_to, issuer = t.issuer,
      billing_entity_id = t.billing_entity_id, total = t.total, tax_total = t.tax_total, tax_note = t.tax_note,
      credits_applied = t.credits_applied
    from unnest(${finalizations.map((row) => row.id)}::text[], ${finalizations.map((row) => row.number)}::text[],
      ${finalizations.map((row) => row.dueDate)}::date[], ${finalizations.map((row) => JSON.stringify(row.billTo))}::jsonb[],
      ${finalizations.map((row) => JSON.stringify(row.issuer))}::jsonb[], ${finalizations.map((row) => row.billingEntityId)}::text[],
      ${finalizations.map((row) => row.total)}::numeric[], ${finalizations.map((row) => row.taxTotal)}::numeric[],
      ${finalizations.map((row) => row.taxNote)}::text[], ${finalizations.map((row) => row.creditsApplied)}::numeric[])
      as t(id, number, due_date, bill_to, issuer, billing_entity_id, total, tax_total, tax_note, credits_applied)
    where d.id = t.id`.execute(trx);
}

/** One tax line of a document being finalized. */
export interface DocumentTaxRow {
  documentId: string;
  position: number;
  taxRateId: string;
  code: string;
  name: string;
  percent: string;
  base: string;
  amount: string;
}

/** Writes the tax lines of documents being finalized, in one statement. */
export async function insertDocumentTaxes(trx: Tx, taxes: readonly DocumentTaxRow[]): Promise<void> {
  if (taxes.length === 0) return;
  await trx
    .insertInto('document_taxes')
    .values(
      taxes.map((tax) => ({
        document_id: tax.documentId,
        position: tax.position,
        tax_rate_id: tax.taxRateId,
        code: tax.code,
        name: tax.name,
        percent: tax.percent,
        base: tax.base,
        amount: tax.amount,
      })),
    )
    .execute();
}

/** The tax lines of one finalized document (what a credit note on it takes back in proportion). */
export async function findDocumentTaxes(db: Executor, documentId: string): Promise<{ code: string; percent: string; amount: string }[]> {
  return db
    .selectFrom('document_taxes')
    .select(['code', 'percent', 'amount'])
    .where('document_id', '=', documentId)
    .orderBy('position')
    .execute();
}

/** Each document's lines summed into media (and everything that is not a fee) and fees, for its ledger posting. */
export async function sumRevenueByKind(trx: Tx, ids: readonly string[]): Promise<Map<string, { media: string; fee: string }>> {
  const rows = await sql<{ document_id: string; fee: string; media: string }>`
    select document_id,
      coalesce(sum(amount) filter (where coalesce(corrects_kind, kind) = 'fee'), 0) as fee,
      coalesce(sum(amount) filter (where coalesce(corrects_kind, kind) <> 'fee'), 0) as media
    from document_lines where document_id = any(${[...ids]}::text[]) group by document_id`.execute(trx);
  return new Map(rows.rows.map((row) => [row.document_id, { media: row.media, fee: row.fee }]));
}

/** The issuer as a finalized document recorded it (null for a draft, which prints its party's entity), and its party. */
export async function findIssuerSnapshot(db: Executor, id: string): Promise<{ issuer: unknown; partyId: string | null }> {
  const row = await db.selectFrom('billing_documents').select(['issuer', 'party_id']).where('id', '=', id).executeTakeFirst();
  return { issuer: row?.issuer ?? null, partyId: row?.party_id ?? null };
}
