/** Delivery over HTTP: impressions with restatements, conversions idempotent by id, statuses, CSV import. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { advertiserBody, cpmTerms, partnerBody } from '../support/fixtures.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';

/** Terms with a CPM line and a CPA line, so both kinds of delivery have somewhere to go. */
function mixedTerms() {
  const terms = cpmTerms();
  return {
    ...terms,
    lineItems: [
      ...terms.lineItems,
      {
        key: 'conversions',
        name: 'Purchases',
        pricing: {
          model: 'cpa',
          events: [{ eventType: 'purchase', amount: '30.00' }],
          attribution: { viewWindowDays: 7, clickWindowDays: 30 },
          billOn: 'approved',
        },
      },
    ],
  };
}

describeStore('delivery', () => {
  let h: Harness;
  let contractId: string;
  let draftContractId: string;
  let partnerId: string;
  let ops: { id: string; token: string };

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    ops = await h.user('ops');
    const finance = await h.user('finance');
    const party = await h.call('POST', '/v1/parties', { body: advertiserBody() });
    partnerId = (await h.call('POST', '/v1/parties', { body: partnerBody() })).body.id;
    const created = await h.call('POST', '/v1/contracts', {
      token: ops.token,
      body: { partyId: party.body.id, side: 'sell', name: 'Mixed', terms: mixedTerms() },
    });
    contractId = created.body.id;
    await h.call('POST', `/v1/contracts/${contractId}/versions/1/submit`, { token: ops.token });
    expect((await h.call('POST', `/v1/contracts/${contractId}/versions/1/approve`, { token: finance.token })).status).toBe(200);
    draftContractId = (
      await h.call('POST', '/v1/contracts', {
        token: ops.token,
        body: { partyId: party.body.id, side: 'sell', name: 'Draft', terms: mixedTerms() },
      })
    ).body.id;
  });
  afterAll(async () => h?.close());

  const impression = (overrides: Record<string, unknown> = {}) => ({
    contractId,
    lineItem: 'display',
    date: '2026-10-05',
    source: 'first_party',
    impressions: 1000,
    ...overrides,
  });

  it('creates, restates and leaves unchanged, keeping the history', async () => {
    const first = await h.call('POST', '/v1/impressions', {
      token: ops.token,
      body: { records: [impression(), impression({ source: 'third_party', impressions: 950 }), impression({ partnerId })] },
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ accepted: 3, created: 3, restated: 0, unchanged: 0 });
    const again = await h.call('POST', '/v1/impressions', {
      token: ops.token,
      body: { records: [impression(), impression({ source: 'third_party', impressions: 990 })] },
    });
    expect(again.body).toEqual({ accepted: 2, created: 0, restated: 1, unchanged: 1 });
    const read = await h.call('GET', `/v1/impressions?contractId=${contractId}&from=2026-10-01&to=2026-10-31`, { token: ops.token });
    // The first-party count sums the partner's row and the unattributed row: 1000 + 1000.
    expect(read.body.data).toEqual([
      { lineItem: 'display', date: '2026-10-05', source: 'first_party', impressions: 2000, completedViews: 0, clicks: 0, revision: 1 },
      { lineItem: 'display', date: '2026-10-05', source: 'third_party', impressions: 990, completedViews: 0, clicks: 0, revision: 2 },
    ]);
    // Four counts were received; the one restated (950 → 990) moved into the history, with the
    // batch and user that sent it, and every revision is in impression_revisions.
    expect(await h.count('impression_revisions')).toBe(4);
    const superseded = await sql<{ impressions: string; revision: number; batch_id: string; recorded_by: string }>`
      select impressions::text, revision, batch_id, recorded_by from impression_history where contract_id = ${contractId}`.execute(
      h.store.db,
    );
    expect(superseded.rows).toEqual([{ impressions: '950', revision: 1, batch_id: expect.stringMatching(/^bat_/), recorded_by: ops.id }]);
  });

  it('rejects a bad batch whole, naming the record, and writes nothing', async () => {
    const before = { history: await h.count('impression_revisions'), audit: await h.count('audit_entries') };
    const cases: [Record<string, unknown>, string, string][] = [
      [impression({ lineItem: 'nope' }), 'records[1].lineItem', 'unknown_line_item'],
      [impression({ date: '2027-02-01' }), 'records[1].date', 'date_outside_contract'],
      [impression({ contractId: 'ctr_missing' }), 'records[1].contractId', 'unknown_contract'],
      [impression({ contractId: draftContractId }), 'records[1].contractId', 'unknown_contract'],
      [impression({ partnerId: 'pty_missing' }), 'records[1].partnerId', 'unknown_partner'],
    ];
    for (const [bad, path, code] of cases) {
      const response = await h.call('POST', '/v1/impressions', {
        token: ops.token,
        body: { records: [impression({ date: '2026-10-07' }), bad] },
      });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe(code);
      expect(response.body.errors[0].path).toBe(path);
    }
    const negative = await h.call('POST', '/v1/impressions', { token: ops.token, body: { records: [impression({ impressions: -1 })] } });
    expect(negative.status).toBe(400);
    expect(negative.body.errors[0].path).toBe('records[0].impressions');
    const duplicate = await h.call('POST', '/v1/impressions', {
      token: ops.token,
      body: { records: [impression({ date: '2026-10-08' }), impression({ date: '2026-10-08', impressions: 7 })] },
    });
    expect(duplicate.body.code).toBe('duplicate_record');
    const tooMany = await h.call('POST', '/v1/impressions', {
      token: ops.token,
      body: { records: Array.from({ length: 10_001 }, (_, index) => impression({ impressions: index })) },
    });
    expect(tooMany.status).toBe(400);
    expect(await h.count('impression_revisions')).toBe(before.history);
    expect(await h.count('audit_entries')).toBe(before.audit);
  });

  const conversion = (overrides: Record<string, unknown> = {}) => ({
    id: 'sender-1',
    contractId,
    lineItem: 'conversions',
    eventType: 'purchase',
    occurredAt: '2026-10-10T12:00:00Z',
    touch: { type: 'click', at: '2026-10-09T08:00:00Z' },
    value: '120.00',
    attributes: { country: 'US', newCustomer: true },
    ...overrides,
  });

  it('takes conversions idempotently and refuses conflicting resends', async () => {
    const first = await h.call('POST', '/v1/conversions', {
      token: ops.token,
      body: { records: [conversion(), conversion({ id: 'sender-2' })] },
    });
    expect(first.body).toEqual({ accepted: 2, created: 2, duplicates: 0 });
    const resend = await h.call('POST', '/v1/conversions', {
      token: ops.token,
      body: { records: [conversion({ occurredAt: '2026-10-10T12:00:00+00:00' }), conversion({ id: 'sender-3' })] },
    });
    expect(resend.body).toEqual({ accepted: 2, created: 1, duplicates: 1 });
    const conflict = await h.call('POST', '/v1/conversions', {
      token: ops.token,
      body: { records: [conversion({ id: 'sender-4' }), conversion({ value: '999.00' })] },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ code: 'conversion_conflict', errors: [{ path: 'records[1].id' }] });
    expect((await h.call('GET', '/v1/conversions/sender-4', { token: ops.token })).status).toBe(404);
    const notCpa = await h.call('POST', '/v1/conversions', {
      token: ops.token,
      body: { records: [conversion({ id: 'x', lineItem: 'display' })] },
    });
    expect(notCpa.body.code).toBe('not_a_cpa_line_item');
  });

  it('moves statuses with history and refuses illegal transitions', async () => {
    const approved = await h.call('POST', '/v1/conversions/status', {
      token: ops.token,
      body: {
        updates: [
          { id: 'sender-1', status: 'approved' },
          { id: 'sender-2', status: 'rejected', reason: 'fraud' },
        ],
      },
    });
    expect(approved.body).toEqual({ accepted: 2, updated: 2, unchanged: 0 });
    const reversed = await h.call('POST', '/v1/conversions/status', {
      token: ops.token,
      body: { updates: [{ id: 'sender-1', status: 'reversed', reason: 'refund' }] },
    });
    expect(reversed.body.updated).toBe(1);
    const illegal = await h.call('POST', '/v1/conversions/status', {
      token: ops.token,
      body: {
        updates: [
          { id: 'sender-3', status: 'approved' },
          { id: 'sender-1', status: 'approved' },
        ],
      },
    });
    expect(illegal.status).toBe(409);
    expect(illegal.body).toMatchObject({ code: 'conversion_transition_invalid', errors: [{ path: 'updates[1].status' }] });
    const detail = await h.call('GET', '/v1/conversions/sender-1', { token: ops.token });
    expect(detail.body.status).toBe('reversed');
    expect(detail.body.history.map((event: { status: string }) => event.status)).toEqual(['pending', 'approved', 'reversed']);
    expect((await h.call('GET', '/v1/conversions/sender-3', { token: ops.token })).body.status).toBe('pending');
  });

  it('imports CSV all or nothing, naming bad lines', async () => {
    const header = 'contractId,lineItem,date,source,impressions,partnerId';
    const good = [
      header,
      `${contractId},display,2026-11-01,first_party,500,`,
      `${contractId},display,2026-11-02,first_party,600,${partnerId}`,
    ].join('\n');
    const imported = await h.call('POST', '/v1/impressions/import', {
      token: ops.token,
      body: good,
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ kind: 'impressions', rows: 2, created: 2 });
    const before = await h.count('impression_revisions');
    const bad = [
      header,
      `${contractId},display,2026-11-03,first_party,500,`,
      `${contractId},display,2026-11-04,first_party,-5,`,
      `${contractId},nope,2026-11-05,first_party,5,`,
    ].join('\n');
    const rejected = await h.call('POST', '/v1/impressions/import', {
      token: ops.token,
      body: bad,
      headers: { 'content-type': 'text/csv' },
    });
    expect(rejected.status).toBe(422);
    expect(rejected.body.code).toBe('csv_invalid');
    expect(rejected.body.errors.map((error: { path: string }) => error.path)).toEqual(['line 3.impressions', 'line 4.lineItem']);
    expect(await h.count('impression_revisions')).toBe(before);
    const conversions = [
      'id,contractId,lineItem,eventType,occurredAt,touch.type,touch.at,value,attributes.country,attributes.newCustomer,status',
      `csv-1,${contractId},conversions,purchase,2026-11-03T10:00:00Z,view,2026-11-02T10:00:00Z,50.00,US,false,approved`,
    ].join('\n');
    const conversionImport = await h.call('POST', '/v1/conversions/import', {
      token: ops.token,
      body: conversions,
      headers: { 'content-type': 'text/csv' },
    });
    expect(conversionImport.body).toMatchObject({ kind: 'conversions', rows: 1, created: 1 });
    expect((await h.call('GET', '/v1/conversions/csv-1', { token: ops.token })).body).toMatchObject({
      status: 'approved',
      attributes: { country: 'US', newCustomer: false },
    });
  });
});
