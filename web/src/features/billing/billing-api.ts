/**
 * Billing (SPEC §5): runs, invoices and payout statements with their commands, credit notes, the
 * trial balance, ledger entries, and the margin, tax and receivables aging reports. Money stays the
 * API's decimal strings. Commands that move money carry an Idempotency-Key (see common/idempotency.ts).
 */
import { api, type Page } from '../../app/api.ts';
import type { BillingDocument, DocumentKind, DocumentLine, InvoiceStatus } from '../../../../src/wire/billing.ts';
import type { JournalEntry } from '../../../../src/wire/ledger.ts';
import type { BillingRun } from '../../../../src/wire/billing.ts';
import type { CreditNote } from '../../../../src/wire/billing.ts';
import type { CarriedForward } from '../../../../src/wire/billing.ts';
import type { Payment } from '../../../../src/wire/billing.ts';
import type { AccountBalance } from '../../../../src/wire/ledger.ts';
import type { MarginRow } from '../../../../src/wire/ledger.ts';
import type { AgingBucket, ArAging, TaxReport, TaxReportRow } from '../../../../src/wire/finance-reports.ts';

// The API's own types (type-only imports: nothing of the server enters the bundle).
export type {
  AccountBalance,
  AgingBucket,
  ArAging,
  BillingDocument,
  BillingRun,
  CarriedForward,
  CreditNote,
  DocumentKind,
  DocumentLine,
  InvoiceStatus,
  MarginRow,
  Payment,
  TaxReport,
  TaxReportRow,
};
/** The days-past-due buckets of the receivables aging, in order (a column each). */
export { agingBuckets } from '../../../../src/wire/finance-reports.ts';
export type ArAgingRow = ArAging['rows'][number];

/** A document as lists show it: lists ask the API to leave the lines (and their explain) out. */
export type DocumentSummary = Omit<BillingDocument, 'lines'>;

export const documentStatuses: InvoiceStatus[] = ['draft', 'needs_review', 'finalized', 'partially_paid', 'paid', 'void'];

/** The path of a document kind, in the API and in the app. */
export const documentPath: Record<DocumentKind, string> = { invoice: 'invoices', payout_statement: 'payout-statements' };
export const documentNoun: Record<DocumentKind, string> = { invoice: 'invoice', payout_statement: 'payout statement' };

export interface DocumentListQuery {
  kind: DocumentKind;
  status?: InvoiceStatus | undefined;
  period?: string | undefined;
  partyId?: string | undefined;
  runId?: string | undefined;
  /** Only the invoices overdue today (true) or the others (false); all when absent. */
  overdue?: boolean | undefined;
  cursor?: string | undefined;
  limit?: number;
}

export interface DocumentRef {
  kind: DocumentKind;
  id: string;
}

/** A trial balance's amounts: in the entries' own currencies, or each converted into its entity's base (SPEC §10). */
export type TrialBalanceView = 'document' | 'base';

export interface TrialBalance {
  asOf: string;
  currency: string | null;
  /** The entity whose books these are; null for all entities together. */
  entityId: string | null;
  /** With `base`, each account's `currency` is its entity's base currency. */
  in: TrialBalanceView;
  accounts: AccountBalance[];
  totals: { debit: string; credit: string };
  totalsByCurrency: { currency: string; debit: string; credit: string }[];
}

/** An account statement's row: a journal entry and its line in its transaction. */
export type LedgerEntry = JournalEntry & { line: number };

const keyed = (key: string) => ({ 'idempotency-key': key });

/** What a change to a document touches: it, the lists, the ledger (the aging too), the parties' balances and the audit log. */
function documentTouched(id: string) {
  return [{ type: 'Document' as const, id }, 'DocumentList' as const, 'Ledger' as const, 'PartyBalance' as const, 'Audit' as const];
}

