/** Delivery records as the API takes them: impressions, conversions and conversion status updates. */
import { z } from 'zod';
import { instantSchema as instant } from '../../wire/delivery.ts';
import { decimalStringSchema, calendarDateSchema, isCalendarDate } from '../../wire/terms-fields.ts';

/** At most this many records in one request; larger loads go through the CSV import. */
export const batchRecordsMax = 10_000;
/** Counts stay far inside Number.MAX_SAFE_INTEGER even when summed over years. */
export const impressionsPerRecordMax = 1_000_000_000_000;

const idText = z.string().min(1).max(64);
/**
 * A day's delivery of a line item from one source: impressions, and the CTV counts beside them
 * (SPEC §8). An absent completedViews or clicks is 0, as stored for rows from before them: a record
 * is restated as a whole, so sending a key again without completedViews restates its views to 0.
 */
export const impressionRecordSchema = z.strictObject({
  contractId: idText,
  lineItem: z.string().min(1).max(64),
  date: calendarDateSchema,
  source: z.enum(['first_party', 'third_party']),
  impressions: z.int().min(0).max(impressionsPerRecordMax),
  completedViews: z
    .int()
    .min(0)
    .max(impressionsPerRecordMax)
    .optional()
    .meta({ description: 'Completed views (CTV), billed by cpcv pricing; absent means 0.' }),
  clicks: z.int().min(0).max(impressionsPerRecordMax).optional().meta({ description: 'Clicks, billed by cpc pricing; absent means 0.' }),
  partnerId: idText.optional(),
});
export type ImpressionRecord = z.infer<typeof impressionRecordSchema>;

export const impressionBatchSchema = z.strictObject({ records: z.array(impressionRecordSchema).min(1).max(batchRecordsMax) });

const impressionRecordFields = new Set(Object.keys(impressionRecordSchema.shape));

/**
 * Whether a parsed body is a batch that `impressionBatchSchema` takes as it is: the same rules, in
 * one pass over the records without zod's per-field machinery (a third of an ingestion batch's time
 * in JavaScript on 10,000 records). It only ever answers true for what the schema accepts; for
 * anything else the caller asks the schema, which says what is wrong.
 */
export function isPlainImpressionBatch(body: unknown): body is { records: ImpressionRecord[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  for (const key in body) if (key !== 'records') return false;
  const records = (body as { records?: unknown }).records;
  if (!Array.isArray(records) || records.length < 1 || records.length > batchRecordsMax) return false;
  // A batch names a few dates many times over: each is checked by the schema's own rule once.
  const dates = new Map<unknown, boolean>();
  for (const record of records as unknown[]) {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return false;
    for (const key in record) if (!impressionRecordFields.has(key)) return false;
    const { contractId, lineItem, date, source, impressions, completedViews, clicks, partnerId } = record as Record<string, unknown>;
    if (!isIdText(contractId) || !isIdText(lineItem) || (source !== 'first_party' && source !== 'third_party')) return false;
    if (!isCount(impressions)) return false;
    if (completedViews !== undefined && !isCount(completedViews)) return false;
    if (clicks !== undefined && !isCount(clicks)) return false;
    if (partnerId !== undefined && !isIdText(partnerId)) return false;
    let dateValid = dates.get(date);
    if (dateValid === undefined) dates.set(date, (dateValid = isCalendarDate(date)));
    if (!dateValid) return false;
  }
  return true;
}

/** `idText` (and a line item key) as the schema checks it: 1 to 64 characters. */
function isIdText(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 64;
}

/** An impression, view or click count as the schema checks it: a safe integer from 0 to `impressionsPerRecordMax`. */
function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= impressionsPerRecordMax;
}

const attributeValue = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);

/** A record's free attributes: `country` and `newCustomer` are read by eligibility and scrub rules, so they are checked. */
const attributesSchema = z
  .record(z.string().max(64), attributeValue)
  .refine((attributes) => Object.keys(attributes).length <= 32, 'at most 32 attributes')
  .refine(
    (attributes) => attributes.country === undefined || (typeof attributes.country === 'string' && /^[A-Z]{2}$/.test(attributes.country)),
    {
      message: 'country must be an ISO 3166-1 alpha-2 code in upper case',
    },
  )
  .refine((attributes) => attributes.newCustomer === undefined || typeof attributes.newCustomer === 'boolean', {
    message: 'newCustomer must be true or false',
  });

/** The sender's click id: like a conversion id, any text up to 128 characters. */
const clickIdText = z.string().min(1).max(128);

/** At most this many touches on one conversion: a path to purchase, not a log. */
export const touchesPerConversionMax = 20;

/** One partner's touch on the way to a conversion; `clickId` names the click it was, when it was one. */
export const conversionTouchSchema = z.strictObject({
  partnerId: idText,
  type: z.enum(['view', 'click']),
  at: instant,
  clickId: clickIdText
    .optional()
    .meta({ description: 'The click this touch was (POST /v1/clicks): same partner, type click, same instant.' }),
});
export type ConversionTouch = z.infer<typeof conversionTouchSchema>;

/** The three ways a conversion names what led to it (SPEC §9): exactly one is present. */
const touchForms = ['touch', 'clickId', 'touches'] as const;

