/**
 * Contract terms (SPEC §3): the schema that validates them at the edge, the rules that span
 * fields, and the committed value that the approval policy compares with its threshold.
 *
 * The schemas set no defaults: stored terms are exactly what the maker wrote and the checker
 * approved, and the request and response shapes stay one schema. Absent optional fields have the
 * meanings that `terms-defaults.ts` writes down once.
 */
import { z } from 'zod';
import { type Decimal, parseMoney, sumMoney } from './money.ts';
import { CONVERSION_PRICED_MODELS, checkEventEntries, cpaPricingSchema, metricPricingOf, pricingSchema } from './pricing.ts';
import { checkMakegoodLines, goalSchema, makegoodForSchema } from './goals.ts';
import {
  amountSchema,
  calendarDateSchema,
  countSchema,
  currencyCodeSchema,
  daysSchema,
  duplicateIndexes,
  isCalendarDate,
  keySchema,
  nameSchema,
  percentSchema,
  signedPercentSchema,
} from './terms-fields.ts';

export type { Pricing } from './pricing.ts';

export const LINE_ITEMS_MAX = 200;
export const FEES_MAX = 50;
export const APPLIES_TO_MAX = 500;
export const TERM_MONTHS_MAX = 120;
export const PAYOUT_TIERS_MAX = 50;

/**
 * `billingSource` and `discrepancyTolerancePercent` only mean something where a delivery count is
 * billed: impressions (cpm), completed views (cpcv), clicks (cpc), or a hybrid's media part.
 */
const COUNT_PRICED_MODELS: ReadonlySet<string> = new Set(['cpm', 'cpcv', 'cpc', 'hybrid']);

export const lineItemSchema = z
  .strictObject({
    key: keySchema.meta({ description: 'Unique in the contract and stable across versions: delivery refers to it.' }),
    name: nameSchema,
    startDate: calendarDateSchema.optional(),
    endDate: calendarDateSchema.optional(),
    budgetCap: amountSchema.optional(),
    impressionCap: countSchema
      .optional()
      .meta({ description: 'Billed impressions over the contract life; only where impressions are billed (cpm, or a hybrid with cpm).' }),
    pricing: pricingSchema,
    billingSource: z.enum(['first_party', 'third_party', 'lesser_of']).optional(),
    discrepancyTolerancePercent: percentSchema.optional(),
    goal: goalSchema.optional(),
    makegoodFor: makegoodForSchema.optional(),
  })
  .superRefine((lineItem, context) => {
    // A cap on impressions would silently cap nothing on a line that bills completed views or clicks:
    // those are limited by the budget caps (docs/architecture.md, CTV models).
    const metric = metricPricingOf(lineItem.pricing);
    if (lineItem.impressionCap !== undefined && metric !== undefined && metric.model !== 'cpm') {
      context.addIssue({
        code: 'custom',
        path: ['impressionCap'],
        message: `impressionCap caps billed impressions, which ${metric.model} pricing does not bill: use budgetCap to limit this line`,
      });
    }
    if (COUNT_PRICED_MODELS.has(lineItem.pricing.model)) {
      return;
    }
    for (const field of ['billingSource', 'discrepancyTolerancePercent'] as const) {
      if (lineItem[field] !== undefined) {
        context.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} applies only to cpm, cpcv, cpc and hybrid pricing, not ${lineItem.pricing.model}`,
        });
      }
    }
  });

const renewalSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('none') }),
    z.strictObject({
      mode: z.enum(['auto', 'manual']),
      termMonths: z.int().min(1).max(TERM_MONTHS_MAX),
      noticeDays: daysSchema,
    }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'renewal mode must be one of "none", "auto", "manual"' : undefined) },
);

const feeSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ key: keySchema, kind: z.literal('percent_of_media'), percent: signedPercentSchema }),
    z.strictObject({ key: keySchema, kind: z.literal('flat'), amount: amountSchema, prorate: z.boolean().optional() }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'fee kind must be "percent_of_media" or "flat"' : undefined) },
);

const minimumSpendSchema = z.strictObject({
  amount: amountSchema,
  per: z.enum(['period', 'contract']),
});

/**
 * One level of an offer's payouts: what the offer pays a credited partner per event. Its events are
 * cpa event entries exactly as a cpa pricing takes them (SPEC §9: `when`, `tiers`, fixed amounts and
 * revenue shares), checked by the cpa pricing's schema and the same rules across entries
 * (duplicates, entries an earlier one makes unreachable).
 */
const payoutLevelSchema = z
  .strictObject({ events: cpaPricingSchema.shape.events })
  .superRefine((level, context) => checkEventEntries(level.events, context));

/**
 * An offer's payouts to the partners credited with its conversions (SPEC §9, payout hierarchy): a
 * `default` for every partner, payouts per partner `tiers` (keys are tier slugs, as on the party),
 * and the hold and minimum payout of these payouts. A partner's own buy contract that applies to
 * the offer overrides both (docs/affiliate/payout-hierarchy.md). Payouts are in the offer's
 * currency; `currency`, when given, must say so.
 */
export const partnerPayoutsSchema = z
  .strictObject({
    default: payoutLevelSchema.optional().meta({ description: 'What every credited partner without a tier payout is paid.' }),
    tiers: z
      .record(keySchema, payoutLevelSchema, {
        error: (issue) =>
          issue.code === 'invalid_key'
            ? 'a tier name is a slug of at most 64 characters: a lower-case letter or digit, then a-z, 0-9, "_" and "-"'
            : undefined,
      })
      .optional()
      .meta({ description: 'Payouts by partner tier: a partner whose tier (on the party) is a key here is paid by it.' }),
    currency: currencyCodeSchema.optional().meta({ description: "The payouts' currency: the offer's (may be left out)." }),
    holdDays: daysSchema.optional().meta({ description: 'A conversion is payable once it is this old and not reversed.' }),
    minimumPayout: amountSchema.optional().meta({ description: "Smaller balances of a partner's payouts carry forward." }),
  })
  .superRefine((payouts, context) => {
    const tiers = payouts.tiers !== null && typeof payouts.tiers === 'object' ? Object.entries(payouts.tiers) : [];
    if (payouts.default === undefined && tiers.length === 0) {
      context.addIssue({ code: 'custom', message: 'partnerPayouts needs a default, or at least one tier' });
    }
    if (tiers.length > PAYOUT_TIERS_MAX) {
      context.addIssue({ code: 'custom', path: ['tiers'], message: `at most ${PAYOUT_TIERS_MAX} tiers` });
    }
  });

export type PartnerPayouts = z.infer<typeof partnerPayoutsSchema>;

/** The offer's payouts agree with its terms: its currency, and a line item that prices conversions. */
function checkPartnerPayouts(terms: CommonTerms & { partnerPayouts?: PartnerPayouts | undefined }, context: z.RefinementCtx): void {
  const payouts = terms.partnerPayouts;
  if (payouts === undefined || payouts === null || typeof payouts !== 'object') return;
  if (payouts.currency !== undefined && typeof terms.currency === 'string' && payouts.currency !== terms.currency) {
    context.addIssue({
      code: 'custom',
      path: ['partnerPayouts', 'currency'],
      message: `partner payouts are paid in the offer's currency (${terms.currency}), not ${payouts.currency}`,
    });
  }
  const lineItems = Array.isArray(terms.lineItems) ? terms.lineItems : [];
  if (!lineItems.some((lineItem) => CONVERSION_PRICED_MODELS.has(lineItem?.pricing?.model))) {
    context.addIssue({
      code: 'custom',
      path: ['partnerPayouts'],
      message: 'partnerPayouts pays partners for conversions: the offer needs a cpa or hybrid line item',
    });
  }
}

