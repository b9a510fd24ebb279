/**
 * Scrub rules through HTTP, beside the scenario (test/scenarios/scrub-rules.test.ts): bad rules
 * are refused with the path of what is wrong and write nothing; a rule's logic is fixed once
 * created (the API has no way to change it and the database refuses it too); rules are never
 * deleted; the active rules are bounded; a contract's rule applies to that contract only; writes
 * are audited; and the held queue, report and preview refuse bad input.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SCRUB_ACTIVE_RULES_MAX } from '../../src/wire/scrub.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { countAllTables } from '../support/security-book.ts';
import {
  type Cast,
  castOf,
  createApprovedContract,
  createParty,
  purchaseOfferTerms,
  postConversions,
} from '../support/scenario-helpers.ts';

async function refusal(statement: Promise<unknown>): Promise<string> {
  try {
    await statement;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the statement was not refused');
}

describeStore('scrub rules', () => {
  let h: Harness;
  let cast: Cast;
  let partnerId: string;
  let contractA: string;
  let contractB: string;
  let buyContract: string;

  const valid = (overrides: Record<string, unknown> = {}) => ({
    name: 'Fast clicks',
    priority: 10,
    conditions: [{ field: 'clickToConversionSeconds', op: 'lt', value: 20 }],
    action: 'reject',
    reason: 'click_too_fast',
    ...overrides,
  });
  const create = (body: unknown, token = cast.ops.token) => h.call('POST', '/v1/scrub-rules', { token, body });

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    const advertiserId = await createParty(cast, 'advertiser', 'Scrub Advertiser');
    partnerId = await createParty(cast, 'partner', 'Scrub Partner');
    const cpa = purchaseOfferTerms('10.00');
    contractA = await createApprovedContract(cast, advertiserId, 'sell', 'Offer A', cpa);
    contractB = await createApprovedContract(cast, advertiserId, 'sell', 'Offer B', cpa);
    buyContract = await createApprovedContract(cast, partnerId, 'buy', 'Payout', {
      ...cpa,
      appliesTo: [contractA],
    });
  });
  afterAll(async () => h?.close());

  it('refuses bad rules with the path of each problem, and writes nothing', async () => {
    const before = await countAllTables(h);
    const cases: [unknown, number, string, string][] = [
      [valid({ conditions: [{ field: 'country', op: 'lt', value: 'US' }] }), 400, 'validation_failed', 'conditions[0].op'],
      [
        valid({ conditions: [{ field: 'clickToConversionSeconds', op: 'lt', value: '20' }] }),
        400,
        'validation_failed',
        'conditions[0].value',
      ],
      [valid({ conditions: [{ field: 'value', op: 'gte', value: 500 }] }), 400, 'validation_failed', 'conditions[0].value'],
      [valid({ conditions: [{ field: 'country', op: 'in', value: 'US' }] }), 400, 'validation_failed', 'conditions[0].value'],
      [
        valid({ conditions: [{ field: 'country', op: 'not_in', value: ['US', 'us'] }] }),
        400,
        'validation_failed',
        'conditions[0].value[1]',
      ],
      [valid({ conditions: [] }), 400, 'validation_failed', 'conditions'],
      [valid({ conditions: [{ field: 'eventType', op: 'eq', value: 'x', negate: true }] }), 400, 'unknown_field', 'conditions[0].negate'],
      [valid({ reason: 'Too fast' }), 400, 'validation_failed', 'reason'],
      [valid({ action: 'flag' }), 400, 'validation_failed', 'action'],
      [valid({ priority: -1 }), 400, 'validation_failed', 'priority'],
      [valid({ priority: 1.5 }), 400, 'validation_failed', 'priority'],
      [valid({ active: false }), 400, 'unknown_field', 'active'],
      [
        valid({ conditions: [{ field: 'partnerId', op: 'in', value: [partnerId, 'pty_01ghostghostghostghostghost'] }] }),
        422,
        'unknown_partner',
        'conditions[0].value[1]',
      ],
      [valid({ conditions: [{ field: 'partnerId', op: 'eq', value: contractA }] }), 422, 'unknown_partner', 'conditions[0].value'],
      [valid({ contractId: 'ctr_01ghostghostghostghostghost' }), 422, 'unknown_contract', 'contractId'],
      [valid({ contractId: buyContract }), 422, 'unknown_contract', 'contractId'],
    ];
    for (const [body, status, code, path] of cases) {
      const response = await create(body);
      const what = `${JSON.stringify(body)} → ${response.text.slice(0, 300)}`;
      expect(response.status, what).toBe(status);
      expect(response.body.code, what).toBe(code);
      expect(
        response.body.errors.map((error: { path: string }) => error.path),
        what,
      ).toContain(path);
    }
    // The preview names its fields under `rule`.
    const preview = await h.call('POST', '/v1/scrub-rules/preview', {
      token: cast.ops.token,
      body: { rule: valid({ conditions: [{ field: 'partnerId', op: 'eq', value: 'pty_01ghostghostghostghostghost' }] }) },
    });
    expect(preview.status).toBe(422);
    expect(preview.body.errors).toEqual([{ path: 'rule.conditions[0].value', message: 'no such partner' }]);
    expect(await countAllTables(h)).toEqual(before);
  });

  it('lets ops and admins write rules, and staff read them; the write is audited', async () => {
    expect((await create(valid(), cast.finance.token)).status).toBe(403);
    const created = await create(valid({ name: '  Trimmed name  ' }));
    expect(created.status, created.text).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^scr_/),
      name: 'Trimmed name',
      priority: 10,
      conditions: [{ field: 'clickToConversionSeconds', op: 'lt', value: 20 }],
      action: 'reject',
      reason: 'click_too_fast',
      contractId: null,
      active: true,
      createdAt: expect.stringMatching(/^2026-11-25T/),
      createdBy: cast.ops.id,
      updatedAt: expect.stringMatching(/^2026-11-25T/),
      updatedBy: cast.ops.id,
    });
    const audit = await h.call('GET', `/v1/audit?entityType=scrub_rule&entityId=${created.body.id}`, { token: cast.finance.token });
    expect(audit.body.data.map((entry: { action: string }) => entry.action)).toEqual(['scrub_rule.created']);
    const read = await h.call('GET', `/v1/scrub-rules/${created.body.id}`, { token: (await h.user('viewer')).token });
    expect(read.body).toEqual(created.body);
    const missing = await h.call('GET', '/v1/scrub-rules/scr_01ghostghostghostghostghost', { token: cast.ops.token });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('scrub_rule_not_found');
    // Disable it again so that it does not screen the conversions of the tests below.
    expect((await h.call('PATCH', `/v1/scrub-rules/${created.body.id}`, { token: cast.ops.token, body: { active: false } })).status).toBe(
      200,
    );
  });

  it('fixes a rule’s logic once created: the API cannot change it, and the database refuses it; rules are never deleted', async () => {
    const rule = (await create(valid({ name: 'Fixed', conditions: [{ field: 'eventType', op: 'eq', value: 'never-sent' }] }))).body;
    for (const field of ['conditions', 'action', 'reason', 'contractId']) {
      const response = await h.call('PATCH', `/v1/scrub-rules/${rule.id}`, {
        token: cast.ops.token,
        body: { [field]: rule[field] ?? contractA },
      });
      expect(response.status, field).toBe(400);
      expect(response.body.errors, field).toEqual([{ path: field, message: 'unknown field' }]);
    }
    const patched = await h.call('PATCH', `/v1/scrub-rules/${rule.id}`, { token: cast.ops.token, body: { name: 'Renamed', priority: 3 } });
    expect(patched.body).toMatchObject({ name: 'Renamed', priority: 3, active: true, conditions: rule.conditions });
    // A PATCH that changes nothing writes nothing.
    const auditCount = await h.count('audit_entries');
    expect((await h.call('PATCH', `/v1/scrub-rules/${rule.id}`, { token: cast.ops.token, body: { name: 'Renamed' } })).status).toBe(200);
    expect(await h.count('audit_entries')).toBe(auditCount);

    const row = () =>
      sql<Record<string, unknown>>`select * from scrub_rules where id = ${rule.id}`.execute(h.store.db).then((result) => result.rows[0]);
    const before = await row();
    for (const change of [
      sql`update scrub_rules set conditions = '[]'::jsonb where id = ${rule.id}`,
      sql`update scrub_rules set action = 'hold' where id = ${rule.id}`,
      sql`update scrub_rules set reason = 'other' where id = ${rule.id}`,
      sql`update scrub_rules set contract_id = ${contractA} where id = ${rule.id}`,
      sql`delete from scrub_rules where id = ${rule.id}`,
      sql`truncate scrub_rules cascade`,
    ]) {
      expect(await refusal(change.execute(h.store.db))).toMatch(/^append_only/);
    }
    expect(await row()).toEqual(before);
    // What may change, changes: the trigger is not a blanket refusal.
    await sql`update scrub_rules set name = 'By SQL' where id = ${rule.id}`.execute(h.store.db);
    expect((await row())?.name).toBe('By SQL');
    await sql`update scrub_rules set active = false where id = ${rule.id}`.execute(h.store.db);
  });

  it('applies a contract’s rule to that contract’s conversions only', async () => {
    const rule = (
      await create(
        valid({
          name: 'Offer A only',
          priority: 1,
          conditions: [{ field: 'eventType', op: 'eq', value: 'purchase' }],
          action: 'hold',
          reason: 'offer_a_review',
          contractId: contractA,
        }),
      )
    ).body;
    const record = (id: string, contractId: string) => ({
      id,
      contractId,
      lineItem: 'sales',
      partnerId,
      eventType: 'purchase',
      occurredAt: '2026-10-05T10:00:00Z',
      touch: { type: 'view' as const, at: '2026-10-05T09:00:00Z' },
    });
    await postConversions(cast, [record('scope-a', contractA), record('scope-b', contractB)]);
    const status = async (id: string) => (await h.call('GET', `/v1/conversions/${id}`, { token: cast.ops.token })).body.status;
    expect([await status('scope-a'), await status('scope-b')]).toEqual(['held', 'pending']);
    const listed = await h.call('GET', `/v1/scrub-rules?contractId=${contractA}`, { token: cast.ops.token });
    expect(listed.body.data.map((listedRule: { id: string }) => listedRule.id)).toEqual([rule.id]);
    // The conversions list takes the held status as a filter.
    const held = await h.call('GET', `/v1/conversions?contractId=${contractA}&status=held`, { token: cast.ops.token });
    expect(held.body.data.map((conversion: { id: string }) => conversion.id)).toEqual(['scope-a']);
    // Rejected through the status route, as any held conversion may be.
    const rejected = await h.call('POST', '/v1/conversions/status', {
      token: cast.ops.token,
      body: { updates: [{ id: 'scope-a', status: 'rejected', reason: 'fraud confirmed' }] },
    });
    expect(rejected.status, rejected.text).toBe(200);
    expect(await status('scope-a')).toBe('rejected');
    // Nothing moves to held by hand.
    const byHand = await h.call('POST', '/v1/conversions/status', {
      token: cast.ops.token,
      body: { updates: [{ id: 'scope-b', status: 'held' }] },
    });
    expect(byHand.status).toBe(400);
    await h.call('PATCH', `/v1/scrub-rules/${rule.id}`, { token: cast.ops.token, body: { active: false } });
  });

  it('lists rules in evaluation order, page by page', async () => {
    const all = await h.call('GET', '/v1/scrub-rules?limit=500', { token: cast.ops.token });
    const order = all.body.data.map((rule: { priority: number; id: string }) => `${rule.priority}:${rule.id}`);
    const sorted = [...all.body.data]
      .sort((a: { priority: number; id: string }, b: { priority: number; id: string }) => a.priority - b.priority || (a.id < b.id ? -1 : 1))
      .map((rule: { priority: number; id: string }) => `${rule.priority}:${rule.id}`);
    expect(order).toEqual(sorted);
    expect(order.length).toBeGreaterThanOrEqual(3);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { priority: number; id: string }[]; nextCursor: string | null } } = await h.call(
        'GET',
        `/v1/scrub-rules?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        { token: cast.ops.token },
      );
      paged.push(...page.body.data.map((rule) => `${rule.priority}:${rule.id}`));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(order);
    const bad = await h.call('GET', '/v1/scrub-rules?cursor=bm90LWEtY3Vyc29y', { token: cast.ops.token });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_cursor');
    const inactive = await h.call('GET', '/v1/scrub-rules?active=false', { token: cast.ops.token });
    expect(inactive.body.data.every((rule: { active: boolean }) => !rule.active)).toBe(true);
    // Exactly the rules the tests above disabled (by PATCH and by SQL), in evaluation order: not an empty page.
    const disabled = all.body.data.filter((rule: { active: boolean }) => !rule.active).map((rule: { id: string }) => rule.id);
    expect(disabled).toHaveLength(3);
    expect(inactive.body.data.map((rule: { id: string }) => rule.id)).toEqual(disabled);
  });

  it('refuses bad held selections, report ranges and cursors, writing nothing', async () => {
    const before = await countAllTables(h);
    const empty = await h.call('POST', '/v1/scrub/held/release', { token: cast.ops.token, body: { reason: 'all of them' } });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].message).toMatch(/^name the conversions/);
    const offset = await h.call('POST', '/v1/scrub/held/reject', {
      token: cast.ops.token,
      body: { heldBefore: '2026-10-12T15:00:00-23:59' },
    });
    expect(offset.status).toBe(400);
    expect(offset.body.errors[0].path).toBe('heldBefore');
    for (const query of ['from=2026-10-31&to=2026-10-01', 'from=2026-01-01&to=2027-01-02', 'from=2026-10-01']) {
      const report = await h.call('GET', `/v1/reports/scrub?${query}`, { token: cast.ops.token });
      expect(report.status, query).toBe(400);
    }
    expect((await h.call('GET', '/v1/reports/scrub?from=2026-01-01&to=2027-01-01', { token: cast.ops.token })).status).toBe(200);
    const cursor = await h.call('GET', '/v1/scrub/held?cursor=eHl6', { token: cast.ops.token });
    expect(cursor.status).toBe(400);
    expect(await countAllTables(h)).toEqual(before);
  });

  it(`keeps at most ${SCRUB_ACTIVE_RULES_MAX} rules active`, async () => {
    const active = async () =>
      (await h.call('GET', '/v1/scrub-rules?active=true&limit=500', { token: cast.ops.token })).body.data.length as number;
    const condition = [{ field: 'eventType', op: 'eq', value: 'never-sent' }];
    for (let index = await active(); index < SCRUB_ACTIVE_RULES_MAX; index += 1) {
      expect((await create(valid({ name: `Filler ${index}`, priority: 1000 + index, conditions: condition }))).status).toBe(201);
    }
    const over = await create(valid({ name: 'One too many', conditions: condition }));
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('scrub_rule_limit');
    const disabled = (await h.call('GET', '/v1/scrub-rules?active=false', { token: cast.ops.token })).body.data[0];
    const enable = await h.call('PATCH', `/v1/scrub-rules/${disabled.id}`, { token: cast.ops.token, body: { active: true } });
    expect(enable.status).toBe(409);
    expect(enable.body.code).toBe('scrub_rule_limit');
    expect(await active()).toBe(SCRUB_ACTIVE_RULES_MAX);
  });
});
