/**
 * An offer with three partners for the affiliate screens' tests (SPEC §9), its conversions and
 * clicks, and a stand-in API that sees each request's method, URL and JSON body.
 */
import type { Contract, ContractVersion } from '../../src/wire/contracts.ts';
import type { ClickView, ConversionDetail, ConversionView } from '../../src/wire/delivery.ts';
import type { Party } from '../../src/wire/parties.ts';
import type { Person } from '../../src/wire/people.ts';
import type { HeldConversion, ScrubPreview, ScrubReportRow, ScrubRule } from '../../src/wire/scrub.ts';
import { type SentRequest, type StubAnswer, stubRequests } from './api-stub.tsx';

export const people: Person[] = [
  { id: 'usr_olivia', name: 'Olivia Ops', email: 'olivia@example.com' },
  { id: 'usr_adv', name: 'Ada Advertiser', email: 'ada@shop.example' },
];

const party = (id: string, name: string, kind: Party['kind']): Party => ({
  id,
  kind,
  name,
  currency: 'USD',
  paymentTermsDays: 30,
  billingEmail: null,
  externalRef: null,
  agencyId: null,
  billingEntityId: 'ent_00000000000000000000000000',
  country: null,
  taxId: null,
  taxExempt: false,
  createdAt: '2026-09-01T09:00:00.000Z',
  createdBy: 'usr_olivia',
});

export const advertiser = party('pty_shop', 'Shop & Co', 'advertiser');
export const coupons = party('pty_coupons', 'CouponCity', 'partner');
export const reviews = party('pty_reviews', 'ReviewBlog', 'partner');
export const cashback = party('pty_cashback', 'CashbackApp', 'partner');
export const parties = [advertiser, coupons, reviews, cashback];

export const offer: Contract = {
  id: 'ctr_offer',
  number: 'C-2026-0007',
  partyId: advertiser.id,
  side: 'sell',
  name: 'Shop & Co CPA offer',
  status: 'active',
  currentVersion: 1,
  startDate: '2026-10-01',
  endDate: '2026-12-31',
  nonRenewalNotice: null,
  createdBy: 'usr_olivia',
  createdAt: '2026-09-01T09:00:00.000Z',
  versions: [
    {
      number: 1,
      kind: 'original',
      status: 'approved',
      effectiveFrom: '2026-10-01',
      createdBy: 'usr_olivia',
      createdAt: '2026-09-01T09:00:00.000Z',
    },
  ],
};

export const offerVersion: ContractVersion = {
  contractId: offer.id,
  number: 1,
  kind: 'original',
  status: 'approved',
  effectiveFrom: '2026-10-01',
  createdBy: 'usr_olivia',
  createdAt: '2026-09-01T09:00:00.000Z',
  reason: null,
  committedValue: '0.00',
  revision: 3,
  submittedBy: 'usr_olivia',
  submittedAt: '2026-09-01T10:00:00.000Z',
  approvedAt: '2026-09-02T10:00:00.000Z',
  approvals: [{ by: 'usr_me', at: '2026-09-02T10:00:00.000Z', comment: null }],
  rejection: null,
  terms: {
    startDate: '2026-10-01',
    endDate: '2026-12-31',
    currency: 'USD',
    billingPeriod: 'calendar_month',
    lineItems: [
      { key: 'display', name: 'Display', pricing: { model: 'cpm', rate: '4.00' } },
      {
        key: 'purchases',
        name: 'Purchases',
        pricing: {
          model: 'cpa',
          events: [{ eventType: 'purchase', amount: '20.00' }],
          attribution: { viewWindowDays: 1, clickWindowDays: 7 },
        },
      },
    ],
  },
};

const conversion = (id: string, status: ConversionView['status'], partnerId: string | null, value: string | null): ConversionView => ({
  id,
  contractId: offer.id,
  lineItem: 'purchases',
  partnerId,
  eventType: 'purchase',
  occurredAt: '2026-10-09T12:00:30.000Z',
  touch: { type: 'click', at: '2026-10-09T12:00:00.000Z' },
  value,
  attributes: { country: 'US' },
  status,
  statusAt: '2026-10-09T12:00:31.000Z',
  receivedAt: '2026-10-09T12:00:31.000Z',
});

