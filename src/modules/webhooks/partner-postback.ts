/**
 * Partner postbacks (SPEC §9): a partner's URL template, called with GET once per conversion and
 * event through the webhook outbox. The events, the macros, the template's rules and the API shapes.
 */
import { z } from 'zod';
import { deliveryStateShape, webhookUrlProblem } from './webhook.ts';

/** What a partner can be called back about. */
export const partnerPostbackEvents = ['conversion.credited', 'conversion.reversed'] as const;
export type PartnerPostbackEvent = (typeof partnerPostbackEvents)[number];

/** The macros a template may hold, each filled in URL-encoded (an unknown value is empty). */
export const partnerPostbackMacros = ['click_id', 'txid', 'event', 'payout', 'status'] as const;
export type PartnerPostbackMacro = (typeof partnerPostbackMacros)[number];

export const urlTemplateLengthMax = 2000;
/**
 * Macros in one template at most: each value is at most a few hundred characters once encoded, so
 * a filled URL stays far below the 10,000 characters a delivery keeps (migration 0018).
 */
export const urlTemplateMacrosMax = 10;
/** Active postbacks of one partner at most: each conversion credited to it fans out to all of them in the intake's transaction. */
export const activePartnerPostbacksPerPartnerMax = 10;

const macroPattern = /\{([^{}]*)\}/g;
const macroList = partnerPostbackMacros.map((name) => `{${name}}`).join(', ');

/** The template with each macro replaced by its value, URL-encoded; a macro without a value becomes empty. */
export function fillUrlTemplate(template: string, values: Partial<Record<PartnerPostbackMacro, string | null>>): string {
  return template.replace(macroPattern, (_whole, name: string) => encodeURIComponent(values[name as PartnerPostbackMacro] ?? ''));
}

/** Whether a template holds the macro: a caller works out a value that costs reads only for templates that show it. */
export function templateUsesMacro(template: string, macro: PartnerPostbackMacro): boolean {
  // An accepted template has no brace outside a macro (urlTemplateProblem), so the text is the macro.
  return template.includes(`{${macro}}`);
}

/**
 * Why a text is not an acceptable URL template, or null when it is: only known macros, no stray
 * brace, and a literal http(s) scheme and host, so that no conversion's values can choose where
 * the call goes (the host is what the outbound-target guard checks at registration).
 */
export function urlTemplateProblem(template: string): string | null {
  const unknown = [...new Set([...template.matchAll(macroPattern)].map((match) => match[1] as string).filter((name) => !isMacro(name)))];
  if (unknown.length > 0) return `unknown macros ${unknown.map((name) => `{${name}}`).join(', ')}; the macros are ${macroList}`;
  if (/[{}]/.test(template.replace(macroPattern, ''))) return `a { or } that is not part of a macro (${macroList})`;
  if ([...template.matchAll(macroPattern)].length > urlTemplateMacrosMax) return `at most ${urlTemplateMacrosMax} macros`;
  // The URL parser drops tabs and newlines and reads a backslash as a slash: refuse them rather than guess.
  if (/[\s\\\p{Cc}]/u.test(template)) return 'must not contain spaces, control characters or backslashes';
  const authority = /^https?:\/\/([^/?#]*)/i.exec(template);
  if (authority === null) return 'must start with http:// or https://';
  if ((authority[1] as string).includes('{')) return 'the host must be written out: macros may stand in the path and the query only';
  return webhookUrlProblem(fillUrlTemplate(template, {}));
}

function isMacro(name: string): name is PartnerPostbackMacro {
  return (partnerPostbackMacros as readonly string[]).includes(name);
}

const urlTemplateSchema = z
  .string()
  .trim()
  .min(1)
  .max(urlTemplateLengthMax)
  .superRefine((text, check) => {
    // The refinement also runs when the length check failed: such a text is refused already.
    if (typeof text !== 'string' || text.length > urlTemplateLengthMax) return;
    const problem = urlTemplateProblem(text);
    if (problem !== null) check.addIssue({ code: 'custom', message: problem });
  });

export const createPartnerPostbackSchema = z.strictObject({
  partyId: z.string().min(1).max(64),
  urlTemplate: urlTemplateSchema,
  events: z
    .array(z.enum(partnerPostbackEvents))
    .min(1)
    .max(partnerPostbackEvents.length)
    .refine((events) => new Set(events).size === events.length, { message: 'must not name an event twice' }),
});
export type CreatePartnerPostbackInput = z.infer<typeof createPartnerPostbackSchema>;

export const partnerPostbackSchema = z.object({
  id: z.string(),
  partyId: z.string(),
  urlTemplate: z.string(),
  events: z.array(z.enum(partnerPostbackEvents)),
  createdAt: z.string(),
  active: z.boolean(),
});
export type PartnerPostback = z.infer<typeof partnerPostbackSchema>;

/** One call to a partner: like a webhook delivery, with the URL that was filled in and the conversion it reports. */
export const partnerPostbackDeliverySchema = z.object({
  id: z.string(),
  partnerPostbackId: z.string(),
  eventId: z.string(),
  eventType: z.enum(partnerPostbackEvents),
  conversionId: z.string(),
  url: z.string(),
  ...deliveryStateShape,
});
export type PartnerPostbackDelivery = z.infer<typeof partnerPostbackDeliverySchema>;

/** A conversion as the outbox records it for its partner: the macros' values. */
export interface PartnerPostbackConversion {
  /** The conversion's id: `{txid}`. */
  id: string;
  /** The credited partner; a conversion without one is called back to nobody. */
  partnerId: string | null;
  /** The conversion's event type (`purchase`…): `{event}`. */
  eventType: string;
  /** The conversion's status when the event happened: `{status}`. */
  status: string;
  /** The credited click's id, when there is one: `{click_id}`. */
  clickId?: string | null | undefined;
  /**
   * What the partner is paid for it, a money string, when known at the time: `{payout}`. When
   * absent, enqueuePartnerPostbacks asks its `payoutsOf` option, if given.
   */
  payout?: string | null | undefined;
}

/** The outbox payload of a partner postback event: what the macros were filled with. */
export interface PartnerPostbackEventData {
  conversionId: string;
  partnerId: string;
  eventType: string;
  status: string;
  clickId: string | null;
  payout: string | null;
}
