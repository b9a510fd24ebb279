/**
 * Scrub rules at intake (SPEC §9): each new conversion, once attributed, is tried against the
 * active rules in priority order; the first whose conditions all hold rejects or holds it, and its
 * first status event names the rule and gives the rule's reason.
 */
import type { UseCaseContext } from '../../platform/context.ts';
import { listActiveScrubRules, scrubCandidateOf, scrubDecision, statusOfAction } from '../scrub/index.ts';
import type { AttributedConversion } from './attribute-conversions.ts';

/** A new conversion as it is stored: attributed, then screened (a rule's decision replaces the status it was sent with). */
export interface ScreenedConversion extends Omit<AttributedConversion, 'status'> {
  status: AttributedConversion['status'] | 'rejected' | 'held';
  /** The rule that decided the status; null when no rule matched. */
  ruleId: string | null;
}

/**
 * Applies the active rules of the batch's contracts (one query for the batch). A rule decides even
 * a conversion sent as approved: the sender's word does not outrank the network's fraud controls.
 */
export async function screenConversions(
  context: UseCaseContext,
  conversions: readonly AttributedConversion[],
): Promise<ScreenedConversion[]> {
  if (conversions.length === 0) return [];
  const rules = await listActiveScrubRules(
    context.trx,
    conversions.map((conversion) => conversion.record.contractId),
  );
  return conversions.map((conversion) => {
    const decision =
      rules.length === 0
        ? null
        : scrubDecision(
            rules,
            scrubCandidateOf({
              contractId: conversion.record.contractId,
              occurredAt: conversion.record.occurredAt,
              touch: conversion.touch,
              country: conversion.record.attributes?.country,
              value: conversion.record.value,
              eventType: conversion.record.eventType,
              partnerId: conversion.partnerId,
            }),
          );
    if (decision === null) return { ...conversion, ruleId: null };
    return { ...conversion, status: statusOfAction[decision.action], statusReason: decision.reason, ruleId: decision.ruleId };
  });
}
