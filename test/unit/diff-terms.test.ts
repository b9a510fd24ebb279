/** diffTerms: changes between two versions' terms, with line items and fees matched by key. */
import { describe, expect, it } from 'vitest';
import { diffTerms } from '../../src/modules/contracts/diff-terms.ts';
import { cpmTerms } from '../support/fixtures.ts';

type Terms = ReturnType<typeof cpmTerms> & { lineItems: Record<string, unknown>[]; fees?: Record<string, unknown>[] };

function terms(overrides: Record<string, unknown> = {}): Terms {
  return structuredClone(cpmTerms(overrides)) as Terms;
}

const fees = [
  { key: 'agency-commission', kind: 'percent_of_media', percent: '-15' },
  { key: 'platform', kind: 'flat', amount: '500.00', prorate: true },
];

describe('diffTerms', () => {
  it('finds no change between equal terms', () => {
    expect(diffTerms(terms({ fees }), terms({ fees }))).toEqual([]);
  });

  it('reports a changed top-level field with its path', () => {
    expect(diffTerms(terms(), terms({ budgetCap: '120000.00', endDate: '2027-03-31' }))).toEqual([
      { path: 'budgetCap', from: '100000.00', to: '120000.00' },
      { path: 'endDate', from: '2026-12-31', to: '2027-03-31' },
    ]);
  });

  it('names a line item by its key, not its position', () => {
    const to = terms();
    (to.lineItems[1] as { name: string }).name = 'RON';
    expect(diffTerms(terms(), to)).toEqual([{ path: 'lineItems[run-of-network].name', from: 'Run of network', to: 'RON' }]);
  });

  it('reports nested changes down to the leaf, including inside positional arrays', () => {
    const to = terms();
    const tiers = (to.lineItems[1] as { pricing: { tiers: { ratePerMille: string }[] } }).pricing.tiers;
    (tiers[0] as { ratePerMille: string }).ratePerMille = '22.00';
    (to.lineItems[0] as { pricing: { ratePerMille: string } }).pricing.ratePerMille = '27.50';
    to.renewal = { mode: 'auto', termMonths: 3, noticeDays: 45 };
    expect(diffTerms(terms(), to)).toEqual([
      { path: 'lineItems[display].pricing.ratePerMille', from: '25.00', to: '27.50' },
      { path: 'lineItems[run-of-network].pricing.tiers[0].ratePerMille', from: '20.00', to: '22.00' },
      { path: 'renewal.mode', from: 'manual', to: 'auto' },
      { path: 'renewal.noticeDays', from: 30, to: 45 },
    ]);
  });

  it('treats reordered line items and fees as no change', () => {
    const from = terms({ fees });
    const to = terms({ fees: [...fees].reverse() });
    to.lineItems.reverse();
    expect(diffTerms(from, to)).toEqual([]);
  });

  it('treats reordered object keys as no change', () => {
    const from = terms();
    const to = Object.fromEntries(Object.entries(terms()).reverse());
    expect(diffTerms(from, to)).toEqual([]);
  });

  it('reports added and removed line items whole, under their key', () => {
    const from = terms();
    const to = terms();
    const added = { key: 'sponsorship', name: 'Sponsorship', pricing: { model: 'flat', amount: '5000.00' } };
    const removed = to.lineItems.shift();
    to.lineItems.push(added);
    const changes = diffTerms(from, to);
    expect(changes).toHaveLength(2);
    expect(changes).toContainEqual({ path: 'lineItems[display]', from: removed, to: null });
    expect(changes).toContainEqual({ path: 'lineItems[sponsorship]', from: null, to: added });
  });

  it('matches fees by key: a changed, an added and a removed fee', () => {
    const from = terms({ fees });
    const to = terms({
      fees: [
        { key: 'platform', kind: 'flat', amount: '750.00', prorate: true },
        { key: 'data', kind: 'percent_of_media', percent: '5' },
      ],
    });
    const changes = diffTerms(from, to);
    expect(changes).toHaveLength(3);
    expect(changes).toContainEqual({ path: 'fees[platform].amount', from: '500.00', to: '750.00' });
    expect(changes).toContainEqual({ path: 'fees[agency-commission]', from: fees[0], to: null });
    expect(changes).toContainEqual({ path: 'fees[data]', from: null, to: { key: 'data', kind: 'percent_of_media', percent: '5' } });
  });

  it('reports an added or removed optional field with null on the missing side', () => {
    const withMinimum = terms({ minimumSpend: { amount: '20000.00', per: 'period' } });
    expect(diffTerms(terms(), withMinimum)).toEqual([{ path: 'minimumSpend', from: null, to: { amount: '20000.00', per: 'period' } }]);
    expect(diffTerms(withMinimum, terms())).toEqual([{ path: 'minimumSpend', from: { amount: '20000.00', per: 'period' }, to: null }]);
    expect(diffTerms(terms(), terms({ fees }))).toEqual([{ path: 'fees', from: null, to: fees }]);
    const noCap = terms();
    delete (noCap as Partial<Terms>).budgetCap;
    expect(diffTerms(terms(), noCap)).toEqual([{ path: 'budgetCap', from: '100000.00', to: null }]);
  });

  it('reports a field added inside a line item', () => {
    const to = terms();
    (to.lineItems[0] as Record<string, unknown>).impressionCap = 1000000;
    expect(diffTerms(terms(), to)).toEqual([{ path: 'lineItems[display].impressionCap', from: null, to: 1000000 }]);
  });
});
