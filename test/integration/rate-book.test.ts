/** Rating the whole book for a month gives each contract what its own preview gives. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rateBookPeriod } from '../../src/modules/charges/rate-book-period.ts';
import { advertiserBody, cpmTerms } from '../support/fixtures.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';

describeStore('rating the book for a month', () => {
  let h: Harness;
  const contractIds: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    const ops = await h.user('ops');
    const finance = await h.user('finance');
    const party = await h.call('POST', '/v1/parties', { body: advertiserBody() });
    // Two October contracts and one that starts in November (not in October's book).
    for (const [name, terms] of [
      ['October A', cpmTerms()],
      ['October B', cpmTerms({ billingPeriod: 'broadcast_month' })],
      ['November only', cpmTerms({ startDate: '2026-11-01' })],
    ] as const) {
      const created = await h.call('POST', '/v1/contracts', {
        token: ops.token,
        body: { partyId: party.body.id, side: 'sell', name, terms },
      });
      await h.call('POST', `/v1/contracts/${created.body.id}/versions/1/submit`, { token: ops.token });
      await h.call('POST', `/v1/contracts/${created.body.id}/versions/1/approve`, { token: finance.token });
      contractIds.push(created.body.id);
    }
    const records = contractIds.flatMap((contractId, index) =>
      ['2026-10-01', '2026-10-15', '2026-10-31', '2026-11-02'].flatMap((date) =>
        contractId === contractIds[2] && date < '2026-11-01'
          ? []
          : [
              { contractId, lineItem: 'display', date, source: 'first_party', impressions: 100_000 + index * 7 },
              { contractId, lineItem: 'run-of-network', date, source: 'first_party', impressions: 600_000 },
            ],
      ),
    );
    expect((await h.call('POST', '/v1/impressions', { token: ops.token, body: { records } })).status).toBe(200);
  });
  afterAll(async () => h?.close());

  it('matches the preview of each contract', async () => {
    const book = await rateBookPeriod(h.store.db, '2026-10');
    expect(book.map((entry) => entry.contract.id).sort()).toEqual([contractIds[0], contractIds[1]].sort());
    for (const { contract, result } of book) {
      const preview = await h.call('GET', `/v1/contracts/${contract.id}/charges?from=2026-10-01&to=2026-10-31`);
      const october = preview.body.periods.find((period: { label: string }) => period.label === '2026-10');
      expect(result.period).toEqual({ label: '2026-10', from: october.from, to: october.to });
      expect(result.subtotal).toBe(october.subtotal);
      expect(result.lines.map((line) => line.amount)).toEqual(
        preview.body.lines.filter((line: { period: string }) => line.period === '2026-10').map((line: { amount: string }) => line.amount),
      );
    }
    // The broadcast October of 2026 runs 2026-09-28..2026-10-25, so it leaves out 2026-10-31.
    const broadcast = book.find((entry) => entry.contract.id === contractIds[1]);
    expect(broadcast?.result.period).toMatchObject({ from: '2026-09-28', to: '2026-10-25' });
  });
});
