/**
 * Fifty requests at once on the same object end in exactly one winner; the others get a clean 4xx
 * (409, 412, or the first answer replayed), never a 5xx, and the database holds what one request
 * would have written. On PostgreSQL the requests really run side by side (a pool of connections);
 * the embedded store has one connection, so there they queue, and the same rules must hold.
 * The transaction helper's retries of serialization failures and deadlocks are proven at the end,
 * on PostgreSQL with real deadlocks and real serialization failures.
 */
import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleError } from '../../src/http/problem.ts';
import { createClock } from '../../src/platform/clock.ts';
import { inTransaction, transactionAttemptsMax } from '../../src/platform/context.ts';
import { expectBalancedBooks, listDocuments } from '../support/billing-helpers.ts';
import { advertiserBody, cpmTerms } from '../support/fixtures.ts';
import { type CallResult, describeStore, type Harness, startHarness, storeKind } from '../support/harness.ts';
import { type Cast, castOf } from '../support/scenario-helpers.ts';
import { signal } from '../support/signal.ts';
import { systemActor } from '../../src/platform/actor.ts';
import { appendAuditEntry, verifyAuditChain } from '../../src/modules/audit/index.ts';

const concurrency = 50;

/** Sends `concurrency` requests at once and waits for all of their answers. */
function all(send: (index: number) => Promise<CallResult>): Promise<CallResult[]> {
  return Promise.all(Array.from({ length: concurrency }, (_, index) => send(index)));
}

/** Answers counted by status, e.g. `{ 200: 1, 409: 49 }`. */
function statuses(answers: CallResult[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const answer of answers) counts[answer.status] = (counts[answer.status] ?? 0) + 1;
  return counts;
}

/** No answer is a 5xx, and every refusal is one of the expected codes. */
function expectCleanRefusals(answers: CallResult[], winnerStatus: number, codes: string[]): void {
  const serverErrors = answers.filter((answer) => answer.status >= 500).map((answer) => answer.text);
  expect(serverErrors).toEqual([]);
  for (const answer of answers.filter((candidate) => candidate.status !== winnerStatus)) {
    expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
    expect(answer.status, answer.text).toBeLessThan(500);
    expect(codes, answer.text).toContain(answer.body.code);
  }
}

async function countWhere(h: Harness, query: ReturnType<typeof sql<{ count: number }>>): Promise<number> {
  return (await query.execute(h.store.db)).rows[0]?.count ?? 0;
}

