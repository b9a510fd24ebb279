/**
 * A batch of new impression counts goes in by COPY; a batch that meets a stored key falls back to the
 * upsert, whatever the position of that key, and answers and stores exactly what the upsert alone did.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { advertiserBody, cpmTerms, partnerBody } from '../support/fixtures.ts';
import { describeStore, type Harness, startHarness, storeKind } from '../support/harness.ts';
import { copyCell, copyRowListIn } from '../../src/platform/copy-rows.ts';
import { lockIntakeContracts } from '../../src/modules/delivery/intake.repository.ts';
import { signal } from '../support/signal.ts';

type Impression = { contractId: string; lineItem: string; date: string; source: string; impressions: number; partnerId?: string };

describeStore('impression batches by COPY', () => {
  let h: Harness;
  let keys: Impression[];
  let partnerId: string;
  let partyId: string;
  let financeToken: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-12-20' });
    const finance = await h.user('finance');
    const party = await h.call('POST', '/v1/parties', { body: advertiserBody() });
    partyId = party.body.id;
    financeToken = finance.token;
    partnerId = (await h.call('POST', '/v1/parties', { body: partnerBody() })).body.id;
    keys = [];
    // 2 contracts × 2 line items × 92 days × 2 sources × (no partner, a partner): 1,472 keys, more
    // than one of COPY's buffers of 1,000 rows, so that a stored key can come after a flush.
    for (const name of ['First', 'Second']) {
      const created = await h.call('POST', '/v1/contracts', { body: { partyId: party.body.id, side: 'sell', name, terms: cpmTerms() } });
      const contractId = created.body.id as string;
      await h.call('POST', `/v1/contracts/${contractId}/versions/1/submit`);
      expect((await h.call('POST', `/v1/contracts/${contractId}/versions/1/approve`, { token: finance.token })).status).toBe(200);
      for (const lineItem of ['display', 'run-of-network'])
        for (let day = 0; day < 92; day++) {
          const date = new Date(Date.UTC(2026, 9, 1 + day)).toISOString().slice(0, 10);
          for (const source of ['first_party', 'third_party']) {
            keys.push({ contractId, lineItem, date, source, impressions: 1000 + keys.length });
            keys.push({ contractId, lineItem, date, source, impressions: 2000 + keys.length, partnerId });
          }
        }
    }
  });
  afterAll(async () => h?.close());

  const post = (records: Impression[]) => h.call('POST', '/v1/impressions', { body: { records } });
  const stored = async (key: Impression) => {
    const result = await sql<{ impressions: number; revision: number }>`
      select impressions, revision from impression_counts
      where contract_id = ${key.contractId} and line_item = ${key.lineItem} and date = ${key.date}
        and source = ${key.source} and partner_id = ${key.partnerId ?? ''}`.execute(h.store.db);
    return result.rows[0];
  };

  it('refuses a batch that holds a key twice, as the check did, and writes nothing', async () => {
    // Nothing is stored yet: the COPY itself meets the key a second time, after a flush of 1,000 rows.
    const before = await h.count('impression_counts');
    const twice = [...keys.slice(0, 1200), { ...(keys[3] as Impression), impressions: 1 }];
    const answer = await post(twice);
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('duplicate_record');
    expect(answer.body.errors).toEqual([
      { path: 'records[1200]', message: 'the same contract, line item, date, source and partner as records[3]', code: 'duplicate_record' },
    ]);
    // With another problem in the batch, the check lists both, in the records' order, as it always did.
    const both = await post([...twice, { ...(keys[5] as Impression), date: '2027-01-05' }]);
    expect(both.body.errors.map((error: { path: string }) => error.path)).toEqual(['records[1200]', 'records[1201].date']);
    expect(await h.count('impression_counts')).toBe(before);
  });

  it('writes a batch of new counts whole, and a batch that meets stored keys late through the upsert', async () => {
    const first = keys.slice(0, 200);
    expect((await post(first)).body).toEqual({ accepted: 200, created: 200, restated: 0, unchanged: 0 });
    const historyBefore = await h.count('impression_history');

    // 1,200 new keys first, then one stored key restated and one sent again as it was.
    const restated = { ...(first[10] as Impression), impressions: 7 };
    const mixed = [...keys.slice(200, 1400), restated, first[20] as Impression];
    expect((await post(mixed)).body).toEqual({ accepted: 1202, created: 1200, restated: 1, unchanged: 1 });
    expect(await stored(restated)).toEqual({ impressions: 7, revision: 2 });
    expect(await stored(keys[1399] as Impression)).toEqual({ impressions: (keys[1399] as Impression).impressions, revision: 1 });
    expect(await h.count('impression_history')).toBe(historyBefore + 1);
    expect(await h.count('impression_counts')).toBe(1400);

    // The same batch again: nothing new, nothing changed.
    expect((await post(mixed)).body).toEqual({ accepted: 1202, created: 0, restated: 0, unchanged: 1202 });
    // A stored key twice: refused before the upsert, as the check did.
    const twiceStored = await post([first[0] as Impression, { ...(first[0] as Impression), impressions: 3 }]);
    expect(twiceStored.status).toBe(422);
    expect(twiceStored.body.code).toBe('duplicate_record');
    expect(await stored(first[0] as Impression)).toEqual({ impressions: (first[0] as Impression).impressions, revision: 1 });
    // A stored key first, then new ones.
    const rest = keys.slice(1400);
    expect((await post([first[0] as Impression, ...rest])).body).toEqual({
      accepted: rest.length + 1,
      created: rest.length,
      restated: 0,
      unchanged: 1,
    });
    expect(await h.count('impression_counts')).toBe(keys.length);
  });

  it('refuses a bad record in a batch of new counts and writes nothing', async () => {
    const before = await h.count('impression_counts');
    const bad = { ...(keys[0] as Impression), date: '2027-02-01', impressions: 5 };
    const answer = await post([...keys.slice(0, 100), bad]);
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('date_outside_contract');
    expect(answer.body.errors[0].path).toBe('records[100].date');
    expect(await h.count('impression_counts')).toBe(before);
  });

  it('sends a list of rows by as many COPYs as it takes, null cells and escaped text included, in the transaction', async () => {
    const rows = ['a\tb', null, 'tab\there', 'line\nbreak', 'back\\slash', 7].map((value, index) => `${index}\t${copyCell(value)}`);
    await h.store.db.transaction().execute(async (trx) => {
      await sql`create temporary table copied (position integer, value text) on commit drop`.execute(trx);
      // Two rows a COPY: three statements for six rows.
      await copyRowListIn(trx, 'copy copied (position, value) from stdin', rows, 2);
      const copied = await sql<{ value: string | null }>`select value from copied order by position`.execute(trx);
      expect(copied.rows.map((row) => row.value)).toEqual(['a\tb', null, 'tab\there', 'line\nbreak', 'back\\slash', '7']);
    });
  });

  /** An approved contract of its own, and its keys for October (2 line items × 31 days × 2 sources). */
  const freshContract = async (name: string): Promise<Impression[]> => {
    const created = await h.call('POST', '/v1/contracts', { body: { partyId, side: 'sell', name, terms: cpmTerms() } });
    const contractId = created.body.id as string;
    await h.call('POST', `/v1/contracts/${contractId}/versions/1/submit`);
    expect((await h.call('POST', `/v1/contracts/${contractId}/versions/1/approve`, { token: financeToken })).status).toBe(200);
    const own: Impression[] = [];
    for (const lineItem of ['display', 'run-of-network'])
      for (let day = 1; day <= 31; day++)
        for (const source of ['first_party', 'third_party'])
          own.push({ contractId, lineItem, date: `2026-10-${String(day).padStart(2, '0')}`, source, impressions: 500 + own.length });
    return own;
  };

  it.runIf(storeKind === 'postgres')(
    "writes new counts while another batch holds the contract's lock, and a restatement waits for it",
    async () => {
      const own = await freshContract('Locked');
      const contractId = (own[0] as Impression).contractId;
      // Another transaction holds the contract's impression lock, as a batch restating its counts does
      // until it commits (lockIntakeContracts is what such a batch takes).
      const released = signal();
      const held = signal();
      const holder = h.store.db.transaction().execute(async (trx) => {
        await lockIntakeContracts(trx, 'impressions', [contractId]);
        held.fire();
        await released.fired;
      });
      await held.fired;
      try {
        // New counts only insert: the primary key keeps batches apart, so they do not wait for the lock.
        expect((await post(own.slice(0, 60))).body).toEqual({ accepted: 60, created: 60, restated: 0, unchanged: 0 });
        // A restatement replaces a stored count: it waits for the lock, and goes on once it is released.
        const restating = post([{ ...(own[0] as Impression), impressions: 9 }]);
        const first = await Promise.race([restating.then(() => 'answered'), new Promise((resolve) => setTimeout(resolve, 400, 'waiting'))]);
        expect(first).toBe('waiting');
        released.fire();
        expect((await restating).body).toEqual({ accepted: 1, created: 0, restated: 1, unchanged: 0 });
      } finally {
        released.fire();
        await holder;
      }
      expect(await stored(own[0] as Impression)).toEqual({ impressions: 9, revision: 2 });
    },
  );

  it('stores each key once when two batches send the same new keys at once, in opposite orders', async () => {
    const own = await freshContract('Raced');
    const historyBefore = await h.count('impression_history');
    const mine = own.map((key) => ({ ...key, impressions: key.impressions + 1 }));
    const theirs = own.map((key) => ({ ...key, impressions: key.impressions + 2 })).reverse();
    // On PostgreSQL the two COPYs run side by side: one waits for the other's keys (or PostgreSQL's
    // deadlock check refuses one of them), and the one refused restates every key by the upsert.
    // On PGlite the two run one after the other, with the same answers.
    const answers = (await Promise.all([post(mine), post(theirs)])).map((answer) => answer.body);
    const created = { accepted: own.length, created: own.length, restated: 0, unchanged: 0 };
    const restated = { accepted: own.length, created: 0, restated: own.length, unchanged: 0 };
    expect(answers).toEqual(expect.arrayContaining([created, restated]));
    // The batch that restated committed last: its counts are stored, at revision 2, and the other's kept in the history.
    const last = answers[0]?.restated === own.length ? mine : theirs;
    for (const key of [last[0], last[17], last.at(-1)] as Impression[])
      expect(await stored(key)).toEqual({ impressions: key.impressions, revision: 2 });
    const rows = await sql<{ count: number }>`
      select count(*)::int as count from impression_counts where contract_id = ${(own[0] as Impression).contractId}`.execute(h.store.db);
    expect(rows.rows[0]?.count).toBe(own.length);
    expect(await h.count('impression_history')).toBe(historyBefore + own.length);
  });
});
