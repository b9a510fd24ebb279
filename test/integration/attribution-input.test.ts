/**
 * Bad clicks and bad touches (SPEC §9): each is a 4xx problem naming the record and field, and
 * writes nothing at all (every table counted before and after), through the JSON routes and the
 * CSV imports alike. Good input is in test/scenarios/attribution.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { countAllTables } from '../support/security-book.ts';
import { castOf, createApprovedContract, createParty, type Cast } from '../support/scenario-helpers.ts';

interface Ids {
  contractId: string;
  otherContractId: string;
  buyContractId: string;
  p1: string;
  p2: string;
}

interface Case {
  name: string;
  url: string;
  body: (ids: Ids) => unknown;
  /** A CSV body instead of JSON. */
  csv?: boolean;
  status: number;
  code: string;
  /** A path that `errors[]` must name. */
  path: string;
  /** Part of that error's message, where the wording matters to the caller. */
  message?: string;
}

const quarter = { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD', billingPeriod: 'calendar_month' };
const cpaLine = {
  key: 'sales',
  name: 'Sales',
  pricing: { model: 'cpa', events: [{ eventType: 'purchase', amount: '30.00' }], attribution: { viewWindowDays: 1, clickWindowDays: 7 } },
};

/** A valid conversion that names click-a (P1's click at 2026-10-09T12:00Z); `change` makes it bad. */
function conversion(ids: Ids, change: Record<string, unknown> = {}): Record<string, unknown> {
  const record: Record<string, unknown> = {
    id: 'bad-conversion',
    contractId: ids.contractId,
    lineItem: 'sales',
    eventType: 'purchase',
    occurredAt: '2026-10-10T12:00:00Z',
    clickId: 'click-a',
    ...change,
  };
  for (const [key, value] of Object.entries(record)) if (value === undefined) delete record[key];
  return record;
}

function click(ids: Ids, change: Record<string, unknown> = {}): Record<string, unknown> {
  const record: Record<string, unknown> = {
    id: 'click-new',
    contractId: ids.contractId,
    lineItem: 'sales',
    partnerId: ids.p1,
    at: '2026-10-09T12:00:00Z',
    ...change,
  };
  for (const [key, value] of Object.entries(record)) if (value === undefined) delete record[key];
  return record;
}

const conversions =
  (...records: ((ids: Ids) => Record<string, unknown>)[]) =>
  (ids: Ids) => ({ records: records.map((make) => make(ids)) });
const clicks = conversions;

const conversionCases: Case[] = [
  {
    name: 'a conversion with no touch, clickId or touches',
    url: '/v1/conversions',
    body: conversions((ids) => conversion(ids, { clickId: undefined })),
    status: 400,
    code: 'validation_failed',
    path: 'records[0].touch',
    message: 'exactly one of touch, clickId or touches',
  },
  {
    name: 'a conversion with both a touch and a clickId',
    url: '/v1/conversions',
    body: conversions((ids) => conversion(ids, { touch: { type: 'click', at: '2026-10-09T12:00:00Z' } })),
    status: 400,
    code: 'validation_failed',
    path: 'records[0].clickId',
  },
  {
    name: 'a partnerId beside a clickId (the click names the partner)',
    url: '/v1/conversions',
    body: conversions((ids) => conversion(ids, { partnerId: ids.p2 })),
    status: 400,
    code: 'validation_failed',
    path: 'records[0].partnerId',
  },
  {
    name: 'an empty list of touches',
    url: '/v1/conversions',
    body: conversions((ids) => conversion(ids, { clickId: undefined, touches: [] })),
    status: 400,
    code: 'validation_failed',
    path: 'records[0].touches',
  },
  {
    name: 'more than 20 touches',
    url: '/v1/conversions',
    body: conversions((ids) =>
      conversion(ids, {
        clickId: undefined,
        touches: Array.from({ length: 21 }, () => ({ partnerId: ids.p1, type: 'view', at: '2026-10-10T11:00:00Z' })),
      }),
    ),
    status: 400,
    code: 'validation_failed',
    path: 'records[0].touches',
  },
  {
    name: 'a click id that was never received (the second record of two)',
    url: '/v1/conversions',
    body: conversions(
      (ids) => conversion(ids, { id: 'good-one' }),
      (ids) => conversion(ids, { clickId: 'click-nobody-sent' }),
    ),
    status: 422,
    code: 'unknown_click',
    path: 'records[1].clickId',
    message: 'no click click-nobody-sent',
  },
  {
    name: 'a click of another contract',
    url: '/v1/conversions',
    body: conversions((ids) => conversion(ids, { clickId: 'click-other-contract' })),
    status: 422,
    code: 'click_mismatch',
    path: 'records[0].clickId',
    message: 'is on contract',
  },
  {
    name: 'a click after the conversion',
    url: '/v1/conversions',
    body: conversions((ids) => conversion(ids, { occurredAt: '2026-10-09T11:00:00Z' })),
    status: 422,
    code: 'touch_after_conversion',
    path: 'records[0].clickId',
  },
  {
    name: 'a touch after the conversion among several',
    url: '/v1/conversions',
    body: conversions((ids) =>
      conversion(ids, {
        clickId: undefined,
        touches: [
          { partnerId: ids.p1, type: 'view', at: '2026-10-10T11:00:00Z' },
          { partnerId: ids.p2, type: 'click', at: '2026-10-10T12:00:01Z' },
        ],
      }),
    ),
    status: 422,
    code: 'touch_after_conversion',
    path: 'records[0].touches[1].at',
  },
  {
    name: 'a single touch after the conversion',
    url: '/v1/conversions',
    body: conversions((ids) =>
      conversion(ids, { clickId: undefined, partnerId: ids.p1, touch: { type: 'view', at: '2026-10-11T00:00:00Z' } }),
    ),
    status: 422,
    code: 'touch_after_conversion',
    path: 'records[0].touch.at',
  },
  {
    name: 'a touch that names a click of another partner',
    url: '/v1/conversions',
    body: conversions((ids) =>
      conversion(ids, {
        clickId: undefined,
        touches: [{ partnerId: ids.p2, type: 'click', at: '2026-10-09T12:00:00Z', clickId: 'click-a' }],
      }),
    ),
    status: 422,
    code: 'click_mismatch',
    path: 'records[0].touches[0].clickId',
    message: 'its partner is',
  },
  {
    name: 'a view that names a click',
    url: '/v1/conversions',
    body: conversions((ids) =>
      conversion(ids, {
        clickId: undefined,
        touches: [{ partnerId: ids.p1, type: 'view', at: '2026-10-09T12:00:00Z', clickId: 'click-a' }],
      }),
    ),
    status: 422,
    code: 'click_mismatch',
    path: 'records[0].touches[0].clickId',
    message: 'its type is view',
  },
  {
    name: 'a touch of no such partner',
    url: '/v1/conversions',
    body: conversions((ids) =>
      conversion(ids, {
        clickId: undefined,
        touches: [{ partnerId: 'pty_01GHOSTGHOSTGHOSTGHOSTGHOST', type: 'view', at: '2026-10-10T11:00:00Z' }],
      }),
    ),
    status: 422,
    code: 'unknown_partner',
    path: 'records[0].touches[0].partnerId',
  },
  {
    name: 'a CSV row that names an unknown click',
    url: '/v1/conversions/import',
    csv: true,
    body: (ids) =>
      `id,contractId,lineItem,eventType,occurredAt,clickId\ncsv-good,${ids.contractId},sales,purchase,2026-10-10T12:00:00Z,click-a\ncsv-bad,${ids.contractId},sales,purchase,2026-10-10T12:00:00Z,click-missing\n`,
    status: 422,
    code: 'csv_invalid',
    path: 'line 3.clickId',
  },
];

const clickCases: Case[] = [
  {
    name: 'a click without its partner',
    url: '/v1/clicks',
    body: clicks((ids) => click(ids, { partnerId: undefined })),
    status: 400,
    code: 'validation_failed',
    path: 'records[0].partnerId',
  },
  {
    name: 'a click with a malformed instant',
    url: '/v1/clicks',
    body: clicks((ids) => click(ids, { at: '2026-10-09 12:00' })),
    status: 400,
    code: 'validation_failed',
    path: 'records[0].at',
  },
  {
    name: 'a click on no such contract',
    url: '/v1/clicks',
    body: clicks((ids) => click(ids, { contractId: 'ctr_01GHOSTGHOSTGHOSTGHOSTGHOST' })),
    status: 422,
    code: 'unknown_contract',
    path: 'records[0].contractId',
  },
  {
    name: 'a click on a buy contract',
    url: '/v1/clicks',
    body: clicks((ids) => click(ids, { contractId: ids.buyContractId })),
    status: 422,
    code: 'unknown_contract',
    path: 'records[0].contractId',
    message: 'sell-side',
  },
  {
    name: 'a click on no such line item',
    url: '/v1/clicks',
    body: clicks((ids) => click(ids, { lineItem: 'nope' })),
    status: 422,
    code: 'unknown_line_item',
    path: 'records[0].lineItem',
  },
  {
    name: 'a click of no such partner',
    url: '/v1/clicks',
    body: clicks((ids) => click(ids, { partnerId: 'pty_01GHOSTGHOSTGHOSTGHOSTGHOST' })),
    status: 422,
    code: 'unknown_partner',
    path: 'records[0].partnerId',
  },
  {
    name: 'a click after the contract ends',
    url: '/v1/clicks',
    body: clicks((ids) => click(ids, { at: '2027-01-01T00:00:00Z' })),
    status: 422,
    code: 'date_outside_contract',
    path: 'records[0].at',
  },
  {
    name: 'one click id twice in a batch with other content',
    url: '/v1/clicks',
    body: clicks(
      (ids) => click(ids),
      (ids) => click(ids, { partnerId: ids.p2 }),
    ),
    status: 409,
    code: 'click_conflict',
    path: 'records[1].id',
  },
  {
    name: 'a click resent with other content',
    url: '/v1/clicks',
    body: clicks((ids) => click(ids, { id: 'click-a', at: '2026-10-09T13:00:00Z' })),
    status: 409,
    code: 'click_conflict',
    path: 'records[0].id',
  },
  {
    name: 'a CSV click row of no such partner',
    url: '/v1/clicks/import',
    csv: true,
    body: (ids) =>
      `id,contractId,lineItem,partnerId,at\ncsv-click,${ids.contractId},sales,pty_01GHOSTGHOSTGHOSTGHOSTGHOST,2026-10-09T12:00:00Z\n`,
    status: 422,
    code: 'csv_invalid',
    path: 'line 2.partnerId',
  },
];

describeStore('clicks and touches: bad input', () => {
  let h: Harness;
  let cast: Cast;
  let ids: Ids;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    const advertiser = await createParty(cast, 'advertiser', 'Bad Input Advertiser');
    const p1 = await createParty(cast, 'partner', 'Bad Input Partner 1');
    const p2 = await createParty(cast, 'partner', 'Bad Input Partner 2');
    const contractId = await createApprovedContract(cast, advertiser, 'sell', 'Offer', { ...quarter, lineItems: [cpaLine] });
    const otherContractId = await createApprovedContract(cast, advertiser, 'sell', 'Other offer', { ...quarter, lineItems: [cpaLine] });
    const buyContractId = await createApprovedContract(cast, p1, 'buy', 'Payout', {
      ...quarter,
      appliesTo: [contractId],
      lineItems: [cpaLine],
    });
    ids = { contractId, otherContractId, buyContractId, p1, p2 };
    const seeded = await h.call('POST', '/v1/clicks', {
      token: cast.ops.token,
      body: {
        records: [
          { id: 'click-a', contractId, lineItem: 'sales', partnerId: p1, at: '2026-10-09T12:00:00Z' },
          { id: 'click-other-contract', contractId: otherContractId, lineItem: 'sales', partnerId: p2, at: '2026-10-09T12:00:00Z' },
        ],
      },
    });
    expect(seeded.status, seeded.text).toBe(200);
  });
  afterAll(async () => h?.close());

  describe.each([
    ['conversions', conversionCases],
    ['clicks', clickCases],
  ] as const)('%s', (_kind, cases) => {
    it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s: refused, nothing written', async (_name, testCase) => {
      const before = await countAllTables(h);
      const body = testCase.body(ids);
      const response = await h.call('POST', testCase.url, {
        token: cast.ops.token,
        body,
        headers: testCase.csv ? { 'content-type': 'text/csv' } : {},
      });
      expect(response.status, response.text).toBe(testCase.status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe(testCase.code);
      const error = (response.body.errors as { path: string; message: string }[]).find((candidate) => candidate.path === testCase.path);
      expect(error, JSON.stringify(response.body.errors)).toBeDefined();
      if (testCase.message) expect(error!.message).toContain(testCase.message);
      expect(await countAllTables(h)).toEqual(before);
    });
  });

  it('refuses clicks from a party user (clicks are the network’s tracking), writing nothing', async () => {
    const party = await h.user('party', { partyId: ids.p1 });
    const before = await countAllTables(h);
    const response = await h.call('POST', '/v1/clicks', { token: party.token, body: clicks((given) => click(given))(ids) });
    expect(response.status).toBe(403);
    expect(await countAllTables(h)).toEqual(before);
  });

  it('takes one of two clicks sent at the same moment under one id on two contracts, and refuses the other with a 409', async () => {
    for (let round = 0; round < 5; round += 1) {
      const id = `race-${round}`;
      const send = (contractId: string) =>
        h.call('POST', '/v1/clicks', {
          token: cast.ops.token,
          body: { records: [click(ids, { id, contractId }), click(ids, { id: `${id}-${contractId}`, contractId })] },
        });
      const answers = await Promise.all([send(ids.contractId), send(ids.otherContractId)]);
      expect(answers.map((answer) => answer.status).sort(), answers.map((answer) => answer.text).join('\n')).toEqual([200, 409]);
      const refused = answers.find((answer) => answer.status === 409)!;
      expect(refused.body).toMatchObject({ code: 'click_conflict', errors: [{ path: 'records[0].id' }] });
    }
  });

  it('answers bad list queries with the field at fault', async () => {
    const list = (query: string) => h.call('GET', `/v1/clicks?${query}`, { token: cast.ops.token });
    const reversed = await list(`contractId=${ids.contractId}&from=2026-10-10&to=2026-10-09`);
    expect(reversed.status).toBe(400);
    expect(reversed.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'to' }] });
    const badCursor = await list(`contractId=${ids.contractId}&cursor=${Buffer.from('not a cursor').toString('base64url')}`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.code).toBe('invalid_cursor');
    const unknown = await list('contractId=ctr_01GHOSTGHOSTGHOSTGHOSTGHOST');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('contract_not_found');
    const noContract = await list('partnerId=x');
    expect(noContract.status).toBe(400);
    // The last calendar date as `to` has no next day; it is no bound at all rather than an error.
    const listed = (response: Awaited<ReturnType<typeof list>>) => response.body.data.map((row: { id: string }) => row.id);
    const unbounded = await list(`contractId=${ids.contractId}&limit=500`);
    expect(listed(unbounded)).toContain('click-a');
    expect(listed(await list(`contractId=${ids.contractId}&limit=500&to=9999-12-31`))).toEqual(listed(unbounded));
  });
});