const termsShape = {
  startDate: calendarDateSchema,
  endDate: calendarDateSchema,
  currency: currencyCodeSchema,
  billingPeriod: z.enum(['calendar_month', 'broadcast_month']),
  paymentTermsDays: daysSchema.optional(),
  budgetCap: amountSchema.optional().meta({ description: 'Not-to-exceed over the whole contract.' }),
  minimumSpend: minimumSpendSchema.optional(),
  renewal: renewalSchema.optional(),
  fees: z.array(feeSchema).max(FEES_MAX).optional(),
  lineItems: z.array(lineItemSchema).min(1).max(LINE_ITEMS_MAX),
};

const contractIdSchema = z
  .string()
  .max(64)
  .regex(/^ctr_[A-Za-z0-9]+$/, 'must be a contract id starting with "ctr_"');

const buyTermsShape = {
  ...termsShape,
  appliesTo: z.union([z.literal('all'), z.array(contractIdSchema).min(1).max(APPLIES_TO_MAX)], {
    error: (issue) =>
      issue.code === 'invalid_union' ? `appliesTo must be "all" or a list of 1 to ${APPLIES_TO_MAX} sell contract ids` : undefined,
  }),
  holdDays: daysSchema.optional(),
  minimumPayout: amountSchema.optional(),
};

type CommonTerms = z.output<z.ZodObject<typeof termsShape>>;

/** Adds an issue unless `earlier <= later`; dates that are not valid already have their own issue. */
function requireOrder(
  context: z.RefinementCtx,
  earlier: string | undefined,
  later: string | undefined,
  path: (string | number)[],
  message: string,
): void {
  if (isCalendarDate(earlier) && isCalendarDate(later) && earlier > later) {
    context.addIssue({ code: 'custom', path, message });
  }
}

