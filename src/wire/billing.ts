/**
 * Invoices and payout statements, billing runs, payments and credit notes as the API answers them
 * (SPEC §5): the schemas the routes validate and serialize with, and the types the web app reads.
 * A document is a draft until finalized; from then on its row never changes, and its payment state is
 * derived from the payments, credit notes and voids recorded against it (all append-only).
 */
import { z } from 'zod';
import { amountSchema, calendarDateSchema } from './terms-fields.ts';
import type { ChargeKind, ChargeUnit, Explain, RatingFlag } from './charges.ts';
import type { BankDetails, PaperSize } from './bank-details.ts';
import { chargeUnits } from './charges.ts';
import { type DocumentTax, documentTaxSchema } from './taxes.ts';

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
  /** Its tax (VAT) id when it had one at finalization (SPEC §10): printed on the document. */
  taxId?: string;
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
  /** The tax lines (SPEC §10), one per rate, set when the document is finalized; none on a draft. */
  taxes: DocumentTax[];
  /** The sum of the tax lines. */
  taxTotal: string;
  /** What the document prints instead of tax, e.g. `Reverse charge`; null for none. */
  taxNote: string | null;
  /** What the party owes (invoice) or is owed (statement): the subtotal plus the taxes. */
  total: string;
  amountPaid: string;
  amountCredited: string;
  /** What the party's credits (prepayments, promotional, makegood) paid of it at finalization (SPEC §10). */
  creditsApplied: string;
  /** total − amountPaid − amountCredited − creditsApplied. */
  amountDue: string;
  /** An issued invoice with something due after its due date, as of the server's today (SPEC §10); false otherwise. */
  overdue: boolean;
  /** How many days past its due date an overdue invoice is (1 or more); null when it is not overdue. */
  daysPastDue: number | null;
  flags: DocumentFlag[];
  createdAt: string;
  finalizedAt: string | null;
  finalizedBy: string | null;
}

const flagSchema = z.enum(['missing_third_party', 'discrepancy', 'capped', 'unrated_impressions']);

/**
 * A month `YYYY-MM` from 1900-01 (as calendar dates) to 9999-11: a run also reads the day after its
 * period, which for 9999-12 is past the last date (a 500, found by test/integration/fuzz.test.ts).
 */
export const monthSchema = z.string().refine((text) => /^\d{4}-(0[1-9]|1[0-2])$/.test(text) && text >= '1900-01' && text <= '9999-11', {
  message: 'must be a month YYYY-MM from 1900-01 to 9999-11',
});

export const documentLineSchema = z.object({
  position: z.int(),
  contractId: z.string(),
  contractNumber: z.string(),
  lineItem: z.string().nullable(),
  kind: z.enum(['media', 'fee', 'minimum_spend', 'adjustment']),
  description: z.string(),
  quantity: z.int(),
  unit: z.enum(chargeUnits),
  rate: z.string().nullable(),
  amount: z.string(),
  from: z.string(),
  to: z.string(),
  flags: z.array(flagSchema),
  explain: z.record(z.string(), z.unknown()),
  corrects: z.object({ documentId: z.string(), number: z.string(), periodLabel: z.string() }).nullable(),
});

export const documentSchema = z.object({
  id: z.string(),
  kind: z.enum(['invoice', 'payout_statement']),
  number: z.string().nullable(),
  runId: z.string(),
  partyId: z.string(),
  party: z.object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['advertiser', 'agency', 'partner']),
    billingEmail: z.string().nullable(),
    externalRef: z.string().nullable(),
    taxId: z.string().optional(),
  }),
  period: z.object({ label: z.string(), from: z.string(), to: z.string() }),
  currency: z.string(),
  status: z.enum(invoiceStatuses),
  issueDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  paymentTermsDays: z.int(),
  lines: z.array(documentLineSchema),
  subtotal: z.string(),
  taxes: z.array(documentTaxSchema),
  taxTotal: z.string(),
  taxNote: z.string().nullable(),
  total: z.string(),
  amountPaid: z.string(),
  amountCredited: z.string(),
  creditsApplied: z.string(),
  amountDue: z.string(),
  overdue: z.boolean(),
  daysPastDue: z.int().nullable(),
  flags: z.array(flagSchema),
  createdAt: z.string(),
  finalizedAt: z.string().nullable(),
  finalizedBy: z.string().nullable(),
});

