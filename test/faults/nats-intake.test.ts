/**
 * Faults of intake on NATS JetStream (SPEC §11), on PostgreSQL with a private nats-server. The test
 * itself publishes impression batches to the stream as the API does (each one count, a day of
 * October–December, 1,000 + n impressions), and `tally worker` processes store them. Whatever
 * happens to the consumers and to NATS, every batch the stream acknowledged ends in the books once:
 * one `intake_batches` row, one audit entry and its count, nothing twice.
 *
 * - consumers SIGKILLed at moments while they store: their unacknowledged batches are delivered
 *   again (after the consumer's acknowledgement wait, 2 s here) to the others;
 * - a consumer that crashes after its batch committed and before it acknowledged
 *   (`TALLY_FAULT_CRASH_BEFORE_ACK=1`): the batch is delivered again and found stored;
 * - NATS restarted with batches stored and not yet consumed: they survive, and are consumed after.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type IntakeStream, openIntakeStream } from '../../src/platform/intake-stream.ts';
import { openStore, type Store } from '../../src/platform/store.ts';
import { describePostgresOnly } from '../support/fault-describe.ts';
import { callApi, type TallyChild } from '../support/fault-server.ts';
import { startTallyWorker, stopChild } from '../support/many-nodes.ts';
import { startTallyServer } from '../support/fault-server.ts';
import { createFreshDatabase } from '../support/postgres.ts';
import { type NatsServer, startNatsServer } from '../support/nats.ts';
import { cpmTerms } from '../support/fixtures.ts';

const adminToken = 'tly_fault_nats_admin_token_0123456789';

describePostgresOnly('fault: intake on NATS JetStream', () => {
  let nats: NatsServer;
  let database: { url: string; drop: () => Promise<void> };
  let store: Store;
  let producer: IntakeStream;
  let contractId: string;
  let adminId: string;
  let next = 0;
  const workers: TallyChild[] = [];

  const workerEnvironment = () => ({ DATABASE_URL: database.url, TALLY_NATS_URL: nats.url, TALLY_NATS_ACK_WAIT_MS: '2000' });
  const startWorker = async (variables: Record<string, string> = {}) => {
    const worker = await startTallyWorker({ ...workerEnvironment(), ...variables });
    workers.push(worker);
    return worker;
  };
  const addDays = (days: number) => new Date(Date.UTC(2026, 9, 1) + days * 86_400_000).toISOString().slice(0, 10);

  /** Publishes `count` batches as the API would; answers their ids and counts. */
  const publish = async (count: number) => {
    const batches: { id: string; date: string; impressions: number }[] = [];
    for (let index = 0; index < count; index += 1) {
      const n = next++;
      const batch = { id: `bat_fault${String(n).padStart(21, '0')}`, date: addDays(n), impressions: 1_000 + n };
      await producer.publish({
        kind: 'impressions',
        batchId: batch.id,
        actor: { userId: adminId, role: 'admin', partyId: null },
        body: { records: [{ contractId, lineItem: 'display', date: batch.date, source: 'first_party', impressions: batch.impressions }] },
      });
      batches.push(batch);
    }
    return batches;
  };
  /** Waits (bounded) until every batch has its outcome recorded. */
  const stored = async (batches: { id: string }[], withinMs = 60_000) => {
    const ids = batches.map((batch) => batch.id);
    const deadline = Date.now() + withinMs;
    for (;;) {
      const done = (
        await sql<{ count: number }>`select count(*)::int as count from intake_batches where id = any(${ids}::text[])`.execute(store.db)
      ).rows[0]!.count;
      if (done === ids.length) return;
      if (Date.now() > deadline) throw new Error(`${done} of ${ids.length} batches stored after ${withinMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  /** Each batch once: its outcome, its audit entry, its count. */
  const expectOnce = async (batches: { id: string; date: string; impressions: number }[]) => {
    const ids = batches.map((batch) => batch.id);
    const outcomes = await sql<{
      id: string;
      status: string;
    }>`select id, status from intake_batches where id = any(${ids}::text[])`.execute(store.db);
    expect(outcomes.rows.map((row) => row.status)).toEqual(ids.map(() => 'stored'));
    const audits = await sql<{ entity_id: string; count: number }>`
      select entity_id, count(*)::int as count from audit_entries where entity_id = any(${ids}::text[]) group by entity_id`.execute(
      store.db,
    );
    expect(audits.rows.length).toBe(ids.length);
    expect(audits.rows.every((row) => row.count === 1)).toBe(true);
    const counts = await sql<{ date: string; impressions: number; revisions: number }>`
      select date::text as date, impressions, (select count(*)::int from impression_history h where h.contract_id = c.contract_id and h.date = c.date) as revisions
      from impression_counts c where contract_id = ${contractId} and date = any(${batches.map((batch) => batch.date)}::date[]) order by date`.execute(
      store.db,
    );
    expect(counts.rows.map((row) => [row.date, Number(row.impressions)])).toEqual(batches.map((batch) => [batch.date, batch.impressions]));
  };

  beforeAll(async () => {
    nats = await startNatsServer();
    database = await createFreshDatabase();
    // The book, through a server of its own (no NATS): an advertiser and a CPM contract for the quarter.
    const serve = await startTallyServer({ DATABASE_URL: database.url, TALLY_ADMIN_TOKEN: adminToken });
    try {
      const party = await callApi(serve.baseUrl, adminToken, 'POST', '/v1/parties', {
        kind: 'advertiser',
        name: 'Streamed Faults',
        currency: 'USD',
      });
      expect(party.status, party.text).toBe(201);
      // The suites' CPM terms: their `display` line item takes the batches.
      const terms = cpmTerms();
      const contract = await callApi(serve.baseUrl, adminToken, 'POST', '/v1/contracts', {
        partyId: party.body.id,
        side: 'sell',
        name: 'Faults IO',
        terms,
      });
      expect(contract.status, contract.text).toBe(201);
      contractId = contract.body.id as string;
      // Approved by someone else than its maker (maker-checker): a finance user with a key of its own.
      const finance = await callApi(serve.baseUrl, adminToken, 'POST', '/v1/users', {
        email: 'finance@nats-faults.test',
        name: 'Finance',
        role: 'finance',
      });
      const key = await callApi(serve.baseUrl, adminToken, 'POST', `/v1/users/${finance.body.id}/api-keys`, {});
      expect((await callApi(serve.baseUrl, adminToken, 'POST', `/v1/contracts/${contractId}/versions/1/submit`)).status).toBe(200);
      const approved = await callApi(serve.baseUrl, key.body.token as string, 'POST', `/v1/contracts/${contractId}/versions/1/approve`, {});
      expect(approved.status, approved.text).toBe(200);
      const me = await callApi(serve.baseUrl, adminToken, 'GET', '/v1/me');
      adminId = me.body.id as string;
    } finally {
      await serve.stop();
    }
    store = await openStore({ databaseUrl: database.url, dataDir: 'memory://', poolSize: 2 });
    producer = await openIntakeStream(nats.url, { ackWaitMs: 2_000 });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map(stopChild));
    await producer?.close();
    await store?.close();
    await database?.drop();
    await nats?.remove();
  });

  it('consumers SIGKILLed while they store: every batch stored once', { timeout: 120_000 }, async () => {
    const batches = await publish(40);
    const storedCount = async () =>
      (
        await sql<{
          count: number;
        }>`select count(*)::int as count from intake_batches where id = any(${batches.map((batch) => batch.id)}::text[])`.execute(store.db)
      ).rows[0]!.count;
    // The first consumer takes every batch at once (one fetch of up to 50) and is killed as soon as it
    // has stored one: what it held unacknowledged can reach the others only by being delivered again.
    const first = await startWorker();
    while ((await storedCount()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await storedCount(), 'batches left to deliver again').toBeLessThan(batches.length);
    const second = await startWorker();
    const third = await startWorker();
    await new Promise((resolve) => setTimeout(resolve, 150));
    second.child.kill('SIGKILL');
    await stored(batches);
    await stopChild(third);
    await expectOnce(batches);
  });

  it('a consumer that crashes after its batch committed, before acknowledging it: stored once', { timeout: 120_000 }, async () => {
    const batches = await publish(5);
    const crashing = await startWorker({ TALLY_FAULT_CRASH_BEFORE_ACK: '1' });
    const exit = await crashing.exited;
    expect(exit.code, crashing.output()).toBe(75);
    const storedBeforeAck = (
      await sql<{ count: number }>`
      select count(*)::int as count from intake_batches where id = any(${batches.map((batch) => batch.id)}::text[])`.execute(store.db)
    ).rows[0]!.count;
    expect(storedBeforeAck).toBe(1);
    // Its batch is delivered again after the acknowledgement wait, to a consumer that finds it stored.
    const after = await startWorker();
    await stored(batches);
    await stopChild(after);
    await expectOnce(batches);
  });

  it('NATS restarted with batches not yet consumed: they survive and are stored once', { timeout: 120_000 }, async () => {
    const batches = await publish(10);
    expect((await producer.lag()).pending).toBeGreaterThanOrEqual(10);
    await nats.stop();
    await nats.start();
    const worker = await startWorker();
    await stored(batches);
    await stopChild(worker);
    await expectOnce(batches);
  });
});
