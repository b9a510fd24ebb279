/**
 * Scrub rules (SPEC §9) as the API takes and answers them, shared with the web app: the rule and its
 * conditions, the held queue, the scrub report and the 30-day preview. docs/affiliate/scrub-rules.md
 * explains the decisions taken where the spec is silent.
 */
import { z } from 'zod';
import { conversionSchema, instantSchema } from './delivery.ts';
import { DECIMAL_STRING_PATTERN, Decimal } from './money.ts';

export const scrubFields = ['clickToConversionSeconds', 'country', 'value', 'eventType', 'partnerId'] as const;
export type ScrubField = (typeof scrubFields)[number];
export const scrubOperators = ['lt', 'lte', 'gt', 'gte', 'eq', 'neq', 'in', 'not_in'] as const;
export type ScrubOperator = (typeof scrubOperators)[number];
export const scrubActions = ['reject', 'hold'] as const;
export type ScrubAction = (typeof scrubActions)[number];

/** Operators that take a list of values; the others take one. */
export const listOperators: readonly ScrubOperator[] = ['in', 'not_in'];
/** Fields compared by order (numbers and amounts); the others are names, compared only for equality. */
export const orderedFields: readonly ScrubField[] = ['clickToConversionSeconds', 'value'];
const equalityOperators: readonly ScrubOperator[] = ['eq', 'neq', 'in', 'not_in'];

/** The operators a field takes: every one for numbers and amounts, equality and lists for names. */
export function operatorsOf(field: ScrubField): readonly ScrubOperator[] {
  return orderedFields.includes(field) ? scrubOperators : equalityOperators;
}

/** 400 days in seconds: far beyond any attribution window, so a click-to-conversion bound above it means nothing. */
export const SCRUB_SECONDS_MAX = 400 * 86_400;
/** A conversion's value is at most this (the conversion schema's bound); a rule's amounts too. */
const SCRUB_VALUE_MAX = '1000000000000';
const SCRUB_VALUE_DECIMALS_MAX = 6;
export const SCRUB_CONDITIONS_MAX = 20;
export const SCRUB_LIST_VALUES_MAX = 100;
/** Active rules are evaluated for every conversion received: their number is bounded. */
export const SCRUB_ACTIVE_RULES_MAX = 200;
export const SCRUB_PRIORITY_MAX = 1_000_000;
/** A reason code: what the scrub report counts by and the status history shows. */
export const SCRUB_REASON_PATTERN = /^[a-z][a-z0-9_]*$/;

const valueText = z.string().max(64);
const scalarValue = z.union([z.number(), valueText]);

const fieldHints: Record<ScrubField, string> = {
  clickToConversionSeconds: `a whole number of seconds from 0 to ${SCRUB_SECONDS_MAX}`,
  value: 'a decimal string such as "12.50" (not a JSON number), from "0" to "1000000000000" with at most 6 decimals',
  country: 'an ISO 3166-1 alpha-2 country code in upper case, e.g. "US"',
  eventType: 'an event type name of 1 to 64 characters',
  partnerId: 'a partner id such as "pty_…"',
};

/** Whether one value suits the field (the hint above says what suits it). */
function isFieldValue(field: ScrubField, value: unknown): boolean {
  switch (field) {
    case 'clickToConversionSeconds':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= SCRUB_SECONDS_MAX;
    case 'value': {
      if (typeof value !== 'string' || value.length > 40 || !DECIMAL_STRING_PATTERN.test(value)) return false;
      const point = value.indexOf('.');
      if (point !== -1 && value.length - point - 1 > SCRUB_VALUE_DECIMALS_MAX) return false;
      const amount = new Decimal(value);
      return amount.gte(0) && amount.lte(SCRUB_VALUE_MAX);
    }
    case 'country':
      return typeof value === 'string' && /^[A-Z]{2}$/.test(value);
    case 'eventType':
    case 'partnerId':
      return typeof value === 'string' && value.length >= 1 && value.length <= 64;
  }
}

/**
 * One condition. Which operators a field takes and what its value must be depend on the field, so
 * they are checked together after the shape; zod runs this even when a part failed its own check,
 * so each part is guarded before it is read.
 */
