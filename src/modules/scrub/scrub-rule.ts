/**
 * The scrub decision (SPEC §9): pure rules over a conversion as intake sees it. Rules are tried in
 * priority order (lowest first, ties in creation order: ids sort by creation); the first whose
 * conditions all hold decides, and a condition on a field the conversion lacks never holds.
 */
import { Decimal } from '../../wire/money.ts';
import type { ScrubAction, ScrubCondition } from '../../wire/scrub.ts';

/** What a rule decides by; the rule as the API shows it carries more (name, who, when). */
export interface EvaluatedRule {
  id: string;
  priority: number;
  conditions: readonly ScrubCondition[];
  action: ScrubAction;
  reason: string;
  /** Only this contract's conversions; null: every contract's. */
  contractId: string | null;
}

/** A conversion as the rules see it. */
export interface ScrubCandidate {
  contractId: string;
  occurredAt: string;
  /** The instant of the credited click touch; null when the credit went to a view or to nobody. */
  clickAt: string | null;
  country: string | null;
  value: string | null;
  eventType: string;
  /** The credited partner; null when none is. */
  partnerId: string | null;
}

/** A conversion as intake stores it (or as the store holds it): what a candidate is made from. */
export interface ConversionFacts {
  contractId: string;
  occurredAt: string;
  /** The touch the conversion is attributed to: the credited one, or the one attribution picked when none was credited. */
  touch: { type: 'view' | 'click'; at: string };
  /** `attributes.country` as received (validated as a country code at intake). */
  country: unknown;
  value: string | null | undefined;
  eventType: string;
  partnerId: string | null;
}

/**
 * The candidate of a conversion: intake and the preview both make it here, from the same stored
 * facts, so that a preview counts what intake would decide. The click is the attributed touch
 * when that touch is a click.
 */
export function scrubCandidateOf(facts: ConversionFacts): ScrubCandidate {
  return {
    contractId: facts.contractId,
    occurredAt: facts.occurredAt,
    clickAt: facts.touch.type === 'click' ? facts.touch.at : null,
    country: typeof facts.country === 'string' ? facts.country : null,
    value: facts.value ?? null,
    eventType: facts.eventType,
    partnerId: facts.partnerId,
  };
}

/** The rule that decides a conversion, and what it decides. */
export interface ScrubDecision {
  ruleId: string;
  action: ScrubAction;
  reason: string;
}

/** The conversion status each action leads to. */
export const statusOfAction: Record<ScrubAction, 'rejected' | 'held'> = { reject: 'rejected', hold: 'held' };

/** Orders rules as they are evaluated: priority, then id (creation order). */
export function compareRules(a: Pick<EvaluatedRule, 'priority' | 'id'>, b: Pick<EvaluatedRule, 'priority' | 'id'>): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Sorts rules into evaluation order once, so that each decision is a walk down the list. */
export function evaluationOrder<T extends EvaluatedRule>(rules: readonly T[]): T[] {
  return [...rules].sort(compareRules);
}

/**
 * The first rule (of `orderedRules`, already in evaluation order) that applies to the candidate's
 * contract and whose every condition holds; null when none does.
 */
export function scrubDecision(orderedRules: readonly EvaluatedRule[], candidate: ScrubCandidate): ScrubDecision | null {
  for (const rule of orderedRules) {
    if (ruleMatches(rule, candidate)) return { ruleId: rule.id, action: rule.action, reason: rule.reason };
  }
  return null;
}

/** Whether the rule applies to the candidate's contract and all its conditions hold. */
export function ruleMatches(rule: EvaluatedRule, candidate: ScrubCandidate): boolean {
  if (rule.contractId !== null && rule.contractId !== candidate.contractId) return false;
  return rule.conditions.every((condition) => conditionHolds(condition, candidate));
}

/** Whether one condition holds; false when the candidate lacks the field (no click, no value, no country, no partner). */
export function conditionHolds(condition: ScrubCondition, candidate: ScrubCandidate): boolean {
  switch (condition.field) {
    case 'clickToConversionSeconds': {
      if (candidate.clickAt === null) return false;
      // Compared in milliseconds: a rule's seconds are whole, so `seconds × 1000` is exact.
      const elapsedMs = Date.parse(candidate.occurredAt) - Date.parse(candidate.clickAt);
      return compare(condition, (bound) => Math.sign(elapsedMs - (bound as number) * 1000));
    }
    case 'value': {
      if (candidate.value === null) return false;
      const value = new Decimal(candidate.value);
      return compare(condition, (bound) => value.comparedTo(new Decimal(bound as string)));
    }
    case 'country':
      return candidate.country !== null && compare(condition, equality(candidate.country));
    case 'eventType':
      return compare(condition, equality(candidate.eventType));
    case 'partnerId':
      return candidate.partnerId !== null && compare(condition, equality(candidate.partnerId));
  }
}

/** A comparator for names: 0 when equal, 1 otherwise (names are only compared for equality). */
function equality(actual: string): (bound: number | string) => number {
  return (bound) => (actual === bound ? 0 : 1);
}

/** Applies the operator to the sign of `actual − bound` for each bound the condition names. */
function compare(condition: ScrubCondition, against: (bound: number | string) => number): boolean {
  const bounds = condition.value as number | string | (number | string)[];
  switch (condition.op) {
    case 'lt':
      return against(bounds as number | string) < 0;
    case 'lte':
      return against(bounds as number | string) <= 0;
    case 'gt':
      return against(bounds as number | string) > 0;
    case 'gte':
      return against(bounds as number | string) >= 0;
    case 'eq':
      return against(bounds as number | string) === 0;
    case 'neq':
      return against(bounds as number | string) !== 0;
    case 'in':
      return (bounds as (number | string)[]).some((bound) => against(bound) === 0);
    case 'not_in':
      return (bounds as (number | string)[]).every((bound) => against(bound) !== 0);
  }
}
