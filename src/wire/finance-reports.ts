/**
 * The finance reports and the accrual run as the API answers them (SPEC §10): the tax report, the
 * receivables aging, the revenue report and a month's accruals. One schema each, used by the routes
 * for their responses and OpenAPI, and by the web app for its types. Money is the API's decimal strings.
 */
import { z } from 'zod';

/** A row of the tax report (`GET /v1/reports/tax`): per billing entity, side, tax rate and currency. */
export const taxReportRowSchema = z.object({
  entityId: z.string(),
  // `sell`: tax charged on invoices (owed); `buy`: tax partners charged on payout statements (recoverable).
  side: z.enum(['sell', 'buy']),
  code: z.string(),
  name: z.string(),
  percent: z.string(),
  currency: z.string(),
  documents: z.int(),
  base: z.string(),
  tax: z.string(),
  // Tax taken back by credit notes issued in the range.
  credited: z.string(),
  // tax − credited.
  net: z.string(),
});
export type TaxReportRow = z.infer<typeof taxReportRowSchema>;

/** `GET /v1/reports/tax`: the tax on documents issued from..to, of one billing entity or of all (null). */
export const taxReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  entityId: z.string().nullable(),
  rows: z.array(taxReportRowSchema),
});
export type TaxReport = z.infer<typeof taxReportSchema>;

/** The days-past-due buckets of the receivables aging, in order: not yet due, 1–30, 31–60, 61–90, over 90. */
export const agingBuckets = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const;
export type AgingBucket = (typeof agingBuckets)[number];

/** What a party (or a currency, in the totals) owes per bucket, and in all. */
const agingAmounts = {
  current: z.string(),
  days1to30: z.string(),
  days31to60: z.string(),
  days61to90: z.string(),
  over90: z.string(),
  total: z.string(),
} satisfies Record<AgingBucket | 'total', z.ZodString>;
export type AgingAmounts = Record<AgingBucket | 'total', string>;

export const agingRowSchema = z.object({ partyId: z.string(), currency: z.string(), ...agingAmounts });
export type AgingRow = z.infer<typeof agingRowSchema>;

export const agingTotalsSchema = z.object({ currency: z.string(), ...agingAmounts });
export type AgingTotals = z.infer<typeof agingTotalsSchema>;

/**
 * `GET /v1/reports/ar-aging`: per party and currency what it owes on its invoices as of a date, by
 * days past due; per currency the total equals the trial balance's receivables.
 */
export const arAgingSchema = z.object({
  asOf: z.string(),
  entityId: z.string().nullable(),
  rows: z.array(agingRowSchema),
  totals: z.array(agingTotalsSchema),
});
export type ArAging = z.infer<typeof arAgingSchema>;

/** Recognized (delivered, by rating), billed (finalized invoices) and accrued (the difference). */
const revenueAmounts = {
  recognized: z.string().meta({ description: 'What rating says the month earned: delivered' }),
  billed: z.string().meta({ description: "Finalized, non-void invoices' lines for the month" }),
  accrued: z.string().meta({ description: 'recognized \u2212 billed: delivered, not yet invoiced' }),
};

export const revenueRowSchema = z.object({
  contractId: z.string(),
  contractNumber: z.string(),
  partyId: z.string(),
  currency: z.string(),
  ...revenueAmounts,
});
export type RevenueRow = z.infer<typeof revenueRowSchema>;

/** The prepayments a party holds at the month's end: deferred revenue. */
export const deferredRevenueRowSchema = z.object({ partyId: z.string(), currency: z.string(), amount: z.string() });
export type DeferredRevenueRow = z.infer<typeof deferredRevenueRowSchema>;

/** `GET /v1/reports/revenue?period=`: per sell contract the month's revenue, and the prepayments held. */
export const revenueReportSchema = z.object({
  period: z.string(),
  asOf: z.string().meta({ description: "The month's last day: deferred revenue is what parties hold then" }),
  rows: z.array(revenueRowSchema),
  deferred: z.array(deferredRevenueRowSchema).meta({
    description: 'Prepayments each party holds, not yet applied to an invoice: per party, since a prepayment is not made for one contract',
  }),
  totals: z.array(z.object({ currency: z.string(), ...revenueAmounts, deferred: z.string() })),
});
export type RevenueReport = z.infer<typeof revenueReportSchema>;

/** One contract's accrual, as a run works it out: sell (revenue) or buy (partner cost). */
export const contractAccrualSchema = z.object({
  side: z.enum(['sell', 'buy']),
  contractId: z.string(),
  contractNumber: z.string(),
  partyId: z.string().meta({ description: 'The party invoiced (sell) or paid (buy); for an offer\u2019s payouts, the partner' }),
  billingEntityId: z.string(),
  currency: z.string(),
  rated: z.string().meta({ description: 'What rating says the period earns (sell) or costs (buy)' }),
  billed: z.string().meta({ description: 'What finalized, non-void documents billed for the period' }),
  accrued: z.string().meta({ description: 'rated \u2212 billed' }),
});
export type ContractAccrual = z.infer<typeof contractAccrualSchema>;

/** The sums a run posted to one billing entity's books in one currency. */
export const accrualBookSchema = z.object({
  billingEntityId: z.string(),
  currency: z.string(),
  revenue: z.string().meta({ description: 'Debited to accrued_revenue, credited to media_revenue' }),
  cost: z.string().meta({ description: 'Debited to partner_payouts, credited to accrued_payouts' }),
});

/** What `POST /v1/accruals` answers: the run and what each entity's books got. */
export const accrualRunSchema = z.object({
  period: z.string(),
  accruedOn: z.string().meta({ description: "The period's last day: the accruals' date" }),
  reversedOn: z.string().meta({ description: "The next period's first day: the reversals' date" }),
  postedAt: z.string(),
  postedBy: z.string(),
  contracts: z.array(contractAccrualSchema),
  books: z.array(accrualBookSchema),
});
export type AccrualRun = z.infer<typeof accrualRunSchema>;