export const scrubConditionSchema = z
  .strictObject({
    field: z.enum(scrubFields),
    op: z.enum(scrubOperators),
    value: z
      .union([scalarValue, z.array(scalarValue).min(1).max(SCRUB_LIST_VALUES_MAX)], {
        error: `must be a number, a string, or a list of 1 to ${SCRUB_LIST_VALUES_MAX} of them`,
      })
      .meta({
        description:
          'A number of seconds (clickToConversionSeconds), a decimal string (value) or a name (country, eventType, partnerId); a list of them for in and not_in.',
      }),
  })
  .superRefine((condition, context) => {
    const field = condition.field as unknown;
    const op = condition.op as unknown;
    if (!scrubFields.includes(field as ScrubField) || !scrubOperators.includes(op as ScrubOperator)) return;
    const known = field as ScrubField;
    if (!operatorsOf(known).includes(op as ScrubOperator)) {
      context.addIssue({ code: 'custom', path: ['op'], message: `${known} takes ${operatorsOf(known).join(', ')}; not ${String(op)}` });
      return;
    }
    const value = condition.value as unknown;
    const isList = listOperators.includes(op as ScrubOperator);
    if (isList !== Array.isArray(value)) {
      context.addIssue({
        code: 'custom',
        path: ['value'],
        message: isList
          ? `${String(op)} takes a list of values: each ${fieldHints[known]}`
          : `${String(op)} takes one value: ${fieldHints[known]}`,
      });
      return;
    }
    const values: unknown[] = Array.isArray(value) ? value : [value];
    values.forEach((item, index) => {
      if (!isFieldValue(known, item)) {
        context.addIssue({ code: 'custom', path: isList ? ['value', index] : ['value'], message: `must be ${fieldHints[known]}` });
      }
    });
  });
export type ScrubCondition = z.infer<typeof scrubConditionSchema>;

const ruleName = z.string().trim().min(1).max(200);
const rulePriority = z
  .int()
  .min(0)
  .max(SCRUB_PRIORITY_MAX)
  .meta({ description: 'Rules are evaluated lowest first; ties in creation order. The first rule whose conditions all hold decides.' });

/** `POST /v1/scrub-rules`, and the rule a preview tries. */
export const createScrubRuleSchema = z.strictObject({
  name: ruleName,
  priority: rulePriority,
  conditions: z.array(scrubConditionSchema).min(1).max(SCRUB_CONDITIONS_MAX).meta({ description: 'All must hold for the rule to match.' }),
  action: z.enum(scrubActions).meta({ description: 'reject: the conversion is rejected; hold: held until released or rejected.' }),
  reason: z
    .string()
    .max(64)
    .regex(
      SCRUB_REASON_PATTERN,
      'must be a reason code: a lower-case letter, then lower-case letters, digits and "_" (e.g. "click_too_fast")',
    ),
  contractId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: "Only this sell contract's conversions; absent: every contract's." }),
});
export type CreateScrubRuleInput = z.infer<typeof createScrubRuleSchema>;

/**
 * `PATCH /v1/scrub-rules/:id`: the name, the priority, and whether the rule is active. What a rule
 * decides by (conditions, action, reason, contract) is fixed once created, so that every conversion
 * it decided traces to the rule as it was: change those with a new rule and disable this one.
 */
export const updateScrubRuleSchema = z.strictObject({ name: ruleName, priority: rulePriority, active: z.boolean() }).partial();
export type UpdateScrubRuleInput = z.infer<typeof updateScrubRuleSchema>;

export const scrubRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  priority: z.int(),
  conditions: z.array(z.object({ field: z.enum(scrubFields), op: z.enum(scrubOperators), value: z.unknown() })),
  action: z.enum(scrubActions),
  reason: z.string(),
  contractId: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type ScrubRule = z.infer<typeof scrubRuleSchema>;

/** The preview looks back this many days from `asOf`. */
export const SCRUB_PREVIEW_DAYS = 30;

/** `POST /v1/scrub-rules/preview`: a rule as it would be created, tried on the conversions of the 30 days before `asOf`. */
export const previewScrubRuleSchema = z.strictObject({
  rule: createScrubRuleSchema,
  asOf: instantSchema.optional().meta({ description: 'The end of the 30 days looked at (exclusive); absent: now.' }),
});
export type PreviewScrubRuleInput = z.infer<typeof previewScrubRuleSchema>;

