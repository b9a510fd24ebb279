/**
 * More than one machine (SPEC §11, issue 17 item 1): three `tally serve` processes and one
 * `tally worker` on one PostgreSQL database, and one client whose requests go to different nodes.
 * Each guarantee must hold as if there were one process: an Idempotency-Key answers once, a key's
 * rate limit counts its requests at every node together, a read cached at one node shows a write
 * made at another, a session works everywhere and ends everywhere, a webhook event reaches its
 * endpoint once however many processes dispatch, numbers stay gap-free, and a renewal happens once.
 *
 * PostgreSQL only: the embedded store belongs to one process (its folder lock), so there is nothing
 * to share; the embedded project lists the suite as skipped, never passed.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TallyServer } from '../support/fault-server.ts';
import { describePostgresOnly } from '../support/fault-describe.ts';
import {
  callNode,
  type Cluster,
  type NodeAnswer,
  type NodeCallOptions,
  startCluster,
  startWebhookReceiver,
  sleep,
  waitFor,
  type WebhookReceiver,
} from '../support/many-nodes.ts';

/** The bootstrap admin makes every user: 15 users × 2 requests + the endpoint + the session user = 32 requests, under the limit. */
const adminToken = 'tly_many_nodes_admin_token_0123456789';
/**
 * Low enough that the rate-limit check takes a moment (60 requests, 20 at each node), high enough
 * that no other check's client reaches it: each check makes its own users, and none of them sends
 * more than about 40 requests.
 */
const perMinute = 60;
const today = '2026-11-25';
/** The receiver holds every delivery this long before answering, so that dispatchers would overlap if they could. */
const receiverDelayMs = 200;
/** Dispatchers look every second (src/cli/background.ts); a handful of deliveries arrive within a few. */
const deliveredWithinMs = 30_000;

interface User {
  id: string;
  token: string;
}

