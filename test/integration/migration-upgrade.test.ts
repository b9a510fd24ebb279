/**
 * Upgrading a store that holds delivery written before migration 0008: every count keeps its batch
 * and author, no revision is lost or shown twice, and restatements after the upgrade keep history.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../src/platform/migrations.ts';
import type { Store } from '../../src/platform/store.ts';
import { describeStore, openFreshStore } from '../support/harness.ts';

describeStore('migration 0008 on existing delivery', () => {
  let store: Store;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ store, drop } = await openFreshStore({ empty: true }));
    await migrate(store, { through: 7 });
    // Delivery as Tally wrote it before 0008: each count in impression_counts and every revision,
    // the current one included, in impression_history. The contract row itself is not needed here.
    await store.execScript(`
      set session_replication_role = replica;
      insert into impression_counts (contract_id, line_item, date, source, partner_id, impressions, revision, recorded_at) values
        ('ctr_old', 'display', '2026-10-01', 'first_party', '', 1000, 1, '2026-10-02T00:00:00Z'),
        ('ctr_old', 'display', '2026-10-02', 'first_party', '', 1300, 2, '2026-10-05T00:00:00Z');
      insert into impression_history (contract_id, line_item, date, source, partner_id, impressions, revision, recorded_at, batch_id, recorded_by) values
        ('ctr_old', 'display', '2026-10-01', 'first_party', '', 1000, 1, '2026-10-02T00:00:00Z', 'bat_a', 'usr_a'),
        ('ctr_old', 'display', '2026-10-02', 'first_party', '', 1200, 1, '2026-10-03T00:00:00Z', 'bat_a', 'usr_a'),
        ('ctr_old', 'display', '2026-10-02', 'first_party', '', 1300, 2, '2026-10-05T00:00:00Z', 'bat_b', 'usr_b');
      set session_replication_role = origin;`);
    await migrate(store);
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  const revisions = () =>
    sql<{ date: string; impressions: number; revision: number; batch_id: string; recorded_by: string }>`
      select date::text, impressions::int, revision, batch_id, recorded_by from impression_revisions order by date, revision`
      .execute(store.db)
      .then((result) => result.rows);

  it('fills each current count with the batch and author of its revision, and shows every revision once', async () => {
    const counts = await sql`select date::text, batch_id, recorded_by from impression_counts order by date`.execute(store.db);
    expect(counts.rows).toEqual([
      { date: '2026-10-01', batch_id: 'bat_a', recorded_by: 'usr_a' },
      { date: '2026-10-02', batch_id: 'bat_b', recorded_by: 'usr_b' },
    ]);
    expect(await revisions()).toEqual([
      { date: '2026-10-01', impressions: 1000, revision: 1, batch_id: 'bat_a', recorded_by: 'usr_a' },
      { date: '2026-10-02', impressions: 1200, revision: 1, batch_id: 'bat_a', recorded_by: 'usr_a' },
      { date: '2026-10-02', impressions: 1300, revision: 2, batch_id: 'bat_b', recorded_by: 'usr_b' },
    ]);
  });

  it('keeps a restated pre-upgrade count once, and the new one beside it', async () => {
    await sql`
      update impression_counts set impressions = 1400, revision = revision + 1, recorded_at = '2026-11-01T00:00:00Z', batch_id = 'bat_c', recorded_by = 'usr_c'
      where date = '2026-10-02'`.execute(store.db);
    const rows = await revisions();
    expect(rows.filter((row) => row.date === '2026-10-02').map((row) => [row.impressions, row.revision, row.batch_id])).toEqual([
      [1200, 1, 'bat_a'],
      [1300, 2, 'bat_b'],
      [1400, 3, 'bat_c'],
    ]);
    expect((await sql<{ n: number }>`select count(*)::int as n from impression_history`.execute(store.db)).rows[0]?.n).toBe(3);
  });

  it('gives counts from before migration 0012 no completed views and no clicks, current and superseded alike', async () => {
    const rows = await sql<{ completed_views: number; clicks: number }>`
      select completed_views::int, clicks::int from impression_revisions`.execute(store.db);
    expect(rows.rows.length).toBeGreaterThan(0);
    expect(rows.rows.every((row) => row.completed_views === 0 && row.clicks === 0)).toBe(true);
  });
});
