/** Delivery as the API takes instants and answers its records, shared with the web app. */
import { z } from 'zod';
import { ATTRIBUTION_MODELS } from './pricing.ts';

const instantMessage = 'must be an RFC 3339 instant such as 2026-10-01T12:00:00Z';
/** Instants in the years 1900 to 9999 in UTC, like calendar dates (an offset can move one across a year). */
const instantMin = Date.parse('1900-01-01T00:00:00Z');
const instantMax = Date.parse('9999-12-31T23:59:59.999Z');
/**
 * UTC offsets up to 14 hours either way, the widest in use: RFC 3339 writes up to ±23:59, but
 * PostgreSQL refuses offsets past 15:59 (a 500 on PostgreSQL only, found by test/integration/fuzz.test.ts).
 */
const offsetMinutesMax = 14 * 60;
function offsetMinutes(value: string): number {
  const match = /([+-])(\d{2}):(\d{2})$/.exec(value);
  return match ? Number(match[2]) * 60 + Number(match[3]) : 0;
}

/**
 * An instant the API takes (a conversion's, a click's, a touch's; the scrub review's heldBefore and
 * asOf): RFC 3339 with an offset, one PostgreSQL accepts, in the years 1900 to 9999 (UTC).
 */
export const instantSchema = z.iso
  .datetime({ offset: true, error: instantMessage })
  .refine((value) => offsetMinutes(value) <= offsetMinutesMax, `${instantMessage}, with a UTC offset from -14:00 to +14:00`)
  .refine(
    (value) => Date.parse(value) >= instantMin && Date.parse(value) <= instantMax,
    `${instantMessage}, in the years 1900 to 9999 (UTC)`,
  );

/** A current delivery count (`GET /v1/impressions`), with its CTV counts (SPEC §8): its revision counts the restatements. */
export const impressionCountSchema = z.object({
  lineItem: z.string(),
  date: z.string(),
  source: z.enum(['first_party', 'third_party']),
  impressions: z.int(),
  completedViews: z.int(),
  clicks: z.int(),
  revision: z.int(),
});
export type ImpressionCountView = z.infer<typeof impressionCountSchema>;

/**
 * A conversion's statuses. `held` is set only by a scrub rule at intake (SPEC §9): held conversions
 * are neither billed nor paid until released (`approved`) or `rejected`.
 */
export const conversionStatuses = ['pending', 'approved', 'held', 'rejected', 'reversed'] as const;
export type ConversionStatus = (typeof conversionStatuses)[number];

export const touchTypes = ['view', 'click'] as const;
const touchTypeSchema = z.enum(touchTypes);

/** A conversion as `GET /v1/conversions` lists it. */
export const conversionSchema = z.object({
  id: z.string(),
  contractId: z.string(),
  lineItem: z.string(),
  partnerId: z.string().nullable(),
  eventType: z.string(),
  occurredAt: z.string(),
  touch: z.object({ type: touchTypeSchema, at: z.string() }),
  value: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  status: z.enum(conversionStatuses),
  statusAt: z.string(),
  receivedAt: z.string(),
});
export type ConversionView = z.infer<typeof conversionSchema>;

/** Every touch of a conversion, whether it was credited and why (docs/affiliate/attribution.md lists the reasons). */
export const attributedTouchSchema = z.object({
  partnerId: z.string().nullable(),
  type: touchTypeSchema,
  at: z.string(),
  clickId: z.string().nullable(),
  credited: z.boolean(),
  reason: z.string(),
});
export type AttributedTouch = z.infer<typeof attributedTouchSchema>;

/** One change of a conversion's status: who set it and when, with the scrub rule that set it when one did. */
export const conversionStatusEventSchema = z.object({
  status: z.string(),
  at: z.string(),
  by: z.string(),
  rule: z.string().optional(),
  reason: z.string().optional(),
});
export type ConversionStatusEvent = z.infer<typeof conversionStatusEventSchema>;

/** `GET /v1/conversions/:id`: a conversion with how it was attributed and everything that happened to its status (SPEC §9). */
export const conversionDetailSchema = conversionSchema.extend({
  clickId: z.string().nullable(),
  attribution: z
    .object({ model: z.enum(ATTRIBUTION_MODELS), version: z.int().nullable() })
    .nullable()
    .meta({
      description: 'The model and contract version that attributed it at intake; null for conversions received before attribution.',
    }),
  credited: z
    .object({ partnerId: z.string(), touch: z.object({ type: touchTypeSchema, at: z.string(), clickId: z.string().nullable() }) })
    .nullable(),
  touches: z.array(attributedTouchSchema),
  history: z.array(z.object({ seq: z.int(), status: z.string(), reason: z.string().nullable(), at: z.string(), by: z.string() })),
  statusHistory: z.array(conversionStatusEventSchema),
});
export type ConversionDetail = z.infer<typeof conversionDetailSchema>;

/** A partner's click as `GET /v1/clicks` lists it. */
export const clickSchema = z.object({
  id: z.string(),
  contractId: z.string(),
  lineItem: z.string(),
  partnerId: z.string(),
  at: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  receivedAt: z.string(),
});
export type ClickView = z.infer<typeof clickSchema>;
