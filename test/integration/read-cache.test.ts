/**
 * The read cache on PostgreSQL, where several Tally processes share one database: a process serves
 * a cached answer only while nothing has committed since (the change counter of migration 0009), so
 * a write through another process is seen by the very next read. Two apps on one database stand for
 * two processes: each has its own cache, and neither hears of the other's writes except through the
 * database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChangeEpoch } from '../../src/platform/change-epoch.ts';
import { ConfigError, readConfig } from '../../src/platform/config.ts';
import { cpmTerms } from '../support/fixtures.ts';
import { describePostgresOnly } from '../support/fault-describe.ts';
import { type Harness, startHarness } from '../support/harness.ts';

describePostgresOnly('read cache across processes', () => {
  let h: Harness;
  let other: Harness['call'];
  let contractId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    other = await h.sibling({});
    const party = await h.call('POST', '/v1/parties', { body: { kind: 'advertiser', name: 'Two Processes', currency: 'USD' } });
    contractId = (
      await h.call('POST', '/v1/contracts', { body: { partyId: party.body.id, side: 'sell', name: 'Shared', terms: cpmTerms() } })
    ).body.id as string;
  });
  afterAll(async () => {
    await h?.close();
  });

  const readThroughOther = async (url: string) => {
    const response = await other('GET', url);
    return { status: response.status, cache: response.headers['x-cache'], body: response.body as Record<string, unknown> };
  };

  it('serves a repeated read from the cache, and a write through another process makes the next read fresh', async () => {
    const url = `/v1/contracts/${contractId}`;
    const first = await readThroughOther(url);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('draft');
    const again = await readThroughOther(url);
    expect(again.cache).toBe('hit');
    expect(again.body).toEqual(first.body);

    const before = await readChangeEpoch(h.store.db);
    // The write goes through the harness's app: `other` never sees the request.
    expect((await h.call('POST', `${url}/versions/1/submit`)).status).toBe(200);
    expect(BigInt(await readChangeEpoch(h.store.db))).toBeGreaterThan(BigInt(before));
    const after = await readThroughOther(url);
    expect(after.cache).toBeUndefined();
    expect(after.body.status).toBe('pending_approval');
    expect((await readThroughOther(url)).cache).toBe('hit');
  });

  it('does not move the counter for a request that changes nothing, and keeps lists per query', async () => {
    const list = '/v1/contracts?limit=5';
    await readThroughOther(list);
    expect((await readThroughOther(list)).cache).toBe('hit');
    expect((await readThroughOther('/v1/contracts?limit=4')).cache).toBeUndefined();
    const epoch = await readChangeEpoch(h.store.db);
    expect((await h.call('GET', `/v1/contracts/${contractId}`)).status).toBe(200);
    expect(await readChangeEpoch(h.store.db)).toBe(epoch);
    expect((await readThroughOther(list)).cache).toBe('hit');
  });
});

describe('TALLY_READ_CACHE', () => {
  it('is on unless set to 0, and refuses anything but 0 or 1', () => {
    expect(readConfig({}).readCache).toBe(true);
    expect(readConfig({ TALLY_READ_CACHE: '1' }).readCache).toBe(true);
    expect(readConfig({ TALLY_READ_CACHE: '0' }).readCache).toBe(false);
    expect(() => readConfig({ TALLY_READ_CACHE: 'off' })).toThrow(ConfigError);
  });
});
