/**
 * Delivery goals and makegoods (SPEC §8), shared with the web app: a line item's goal, the rules a
 * makegood line keeps inside the terms, the makegood request and the delivery-shortfall report.
 *
 * A makegood line (`makegoodFor: <key>`) is extra delivery given at no charge to make up for a line
 * that under-delivered: it is priced at zero, its goal is the quantity promised, and its delivery
 * counts toward the original line's goal.
 */
import { z } from 'zod';
import { Decimal } from './money.ts';
import { calendarDateSchema, COUNT_MAX, keySchema } from './terms-fields.ts';

export const goalMetrics = ['impressions', 'completedViews'] as const;
export type GoalMetric = (typeof goalMetrics)[number];

export const goalSchema = z
  .strictObject({
    metric: z.enum(goalMetrics),
    quantity: z.int().min(1).max(COUNT_MAX),
  })
  .meta({ description: 'What the line should deliver over its flight (its dates), straight-line to date.' });
export type Goal = z.infer<typeof goalSchema>;

export const makegoodForSchema = keySchema.meta({
  description: 'This line makes good the named line item: priced at zero, its delivery counts toward that line’s goal.',
});

/** The pricing a makegood line has for each goal metric: the model that counts it, at a zero rate. */
export const makegoodPricing = {
  impressions: { model: 'cpm', ratePerMille: '0' },
  completedViews: { model: 'cpcv', ratePerView: '0' },
} as const;

/** The fields of a line item these rules read (the terms schema's line item, structurally). */
interface GoalLine {
  key: string;
  goal?: Goal | undefined;
  makegoodFor?: string | undefined;
  pricing: { model: string; ratePerMille?: unknown; ratePerView?: unknown; tierMode?: unknown };
}

function isZeroRate(rate: unknown): boolean {
  return typeof rate === 'string' && /^0(\.0+)?$/.test(rate);
}

/** Whether the pricing bills nothing for the metric: flat cpm (impressions) or flat cpcv (completed views) at a zero rate. */
function isZeroPricing(pricing: GoalLine['pricing'], metric: GoalMetric): boolean {
  if (pricing.tierMode !== undefined) return false;
  return metric === 'impressions'
    ? pricing.model === 'cpm' && isZeroRate(pricing.ratePerMille)
    : pricing.model === 'cpcv' && isZeroRate(pricing.ratePerView);
}

/**
 * The rules of makegood lines, each reported at the field to change: a makegood names another line
 * item of the same terms that is not itself a makegood, has a goal in the original's metric, and
 * is priced at zero for that metric (cpm at ratePerMille "0", or cpcv at ratePerView "0").
 */
export function checkMakegoodLines(lineItems: readonly GoalLine[], context: z.RefinementCtx): void {
  const byKey = new Map(lineItems.map((lineItem) => [lineItem.key, lineItem]));
  lineItems.forEach((lineItem, index) => {
    if (lineItem.makegoodFor === undefined) return;
    const path = ['lineItems', index];
    const original = byKey.get(lineItem.makegoodFor);
    if (original === undefined || original === lineItem || original.makegoodFor !== undefined) {
      context.addIssue({
        code: 'custom',
        path: [...path, 'makegoodFor'],
        message: 'must name another line item of these terms that is not itself a makegood',
      });
      return;
    }
    if (lineItem.goal === undefined) {
      context.addIssue({ code: 'custom', path: [...path, 'goal'], message: 'a makegood line needs a goal: the quantity it makes good' });
      return;
    }
    if (original.goal !== undefined && original.goal.metric !== lineItem.goal.metric) {
      context.addIssue({
        code: 'custom',
        path: [...path, 'goal', 'metric'],
        message: `must be ${original.goal.metric}, the metric of ${original.key}'s goal`,
      });
    }
    if (!isZeroPricing(lineItem.pricing, lineItem.goal.metric)) {
      const zero = makegoodPricing[lineItem.goal.metric];
      context.addIssue({
        code: 'custom',
        path: [...path, 'pricing'],
        message: `a makegood line is billed at zero: its pricing must be ${JSON.stringify(zero)}`,
      });
    }
  });
}

export const makegoodReasons = ['underdelivery', 'technical', 'other'] as const;
export type MakegoodReason = (typeof makegoodReasons)[number];

/** `POST /v1/contracts/:id/makegoods`. */
export const makegoodRequestSchema = z.strictObject({
  lineItem: keySchema.meta({ description: 'The line item that under-delivered (it must have a goal and a shortfall today).' }),
  quantity: z.int().min(1).max(COUNT_MAX).meta({ description: 'How much of the goal’s metric the makegood delivers, at no charge.' }),
  startDate: calendarDateSchema,
  endDate: calendarDateSchema,
  reason: z.enum(makegoodReasons),
  note: z.string().trim().min(1).max(2000).optional(),
});
export type MakegoodRequest = z.infer<typeof makegoodRequestSchema>;

export const shortfallRowSchema = z.object({
  contractId: z.string(),
  lineItem: z.string(),
  goal: z.object({ metric: z.enum(goalMetrics), quantity: z.int() }),
  delivered: z.int().meta({ description: 'Counted over the line’s flight through asOf, its makegood lines’ delivery included.' }),
  expectedToDate: z.int().meta({ description: 'quantity × days of the flight elapsed by asOf / flight days, rounded down.' }),
  shortfallPercent: z
    .string()
    .meta({ description: '(expectedToDate − delivered) / expectedToDate × 100, half-to-even to 2 decimals, as a decimal string.' }),
});
export type ShortfallRow = z.infer<typeof shortfallRowSchema>;

/** `GET /v1/reports/delivery-shortfall`. */
export const deliveryShortfallSchema = z.object({ asOf: z.string(), data: z.array(shortfallRowSchema) });
export type DeliveryShortfall = z.infer<typeof deliveryShortfallSchema>;

/** How a line paces against its goal to date. */
export interface GoalPace {
  expectedToDate: number;
  shortfallPercent: string | undefined;
}

/**
 * Straight-line pace: expected = quantity × elapsed days / flight days, rounded down to a whole
 * count (a line is never called short by a fraction); the shortfall percent of that, or undefined
 * when nothing is expected yet or the line delivered at least as much.
 */
export function goalPace(quantity: number, elapsedDays: number, flightDays: number, delivered: number): GoalPace {
  const elapsed = Math.max(0, Math.min(elapsedDays, flightDays));
  const expectedToDate = new Decimal(quantity).times(elapsed).div(flightDays).floor().toNumber();
  if (expectedToDate === 0 || delivered >= expectedToDate) return { expectedToDate, shortfallPercent: undefined };
  const percent = new Decimal(expectedToDate - delivered).div(expectedToDate).times(100).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
  return { expectedToDate, shortfallPercent: percent.toFixed(2) };
}
