/**
 * Helpers for billing scenarios and properties (test/scenarios): billing runs, invoices and payout
 * statements, payments, credit notes and the trial balance, through the HTTP API, read back in
 * shapes a test can compare with figures worked out by hand; and the comparison of a run split into
 * partitions with a whole one, through the use case (its partition size is not an API field).
 */
import { sql } from 'kysely';
import { expect } from 'vitest';
import { type Actor, systemActor } from '../../src/platform/actor.ts';
import { helpRunningRun, runBilling as runBillingUseCase } from '../../src/modules/billing/runs/index.ts';
import type { BillingRun } from '../../src/wire/billing.ts';
import { Decimal } from '../../src/wire/money.ts';
import type { CallResult, Harness } from './harness.ts';

export type DocumentKind = 'invoice' | 'payout_statement';

/** One line of an invoice or payout statement, as the API answers it. */
export interface DocumentLineView {
  position: number;
  contractId: string;
  contractNumber: string;
  lineItem: string | null;
  kind: 'media' | 'fee' | 'minimum_spend' | 'adjustment';
  description: string;
  quantity: number;
  unit: string;
  rate: string | null;
  amount: string;
  from: string;
  to: string;
  flags: string[];
  explain: Record<string, unknown>;
  corrects: { documentId: string; number: string; periodLabel: string } | null;
}

/** An invoice or payout statement, as the API answers it. */
export interface DocumentView {
  id: string;
  kind: DocumentKind;
  number: string | null;
  runId: string;
  partyId: string;
  period: { label: string; from: string; to: string };
  currency: string;
  status: string;
  issueDate: string | null;
  dueDate: string | null;
  paymentTermsDays: number;
  lines: DocumentLineView[];
  subtotal: string;
  total: string;
  amountPaid: string;
  amountCredited: string;
  amountDue: string;
  flags: string[];
}

export interface BillingRunView {
  id: string;
  period: string;
  status: string;
  startedBy: string;
  invoices: number;
  statements: number;
  adjustmentLines: number;
  contractsRated: number;
  carriedForward: { contractId: string; partyId: string; currency: string; amount: string; minimumPayout: string }[];
  error: string | null;
}

export interface TrialBalanceView {
  asOf: string;
  accounts: { account: string; currency: string; debit: string; credit: string; balance: string }[];
  totals: { debit: string; credit: string };
}

const paths: Record<DocumentKind, string> = { invoice: '/v1/invoices', payout_statement: '/v1/payout-statements' };

