/** Which credits pay which invoices (SPEC §10): the pure allocation, by hand. */
import { expect, it } from 'vitest';
import { allocateCredits } from '../../src/modules/billing/credits/apply-credits.ts';
import { Decimal } from '../../src/wire/money.ts';

const credit = (
  id: string,
  remaining: string,
  extra: Partial<{ currency: string; billingEntityId: string; expiresAt: string | null; partyId: string }> = {},
) => ({
  id,
  partyId: 'pty_a',
  currency: 'USD',
  billingEntityId: 'ent_1',
  remaining,
  expiresAt: null,
  ...extra,
});
const invoice = (id: string, total: string, extra: Partial<{ currency: string; billingEntityId: string; partyId: string }> = {}) => ({
  id,
  partyId: 'pty_a',
  currency: 'USD',
  billingEntityId: 'ent_1',
  total: new Decimal(total),
  ...extra,
});
const summary = (result: ReturnType<typeof allocateCredits>) =>
  result.applications.map((a) => [a.creditId, a.documentId, a.amount.toFixed(2)]);

it('spreads one credit over invoices in order until it is used up: 500.00 over 300.00 and 400.00', () => {
  expect(
    summary(allocateCredits([invoice('inv_1', '300.00'), invoice('inv_2', '400.00')], [credit('c1', '500.00')], '2026-11-25')),
  ).toEqual([
    ['c1', 'inv_1', '300.00'],
    ['c1', 'inv_2', '200.00'],
  ]);
});

it('skips credits of another currency, entity or party, expired ones, and invoices with nothing to pay', () => {
  const credits = [
    credit('eur', '10', { currency: 'EUR' }),
    credit('other-entity', '10', { billingEntityId: 'ent_2' }),
    credit('other-party', '10', { partyId: 'pty_b' }),
    credit('expired', '10', { expiresAt: '2026-11-24' }),
    credit('today', '10', { expiresAt: '2026-11-25' }),
  ];
  const result = allocateCredits([invoice('inv_zero', '0'), invoice('inv_negative', '-5'), invoice('inv_1', '100')], credits, '2026-11-25');
  expect(summary(result)).toEqual([['today', 'inv_1', '10.00']]);
  expect(result.applied.get('inv_1')?.toFixed(2)).toBe('10.00');
  expect(result.applied.has('inv_zero')).toBe(false);
});