describePostgresOnly('many nodes: three tally serve and a tally worker on one PostgreSQL', () => {
  let cluster: Cluster;
  let receiver: WebhookReceiver;
  let database: pg.Pool;
  let endpointId: string;
  let nodes: TallyServer[];
  let userSequence = 0;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(receiverDelayMs);
    cluster = await startCluster(3, {
      TALLY_ADMIN_TOKEN: adminToken,
      TALLY_ALLOW_PRIVATE_TARGETS: '1',
      TALLY_RATE_LIMIT_PER_MINUTE: String(perMinute),
      TALLY_TODAY: today,
    });
    nodes = cluster.nodes;
    database = new pg.Pool({ connectionString: cluster.databaseUrl, max: 2 });
    // Registered first, so that every event of every check below is delivered to it.
    const endpoint = await call(0, 'POST', '/v1/webhook-endpoints', {
      token: adminToken,
      body: { url: receiver.url, events: ['contract.approved', 'invoice.finalized'] },
    });
    expect(endpoint.status, endpoint.text).toBe(201);
    endpointId = endpoint.body.id as string;
  }, 180_000);
  afterAll(async () => {
    await database?.end();
    await cluster?.stop();
    await receiver?.close();
  }, 60_000);

  /** A request to node `index` (taken modulo the number of nodes, so that a loop can go round them). */
  const call = (index: number, method: string, url: string, options?: NodeCallOptions): Promise<NodeAnswer> =>
    callNode(nodes[index % nodes.length] as TallyServer, method, url, options);

  /** The status `/v1/me` answers at `node` with `cookie`, polled until it is 401 or `withinMs` has passed. */
  async function statusWithin(node: number, cookie: string, withinMs: number): Promise<number> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const status = (await call(node, 'GET', '/v1/me', { headers: { cookie } })).status;
      if (status === 401 || Date.now() > deadline) return status;
      await sleep(20);
    }
  }

  const expectStatus = (answer: NodeAnswer, status: number) => expect(answer.status, answer.text.slice(0, 600)).toBe(status);

  const count = async (query: string, values: unknown[] = []): Promise<number> =>
    Number((await database.query<{ count: string }>(query, values)).rows[0]?.count);

  /** A new user with an API key of its own (so each check has a fresh rate-limit window), made by the admin at any node. */
  const newUser = async (role: string): Promise<User> => {
    userSequence += 1;
    const user = await call(userSequence, 'POST', '/v1/users', {
      token: adminToken,
      body: { email: `${role}-${userSequence}@many-nodes.test`, name: `${role} ${userSequence}`, role },
    });
    expectStatus(user, 201);
    const key = await call(userSequence + 1, 'POST', `/v1/users/${user.body.id}/api-keys`, { token: adminToken, body: {} });
    expectStatus(key, 201);
    return { id: user.body.id as string, token: key.body.token as string };
  };

  const newParty = async (ops: User, node: number, name: string): Promise<string> => {
    const party = await call(node, 'POST', '/v1/parties', { token: ops.token, body: { kind: 'advertiser', name, currency: 'USD' } });
    expectStatus(party, 201);
    return party.body.id as string;
  };

  /** Ops creates a sell contract at one node and submits it at the next; finance approves it at the one after. */
  const approvedContract = async (ops: User, finance: User, node: number, partyId: string, terms: Record<string, unknown>) => {
    const created = await call(node, 'POST', '/v1/contracts', {
      token: ops.token,
      body: { partyId, side: 'sell', name: 'Many nodes', terms },
    });
    expectStatus(created, 201);
    const id = created.body.id as string;
    expectStatus(await call(node + 1, 'POST', `/v1/contracts/${id}/versions/1/submit`, { token: ops.token }), 200);
    const approved = await call(node + 2, 'POST', `/v1/contracts/${id}/versions/1/approve`, { token: finance.token, body: {} });
    expectStatus(approved, 200);
    return { id, number: created.body.number as string };
  };

  /** One flat line item of 1,000.00 a month: invoiced without any delivery data. */
  const flatTerms = (overrides: Record<string, unknown> = {}) => ({
    startDate: '2026-10-01',
    endDate: '2026-12-31',
    currency: 'USD',
    billingPeriod: 'calendar_month',
    renewal: { mode: 'manual', termMonths: 3, noticeDays: 30 },
    lineItems: [{ key: 'sponsorship', name: 'Sponsorship', pricing: { model: 'flat', amount: '1000.00', prorate: false } }],
    ...overrides,
  });

  it('started three servers and a worker that serves no HTTP, all on one migrated database', async () => {
    expect(nodes).toHaveLength(3);
    expect(new Set(nodes.map((node) => node.port)).size).toBe(3);
    for (const node of nodes) expect((await fetch(`${node.baseUrl}/healthz`)).status).toBe(200);
    expect(cluster.worker.hasExited()).toBe(false);
    expect(cluster.worker.output()).not.toMatch(/listening/i);
    // Four processes ran the migrations on start-up; each migration was applied once, by whichever came first.
    const migrationFiles = fs.readdirSync(path.resolve(import.meta.dirname, '../../migrations')).filter((file) => file.endsWith('.sql'));
    expect(await count('select count(*) from schema_migrations')).toBe(migrationFiles.length);
  });

  it('idempotency: a retry at another node gets the first answer, and a race between two nodes creates one party', async () => {
    const ops = await newUser('ops');
    const body = { kind: 'advertiser', name: 'Idempotent Across Nodes', currency: 'USD' };
    const first = await call(0, 'POST', '/v1/parties', { token: ops.token, body, headers: { 'idempotency-key': 'party-once' } });
    expectStatus(first, 201);
    const retry = await call(1, 'POST', '/v1/parties', { token: ops.token, body, headers: { 'idempotency-key': 'party-once' } });
    expectStatus(retry, 201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    // The same key with another body is refused at a third node, which has never seen the key.
    const reused = await call(2, 'POST', '/v1/parties', {
      token: ops.token,
      body: { ...body, name: 'Another Party' },
      headers: { 'idempotency-key': 'party-once' },
    });
    expectStatus(reused, 422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(await count('select count(*) from parties where name = $1', [body.name])).toBe(1);

    // Two nodes at once, five times over: each race creates one party. The loser either waits for
    // nothing (409 idempotency_key_in_progress: the winner is still running) or, if the winner has
    // answered, gets its answer replayed.
    for (let race = 0; race < 5; race += 1) {
      const raceBody = { ...body, name: `Raced Across Nodes ${race}` };
      const headers = { 'idempotency-key': `party-race-${race}` };
      const answers = await Promise.all([
        call(race + 1, 'POST', '/v1/parties', { token: ops.token, body: raceBody, headers }),
        call(race + 2, 'POST', '/v1/parties', { token: ops.token, body: raceBody, headers }),
      ]);
      const created = answers.filter((answer) => answer.status === 201);
      expect(created.length, answers.map((answer) => answer.text).join('\n')).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((answer) => answer.body.id)).size).toBe(1);
      for (const answer of answers) {
        if (answer.status === 201) continue;
        expectStatus(answer, 409);
        expect(answer.body.code).toBe('idempotency_key_in_progress');
      }
      expect(await count('select count(*) from parties where name = $1', [raceBody.name])).toBe(1);
    }
    // One key row per key, whichever node answered: party-once and the five races.
    expect(await count('select count(*) from idempotency_keys where actor = $1', [ops.id])).toBe(6);
  });

  it(`rate limit: ${perMinute} requests a minute per key, counted at every node together`, async () => {
    const client = await newUser('viewer');
    // 60 = 3 nodes × 20: each node alone is far below the limit, so only a shared count refuses.
    const answers: NodeAnswer[] = [];
    for (let batch = 0; batch < perMinute / 10; batch += 1) {
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, index) => call(batch * 10 + index, 'GET', '/v1/me', { token: client.token })),
        )),
      );
    }
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: perMinute }, () => 200));
    // The 61st request, and the 62nd and 63rd, at each node in turn: refused at every one.
    for (let node = 0; node < 3; node += 1) {
      const refused = await call(node, 'GET', '/v1/me', { token: client.token });
      expectStatus(refused, 429);
      expect(refused.body.code).toBe('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    }
    // Per key: another client at the same nodes is not slowed down.
    const other = await newUser('viewer');
    for (let node = 0; node < 3; node += 1) expectStatus(await call(node, 'GET', '/v1/me', { token: other.token }), 200);
    // One window row for the key, shared by the three processes: 60 passed + 3 refused = 63 counted.
    const keyHash = createHash('sha256').update(client.token).digest('hex');
    const window = await database.query<{ count: number }>('select count from rate_limit_windows where key = $1', [`key:${keyHash}`]);
    expect(window.rows).toEqual([{ count: perMinute + 3 }]);
  });

  it('read cache: a read cached at node A shows a write made at node B on the very next read', async () => {
    const ops = await newUser('ops');
    const partyId = await newParty(ops, 0, 'Cached Reads');
    const created = await call(1, 'POST', '/v1/contracts', {
      token: ops.token,
      body: { partyId, side: 'sell', name: 'Cached', terms: flatTerms() },
    });
    expectStatus(created, 201);
    const url = `/v1/contracts/${created.body.id}`;
    const first = await call(0, 'GET', url, { token: ops.token });
    expectStatus(first, 200);
    expect(first.body.status).toBe('draft');
    // Node A serves the same read from its cache: the cache is on, so the next check means something.
    const cached = await call(0, 'GET', url, { token: ops.token });
    expect(cached.headers.get('x-cache')).toBe('hit');
    expect(cached.body).toEqual(first.body);

    expectStatus(await call(1, 'POST', `${url}/versions/1/submit`, { token: ops.token }), 200);
    const after = await call(0, 'GET', url, { token: ops.token });
    expectStatus(after, 200);
    expect(after.headers.get('x-cache')).toBeNull();
    expect(after.body.status).toBe('pending_approval');
    // And node C, which never read it, agrees.
    expect((await call(2, 'GET', url, { token: ops.token })).body.status).toBe('pending_approval');
  });

  it('sessions: signed in at node A, the cookie works at B and C; signed out at C, it ends at every node at once', async () => {
    const password = 'many nodes correct horse';
    const email = 'session-user@many-nodes.test';
    const user = await call(0, 'POST', '/v1/users', { token: adminToken, body: { email, name: 'Session User', role: 'ops', password } });
    expectStatus(user, 201);
    const csrf = { 'x-tally-csrf': '1' };
    const signedIn = await call(0, 'POST', '/v1/sessions', { body: { email, password }, headers: csrf });
    expectStatus(signedIn, 201);
    const cookie = (signedIn.headers.getSetCookie().find((line) => line.startsWith('tally_session=')) ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^tally_session=tss_/);

    // Each node resolves the session from the database, and each now holds it in its own cache.
    for (let node = 0; node < 3; node += 1) {
      const me = await call(node, 'GET', '/v1/me', { headers: { cookie } });
      expectStatus(me, 200);
      expect(me.body.id).toBe(user.body.id);
    }
    const party = await call(1, 'POST', '/v1/parties', {
      headers: { cookie, ...csrf },
      body: { kind: 'advertiser', name: 'Made In A Session', currency: 'USD' },
    });
    expectStatus(party, 201);

    expectStatus(await call(2, 'DELETE', '/v1/sessions/current', { headers: { cookie, ...csrf } }), 204);
    expectStatus(await call(2, 'GET', '/v1/me', { headers: { cookie } }), 401);
    expect(await count('select count(*) from sessions where user_id = $1 and ended_at is null', [user.body.id])).toBe(0);
    // Nodes A and B resolved the session before the sign-out and cached it; the sign-out's commit
    // announced it (NOTIFY), and they emptied their caches: within moments, no node accepts it.
    for (let node = 0; node < 3; node += 1) expect(await statusWithin(node, cookie, 1_000), `node ${node}`).toBe(401);
  });

  it('numbering: drafts finalized at three nodes at once get INV numbers 1..n, once each, without a gap', async () => {
    const ops = await newUser('ops');
    const finance = await newUser('finance');
    const invoices = 6;
    // Six parties, each with one flat contract made at a node in turn: contract numbers from three
    // processes, and six invoices of 1,000.00 each for October.
    const contracts = await Promise.all(
      Array.from({ length: invoices }, async (_, index) => {
        const partyId = await newParty(ops, index, `Numbered ${index}`);
        return approvedContract(ops, finance, index, partyId, flatTerms());
      }),
    );
    expect(new Set(contracts.map((contract) => contract.number)).size).toBe(invoices);

    const run = await call(0, 'POST', '/v1/billing-runs', { token: finance.token, body: { period: '2026-10' } });
    expectStatus(run, 201);
    expect(run.body.status).toBe('completed');
    const drafts = await call(1, 'GET', '/v1/invoices?period=2026-10&status=draft&limit=500', { token: finance.token });
    expectStatus(drafts, 200);
    const ids = (drafts.body.data as { id: string; total: string }[]).map((draft) => draft.id);
    expect(ids).toHaveLength(invoices);

    // Every draft finalized at a node in turn, all at once; and the first one a second time at yet
    // another node in the same burst: it is finalized once, the other request is refused.
    const finalize = (node: number, id: string) =>
      call(node, 'POST', `/v1/invoices/${id}/finalize`, { token: finance.token, body: { reviewed: true } });
    const [twice, ...answers] = await Promise.all([finalize(2, ids[0] as string), ...ids.map((id, index) => finalize(index, id))]);
    const firstAnswers = [twice as NodeAnswer, answers[0] as NodeAnswer];
    expect(firstAnswers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(firstAnswers.find((answer) => answer.status === 409)?.body.code).toBe('document_not_draft');
    for (const answer of answers.slice(1)) expectStatus(answer, 200);

    const numbers = [firstAnswers.find((answer) => answer.status === 200) as NodeAnswer, ...answers.slice(1)].map(
      (answer) => answer.body.number as string,
    );
    // 6 invoices, numbered INV-2026-000001 … INV-2026-000006 in whatever order the nodes committed.
    expect(numbers.sort()).toEqual(Array.from({ length: invoices }, (_, index) => `INV-2026-${String(index + 1).padStart(6, '0')}`));
    const series = await database.query<{ series: string; last_value: number }>('select series, last_value from number_series');
    expect(series.rows).toContainEqual({ series: 'INV-2026', last_value: invoices });
    // The contract series too, over every contract the other checks made at any node: IO-2026-0001 … n.
    const contractNumbers = (await database.query<{ number: string }>('select number from contracts order by number')).rows.map(
      (row) => row.number,
    );
    expect(contractNumbers).toEqual(contractNumbers.map((_, index) => `IO-2026-${String(index + 1).padStart(4, '0')}`));
  });

  it('renewals: the same renewal asked at two nodes at once is made once; the other is refused', async () => {
    const ops = await newUser('ops');
    const finance = await newUser('finance');
    const partyId = await newParty(ops, 0, 'Renewed Once');
    // Three contracts, each renewed at two nodes at the same moment.
    const contracts = await Promise.all(
      Array.from({ length: 3 }, (_, index) => approvedContract(ops, finance, index, partyId, flatTerms())),
    );
    const races = await Promise.all(
      contracts.map((contract, index) =>
        Promise.all([
          call(index, 'POST', `/v1/contracts/${contract.id}/renew`, { token: ops.token, body: {} }),
          call(index + 1, 'POST', `/v1/contracts/${contract.id}/renew`, { token: ops.token, body: {} }),
        ]),
      ),
    );
    for (const [index, answers] of races.entries()) {
      expect(answers.map((answer) => answer.status).sort(), answers.map((answer) => answer.text).join('\n')).toEqual([201, 409]);
      const renewal = answers.find((answer) => answer.status === 201) as NodeAnswer;
      // The clause's 3 months: 2026-12-31 + 3 months = 2027-03-31, as a draft version 2.
      expect(renewal.body).toMatchObject({ number: 2, kind: 'renewal', status: 'draft' });
      expect(renewal.body.terms.endDate).toBe('2027-03-31');
      expect(answers.find((answer) => answer.status === 409)?.body.code).toBe('version_in_progress');
      const contractId = contracts[index]?.id;
      expect(await count('select count(*) from contract_versions where contract_id = $1', [contractId])).toBe(2);
    }
  });

  it('renewals: the automatic renewal run, asked again at another node or at three at once, renews nothing twice', async () => {
    const ops = await newUser('ops');
    const finance = await newUser('finance');
    const partyId = await newParty(ops, 1, 'Renewed Automatically');
    // Auto-renewal, 3 months with 30 days' notice, ending 2030-06-30: inside the window from 2030-05-31.
    const autoTerms = flatTerms({
      startDate: '2030-01-01',
      endDate: '2030-06-30',
      renewal: { mode: 'auto', termMonths: 3, noticeDays: 30 },
    });
    const contracts = await Promise.all(Array.from({ length: 3 }, (_, index) => approvedContract(ops, finance, index, partyId, autoTerms)));
    const runAt = async (node: number) => {
      const run = await call(node, 'POST', '/v1/renewals/run', { token: finance.token, body: { asOf: '2030-06-15' } });
      expectStatus(run, 200);
      return (run.body.renewed as { contractId: string; version: number; endDate: string }[]).map((entry) => entry.contractId).sort();
    };
    // The run at node A renews the three (2030-06-30 + 3 months = 2030-09-30); the same run at B and
    // then at C finds each already renewed.
    expect(await runAt(0)).toEqual(contracts.map((contract) => contract.id).sort());
    expect(await runAt(1)).toEqual([]);
    expect(await runAt(2)).toEqual([]);
    for (const contract of contracts) {
      const read = await call(2, 'GET', `/v1/contracts/${contract.id}`, { token: ops.token });
      expect(read.body).toMatchObject({ currentVersion: 2, endDate: '2030-09-30' });
    }
    // The same run at the three nodes at the same moment: three more contracts ending 2031-06-30,
    // each renewed once (to 2031-09-30), whichever node's run got it.
    const later = flatTerms({ startDate: '2031-01-01', endDate: '2031-06-30', renewal: { mode: 'auto', termMonths: 3, noticeDays: 30 } });
    const more = await Promise.all(Array.from({ length: 3 }, (_, index) => approvedContract(ops, finance, index, partyId, later)));
    const together = await Promise.all(
      [0, 1, 2].map((node) => call(node, 'POST', '/v1/renewals/run', { token: finance.token, body: { asOf: '2031-06-15' } })),
    );
    const renewedIds = together.flatMap((run) => (run.body.renewed as { contractId: string }[]).map((entry) => entry.contractId));
    expect(renewedIds.filter((id) => more.some((contract) => contract.id === id)).sort()).toEqual(
      more.map((contract) => contract.id).sort(),
    );
    for (const contract of more) {
      const read = await call(1, 'GET', `/v1/contracts/${contract.id}`, { token: ops.token });
      expect(read.body).toMatchObject({ currentVersion: 2, endDate: '2031-09-30' });
    }
  });

  it('webhooks: events made at every node reach the endpoint once each, with four processes dispatching', async () => {
    // Two clients of each role, so that neither comes near its rate limit (each sends 13 requests).
    const clients = [
      { ops: await newUser('ops'), finance: await newUser('finance') },
      { ops: await newUser('ops'), finance: await newUser('finance') },
    ];
    const watcher = await newUser('admin');
    const partyId = await newParty(clients[0]!.ops, 0, 'Webhooks Once');
    // Twelve approvals, four at each node, all at once: twelve contract.approved events written by
    // three processes, on top of the events of the checks above (approvals, finalized invoices).
    const contracts = await Promise.all(
      Array.from({ length: 12 }, (_, index) => {
        const client = clients[index % 2]!;
        return approvedContract(client.ops, client.finance, index, partyId, flatTerms());
      }),
    );
    // One delivery per event of a type the endpoint subscribes to (billing_run.completed is not one).
    const events = await count('select count(*) from webhook_deliveries where endpoint_id = $1', [endpointId]);
    expect(events).toBeGreaterThanOrEqual(contracts.length);

    // The delivery log, as any node answers it, until every delivery of every event is delivered.
    type Delivery = { id: string; eventId: string; eventType: string; status: string; attemptCount: number };
    const log = await waitFor('every webhook delivery delivered', deliveredWithinMs, 500, async () => {
      const page = await call(userSequence, 'GET', `/v1/webhook-endpoints/${endpointId}/deliveries?limit=500`, { token: watcher.token });
      expectStatus(page, 200);
      const deliveries = page.body.data as Delivery[];
      return deliveries.length === events && deliveries.every((delivery) => delivery.status === 'delivered') ? deliveries : undefined;
    });
    // A second dispatcher that had claimed a delivery too would send it within its own pass: wait
    // out two more passes of every process before counting.
    await sleep(2_500);

    // One delivery per event (one endpoint), each attempted once, and the receiver got each event once.
    expect(new Set(log.map((delivery) => delivery.eventId)).size).toBe(events);
    expect(log.map((delivery) => delivery.attemptCount)).toEqual(log.map(() => 1));
    const timesReceived = new Map<string, number>();
    for (const webhook of receiver.received) timesReceived.set(webhook.eventId, (timesReceived.get(webhook.eventId) ?? 0) + 1);
    const receivedMoreThanOnce = [...timesReceived].filter(([, times]) => times > 1);
    expect(receivedMoreThanOnce).toEqual([]);
    expect([...timesReceived.keys()].sort()).toEqual(log.map((delivery) => delivery.eventId).sort());
    expect(receiver.received).toHaveLength(events);
    // Each of this check's approvals among them, once.
    for (const contract of contracts) {
      const approvals = receiver.received.filter(
        (webhook) => webhook.eventType === 'contract.approved' && webhook.data.contractId === contract.id,
      );
      expect(approvals).toHaveLength(1);
    }
  });
});
