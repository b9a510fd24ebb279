/**
 * "Test this rule against the last 30 days" (SPEC §9): what a rule, as it would be created, would
 * have done to the conversions that occurred in the 30 days before `asOf`, beside the active rules.
 * It reads and writes nothing else: not a rule, not a status, not an audit entry.
 */
import type { Executor } from '../../platform/database.ts';
import type { VisibilityScope } from '../../platform/visibility.ts';
import { SCRUB_PREVIEW_DAYS, type PreviewScrubRuleInput, type ScrubPreview, type ScrubStatusCounts } from '../../wire/scrub.ts';
import { type FactsCursor, loadConversionFacts } from '../delivery/index.ts';
import {
  assertRuleReferences,
  type EvaluatedRule,
  evaluationOrder,
  listActiveScrubRules,
  ruleMatches,
  scrubCandidateOf,
  scrubDecision,
} from '../scrub/index.ts';

/** Conversions read per query, and at most per preview (the most recent ones; `truncated` says so). */
const PAGE_SIZE = 5_000;
export const PREVIEW_CONVERSIONS_MAX = 500_000;
const SAMPLES_MAX = 10;
/**
 * The previewed rule's id: after every real id (`scr_…`) in evaluation order, so that at an equal
 * priority an existing rule decides first, as it would once the new rule is created.
 */
const previewRuleId = '~preview';

type Counts = Omit<ScrubPreview['byPartner'][number], 'partnerId'>;

function emptyCounts(): Counts {
  const matchedByStatus: ScrubStatusCounts = { pending: 0, approved: 0, held: 0, rejected: 0, reversed: 0 };
  return { evaluated: 0, matched: 0, decided: 0, shadowed: 0, matchedByStatus };
}

/** Evaluates the rule (and the active rules before it) over the window's conversions, newest first. */
export async function previewScrubRule(
  db: Executor,
  scope: VisibilityScope,
  input: PreviewScrubRuleInput,
  now: Date,
): Promise<ScrubPreview> {
  const { rule } = input;
  await assertRuleReferences(db, scope, rule, 'rule.');
  const to = new Date(input.asOf ?? now.toISOString());
  const from = new Date(to.getTime() - SCRUB_PREVIEW_DAYS * 86_400_000);
  const previewed: EvaluatedRule = {
    id: previewRuleId,
    priority: rule.priority,
    conditions: rule.conditions,
    action: rule.action,
    reason: rule.reason,
    contractId: rule.contractId ?? null,
  };
  const ordered = evaluationOrder([...(await listActiveScrubRules(db)), previewed]);
  const total = emptyCounts();
  const byPartner = new Map<string | null, Counts>();
  const samples: ScrubPreview['samples'] = [];
  let before: FactsCursor | undefined;
  let read = 0;
  let truncated = false;
  for (;;) {
    const limit = Math.min(PAGE_SIZE, PREVIEW_CONVERSIONS_MAX - read);
    const page = await loadConversionFacts(db, {
      from: from.toISOString(),
      to: to.toISOString(),
      contractId: rule.contractId,
      before,
      limit: limit + 1,
    });
    const conversions = page.slice(0, limit);
    for (const conversion of conversions) {
      let partner = byPartner.get(conversion.partnerId);
      if (!partner) byPartner.set(conversion.partnerId, (partner = emptyCounts()));
      const counts = [total, partner];
      for (const count of counts) count.evaluated += 1;
      const candidate = scrubCandidateOf(conversion);
      if (!ruleMatches(previewed, candidate)) continue;
      const decidedHere = scrubDecision(ordered, candidate)?.ruleId === previewRuleId;
      const status = conversion.status as keyof ScrubStatusCounts;
      for (const count of counts) {
        count.matched += 1;
        if (decidedHere) count.decided += 1;
        else count.shadowed += 1;
        if (status in count.matchedByStatus) count.matchedByStatus[status] += 1;
      }
      if (samples.length < SAMPLES_MAX) {
        samples.push({
          id: conversion.id,
          contractId: conversion.contractId,
          partnerId: conversion.partnerId,
          occurredAt: conversion.occurredAt,
          status: conversion.status,
        });
      }
    }
    read += conversions.length;
    if (page.length <= limit) break;
    if (read >= PREVIEW_CONVERSIONS_MAX) {
      truncated = true;
      break;
    }
    const last = conversions.at(-1)!;
    before = { occurredAt: last.occurredAt, id: last.id };
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    action: rule.action,
    ...total,
    byPartner: [...byPartner.entries()]
      .map(([partnerId, counts]) => ({ partnerId, ...counts }))
      .sort((a, b) =>
        a.partnerId === b.partnerId ? 0 : a.partnerId === null ? 1 : b.partnerId === null ? -1 : a.partnerId < b.partnerId ? -1 : 1,
      ),
    samples,
    truncated,
  };
}
