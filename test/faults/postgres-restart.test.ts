/**
 * PostgreSQL restarted under a running server (issue 6): `tally serve` in a child process on a
 * private, throwaway cluster (never the shared server on :5432, which other test files use at the
 * same time). The cluster is crashed (`pg_ctl stop -m immediate`) while requests are running,
 * then started again, twice; Tally is never restarted. While the database is down every request
 * that needs it answers 503 `store_unavailable` (never 500, never a hang) and `/healthz` reports
 * unhealthy; once it is back, requests succeed again, every write acknowledged before the crash is
 * still there, and an `Idempotency-Key` used by a request that failed in the outage works on retry.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ApiAnswer, callApi, startTallyServer, type TallyServer } from '../support/fault-server.ts';
import { describePostgresOnly } from '../support/fault-describe.ts';
import { canMakePrivateCluster, clusterQuery, type PrivateCluster, startPrivateCluster } from '../support/fault-postgres-cluster.ts';
import pg from 'pg';

const token = 'tly_fault_restart_token_0123456789';
/** An answer slower than this while the database is down counts as a hang. */
const outageAnswerMsMax = 5_000;
/** How long Tally may take to serve again once the database accepts connections. */
const recoveryMsMax = 15_000;
/** How long an Idempotency-Key claimed by a request that died with the database may stay blocked. */
const keyLeaseMsMax = 90_000;