describeStore('concurrency', () => {
  let h: Harness;
  let cast: Cast;
  let partyId: string;
  let contractId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    const party = await h.call('POST', '/v1/parties', { token: cast.ops.token, body: advertiserBody({ name: 'Contended Co' }) });
    partyId = party.body.id as string;
    const contract = await h.call('POST', '/v1/contracts', {
      token: cast.ops.token,
      body: { partyId, side: 'sell', name: 'Contended IO', terms: cpmTerms() },
    });
    contractId = contract.body.id as string;
    expect((await h.call('POST', `/v1/contracts/${contractId}/versions/1/submit`, { token: cast.ops.token })).status).toBe(200);
  });
  afterAll(async () => h?.close());

  it('50 approvals of the same version with the same ETag: one approval, the others 412/409', async () => {
    const approvers = await Promise.all(Array.from({ length: concurrency }, () => h.user('finance')));
    const version = await h.call('GET', `/v1/contracts/${contractId}/versions/1`, { token: cast.ops.token });
    const etag = version.headers.etag as string;
    const answers = await all((index) =>
      h.call('POST', `/v1/contracts/${contractId}/versions/1/approve`, {
        token: approvers[index]!.token,
        body: { comment: `approver ${index}` },
        headers: { 'if-match': etag },
      }),
    );
    expect(statuses(answers)[200]).toBe(1);
    expectCleanRefusals(answers, 200, ['precondition_failed', 'version_not_pending']);
    expect(answers.find((answer) => answer.status === 200)?.body.status).toBe('approved');
    expect(await countWhere(h, sql`select count(*)::int as count from version_approvals where contract_id = ${contractId}`)).toBe(1);
    expect(
      await countWhere(
        h,
        sql`select count(*)::int as count from audit_entries where entity_id = ${contractId} and action = 'contract_version.approved'`,
      ),
    ).toBe(1);
  });

  it('50 amendments of the same contract: one new version, the others 409', async () => {
    const body = { effectiveFrom: '2026-12-01', terms: cpmTerms({ budgetCap: '90000.00' }), reason: 'Lower cap' };
    const answers = await all(() => h.call('POST', `/v1/contracts/${contractId}/amendments`, { token: cast.ops.token, body }));
    expect(statuses(answers)[201]).toBe(1);
    expectCleanRefusals(answers, 201, ['version_in_progress']);
    expect(await countWhere(h, sql`select count(*)::int as count from contract_versions where contract_id = ${contractId}`)).toBe(2);
    expect(
      await countWhere(
        h,
        sql`select count(*)::int as count from audit_entries where entity_id = ${contractId} and action = 'contract_version.created'`,
      ),
    ).toBe(2);
  });

  it('50 edits of the same draft with the same ETag: one edit, the others 412', async () => {
    const draft = await h.call('GET', `/v1/contracts/${contractId}/versions/2`, { token: cast.ops.token });
    const etag = draft.headers.etag as string;
    const auditBefore = await h.count('audit_entries');
    const answers = await all((index) =>
      h.call('PATCH', `/v1/contracts/${contractId}/versions/2`, {
        token: cast.ops.token,
        body: { terms: cpmTerms({ budgetCap: `${80000 + index}.00` }) },
        headers: { 'if-match': etag },
      }),
    );
    expect(statuses(answers)[200]).toBe(1);
    expectCleanRefusals(answers, 200, ['precondition_failed']);
    const winner = answers.find((answer) => answer.status === 200)!;
    const after = await h.call('GET', `/v1/contracts/${contractId}/versions/2`, { token: cast.ops.token });
    expect(after.body.terms.budgetCap).toBe(winner.body.terms.budgetCap);
    expect(after.body.revision).toBe(draft.body.revision + 1);
    expect(await h.count('audit_entries')).toBe(auditBefore + 1);
  });

  describe('billing', () => {
    let invoiceId: string;

    beforeAll(async () => {
      const loaded = await h.call('POST', '/v1/impressions', {
        token: cast.ops.token,
        body: { records: [{ contractId, lineItem: 'display', date: '2026-10-10', source: 'first_party', impressions: 400_000 }] },
      });
      expect(loaded.status).toBe(200);
    });

    it('50 billing runs of one month: no 5xx, and one set of drafts as if it ran once', async () => {
      const answers = await all(() => h.call('POST', '/v1/billing-runs', { token: cast.finance.token, body: { period: '2026-10' } }));
      expectCleanRefusals(answers, 201, ['billing_run_in_progress']);
      const completed = answers.filter((answer) => answer.status === 201);
      expect(completed.length).toBeGreaterThanOrEqual(1);
      for (const answer of completed) expect(answer.body.status).toBe('completed');
      // Each accepted run replaced the month's drafts: one invoice is left, from the last of them.
      const invoices = await listDocuments(h, cast.finance.token, 'invoice', { period: '2026-10' });
      expect(invoices).toHaveLength(1);
      invoiceId = invoices[0]!.id;
      expect(completed.map((answer) => answer.body.id)).toContain(invoices[0]!.runId);
      expect(invoices[0]!.total).toBe('10000.00');
      expect(
        await countWhere(
          h,
          sql`select count(*)::int as count from document_lines where document_id in (select id from billing_documents where period_label = '2026-10')`,
        ),
      ).toBe(invoices[0]!.lines.length);
      // Every run that ran has a record; the refused ones leave none (they are not failures to
      // alert on), and none is left running.
      expect(await countWhere(h, sql`select count(*)::int as count from billing_runs where status = 'completed'`)).toBe(completed.length);
      expect(await countWhere(h, sql`select count(*)::int as count from billing_runs where status = 'failed'`)).toBe(0);
      expect(await countWhere(h, sql`select count(*)::int as count from billing_runs where status = 'running'`)).toBe(0);
    });

    it('50 finalizations of the same invoice: one number consumed, one ledger posting, the others 409', async () => {
      const answers = await all(() => h.call('POST', `/v1/invoices/${invoiceId}/finalize`, { token: cast.finance.token, body: {} }));
      expect(statuses(answers)[200]).toBe(1);
      expectCleanRefusals(answers, 200, ['document_not_draft']);
      expect(answers.find((answer) => answer.status === 200)?.body.number).toBe('INV-2026-000001');
      const series = await sql<{ last_value: number }>`select last_value from number_series where series = 'INV-2026'`.execute(h.store.db);
      expect(series.rows[0]?.last_value).toBe(1);
      expect(
        await countWhere(
          h,
          sql`select count(*)::int as count from ledger_transactions where source_type = 'invoice' and source_id = ${invoiceId}`,
        ),
      ).toBe(1);
      expect(
        await countWhere(
          h,
          sql`select count(*)::int as count from audit_entries where entity_id = ${invoiceId} and action = 'invoice.finalized'`,
        ),
      ).toBe(1);
    });

    it('50 payments with the same Idempotency-Key: one payment, the others its replay or 409 in progress', async () => {
      const body = { amount: '1000.00', date: '2026-11-20', reference: 'wire 1' };
      const answers = await all(() =>
        h.call('POST', `/v1/invoices/${invoiceId}/payments`, {
          token: cast.finance.token,
          body,
          headers: { 'idempotency-key': 'one-payment' },
        }),
      );
      expectCleanRefusals(answers, 201, ['idempotency_key_in_progress']);
      const accepted = answers.filter((answer) => answer.status === 201);
      expect(accepted.filter((answer) => answer.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
      expect(new Set(accepted.map((answer) => answer.body.id)).size).toBe(1);
      expect(await countWhere(h, sql`select count(*)::int as count from payments where document_id = ${invoiceId}`)).toBe(1);
      expect(await countWhere(h, sql`select count(*)::int as count from ledger_transactions where source_type = 'payment'`)).toBe(1);
    });

    it('50 payments of the whole amount due: one is recorded, the others are refused for overpaying', async () => {
      const answers = await all(() =>
        h.call('POST', `/v1/invoices/${invoiceId}/payments`, {
          token: cast.finance.token,
          body: { amount: '9000.00', date: '2026-11-21', reference: 'wire 2' },
        }),
      );
      expect(statuses(answers)[201]).toBe(1);
      expectCleanRefusals(answers, 201, ['nothing_due', 'payment_exceeds_due']);
      const invoice = await h.call('GET', `/v1/invoices/${invoiceId}`, { token: cast.finance.token });
      expect(invoice.body).toMatchObject({ status: 'paid', amountPaid: '10000.00', amountDue: '0.00' });
      await expectBalancedBooks(h, cast.finance.token);
    });
  });

  describe('transaction retries', () => {
    const clock = createClock('2026-11-25');
    const run = <T>(work: Parameters<typeof inTransaction<T>>[3], options?: { retry?: boolean }) =>
      inTransaction(h.store.db, clock, systemActor, work, options);

    beforeAll(async () => {
      // A scratch table in this suite's own database (a fresh one per suite).
      await sql`create table concurrency_probe (id integer primary key, value integer not null)`.execute(h.store.db);
    });

    /** Lets two transactions meet: each waits until the other has arrived once; later arrivals pass straight through. */
    function meetingPoint(): () => Promise<void> {
      let arrived = 0;
      let open: () => void = () => undefined;
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      return async () => {
        arrived += 1;
        if (arrived >= 2) open();
        await opened;
      };
    }

    it('runs again after a serialization failure, with nothing of the failed attempt left', async () => {
      let attempts = 0;
      const result = await run(async ({ trx }) => {
        attempts += 1;
        await sql`insert into concurrency_probe (id, value) values (1, ${attempts})`.execute(trx);
        if (attempts < 3)
          await sql`do $$ begin raise exception 'simulated conflict' using errcode = 'serialization_failure'; end $$`.execute(trx);
        return attempts;
      });
      expect(result).toBe(3);
      const rows = await sql<{ id: number; value: number }>`select id, value from concurrency_probe`.execute(h.store.db);
      expect(rows.rows).toEqual([{ id: 1, value: 3 }]);
    });

    it('gives up after a bounded number of attempts, and never retries other errors or work that asks not to be', async () => {
      let attempts = 0;
      const always = run(async ({ trx }) => {
        attempts += 1;
        await sql`do $$ begin raise exception 'always in conflict' using errcode = 'deadlock_detected'; end $$`.execute(trx);
      });
      await expect(always).rejects.toMatchObject({ code: '40P01' });
      expect(attempts).toBe(transactionAttemptsMax);

      attempts = 0;
      const duplicate = run(async ({ trx }) => {
        attempts += 1;
        await sql`insert into concurrency_probe (id, value) values (1, 0)`.execute(trx);
      });
      await expect(duplicate).rejects.toMatchObject({ code: '23505' });
      expect(attempts).toBe(1);

      attempts = 0;
      const once = run(
        async ({ trx }) => {
          attempts += 1;
          await sql`do $$ begin raise exception 'conflict' using errcode = 'serialization_failure'; end $$`.execute(trx);
        },
        { retry: false },
      );
      await expect(once).rejects.toMatchObject({ code: '40001' });
      expect(attempts).toBe(1);
    });

    it('answers 409 transaction_conflict with Retry-After once the retries run out', async () => {
      const app = Fastify();
      app.setErrorHandler(handleError);
      app.post('/conflict', async () =>
        run(async ({ trx }) => {
          await sql`do $$ begin raise exception 'always in conflict' using errcode = 'serialization_failure'; end $$`.execute(trx);
        }),
      );
      const response = await app.inject({ method: 'POST', url: '/conflict' });
      await app.close();
      expect(response.statusCode).toBe(409);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.json()).toMatchObject({ status: 409, code: 'transaction_conflict' });
    });

    it.runIf(storeKind === 'postgres')(
      'an audited transaction does not wait for another one still open; the chain follows the order of the commits',
      async () => {
        // The first transaction audits, then stays open until the second has committed. Before
        // migration 0027 the second waited on the chain's lock that the first held to its end (a
        // deadlock here: the first waits for the second); now entries are chained at each commit.
        const firstMayCommit = signal();
        const firstHasAudited = signal();
        const audit = (action: string) => ({ actor: 'usr_probe', action, entityType: 'probe', entityId: action });
        const first = run(async ({ trx, now }) => {
          await appendAuditEntry(trx, now, audit('probe.first'));
          firstHasAudited.fire();
          await firstMayCommit.fired;
        });
        await firstHasAudited.fired;
        await run(async ({ trx, now }) => appendAuditEntry(trx, now, audit('probe.second')));
        firstMayCommit.fire();
        await first;
        const order = await sql<{ action: string }>`
          select action from audit_entries where action like 'probe.%' order by seq`.execute(h.store.db);
        expect(order.rows.map((row) => row.action)).toEqual(['probe.second', 'probe.first']);
        expect((await verifyAuditChain(h.store.db)).ok).toBe(true);
      },
    );

    it.runIf(storeKind === 'postgres')('retries the loser of a real deadlock until both transactions commit', async () => {
      await sql`insert into concurrency_probe (id, value) values (10, 0), (11, 0)`.execute(h.store.db);
      const meet = meetingPoint();
      let attempts = 0;
      const crossing = (first: number, second: number) =>
        run(async ({ trx }) => {
          attempts += 1;
          await sql`update concurrency_probe set value = value + 1 where id = ${first}`.execute(trx);
          await meet();
          await sql`update concurrency_probe set value = value + 1 where id = ${second}`.execute(trx);
        });
      await Promise.all([crossing(10, 11), crossing(11, 10)]);
      // PostgreSQL aborted one of them (40P01) and its next attempt went through; on a loaded
      // machine the detector may strike more than once, which the bounded retries absorb too.
      expect(attempts).toBeGreaterThanOrEqual(3);
      const rows = await sql<{
        id: number;
        value: number;
      }>`select id, value from concurrency_probe where id in (10, 11) order by id`.execute(h.store.db);
      expect(rows.rows).toEqual([
        { id: 10, value: 2 },
        { id: 11, value: 2 },
      ]);
    });

    it.runIf(storeKind === 'postgres')('retries a real serialization failure under SERIALIZABLE until the result is serial', async () => {
      const meet = meetingPoint();
      let attempts = 0;
      // Write skew: each counts the rows from 100 up and inserts one numbered after them. Run
      // serially they number 1 and 2; run side by side both would write 1, which SSI refuses.
      const countAndInsert = (id: number) =>
        run(async ({ trx }) => {
          attempts += 1;
          await sql`set transaction isolation level serializable`.execute(trx);
          const seen = await sql<{ count: number }>`select count(*)::int as count from concurrency_probe where id >= 100`.execute(trx);
          await meet();
          await sql`insert into concurrency_probe (id, value) values (${id}, ${(seen.rows[0]?.count ?? 0) + 1})`.execute(trx);
        });
      await Promise.all([countAndInsert(100), countAndInsert(101)]);
      // At least one abort; a retry that starts before the winner commits may be aborted again.
      expect(attempts).toBeGreaterThanOrEqual(3);
      const values = await sql<{ value: number }>`select value from concurrency_probe where id >= 100 order by value`.execute(h.store.db);
      expect(values.rows.map((row) => row.value)).toEqual([1, 2]);
    });
  });
});
