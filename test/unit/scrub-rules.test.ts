/** The scrub decision as pure rules (src/modules/scrub/scrub-rule.ts) and the rule schema's checks (src/wire/scrub.ts). */
import { describe, expect, it } from 'vitest';
import {
  conditionHolds,
  type EvaluatedRule,
  evaluationOrder,
  type ScrubCandidate,
  scrubCandidateOf,
  scrubDecision,
} from '../../src/modules/scrub/scrub-rule.ts';
import { createScrubRuleSchema, type ScrubCondition } from '../../src/wire/scrub.ts';

const candidate: ScrubCandidate = {
  contractId: 'ctr_a',
  occurredAt: '2026-10-10T12:00:20Z',
  clickAt: '2026-10-10T12:00:00Z', // 20 s before
  country: 'US',
  value: '100.50',
  eventType: 'purchase',
  partnerId: 'pty_p',
};

const holds = (condition: ScrubCondition, over: Partial<ScrubCandidate> = {}) => conditionHolds(condition, { ...candidate, ...over });

function rule(id: string, priority: number, conditions: ScrubCondition[], extra: Partial<EvaluatedRule> = {}): EvaluatedRule {
  return { id, priority, conditions, action: 'reject', reason: `r_${id}`, contractId: null, ...extra };
}

describe('scrub conditions', () => {
  it('compares click-to-conversion seconds exactly at the bound', () => {
    const seconds = (op: ScrubCondition['op'], value: number | number[]) => holds({ field: 'clickToConversionSeconds', op, value });
    expect([seconds('lt', 20), seconds('lte', 20), seconds('gt', 19), seconds('gte', 20), seconds('eq', 20), seconds('neq', 20)]).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
    expect([seconds('in', [5, 20]), seconds('not_in', [5, 20]), seconds('not_in', [5])]).toEqual([true, false, true]);
    // 19.999 s is under 20.
    expect(holds({ field: 'clickToConversionSeconds', op: 'lt', value: 20 }, { occurredAt: '2026-10-10T12:00:19.999Z' })).toBe(true);
  });

  it('never holds on a field the conversion lacks, whatever the operator', () => {
    for (const op of ['lt', 'gt', 'eq', 'neq'] as const) {
      expect(holds({ field: 'clickToConversionSeconds', op, value: 20 }, { clickAt: null }), op).toBe(false);
      expect(holds({ field: 'value', op, value: '10' }, { value: null }), op).toBe(false);
    }
    expect(holds({ field: 'country', op: 'neq', value: 'US' }, { country: null })).toBe(false);
    expect(holds({ field: 'country', op: 'not_in', value: ['US'] }, { country: null })).toBe(false);
    expect(holds({ field: 'partnerId', op: 'neq', value: 'pty_x' }, { partnerId: null })).toBe(false);
  });

  it('compares amounts as exact decimals, not text or binary floating point', () => {
    expect(holds({ field: 'value', op: 'eq', value: '100.5' })).toBe(true); // "100.50" = "100.5"
    expect(holds({ field: 'value', op: 'gt', value: '100.4999999' })).toBe(true);
    expect(holds({ field: 'value', op: 'lt', value: '100.500001' })).toBe(true);
    expect(holds({ field: 'value', op: 'gte', value: '99' })).toBe(true); // "99" < "100.50" though "9" > "1" as text
    expect(holds({ field: 'value', op: 'in', value: ['1', '100.500'] })).toBe(true);
  });

  it('compares names for equality, in and not in', () => {
    expect(holds({ field: 'country', op: 'in', value: ['CA', 'US'] })).toBe(true);
    expect(holds({ field: 'country', op: 'not_in', value: ['CA', 'US'] })).toBe(false);
    expect(holds({ field: 'eventType', op: 'eq', value: 'purchase' })).toBe(true);
    expect(holds({ field: 'eventType', op: 'neq', value: 'Purchase' })).toBe(true); // case matters
    expect(holds({ field: 'partnerId', op: 'eq', value: 'pty_p' })).toBe(true);
  });
});