interface Answered {
  startedAt: number;
  endedAt: number;
  method: string;
  status: number | 'network error';
  code: string | undefined;
  ms: number;
  name?: string;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Polls /metrics until its text matches (the store's figures are read at most every 10 s); answers the text. */
async function metricsShowing(server: TallyServer, pattern: RegExp): Promise<string> {
  const deadline = performance.now() + 15_000;
  let text = '';
  while (performance.now() < deadline) {
    const answer = await callApi(server.baseUrl, undefined, 'GET', '/metrics');
    expect(answer.status).toBe(200);
    text = answer.text;
    if (pattern.test(text)) return text;
    await sleep(500);
  }
  throw new Error(
    `/metrics never showed ${pattern} within 15 s; last:\n${text
      .split('\n')
      .filter((line) => line.startsWith('tally_store') || line.startsWith('tally_http_problems'))
      .join('\n')}`,
  );
}

describePostgresOnly('fault: PostgreSQL restarted under the server', () => {
  let cluster: PrivateCluster | undefined;
  let server: TallyServer | undefined;
  const log: Answered[] = [];
  /** From the moment the database is told to stop until Tally is seen healthy again. */
  const outages: { from: number; to: number }[] = [];
  let sequence = 0;
  const metOutage = (entry: Answered) => outages.some((outage) => entry.startedAt <= outage.to && entry.endedAt >= outage.from);

  async function timed(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer & { ms: number }> {
    const startedAt = performance.now();
    const answer = headers
      ? await callWithHeaders(method, url, body, headers)
      : await callApi((server as TallyServer).baseUrl, token, method, url, body, 30_000);
    return { ...answer, ms: performance.now() - startedAt };
  }

  async function callWithHeaders(method: string, url: string, body: unknown, headers: Record<string, string>): Promise<ApiAnswer> {
    const response = await fetch(`${(server as TallyServer).baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
  }

  /** Background traffic: reads and writes in a loop, every answer logged with when it started and ended. */
  function startTraffic(workers: number): { stop: () => Promise<void> } {
    let running = true;
    const worker = async (index: number) => {
      while (running) {
        const write = sequence % 2 === 0;
        const name = `Traffic ${index}-${sequence++}`;
        const startedAt = performance.now();
        try {
          const answer = write
            ? await timed('POST', '/v1/parties', { kind: 'advertiser', name, currency: 'USD' })
            : await timed('GET', '/v1/parties?limit=20');
          log.push({
            startedAt,
            endedAt: performance.now(),
            method: write ? 'POST' : 'GET',
            status: answer.status,
            code: answer.body?.code,
            ms: answer.ms,
            ...(write ? { name } : {}),
          });
        } catch {
          log.push({
            startedAt,
            endedAt: performance.now(),
            method: write ? 'POST' : 'GET',
            status: 'network error',
            code: undefined,
            ms: performance.now() - startedAt,
          });
        }
        await sleep(10);
      }
    };
    const done = Promise.all(Array.from({ length: workers }, (_, index) => worker(index)));
    return {
      stop: async () => {
        running = false;
        await done;
      },
    };
  }

  beforeAll(async () => {
    if (!canMakePrivateCluster()) return;
    cluster = await startPrivateCluster();
    await clusterQuery(cluster.url(), 'create database tally');
    // The traffic loops send a few hundred requests a second while the database is down (each 503
    // answers at once): the per-key limit is lifted so that what is measured is the outage, not
    // the limiter (limits.test.ts tests that).
    server = await startTallyServer({
      DATABASE_URL: cluster.url('tally'),
      TALLY_ADMIN_TOKEN: token,
      TALLY_TODAY: '2026-11-03',
      TALLY_RATE_LIMIT_PER_MINUTE: '1000000000',
    });
  }, 240_000);
  afterAll(async () => {
    // A server that died under the test is the finding: show why.
    if (server?.hasExited())
      process.stderr.write(
        `tally serve exited during the test (${JSON.stringify(await server.exited)}); its output:\n${server.output()}\n`,
      );
    await server?.stop();
    await cluster?.destroy();
  });

  it('can make a private cluster here (root, and PostgreSQL 15 server programs)', () => {
    expect(canMakePrivateCluster(), 'this test needs to run as root with /usr/lib/postgresql/15/bin (or TALLY_PG_BIN)').toBe(true);
    expect(server).toBeDefined();
  });

  it(
    'answers 503 while the database is down and serves again once it is back, twice, without a restart',
    { timeout: 300_000 },
    async () => {
      const running = server as TallyServer;
      const database = cluster as PrivateCluster;
      expect((await timed('GET', '/healthz')).status).toBe(200);
      expect((await timed('POST', '/v1/parties', { kind: 'advertiser', name: 'Before the outage', currency: 'USD' })).status).toBe(201);

      for (const [round, mode] of (['immediate', 'fast'] as const).entries()) {
        const traffic = startTraffic(4);
        await sleep(500);
        const outage = { from: performance.now(), to: Number.POSITIVE_INFINITY };
        outages.push(outage);
        await database.stop(mode);
        await sleep(300);

        // While it is down: clean 503s, quickly, for reads, writes and the health check.
        const checks = [
          await timed('GET', '/healthz'),
          await timed('GET', '/v1/parties?limit=5'),
          await timed('POST', '/v1/parties', { kind: 'advertiser', name: `Refused in outage ${round}`, currency: 'USD' }),
          await timed('GET', '/v1/audit/verify'),
        ];
        for (const answer of checks) {
          expect(answer.status, answer.text).toBe(503);
          expect(answer.body?.code).toBe('store_unavailable');
          expect(answer.ms).toBeLessThan(outageAnswerMsMax);
        }
        // The operator sees it: /metrics still answers, counts the 503s by problem code, and reads the store as down.
        const down = await metricsShowing(running, /^tally_store_up 0$/m);
        expect(down).toMatch(/^tally_http_requests_total\{[^}]*status="503"[^}]*\} [1-9]/m);
        expect(down).toMatch(/^tally_http_problems_total\{status="503",code="store_unavailable"\} [1-9]/m);
        expect(down).not.toMatch(/^tally_http_problems_total\{status="500"/m);
        await sleep(1_000);

        await database.start();
        const backAt = performance.now();
        let healthy = false;
        while (!healthy && performance.now() - backAt < recoveryMsMax) {
          healthy = (await timed('GET', '/healthz')).status === 200;
          if (!healthy) await sleep(100);
        }
        expect(healthy, `/healthz answered 200 within ${recoveryMsMax} ms of the database's return`).toBe(true);
        outage.to = performance.now();
        // A burst wider than the pool: a broken connection left in it would fail one of these.
        const burst = await Promise.all(
          Array.from({ length: 30 }, (_, index) =>
            index % 3 === 0
              ? timed('POST', '/v1/parties', { kind: 'advertiser', name: `After outage ${round}-${index}`, currency: 'USD' })
              : timed('GET', '/v1/parties?limit=5'),
          ),
        );
        expect(burst.map((answer) => answer.status).filter((status) => status !== 200 && status !== 201)).toEqual([]);
        const back = await metricsShowing(running, /^tally_store_up 1$/m);
        expect(back).toMatch(/^# TYPE tally_billing_runs gauge$/m);
        expect(back).toMatch(/^# TYPE tally_webhook_deliveries gauge$/m);
        await sleep(500);
        await traffic.stop();
        expect(running.hasExited(), 'the server is still the same process').toBe(false);
      }

      // Every answer: 2xx, or 503 store_unavailable when it met an outage; never a 500, never a dropped connection.
      const bad = log.filter(
        (entry) =>
          !(
            entry.status === 200 ||
            entry.status === 201 ||
            (entry.status === 503 && entry.code === 'store_unavailable' && metOutage(entry))
          ),
      );
      expect(bad).toEqual([]);
      expect(log.filter((entry) => entry.status === 503).length, 'the traffic met the outage').toBeGreaterThan(0);
      expect(log.filter((entry) => !metOutage(entry)).length, 'traffic outside the outages').toBeGreaterThan(20);
      expect(Math.max(...log.filter(metOutage).map((entry) => entry.ms))).toBeLessThan(outageAnswerMsMax);

      // No acknowledged write lost: every party answered 201 is there; none answered 503 was written.
      const listed = await clusterQuery(database.url('tally'), `select name from parties`);
      const names = new Set(listed.rows.map((row: { name: string }) => row.name));
      for (const entry of log.filter((item) => item.status === 201))
        expect(names.has(entry.name as string), `${entry.name} was acknowledged`).toBe(true);
      expect(names.has('Before the outage')).toBe(true);
      expect(names.has('Refused in outage 0')).toBe(false);
      const verify = await timed('GET', '/v1/audit/verify');
      expect(verify.body).toMatchObject({ ok: true, firstBroken: null });
    },
  );

  it('a request caught by the outage leaves its Idempotency-Key free for the retry', { timeout: 240_000 }, async () => {
    const database = cluster as PrivateCluster;
    // Hold a lock that the party insert waits for, so that the request is inside its handler (its
    // key claimed) when the database goes away.
    const blocker = new pg.Client({ connectionString: database.url('tally') });
    await blocker.connect();
    blocker.on('error', () => undefined);
    await blocker.query('begin');
    await blocker.query('lock table parties in exclusive mode');
    const key = `outage-${Date.now()}`;
    const body = { kind: 'advertiser', name: 'Keyed in the outage', currency: 'USD' };
    const pending = timed('POST', '/v1/parties', body, { 'idempotency-key': key });
    await sleep(1_000);
    await database.stop('immediate');
    const caught = await pending;
    expect(caught.status, caught.text).toBe(503);
    expect(caught.body?.code, caught.text).toBe('store_unavailable');
    await blocker.end().catch(() => undefined);
    await database.start();

    let retry: ApiAnswer & { ms: number } = { status: 0, body: undefined, text: '', ms: 0 };
    // The request never committed (it was waiting for the lock when the database died), so the key
    // must not stay claimed: a retry may wait out a short lease, never the key's 7-day retention.
    const backAt = performance.now();
    while (performance.now() - backAt < keyLeaseMsMax) {
      retry = await timed('POST', '/v1/parties', body, { 'idempotency-key': key });
      if (retry.status !== 503 && retry.status !== 409) break;
      await sleep(1_000);
    }
    expect(retry.status, retry.text).toBe(201);
    const again = await timed('POST', '/v1/parties', body, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(retry.body.id);
    const count = await clusterQuery(database.url('tally'), `select count(*)::int as n from parties where name = 'Keyed in the outage'`);
    expect(count.rows[0]?.n).toBe(1);
  });
});
