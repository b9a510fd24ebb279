/**
 * Invoices and payout statements as the API, the PDF and the exports see them (SPEC §5). A document
 * is a draft until finalized; from then on its row never changes, and its payment state is derived
 * from the payments, credit notes and voids recorded against it (all append-only).
 */
import type { ChargeKind, ChargeUnit, Explain, RatingFlag } from '../rating/index.ts';

export const documentKinds = ['invoice', 'payout_statement'] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** Stored states: a draft becomes needs_review when a line is flagged, and finalized once numbered. */
export const storedStatuses = ['draft', 'needs_review', 'finalized'] as const;
export type StoredStatus = (typeof storedStatuses)[number];

/** What the API shows: the stored state, or what payments, credits and voids made of it. */
export const invoiceStatuses = ['draft', 'needs_review', 'finalized', 'partially_paid', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

export type DocumentFlag = RatingFlag;

export interface DocumentLine {
  /** 1-based order of the line on the document. */
  position: number;
  contractId: string;
  contractNumber: string;
  lineItem: string | null;
  kind: ChargeKind;
  description: string;
  /** An integer count of `unit` (negative on an adjustment that takes delivery back). */
  quantity: number;
  unit: ChargeUnit;
  /** Price per unit where one price applies (ratePerMille for impressions, amount per conversion, fee percent). */
  rate: string | null;
  /** Exact, rounded to the currency's minor unit; negative for credits and downward adjustments. */
  amount: string;
  /** The dates of delivery the line rates (for an adjustment: of the corrected period). */
  from: string;
  to: string;
  flags: DocumentFlag[];
  explain: Explain;
  /** An adjustment line points at the issued document it corrects. */
  corrects: { documentId: string; number: string; periodLabel: string } | null;
}

export interface DocumentParty {
  id: string;
  name: string;
  kind: 'advertiser' | 'agency' | 'partner';
  billingEmail: string | null;
  externalRef: string | null;
}

/** An invoice (sell side) or a payout statement (buy side), with its lines and money state. */
export interface BillingDocument {
  id: string;
  kind: DocumentKind;
  /** `INV-2026-000001` / `PS-2026-000001`; null until finalized. */
  number: string | null;
  runId: string;
  partyId: string;
  party: DocumentParty;
  period: { label: string; from: string; to: string };
  currency: string;
  status: InvoiceStatus;
  issueDate: string | null;
  dueDate: string | null;
  paymentTermsDays: number;
  lines: DocumentLine[];
  /** Sum of the rounded lines. */
  subtotal: string;
  /** What the party owes (invoice) or is owed (statement): the subtotal; no taxes are computed. */
  total: string;
  amountPaid: string;
  amountCredited: string;
  /** total − amountPaid − amountCredited. */
  amountDue: string;
  flags: DocumentFlag[];
  createdAt: string;
  finalizedAt: string | null;
  finalizedBy: string | null;
}

/** Who issues the documents: the platform's own details, kept in settings (`issuer`). */
export interface IssuerDetails {
  name: string;
  /** Free-form address lines, printed as given. */
  addressLines: string[];
  email: string | null;
  taxId: string | null;
  /** How to pay: bank details or a payment link, printed under the totals. */
  paymentInstructions: string | null;
}

export const defaultIssuer: IssuerDetails = {
  name: 'Tally Demo Media, Inc.',
  addressLines: ['100 Example Street', 'New York, NY 10001', 'United States'],
  email: 'billing@example.com',
  taxId: null,
  paymentInstructions: 'Pay by bank transfer quoting the invoice number.',
};

/** One posting of the ledger, as the journal export and the account statement show it. */
export interface JournalEntry {
  transactionId: string;
  /** The accounting date (issue date, payment date, void date). */
  date: string;
  postedAt: string;
  /** `accounts_receivable:pty_…`, `media_revenue`, `fee_revenue`, `partner_payouts`, `accounts_payable:pty_…`, `cash`. */
  account: string;
  currency: string;
  debit: string;
  credit: string;
  description: string;
  /** What caused the posting: `invoice`, `credit_note`, `payment`, `void`, `payout_statement`, `payout_payment`. */
  sourceType: string;
  sourceId: string;
  /** The document number the posting belongs to, when there is one. */
  documentNumber: string | null;
}