describe('scrub decision', () => {
  it('takes the first matching rule by priority, ties in id (creation) order, when all its conditions hold', () => {
    const rules = evaluationOrder([
      rule('scr_c', 5, [{ field: 'country', op: 'eq', value: 'US' }], { action: 'hold' }),
      rule('scr_b', 5, [{ field: 'country', op: 'eq', value: 'US' }]),
      rule('scr_a', 1, [
        { field: 'country', op: 'eq', value: 'US' },
        { field: 'value', op: 'gt', value: '1000' }, // does not hold: not all conditions hold
      ]),
    ]);
    expect(rules.map((evaluated) => evaluated.id)).toEqual(['scr_a', 'scr_b', 'scr_c']);
    expect(scrubDecision(rules, candidate)).toEqual({ ruleId: 'scr_b', action: 'reject', reason: 'r_scr_b' });
    expect(scrubDecision(rules, { ...candidate, country: 'CA' })).toBeNull();
  });

  it('applies a contract-scoped rule to that contract only', () => {
    const rules = [rule('scr_a', 1, [{ field: 'eventType', op: 'eq', value: 'purchase' }], { contractId: 'ctr_b' })];
    expect(scrubDecision(rules, candidate)).toBeNull();
    expect(scrubDecision(rules, { ...candidate, contractId: 'ctr_b' })?.ruleId).toBe('scr_a');
  });

  it('takes the click from the attributed touch only when it is a click', () => {
    const facts = { contractId: 'c', occurredAt: 'o', country: 'US', value: undefined, eventType: 'e', partnerId: null };
    expect(scrubCandidateOf({ ...facts, touch: { type: 'click', at: 't' } })).toMatchObject({ clickAt: 't', value: null, country: 'US' });
    expect(scrubCandidateOf({ ...facts, touch: { type: 'view', at: 't' }, country: 7 })).toMatchObject({ clickAt: null, country: null });
  });
});

describe('scrub rule schema', () => {
  const base = { name: 'r', priority: 1, action: 'reject', reason: 'fast' };
  const problems = (conditions: unknown[]) => {
    const result = createScrubRuleSchema.safeParse({ ...base, conditions });
    return result.success ? [] : result.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
  };

  it('accepts each field with the operators and values it takes', () => {
    expect(
      problems([
        { field: 'clickToConversionSeconds', op: 'lt', value: 20 },
        { field: 'value', op: 'not_in', value: ['0', '12.50'] },
        { field: 'country', op: 'in', value: ['US'] },
        { field: 'eventType', op: 'neq', value: 'signup' },
        { field: 'partnerId', op: 'eq', value: 'pty_x' },
      ]),
    ).toEqual([]);
  });

  it('names the condition part that is wrong, and why', () => {
    expect(problems([{ field: 'country', op: 'lt', value: 'US' }])).toEqual([
      ['conditions.0.op', 'country takes eq, neq, in, not_in; not lt'],
    ]);
    expect(problems([{ field: 'clickToConversionSeconds', op: 'lt', value: '20' }])).toEqual([
      ['conditions.0.value', 'must be a whole number of seconds from 0 to 34560000'],
    ]);
    expect(problems([{ field: 'clickToConversionSeconds', op: 'gt', value: 1.5 }])[0]?.[0]).toBe('conditions.0.value');
    expect(problems([{ field: 'value', op: 'gte', value: 500 }])[0]?.[1]).toMatch(/decimal string .*not a JSON number/);
    expect(problems([{ field: 'value', op: 'gte', value: '1e3' }])[0]?.[0]).toBe('conditions.0.value');
    expect(problems([{ field: 'value', op: 'in', value: '5' }])[0]?.[1]).toMatch(/^in takes a list of values/);
    expect(problems([{ field: 'eventType', op: 'eq', value: ['purchase'] }])[0]?.[1]).toMatch(/^eq takes one value/);
    expect(problems([{ field: 'country', op: 'in', value: ['US', 'usa'] }])).toEqual([
      ['conditions.0.value.1', 'must be an ISO 3166-1 alpha-2 country code in upper case, e.g. "US"'],
    ]);
    expect(problems([{ field: 'ip', op: 'eq', value: '1.2.3.4' }])[0]?.[0]).toBe('conditions.0.field');
    expect(problems([])[0]?.[0]).toBe('conditions');
  });
});
