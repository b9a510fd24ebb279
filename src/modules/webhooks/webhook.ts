/** Webhooks: the event types, and the shapes that the routes, use cases and dispatcher share. */
import { z } from 'zod';

/** Every event type Tally emits; producers and the endpoint schema share this list. */
export const webhookEventTypes = [
  'contract.approved',
  'invoice.finalized',
  'invoice.voided',
  'invoice.overdue',
  'payout_statement.finalized',
  'billing_run.completed',
  'rate_card.approved',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const webhookUrlLengthMax = 2000;
export const webhookDescriptionLengthMax = 500;
/** Active endpoints at most: each event fans out to every subscribed endpoint inside the producer's transaction. */
export const activeWebhookEndpointsMax = 50;

/** Why a text is not an acceptable webhook URL, or null when it is. */
export function webhookUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute http:// or https:// URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http:// or https://';
  if (url.hostname === '') return 'must name a host';
  // fetch refuses URLs with credentials, so such an endpoint could never be delivered to.
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  return null;
}

const webhookUrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(webhookUrlLengthMax)
  .superRefine((text, check) => {
    const problem = webhookUrlProblem(text);
    if (problem !== null) check.addIssue({ code: 'custom', message: problem });
  });

const eventListSchema = z
  .array(z.enum(webhookEventTypes))
  .min(1)
  .max(webhookEventTypes.length)
  .refine((events) => new Set(events).size === events.length, { message: 'must not name an event type twice' });

export const createWebhookEndpointSchema = z.strictObject({
  url: webhookUrlSchema,
  events: eventListSchema,
  description: z.string().trim().min(1).max(webhookDescriptionLengthMax).optional(),
});
export type CreateWebhookEndpointInput = z.infer<typeof createWebhookEndpointSchema>;

export const webhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(webhookEventTypes)),
  description: z.string().nullable(),
  createdAt: z.string(),
  active: z.boolean(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

/** The answer to create: the only time (with rotate) that the signing secret is shown. */
export const webhookEndpointWithSecretSchema = webhookEndpointSchema.extend({ secret: z.string() });
export type WebhookEndpointWithSecret = z.infer<typeof webhookEndpointWithSecretSchema>;

/** The answer to rotate: the new secret, and until when the previous one still signs deliveries. */
export const rotatedWebhookSecretSchema = webhookEndpointWithSecretSchema.extend({ previousSecretExpiresAt: z.string() });
export type RotatedWebhookSecret = z.infer<typeof rotatedWebhookSecretSchema>;

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;

export const webhookDeliveryAttemptSchema = z.object({
  number: z.int(),
  attemptedAt: z.string(),
  durationMs: z.int(),
  statusCode: z.int().nullable(),
  error: z.string().nullable(),
  succeeded: z.boolean(),
});
export type WebhookDeliveryAttempt = z.infer<typeof webhookDeliveryAttemptSchema>;

/** Where a delivery stands and its latest attempts: the same for a webhook endpoint's and a partner postback's. */
export const deliveryStateShape = {
  status: z.enum(webhookDeliveryStatuses),
  attemptCount: z.int(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  /** The latest attempts, oldest first (at most `deliveryAttemptsShownMax`; attemptCount has them all). */
  attempts: z.array(webhookDeliveryAttemptSchema),
};
export type DeliveryState = z.infer<z.ZodObject<typeof deliveryStateShape>>;

export const webhookDeliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  ...deliveryStateShape,
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** What a receiver gets as the body of every delivery. */
export interface WebhookPayload {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  data: Record<string, unknown>;
}