export const conversionRecordSchema = z
  .strictObject({
    id: z.string().min(1).max(128),
    contractId: idText,
    lineItem: z.string().min(1).max(64),
    partnerId: idText.optional().meta({ description: 'The partner of `touch`; with clickId or touches the partners come from them.' }),
    eventType: z.string().min(1).max(64),
    occurredAt: instant,
    touch: z
      .strictObject({ type: z.enum(['view', 'click']), at: instant })
      .optional()
      .meta({ description: 'One touch (of partnerId, if given). Exactly one of touch, clickId or touches.' }),
    clickId: clickIdText.optional().meta({
      description:
        'The click that led to the conversion (its partner and instant are the touch). Exactly one of touch, clickId or touches.',
    }),
    touches: z.array(conversionTouchSchema).min(1).max(touchesPerConversionMax).optional().meta({
      description: 'Several partners’ touches; the contract’s attribution model credits one. Exactly one of touch, clickId or touches.',
    }),
    value: decimalStringSchema({ min: '0', max: '1000000000000', decimalsMax: 6 }).optional(),
    attributes: attributesSchema.optional(),
    status: z.enum(['pending', 'approved']).optional(),
  })
  .superRefine((record, context) => {
    // Runs even when fields failed their own checks: only presence is read here.
    const present = touchForms.filter((form) => record[form] !== undefined);
    if (present.length === 0) {
      context.addIssue({ code: 'custom', path: ['touch'], message: 'a conversion needs exactly one of touch, clickId or touches' });
    }
    for (const form of present.slice(1)) {
      context.addIssue({
        code: 'custom',
        path: [form],
        message: `a conversion takes exactly one of touch, clickId or touches, not both ${present[0]} and ${form}`,
      });
    }
    if (record.partnerId !== undefined && record.touch === undefined && present.length > 0) {
      context.addIssue({
        code: 'custom',
        path: ['partnerId'],
        message: 'partnerId goes with touch; with clickId the click names the partner, with touches each touch does',
      });
    }
  });
export type ConversionRecord = z.infer<typeof conversionRecordSchema>;

/** A partner's click on a sell contract's line item (SPEC §9); `id` is the sender's click id. */
export const clickRecordSchema = z.strictObject({
  id: clickIdText,
  contractId: idText,
  lineItem: z.string().min(1).max(64),
  partnerId: idText,
  at: instant,
  attributes: attributesSchema.optional(),
});
export type ClickRecord = z.infer<typeof clickRecordSchema>;

export const clickBatchSchema = z.strictObject({ records: z.array(clickRecordSchema).min(1).max(batchRecordsMax) });

export const conversionBatchSchema = z.strictObject({ records: z.array(conversionRecordSchema).min(1).max(batchRecordsMax) });

export const conversionStatusUpdateSchema = z.strictObject({
  id: z.string().min(1).max(128),
  status: z.enum(['approved', 'rejected', 'reversed']),
  reason: z.string().max(500).optional(),
});
export const conversionStatusBatchSchema = z.strictObject({ updates: z.array(conversionStatusUpdateSchema).min(1).max(batchRecordsMax) });
export type ConversionStatusUpdate = z.infer<typeof conversionStatusUpdateSchema>;

/**
 * Which status a conversion may move to. A reversal is final; a rejected conversion may be
 * approved on review; an approved one may still be rejected (fraud found) or reversed (refund).
 * Only a scrub rule holds a conversion, at intake: a held one is released (approved) or rejected,
 * and nothing moves to held by hand (docs/affiliate/scrub-rules.md).
 */
export const conversionTransitions: Record<string, readonly string[]> = {
  pending: ['approved', 'rejected', 'reversed'],
  approved: ['rejected', 'reversed'],
  rejected: ['approved'],
  reversed: [],
  held: ['approved', 'rejected'],
};

/** Names a record in errors: `records[3]` for the JSON API, `line 5` for a CSV file. */
export type RecordLocator = (index: number) => string;
export const jsonLocator: RecordLocator = (index) => `records[${index}]`;

export const ingestImpressionsResultSchema = z.object({ accepted: z.int(), created: z.int(), restated: z.int(), unchanged: z.int() });
export type IngestImpressionsResult = z.infer<typeof ingestImpressionsResultSchema>;
export const ingestConversionsResultSchema = z.object({ accepted: z.int(), created: z.int(), duplicates: z.int() });
export type IngestConversionsResult = z.infer<typeof ingestConversionsResultSchema>;
/** Clicks answer as conversions do: new ones created, the same content again a duplicate. */
export const ingestClicksResultSchema = ingestConversionsResultSchema;
export type IngestClicksResult = IngestConversionsResult;

/** The answer to an intake batch queued on NATS JetStream (SPEC §11): stored in the stream, not yet in the books. */
export const queuedBatchSchema = z.object({
  batchId: z.string(),
  status: z.literal('queued'),
  records: z.int(),
  stream: z.string(),
  sequence: z.int(),
});

/** What became of a queued batch (`GET /v1/intake/batches/:id`). */
export const intakeBatchSchema = z.object({
  batchId: z.string(),
  status: z.enum(['queued', 'stored', 'rejected']),
  kind: z.string().nullable(),
  result: z.unknown(),
  problem: z.unknown(),
  storedAt: z.string().nullable(),
});
