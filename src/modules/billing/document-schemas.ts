/** Response and request schemas shared by the invoice, payout statement and billing run routes. */
import { z } from 'zod';
import { isMonthKey } from '../../platform/periods.ts';
import { amountSchema, calendarDateSchema } from '../../wire/terms-fields.ts';
import { invoiceStatuses } from './invoice.ts';

const flagSchema = z.enum(['missing_third_party', 'discrepancy', 'capped', 'unrated_impressions']);

/**
 * A month `YYYY-MM` from 1900-01 (as calendar dates) to 9999-11: a run also reads the day after its
 * period, which for 9999-12 is past the last date (a 500, found by test/integration/fuzz.test.ts).
 */
export const monthSchema = z.string().refine((text) => isMonthKey(text) && text >= '1900-01' && text <= '9999-11', {
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
  unit: z.enum(['impressions', 'conversions', 'days', 'period']),
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
  }),
  period: z.object({ label: z.string(), from: z.string(), to: z.string() }),
  currency: z.string(),
  status: z.enum(invoiceStatuses),
  issueDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  paymentTermsDays: z.int(),
  lines: z.array(documentLineSchema),
  subtotal: z.string(),
  total: z.string(),
  amountPaid: z.string(),
  amountCredited: z.string(),
  amountDue: z.string(),
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
  issueDate: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
});