export const conversions: ConversionView[] = [
  conversion('ord-1001', 'approved', cashback.id, '120.50'),
  conversion('ord-1002', 'held', coupons.id, '2400.00'),
  conversion('ord-1003', 'rejected', null, null),
];

/** ord-1002: three partners' touches, the last click credited to CouponCity, then held by a rule. */
export const heldDetail: ConversionDetail = {
  ...(conversions[1] as ConversionView),
  clickId: null,
  attribution: { model: 'last_click', version: 1 },
  credited: { partnerId: coupons.id, touch: { type: 'click', at: '2026-10-09T12:00:00.000Z', clickId: 'clk-9' } },
  touches: [
    { partnerId: reviews.id, type: 'view', at: '2026-10-08T08:00:00.000Z', clickId: null, credited: false, reason: 'click_won' },
    { partnerId: cashback.id, type: 'click', at: '2026-10-09T09:00:00.000Z', clickId: 'clk-7', credited: false, reason: 'later_click_won' },
    { partnerId: coupons.id, type: 'click', at: '2026-10-09T12:00:00.000Z', clickId: 'clk-9', credited: true, reason: 'last_click' },
  ],
  history: [],
  statusHistory: [{ status: 'held', at: '2026-10-09T12:00:31.000Z', by: 'usr_adv', rule: 'scr_big_orders', reason: 'large_order' }],
};

export const clicks: ClickView[] = [
  {
    id: 'clk-7',
    contractId: offer.id,
    lineItem: 'purchases',
    partnerId: cashback.id,
    at: '2026-10-09T09:00:00.000Z',
    attributes: { country: 'US' },
    receivedAt: '2026-10-09T09:00:01.000Z',
  },
];

const ruleFields = {
  contractId: null,
  active: true,
  createdAt: '2026-10-01T09:00:00.000Z',
  createdBy: 'usr_olivia',
  updatedAt: '2026-10-01T09:00:00.000Z',
  updatedBy: 'usr_olivia',
};

/** Large orders are held for review; clicks converting in under 20 s are rejected. */
export const bigOrders: ScrubRule = {
  ...ruleFields,
  id: 'scr_big_orders',
  name: 'Orders over 1,000',
  priority: 20,
  conditions: [{ field: 'value', op: 'gte', value: '1000.00' }],
  action: 'hold',
  reason: 'large_order',
};
export const tooFast: ScrubRule = {
  ...ruleFields,
  id: 'scr_too_fast',
  name: 'Click to conversion under 20 s',
  priority: 10,
  conditions: [
    { field: 'clickToConversionSeconds', op: 'lt', value: 20 },
    { field: 'country', op: 'not_in', value: ['US', 'CA'] },
  ],
  action: 'reject',
  reason: 'click_too_fast',
};
export const rules = [tooFast, bigOrders];

const held = (id: string, partnerId: string, value: string, heldAt: string): HeldConversion => ({
  id,
  contractId: offer.id,
  lineItem: 'purchases',
  partnerId,
  eventType: 'purchase',
  occurredAt: heldAt,
  value,
  heldAt,
  ruleId: bigOrders.id,
  reason: 'large_order',
});
export const heldConversions: HeldConversion[] = [
  held('ord-1002', coupons.id, '2400.00', '2026-10-09T12:00:31.000Z'),
  held('ord-1010', cashback.id, '1500.00', '2026-10-09T13:00:00.000Z'),
  held('ord-1011', coupons.id, '1000.00', '2026-10-09T14:00:00.000Z'),
];

/** The instant every stand-in answer is dated (the Date header): the held queue's "seen at". */
export const answeredAt = '2026-10-09T15:00:00.000Z';