export const billingApi = api.injectEndpoints({
  endpoints: (build) => ({
    listBillingRuns: build.query<Page<BillingRun>, { period?: string | undefined; cursor?: string | undefined; limit?: number }>({
      query: ({ period, cursor, limit = 50 }) => ({ url: '/billing-runs', params: { period: period || undefined, cursor, limit } }),
      providesTags: (page) => ['BillingRun', ...(page?.data ?? []).map((run) => ({ type: 'BillingRun' as const, id: run.id }))],
    }),
    getBillingRun: build.query<BillingRun, string>({
      query: (id) => `/billing-runs/${encodeURIComponent(id)}`,
      providesTags: (_run, _error, id) => [{ type: 'BillingRun', id }],
    }),
    startBillingRun: build.mutation<BillingRun, { period: string; idempotencyKey: string }>({
      query: ({ period, idempotencyKey }) => ({ url: '/billing-runs', method: 'POST', body: { period }, headers: keyed(idempotencyKey) }),
      // A run replaces the month's drafts: every document read may have changed.
      invalidatesTags: ['BillingRun', 'Document', 'DocumentList', 'Audit'],
    }),
    finalizeRun: build.mutation<{ finalized: number; skippedForReview: number }, { runId: string; kind: DocumentKind; reviewed: boolean }>({
      query: ({ runId, kind, reviewed }) => ({
        url: `/billing-runs/${encodeURIComponent(runId)}/finalize`,
        method: 'POST',
        body: { kind, reviewed },
      }),
      invalidatesTags: (_result, _error, { runId }) => [
        { type: 'BillingRun', id: runId },
        'Document',
        'DocumentList',
        'Ledger',
        'PartyBalance',
        'Audit',
      ],
    }),
    listDocuments: build.query<Page<DocumentSummary>, DocumentListQuery>({
      query: ({ kind, status, period, partyId, runId, overdue, cursor, limit = 50 }) => ({
        url: `/${documentPath[kind]}`,
        params: {
          status,
          period: period || undefined,
          partyId: partyId || undefined,
          runId,
          overdue: overdue === undefined ? undefined : String(overdue),
          cursor,
          limit,
          lines: 'false',
        },
      }),
      providesTags: (page) => ['DocumentList', ...(page?.data ?? []).map((document) => ({ type: 'Document' as const, id: document.id }))],
    }),
    getDocument: build.query<BillingDocument, DocumentRef>({
      query: ({ kind, id }) => `/${documentPath[kind]}/${encodeURIComponent(id)}`,
      providesTags: (_document, _error, { id }) => [{ type: 'Document', id }],
    }),
    finalizeDocument: build.mutation<BillingDocument, DocumentRef & { reviewed: boolean }>({
      query: ({ kind, id, reviewed }) => ({
        url: `/${documentPath[kind]}/${encodeURIComponent(id)}/finalize`,
        method: 'POST',
        body: { reviewed },
      }),
      invalidatesTags: (_document, _error, { id }) => documentTouched(id),
    }),
    voidDocument: build.mutation<BillingDocument, DocumentRef & { reason: string }>({
      query: ({ kind, id, reason }) => ({ url: `/${documentPath[kind]}/${encodeURIComponent(id)}/void`, method: 'POST', body: { reason } }),
      invalidatesTags: (_document, _error, { id }) => documentTouched(id),
    }),
    recordPayment: build.mutation<Payment, DocumentRef & { amount: string; date: string; reference: string; idempotencyKey: string }>({
      query: ({ kind, id, idempotencyKey, ...body }) => ({
        url: `/${documentPath[kind]}/${encodeURIComponent(id)}/payments`,
        method: 'POST',
        body,
        headers: keyed(idempotencyKey),
      }),
      invalidatesTags: (_payment, _error, { id }) => [...documentTouched(id), { type: 'Payment', id }],
    }),
    listPayments: build.query<Page<Payment>, DocumentRef & { cursor?: string | undefined }>({
      query: ({ kind, id, cursor }) => ({
        url: `/${documentPath[kind]}/${encodeURIComponent(id)}/payments`,
        params: { cursor, limit: 100 },
      }),
      providesTags: (_page, _error, { id }) => [{ type: 'Payment', id }],
    }),
    issueCreditNote: build.mutation<CreditNote, { invoiceId: string; amount: string; reason: string; idempotencyKey: string }>({
      query: ({ idempotencyKey, ...body }) => ({ url: '/credit-notes', method: 'POST', body, headers: keyed(idempotencyKey) }),
      invalidatesTags: (_note, _error, { invoiceId }) => [...documentTouched(invoiceId), 'CreditNote'],
    }),
    listCreditNotes: build.query<Page<CreditNote>, { invoiceId: string; cursor?: string | undefined }>({
      query: ({ invoiceId, cursor }) => ({ url: '/credit-notes', params: { invoiceId, cursor, limit: 100 } }),
      providesTags: ['CreditNote'],
    }),
    trialBalance: build.query<
      TrialBalance,
      { asOf: string; currency?: string | undefined; entityId?: string | undefined; in?: TrialBalanceView | undefined }
    >({
      // `in` is sent only for base: document currencies are the API's default. The API refuses a
      // currency with in=base (a base balance covers every document currency).
      query: ({ asOf, currency, entityId, in: view }) => ({
        url: '/ledger/trial-balance',
        params: { asOf, currency: currency || undefined, entityId: entityId || undefined, in: view === 'base' ? 'base' : undefined },
      }),
      providesTags: ['Ledger'],
    }),
    taxReport: build.query<TaxReport, { from: string; to: string; entityId?: string | undefined }>({
      query: ({ from, to, entityId }) => ({ url: '/reports/tax', params: { from, to, entityId: entityId || undefined } }),
      providesTags: ['Ledger'],
    }),
    arAging: build.query<ArAging, { asOf: string; entityId?: string | undefined }>({
      query: ({ asOf, entityId }) => ({ url: '/reports/ar-aging', params: { asOf, entityId: entityId || undefined } }),
      providesTags: ['Ledger'],
    }),
    accountEntries: build.query<
      Page<LedgerEntry>,
      { account: string; from?: string | undefined; to?: string | undefined; cursor?: string | undefined }
    >({
      query: ({ account, from, to, cursor }) => ({
        url: `/ledger/accounts/${encodeURIComponent(account)}/entries`,
        params: { from: from || undefined, to: to || undefined, cursor, limit: 50 },
      }),
      providesTags: ['Ledger'],
    }),
    marginReport: build.query<{ from: string; to: string; rows: MarginRow[] }, { from: string; to: string }>({
      query: (params) => ({ url: '/reports/margin', params }),
      providesTags: ['Ledger'],
    }),
  }),
});