/** Rules that span fields, each reported at the field the caller has to change. */
function checkTermsRules(terms: CommonTerms, context: z.RefinementCtx): void {
  requireOrder(context, terms.startDate, terms.endDate, ['endDate'], 'endDate must be on or after startDate');
  terms.lineItems.forEach((lineItem, index) => {
    for (const field of ['startDate', 'endDate'] as const) {
      const path = ['lineItems', index, field];
      requireOrder(
        context,
        terms.startDate,
        lineItem[field],
        path,
        `${field} must be on or after the contract's startDate (${terms.startDate})`,
      );
      requireOrder(
        context,
        lineItem[field],
        terms.endDate,
        path,
        `${field} must be on or before the contract's endDate (${terms.endDate})`,
      );
    }
    requireOrder(
      context,
      lineItem.startDate,
      lineItem.endDate,
      ['lineItems', index, 'endDate'],
      "endDate must be on or after the line item's startDate",
    );
  });
  for (const index of duplicateIndexes(terms.lineItems.map((lineItem) => lineItem.key))) {
    context.addIssue({ code: 'custom', path: ['lineItems', index, 'key'], message: 'duplicate line item key' });
  }
  checkMakegoodLines(terms.lineItems, context);
  for (const index of duplicateIndexes((terms.fees ?? []).map((fee) => fee.key))) {
    context.addIssue({ code: 'custom', path: ['fees', index, 'key'], message: 'duplicate fee key' });
  }
}

const sellTermsShape = {
  ...termsShape,
  partnerPayouts: partnerPayoutsSchema
    .optional()
    .meta({ description: 'The offer: payouts to the partners credited with its conversions, by default and by partner tier (SPEC §9).' }),
};

export const sellTermsSchema = z.strictObject(sellTermsShape).superRefine((terms, context) => {
  checkTermsRules(terms, context);
  checkPartnerPayouts(terms, context);
});

export const buyTermsSchema = z.strictObject(buyTermsShape).superRefine((terms, context) => {
  checkTermsRules(terms, context);
  if (Array.isArray(terms.appliesTo)) {
    for (const index of duplicateIndexes(terms.appliesTo)) {
      context.addIssue({ code: 'custom', path: ['appliesTo', index], message: 'duplicate contract id' });
    }
  }
});

export type SellTerms = z.infer<typeof sellTermsSchema>;
export type BuyTerms = z.infer<typeof buyTermsSchema>;
export type Terms = SellTerms | BuyTerms;
export type LineItem = z.infer<typeof lineItemSchema>;
export type Fee = z.infer<typeof feeSchema>;
export type Renewal = z.infer<typeof renewalSchema>;
export type ContractSide = 'sell' | 'buy';

/** The terms schema of a contract side: sell terms, or buy terms with appliesTo, holdDays and minimumPayout. */
export function termsSchemaForSide(side: 'sell'): typeof sellTermsSchema;
export function termsSchemaForSide(side: 'buy'): typeof buyTermsSchema;
export function termsSchemaForSide(side: ContractSide): typeof sellTermsSchema | typeof buyTermsSchema;
export function termsSchemaForSide(side: ContractSide): typeof sellTermsSchema | typeof buyTermsSchema {
  return side === 'sell' ? sellTermsSchema : buyTermsSchema;
}

/** Validates terms of a contract side outside HTTP, answering zod's safeParse result. */
export function validateTerms(side: 'sell', input: unknown): z.ZodSafeParseResult<SellTerms>;
export function validateTerms(side: 'buy', input: unknown): z.ZodSafeParseResult<BuyTerms>;
export function validateTerms(side: ContractSide, input: unknown): z.ZodSafeParseResult<Terms>;
export function validateTerms(side: ContractSide, input: unknown): z.ZodSafeParseResult<Terms> {
  return side === 'sell' ? sellTermsSchema.safeParse(input) : buyTermsSchema.safeParse(input);
}

/** Number of calendar months that the inclusive date range touches (2026-10-31..2026-11-01 touches 2). */
export function calendarMonthsTouched(startDate: string, endDate: string): number {
  const monthIndex = (date: string): number => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
  return Math.max(0, monthIndex(endDate) - monthIndex(startDate) + 1);
}

/**
 * The committed value that the approval policy compares with `largeContractThreshold`: the
 * contract's budgetCap, plus each line item's budgetCap, plus the minimumSpend. A minimum "per
 * contract" counts once; one "per period" counts once for every calendar month that
 * startDate..endDate touches (also for broadcast-month contracts: the count is a policy estimate,
 * not an invoice). Caps are added even when line caps sit inside the contract cap, as SPEC §3
 * says "sum of budget caps and minimums"; the result is not rounded to the currency.
 */
export function committedValue(terms: Terms): Decimal {
  const caps = [terms.budgetCap, ...terms.lineItems.map((lineItem) => lineItem.budgetCap)]
    .filter((cap): cap is string => cap !== undefined)
    .map(parseMoney);
  const minimumSpend = terms.minimumSpend;
  if (minimumSpend === undefined) {
    return sumMoney(caps);
  }
  const periods = minimumSpend.per === 'contract' ? 1 : calendarMonthsTouched(terms.startDate, terms.endDate);
  return sumMoney([...caps, parseMoney(minimumSpend.amount).times(periods)]);
}