function expectStatus(response: CallResult, status: number, what: string): void {
  if (response.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${response.status}: ${response.text}`);
}

/** Starts a billing run for `period` as `token`; fails unless it completes. */
export async function runBilling(h: Harness, token: string, period: string): Promise<BillingRunView> {
  const response = await h.call('POST', '/v1/billing-runs', { token, body: { period } });
  if (response.status !== 201) {
    // The problem document hides a 5xx's cause; the failed run's record keeps it.
    const runs = await h.call('GET', `/v1/billing-runs?period=${period}&limit=1`, { token });
    throw new Error(
      `billing run ${period}: expected HTTP 201, got ${response.status}: ${response.text}; run: ${JSON.stringify(runs.body?.data?.[0])}`,
    );
  }
  expect(response.body.status, `run ${period}: ${response.body.error}`).toBe('completed');
  return response.body as BillingRunView;
}

/** Every document of a kind, optionally of one period, in id order (follows the cursor). */
export async function listDocuments(
  h: Harness,
  token: string,
  kind: DocumentKind,
  query: { period?: string; partyId?: string; status?: string } = {},
): Promise<DocumentView[]> {
  const documents: DocumentView[] = [];
  let cursor: string | null = null;
  do {
    const parameters = new URLSearchParams({ limit: '500', ...query, ...(cursor === null ? {} : { cursor }) });
    const response = await h.call('GET', `${paths[kind]}?${parameters.toString()}`, { token });
    expectStatus(response, 200, `list ${kind}`);
    // The same page without lines is written by PostgreSQL (src/platform/json-text.repository.ts), not
    // assembled here: every scenario that lists documents checks that it says the same, but for the lines.
    parameters.set('lines', 'false');
    const withoutLines = await h.call('GET', `${paths[kind]}?${parameters.toString()}`, { token });
    expectStatus(withoutLines, 200, `list ${kind} without lines`);
    const assembled = (response.body.data as Record<string, unknown>[]).map(({ lines: _lines, ...document }) => document);
    expect(withoutLines.body).toEqual({ data: assembled, nextCursor: response.body.nextCursor });
    documents.push(...(response.body.data as DocumentView[]));
    cursor = response.body.nextCursor as string | null;
  } while (cursor !== null);
  return documents;
}

/** One document; fails unless it exists. */
export async function readDocument(h: Harness, token: string, kind: DocumentKind, id: string): Promise<DocumentView> {
  const response = await h.call('GET', `${paths[kind]}/${id}`, { token });
  expectStatus(response, 200, `read ${kind} ${id}`);
  return response.body as DocumentView;
}

/** The one document of a kind, period and party; fails unless exactly one exists. */
export async function documentOf(h: Harness, token: string, kind: DocumentKind, period: string, partyId: string): Promise<DocumentView> {
  const found = await listDocuments(h, token, kind, { period, partyId });
  expect(found.length, `one ${kind} of ${partyId} for ${period}`).toBe(1);
  return found[0]!;
}

/** Calls finalize and answers the raw response (so that refusals can be checked). */
export function callFinalize(h: Harness, token: string, kind: DocumentKind, id: string, reviewed?: boolean): Promise<CallResult> {
  return h.call('POST', `${paths[kind]}/${id}/finalize`, { token, body: reviewed === undefined ? {} : { reviewed } });
}

/** Finalizes a draft; fails unless it is finalized, and answers it. */
export async function finalizeDocument(
  h: Harness,
  token: string,
  kind: DocumentKind,
  id: string,
  reviewed?: boolean,
): Promise<DocumentView> {
  const response = await callFinalize(h, token, kind, id, reviewed);
  expectStatus(response, 200, `finalize ${kind} ${id}`);
  return response.body as DocumentView;
}

/** Records a payment (an invoice's receipt or a statement's payout); answers the raw response. */
export function callPayment(
  h: Harness,
  token: string,
  kind: DocumentKind,
  id: string,
  amount: string,
  date: string,
  reference = `wire ${amount}`,
): Promise<CallResult> {
  return h.call('POST', `${paths[kind]}/${id}/payments`, { token, body: { amount, date, reference } });
}

/** Records a payment; fails unless it is accepted. */
export async function pay(h: Harness, token: string, kind: DocumentKind, id: string, amount: string, date: string): Promise<void> {
  expectStatus(await callPayment(h, token, kind, id, amount, date), 201, `pay ${amount} on ${kind} ${id}`);
}

/** Issues a credit note; answers the raw response. */
export function callCreditNote(
  h: Harness,
  token: string,
  invoiceId: string,
  amount: string,
  reason = 'scenario credit',
): Promise<CallResult> {
  return h.call('POST', '/v1/credit-notes', { token, body: { invoiceId, amount, reason } });
}

/** The trial balance as of a date (today when absent) in USD. */
export async function trialBalance(h: Harness, token: string, asOf?: string): Promise<TrialBalanceView> {
  const query = new URLSearchParams({ currency: 'USD', ...(asOf === undefined ? {} : { asOf }) });
  const response = await h.call('GET', `/v1/ledger/trial-balance?${query.toString()}`, { token });
  expectStatus(response, 200, 'trial balance');
  return response.body as TrialBalanceView;
}

/** Money as a two-decimal string, whatever form the API wrote it in ("1000", "1000.00"). */
export function cents(value: string | Decimal): string {
  return new Decimal(value).toFixed(2);
}

/**
 * Checks that the trial balance balances, today and with everything posted (far in the future), and
 * answers every account's balance (debit − credit) with everything posted, as a two-decimal string.
 */
export async function expectBalancedBooks(h: Harness, token: string): Promise<Record<string, string>> {
  const balances: Record<string, string> = {};
  for (const asOf of [undefined, '2099-12-31']) {
    const balance = await trialBalance(h, token, asOf);
    expect(cents(balance.totals.debit), `trial balance as of ${balance.asOf}: debits = credits`).toBe(cents(balance.totals.credit));
    const debits = balance.accounts.reduce((sum, account) => sum.plus(account.debit), new Decimal(0));
    const credits = balance.accounts.reduce((sum, account) => sum.plus(account.credit), new Decimal(0));
    expect(cents(debits), 'the totals are the sums of the accounts').toBe(cents(balance.totals.debit));
    expect(cents(credits)).toBe(cents(balance.totals.credit));
    if (asOf !== undefined) for (const account of balance.accounts) balances[account.account] = cents(account.balance);
  }
  return balances;
}

/** A line reduced to what a scenario checks: contract, line item, kind, quantity, unit, rate, amount, what it corrects. */
export function lineSummary(line: DocumentLineView): (string | number | null)[] {
  return [
    line.contractNumber,
    line.lineItem,
    line.kind,
    line.quantity,
    line.unit,
    line.rate,
    line.amount,
    line.corrects?.number ?? null,
    line.corrects?.periodLabel ?? null,
  ];
}

/** Sums of money strings as a two-decimal string. */
export function sumOf(values: string[]): string {
  return cents(values.reduce((sum, value) => sum.plus(value), new Decimal(0)));
}

/** Every draft of `month` with its lines, as content (no ids): what a billing run wrote. */
async function draftsOf(h: Harness, month: string): Promise<unknown[]> {
  const rows = await sql<{ document: unknown }>`
    select jsonb_build_object('kind', d.kind, 'party', d.party_id, 'currency', d.currency, 'subtotal', d.subtotal::text,
      'status', d.status, 'flags', d.flags, 'period', d.period_from::text || '..' || d.period_to::text,
      'lines', (select jsonb_agg(jsonb_build_array(l.position, l.contract_id, l.line_key, l.kind, l.description, l.quantity, l.unit,
        l.rate::text, l.amount::text, l.billed_period, l.corrects_kind, l.flags, l.explain::jsonb) order by l.position)
        from document_lines l where l.document_id = d.id)) as document
    from billing_documents d where d.period_label = ${month} and d.status <> 'finalized'
    order by d.kind, d.party_id collate "C", d.currency`.execute(h.store.db);
  return rows.rows.map((row) => row.document);
}

/**
 * SPEC §11: the run of `month` split by party into partitions drafts exactly what one partition
 * drafts. Runs it twice through the use case: once whole (one partition), once with one party per
 * partition, and compares the drafts (every field of every line, explain included) and the run's
 * figures. `startedBy` starts both (a run's starter may not release its statements: maker-checker).
 * Answers the split run.
 */
export async function expectSameDraftsWhenSplit(h: Harness, month: string, startedBy: Actor = systemActor): Promise<BillingRun> {
  const clock = h.app.clock;
  const whole = await runBillingUseCase(h.store.db, clock, startedBy, month, { partitionParties: 1_000_000 });
  expect(whole.partitions).toEqual({ total: 1, done: 1, running: 0, failed: 0 });
  const drafted = await draftsOf(h, month);
  expect(drafted.length, `drafts of ${month} to compare`).toBeGreaterThan(0);
  // A second worker bills partitions beside the run's own process (on PostgreSQL really side by side,
  // on separate connections), as `tally worker` does: they must not deadlock, and change nothing.
  let finished = false;
  const helper = (async () => {
    while (!finished) {
      await helpRunningRun(h.store.db, clock, systemActor);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const split = await runBillingUseCase(h.store.db, clock, startedBy, month, { partitionParties: 1 }).finally(() => {
    finished = true;
  });
  await helper;
  expect(split.status).toBe('completed');
  expect(split.partitions.done).toBe(split.partitions.total);
  expect(split.partitions.total, 'one partition per party').toBeGreaterThan(1);
  expect(await draftsOf(h, month)).toEqual(drafted);
  const figures = (run: BillingRun) => [run.contractsRated, run.invoices, run.statements, run.adjustmentLines, run.carriedForward];
  expect(figures(split)).toEqual(figures(whole));
  return split;
}