export const {
  useListBillingRunsQuery,
  useGetBillingRunQuery,
  useStartBillingRunMutation,
  useFinalizeRunMutation,
  useListDocumentsQuery,
  useGetDocumentQuery,
  useFinalizeDocumentMutation,
  useVoidDocumentMutation,
  useRecordPaymentMutation,
  useListPaymentsQuery,
  useIssueCreditNoteMutation,
  useListCreditNotesQuery,
  useTrialBalanceQuery,
  useAccountEntriesQuery,
  useMarginReportQuery,
  useTaxReportQuery,
  useArAgingQuery,
} = billingApi;

/** The app's page of one document. */
export function documentHref(document: Pick<BillingDocument, 'kind' | 'id'>): string {
  return `/${documentPath[document.kind]}/${document.id}`;
}

/** The API's URL of a document's PDF. */
export function documentPdfUrl(document: Pick<BillingDocument, 'kind' | 'id'>): string {
  return `/v1/${documentPath[document.kind]}/${encodeURIComponent(document.id)}/pdf`;
}

/** A document's name for people: its number once issued, else "Draft invoice". */
export function documentTitle(document: Pick<BillingDocument, 'kind' | 'number'>): string {
  const noun = documentNoun[document.kind];
  return document.number ? `${noun[0]?.toUpperCase()}${noun.slice(1)} ${document.number}` : `Draft ${noun}`;
}