const carriedSchema = z.object({
  contractId: z.string(),
  partyId: z.string(),
  currency: z.string(),
  amount: z.string(),
  minimumPayout: z.string(),
});

export const billingRunSchema = z.object({
  id: z.string(),
  period: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  startedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.int().nullable(),
  contractsRated: z.int().nullable(),
  invoices: z.int().nullable(),
  statements: z.int().nullable(),
  adjustmentLines: z.int().nullable(),
  carriedForward: z.array(carriedSchema),
  error: z.string().nullable(),
  /** The run's parts by party (SPEC §11): how many, billed, being billed by some process now, failed. */
  partitions: z.object({ total: z.int(), done: z.int(), running: z.int(), failed: z.int() }),
});

const positiveAmountSchema = amountSchema.refine((value) => !/^0(\.0+)?$/.test(value), { message: 'must be greater than 0' });

export const paymentBodySchema = z.strictObject({
  amount: positiveAmountSchema,
  date: calendarDateSchema,
  reference: z.string().trim().min(1).max(200),
});
export const paymentSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  amount: z.string(),
  date: z.string(),
  reference: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string(),
});

export const creditNoteBodySchema = z.strictObject({
  invoiceId: z.string().max(64),
  amount: positiveAmountSchema,
  reason: z.string().trim().min(1).max(500),
});
export const creditNoteSchema = z.object({
  id: z.string(),
  number: z.string(),
  invoiceId: z.string(),
  invoiceNumber: z.string(),
  partyId: z.string(),
  currency: z.string(),
  amount: z.string(),
  reason: z.string(),
  taxes: z.array(z.object({ code: z.string(), percent: z.string(), amount: z.string() })),
  issueDate: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
});

export interface BillingRun {
  id: string;
  period: string;
  status: 'running' | 'completed' | 'failed';
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  contractsRated: number | null;
  invoices: number | null;
  statements: number | null;
  adjustmentLines: number | null;
  carriedForward: CarriedForward[];
  error: string | null;
  partitions: { total: number; done: number; running: number; failed: number };
}

/** The tax a credit note takes back for one of its invoice's rates (SPEC §10). */
export interface CreditNoteTax {
  code: string;
  percent: string;
  amount: string;
}

export interface CreditNote {
  id: string;
  number: string;
  invoiceId: string;
  invoiceNumber: string;
  partyId: string;
  currency: string;
  /** What it credits, tax included. */
  amount: string;
  reason: string;
  /** Its tax part per rate of the invoice, in the invoice's proportions; none for an untaxed invoice. */
  taxes: CreditNoteTax[];
  issueDate: string;
  createdAt: string;
  createdBy: string;
}

export interface CarriedForward {
  contractId: string;
  partyId: string;
  currency: string;
  amount: string;
  minimumPayout: string;
}

export interface Payment {
  id: string;
  documentId: string;
  amount: string;
  date: string;
  reference: string;
  recordedAt: string;
  recordedBy: string;
}

/** Who issues the documents: the platform's own details, printed on every document (the `issuer` setting). */
export interface IssuerDetails {
  name: string;
  /** Free-form address lines, printed as given. */
  addressLines: string[];
  email: string | null;
  taxId: string | null;
  /** How to pay: bank details or a payment link, printed under the totals. */
  paymentInstructions: string | null;
  /** The account invoices are paid into, printed under the totals; none when absent or null. */
  bankDetails?: BankDetails | null;
  /** Where to mail a payment (a lockbox, an office), printed beside the bank details; none when absent or empty. */
  remitToLines?: string[];
  /** The paper documents print on; absent or null: A4, or US Letter for a document in USD or CAD. */
  paperSize?: PaperSize | null;
}