const day = (partnerId: string | null, date: string, counts: Partial<ScrubReportRow>): ScrubReportRow => ({
  partnerId,
  date,
  received: 0,
  approved: 0,
  pending: 0,
  held: 0,
  rejected: 0,
  reversed: 0,
  byReason: {},
  ...counts,
});
/** CouponCity: 10 + 6 received, 4 rejected too fast, 1 held (since released); CashbackApp: 3; nobody credited: 1. */
export const reportRows: ScrubReportRow[] = [
  day(coupons.id, '2026-10-08', { received: 10, approved: 6, pending: 1, rejected: 3, byReason: { click_too_fast: 3 } }),
  day(cashback.id, '2026-10-08', { received: 3, approved: 3 }),
  day(null, '2026-10-09', { received: 1, pending: 1 }),
  day(coupons.id, '2026-10-09', {
    received: 6,
    approved: 4,
    held: 0,
    rejected: 1,
    reversed: 1,
    byReason: { click_too_fast: 1, large_order: 1 },
  }),
];

/** The preview of the docs' example: 7 evaluated, 2 matched, 1 decided, 1 shadowed by an earlier rule. */
export const preview: ScrubPreview = {
  from: '2026-09-09T15:00:00.000Z',
  to: '2026-10-09T15:00:00.000Z',
  action: 'reject',
  evaluated: 7,
  matched: 2,
  decided: 1,
  shadowed: 1,
  matchedByStatus: { pending: 0, approved: 1, held: 0, rejected: 1, reversed: 0 },
  byPartner: [
    {
      partnerId: coupons.id,
      evaluated: 4,
      matched: 2,
      decided: 1,
      shadowed: 1,
      matchedByStatus: { pending: 0, approved: 1, held: 0, rejected: 1, reversed: 0 },
    },
    {
      partnerId: cashback.id,
      evaluated: 3,
      matched: 0,
      decided: 0,
      shadowed: 0,
      matchedByStatus: { pending: 0, approved: 0, held: 0, rejected: 0, reversed: 0 },
    },
  ],
  samples: [{ id: 'ord-0999', contractId: offer.id, partnerId: coupons.id, occurredAt: '2026-10-02T10:00:10.000Z', status: 'approved' }],
  truncated: false,
};

export const problem = (status: number, code: string, errors: { path: string; message: string }[] = []): StubAnswer => ({
  status,
  body: { type: 'about:blank', title: code, status, code, detail: `refused: ${code}`, errors },
});

/** The affiliate screens' reads: people, parties, the offer, its version, conversions, clicks, rules, the held queue, the report. */
function affiliateReads(request: SentRequest): StubAnswer {
  const path = request.url.pathname;
  if (path === '/v1/people') return { body: { data: people } };
  if (path === '/v1/parties') return { body: { data: parties, nextCursor: null } };
  const found = parties.find((item) => path === `/v1/parties/${item.id}`);
  if (found) return { body: found };
  if (path === '/v1/contracts') return { body: { data: [offer], nextCursor: null } };
  if (path === `/v1/contracts/${offer.id}`) return { body: offer };
  if (path === `/v1/contracts/${offer.id}/versions/1`) return { body: offerVersion };
  if (path === '/v1/conversions') {
    const status = request.url.searchParams.get('status');
    return { body: { data: conversions.filter((item) => !status || item.status === status), nextCursor: null } };
  }
  if (path === `/v1/conversions/${heldDetail.id}`) return { body: heldDetail };
  if (path === '/v1/clicks') return { body: { data: clicks, nextCursor: null } };
  if (path === '/v1/scrub-rules' && request.method === 'GET') return { body: { data: rules, nextCursor: null } };
  const rule = rules.find((item) => path === `/v1/scrub-rules/${item.id}`);
  if (rule && request.method === 'GET') return { body: rule };
  if (path === '/v1/scrub/held') return { body: { data: heldConversions, nextCursor: null } };
  if (path === '/v1/reports/scrub') return { body: { data: reportRows } };
  return problem(404, 'not_found');
}

/**
 * Makes `fetch` answer through `answer` first, then with the affiliate screens' reads, every answer
 * dated `answeredAt` (the held queue's "seen at"). Returns the requests sent, in order.
 */
export function stubAffiliate(answer: (request: SentRequest) => StubAnswer | undefined = () => undefined): SentRequest[] {
  return stubRequests(answer, affiliateReads, () => ({ date: new Date(answeredAt).toUTCString() }));
}
