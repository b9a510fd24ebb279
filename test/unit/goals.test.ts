/**
 * Goals and makegood lines as pure rules (SPEC §8): the straight-line pace and its rounding, the
 * terms' rules for makegood lines, and which delivery counts toward a goal as of a date.
 */
import { describe, expect, it } from 'vitest';
import { goalLinesOf, versionInForce } from '../../src/modules/goals/goal-lines.ts';
import { goalPace } from '../../src/wire/goals.ts';
import { type SellTerms, sellTermsSchema } from '../../src/wire/terms.ts';

const baseTerms = {
  startDate: '2026-10-01',
  endDate: '2026-12-31',
  currency: 'USD',
  billingPeriod: 'calendar_month',
  lineItems: [
    {
      key: 'ctv',
      name: 'CTV',
      endDate: '2026-11-29',
      pricing: { model: 'cpm', ratePerMille: '20.00' },
      goal: { metric: 'impressions', quantity: 610_000 },
    },
  ],
} as const;

const withMakegood = (makegood: Record<string, unknown>) => ({
  ...baseTerms,
  lineItems: [
    ...baseTerms.lineItems,
    {
      key: 'ctv-mg1',
      name: 'CTV makegood',
      startDate: '2026-11-01',
      pricing: { model: 'cpm', ratePerMille: '0' },
      goal: { metric: 'impressions', quantity: 100 },
      makegoodFor: 'ctv',
      ...makegood,
    },
  ],
});

function issuesOf(terms: unknown): { path: string; message: string }[] {
  const result = sellTermsSchema.safeParse(terms);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('goalPace', () => {
  it('expects quantity × elapsed / flight days, rounded down, and says how far short in percent, half-to-even', () => {
    // 610,000 × 46 / 60 = 467,666.67 → 467,666; (467,666 − 400,000) / 467,666 = 14.4688…% → 14.47.
    expect(goalPace(610_000, 46, 60, 400_000)).toEqual({ expectedToDate: 467_666, shortfallPercent: '14.47' });
    // Exactly half short: 50.00; 0.125 % is rounded half-to-even to 0.12.
    expect(goalPace(1_000, 10, 10, 500)).toEqual({ expectedToDate: 1_000, shortfallPercent: '50.00' });
    expect(goalPace(8_000, 1, 1, 7_990)).toEqual({ expectedToDate: 8_000, shortfallPercent: '0.12' });
  });

  it('is not short before the flight, when on pace or ahead, or by less than one whole count', () => {
    expect(goalPace(1_000, 0, 10, 0)).toEqual({ expectedToDate: 0, shortfallPercent: undefined });
    expect(goalPace(1_000, 5, 10, 500)).toEqual({ expectedToDate: 500, shortfallPercent: undefined });
    expect(goalPace(1_000, 5, 10, 900)).toEqual({ expectedToDate: 500, shortfallPercent: undefined });
    // 10 × 1 / 3 = 3.33 → 3 expected; 3 delivered is on pace.
    expect(goalPace(10, 1, 3, 3)).toEqual({ expectedToDate: 3, shortfallPercent: undefined });
    // Days after the flight count as the whole flight.
    expect(goalPace(1_000, 40, 10, 0)).toEqual({ expectedToDate: 1_000, shortfallPercent: '100.00' });
  });
});

describe('makegood lines in the terms', () => {
  it('accepts a zero-priced makegood of a line, with a goal in its metric', () => {
    expect(issuesOf(withMakegood({}))).toEqual([]);
  });

  it('refuses a makegood of nothing, of itself or of a makegood, without a goal, in another metric, or priced', () => {
    expect(issuesOf(withMakegood({ makegoodFor: 'nope' }))).toEqual([
      { path: 'lineItems.1.makegoodFor', message: 'must name another line item of these terms that is not itself a makegood' },
    ]);
    expect(issuesOf(withMakegood({ makegoodFor: 'ctv-mg1' }))[0]?.path).toBe('lineItems.1.makegoodFor');
    expect(issuesOf(withMakegood({ goal: undefined }))).toEqual([
      { path: 'lineItems.1.goal', message: 'a makegood line needs a goal: the quantity it makes good' },
    ]);
    expect(issuesOf(withMakegood({ goal: { metric: 'completedViews', quantity: 100 } })).map((issue) => issue.path)).toEqual([
      'lineItems.1.goal.metric',
      'lineItems.1.pricing',
    ]);
    expect(issuesOf(withMakegood({ pricing: { model: 'cpm', ratePerMille: '0.01' } }))).toEqual([
      { path: 'lineItems.1.pricing', message: 'a makegood line is billed at zero: its pricing must be {"model":"cpm","ratePerMille":"0"}' },
    ]);
    const chained = withMakegood({});
    chained.lineItems.push({ ...chained.lineItems[1], key: 'ctv-mg2', makegoodFor: 'ctv-mg1' } as never);
    expect(issuesOf(chained).map((issue) => issue.path)).toEqual(['lineItems.2.makegoodFor']);
  });

  it('refuses a goal of nothing or of an unknown metric', () => {
    const goal = (value: unknown) => ({ ...baseTerms, lineItems: [{ ...baseTerms.lineItems[0], goal: value }] });
    expect(issuesOf(goal({ metric: 'impressions', quantity: 0 }))[0]?.path).toBe('lineItems.0.goal.quantity');
    expect(issuesOf(goal({ metric: 'clicks', quantity: 10 }))[0]?.path).toBe('lineItems.0.goal.metric');
  });
});

describe('goal lines as of a date', () => {
  const v1 = { number: 1, effectiveFrom: '2026-10-01', terms: sellTermsSchema.parse(baseTerms) as SellTerms };
  const v2 = { number: 2, effectiveFrom: '2026-11-01', terms: sellTermsSchema.parse(withMakegood({})) as SellTerms };
  const contract = { id: 'ctr_goal', number: 'IO-1', partyId: 'pty_1', side: 'sell' as const, versions: [v1, v2] };

  it('reads the goal of the version in force, and counts the makegood’s dates only once they begin', () => {
    expect(versionInForce(contract.versions, '2026-09-30')).toBeUndefined();
    expect(versionInForce(contract.versions, '2026-10-31')?.number).toBe(1);
    expect(versionInForce(contract.versions, '2026-11-01')?.number).toBe(2);
    expect(goalLinesOf(contract, '2026-10-30')).toEqual([
      {
        contractId: 'ctr_goal',
        lineItem: 'ctv',
        goal: { metric: 'impressions', quantity: 610_000 },
        flight: { from: '2026-10-01', to: '2026-11-29' },
        elapsedDays: 30,
        flightDays: 60,
        counted: [{ contractId: 'ctr_goal', lineItem: 'ctv', from: '2026-10-01', to: '2026-10-30' }],
      },
    ]);
    const later = goalLinesOf(contract, '2027-01-15');
    expect(later.map((line) => [line.lineItem, line.elapsedDays])).toEqual([['ctv', 60]]);
    expect(later[0]?.counted).toEqual([
      { contractId: 'ctr_goal', lineItem: 'ctv', from: '2026-10-01', to: '2026-11-29' },
      { contractId: 'ctr_goal', lineItem: 'ctv-mg1', from: '2026-11-01', to: '2026-12-31' },
    ]);
  });
});