const statusCounts = z.object({ pending: z.int(), approved: z.int(), held: z.int(), rejected: z.int(), reversed: z.int() });
export type ScrubStatusCounts = z.infer<typeof statusCounts>;

/** What a rule would have done to one partner's conversions, or to all of them. */
const previewCounts = z.object({
  evaluated: z.int().meta({ description: 'Conversions in the window (that the rule could apply to).' }),
  matched: z.int().meta({ description: 'Conversions for which every condition holds.' }),
  decided: z.int().meta({
    description: 'Matched conversions no active rule of a lower priority number decides first: the rule would reject or hold these.',
  }),
  shadowed: z.int().meta({ description: 'Matched conversions an active rule of a lower priority number (or an equal one) decides first.' }),
  matchedByStatus: statusCounts.meta({ description: 'The matched conversions by their status today.' }),
});

export const scrubPreviewSchema = z.object({
  from: z.string(),
  to: z.string(),
  action: z.enum(scrubActions),
  ...previewCounts.shape,
  byPartner: z.array(z.object({ partnerId: z.string().nullable(), ...previewCounts.shape })),
  samples: z.array(
    z.object({ id: z.string(), contractId: z.string(), partnerId: z.string().nullable(), occurredAt: z.string(), status: z.string() }),
  ),
  truncated: z
    .boolean()
    .meta({ description: 'True when the window held more conversions than one preview reads; the counts are of the most recent ones.' }),
});
export type ScrubPreview = z.infer<typeof scrubPreviewSchema>;

/** One row of `GET /v1/reports/scrub`: a partner's conversions of one day (the UTC date of occurredAt). */
export const scrubReportRowSchema = z.object({
  partnerId: z.string().nullable(),
  date: z.string(),
  received: z.int(),
  ...statusCounts.shape,
  byReason: z
    .record(z.string(), z.int())
    .meta({ description: 'Conversions a scrub rule rejected or held at intake, by the rule’s reason (including those released since).' }),
});
export type ScrubReportRow = z.infer<typeof scrubReportRowSchema>;

/** A conversion waiting in the held queue (its fields as the conversions list answers them), with the rule that held it. */
export const heldConversionSchema = conversionSchema
  .pick({ id: true, contractId: true, lineItem: true, partnerId: true, eventType: true, occurredAt: true, value: true })
  .extend({ heldAt: z.string(), ruleId: z.string().nullable(), reason: z.string().nullable() });
export type HeldConversion = z.infer<typeof heldConversionSchema>;

/** At most this many held conversions are released or rejected by one request; `remaining` tells the rest. */
export const HELD_BATCH_MAX = 10_000;

/** Which held conversions a release or rejection takes: every filter given must hold. */
export const heldSelectionSchema = z
  .strictObject({
    ids: z.array(z.string().min(1).max(128)).min(1).max(HELD_BATCH_MAX).optional(),
    ruleId: z.string().min(1).max(64).optional(),
    partnerId: z.string().min(1).max(64).optional(),
    contractId: z.string().min(1).max(64).optional(),
    heldBefore: instantSchema.optional().meta({ description: 'Only conversions held before this instant (those the reviewer has seen).' }),
    reason: z.string().max(500).optional().meta({ description: "Written into each conversion's status history." }),
  })
  .superRefine((selection, context) => {
    const filters = [selection.ids, selection.ruleId, selection.partnerId, selection.contractId, selection.heldBefore];
    if (filters.every((filter) => filter === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [],
        message: 'name the conversions: ids, or at least one of ruleId, partnerId, contractId, heldBefore',
      });
    }
  });
export type HeldSelection = z.infer<typeof heldSelectionSchema>;

export const heldOutcomeSchema = z.object({
  updated: z.int().meta({ description: 'Held conversions released (approved) or rejected by this request.' }),
  skipped: z.array(z.string()).meta({ description: 'Ids given that are not held conversions (unknown, or no longer held).' }),
  remaining: z.int().meta({ description: 'Held conversions that still match the filters (past the per-request limit): call again.' }),
});
export type HeldOutcome = z.infer<typeof heldOutcomeSchema>;
