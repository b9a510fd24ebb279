/**
 * Helpers for whole-period scenarios (test/scenarios): a cast of users, parties and approved
 * contracts made through the HTTP API, delivery loaded through the API, and the charges preview
 * read back in a shape that a test can compare with figures worked out by hand.
 */
import { expect } from 'vitest';
import type { CallResult, Harness } from './harness.ts';

/** The people of a scenario: ops writes and loads delivery, finance approves (maker-checker). */
export interface Cast {
  h: Harness;
  ops: { id: string; token: string };
  finance: { id: string; token: string };
}

/** A contract term set, written in full by each scenario so that the hand arithmetic can read it. */
export type ScenarioTerms = Record<string, unknown>;

/** One line of the preview, as the API answers it. */
export interface PreviewLine {
  period: string;
  lineItem: string | null;
  kind: 'media' | 'fee' | 'minimum_spend' | 'adjustment';
  description: string;
  quantity: number;
  unit: 'impressions' | 'completed_views' | 'clicks' | 'conversions' | 'days' | 'period';
  rate?: string;
  amount: string;
  version: number | null;
  from: string;
  to: string;
  flags: string[];
  explain: Record<string, unknown>;
}

export interface PreviewPeriod {
  label: string;
  from: string;
  to: string;
  subtotal: string;
  flags: string[];
}

export interface Preview {
  contractId: string;
  side: 'sell' | 'buy';
  currency: string;
  from: string;
  to: string;
  periods: PreviewPeriod[];
  lines: PreviewLine[];
  subtotal: string;
  flags: string[];
}

/** The fields of a line that a scenario checks against its hand-worked figures. */
export interface ExpectedLine {
  period: string;
  lineItem: string | null;
  kind: PreviewLine['kind'];
  quantity: number;
  unit: PreviewLine['unit'];
  rate?: string;
  amount: string;
  version?: number | null;
  from?: string;
  to?: string;
  flags?: string[];
}

/** Makes an ops user and a finance user on the harness. */
export async function castOf(h: Harness): Promise<Cast> {
  return { h, ops: await h.user('ops'), finance: await h.user('finance') };
}

function expectStatus(response: CallResult, status: number, what: string): void {
  if (response.status !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${response.status}: ${response.text}`);
  }
}

/** Creates a party (advertiser, agency or partner) and answers its id. */
export async function createParty(cast: Cast, kind: 'advertiser' | 'agency' | 'partner', name: string, currency = 'USD'): Promise<string> {
  const response = await cast.h.call('POST', '/v1/parties', { token: cast.ops.token, body: { kind, name, currency } });
  expectStatus(response, 201, `create party ${name}`);
  return response.body.id as string;
}

/** Ops creates a contract (version 1 draft) and answers its id; nothing is submitted. */
export async function createDraftContract(
  cast: Cast,
  partyId: string,
  side: 'sell' | 'buy',
  name: string,
  terms: ScenarioTerms,
): Promise<string> {
  const response = await cast.h.call('POST', '/v1/contracts', { token: cast.ops.token, body: { partyId, side, name, terms } });
  expectStatus(response, 201, `create contract ${name}`);
  return response.body.id as string;
}

/** Ops submits version `number`, finance approves it. */
export async function submitAndApprove(cast: Cast, contractId: string, number: number): Promise<void> {
  expectStatus(
    await cast.h.call('POST', `/v1/contracts/${contractId}/versions/${number}/submit`, { token: cast.ops.token }),
    200,
    `submit ${contractId} v${number}`,
  );
  const approved = await cast.h.call('POST', `/v1/contracts/${contractId}/versions/${number}/approve`, {
    token: cast.finance.token,
    body: { comment: 'scenario' },
  });
  expectStatus(approved, 200, `approve ${contractId} v${number}`);
  expect(approved.body.status).toBe('approved');
}

/** Creates a contract and gets version 1 approved; answers its id. */
export async function createApprovedContract(
  cast: Cast,
  partyId: string,
  side: 'sell' | 'buy',
  name: string,
  terms: ScenarioTerms,
): Promise<string> {
  const contractId = await createDraftContract(cast, partyId, side, name, terms);
  await submitAndApprove(cast, contractId, 1);
  return contractId;
}

/** Ops amends the contract from `effectiveFrom` with full new terms; finance approves. Answers the version number. */
export async function amendAndApprove(
  cast: Cast,
  contractId: string,
  effectiveFrom: string,
  terms: ScenarioTerms,
  reason: string,
): Promise<number> {
  const response = await cast.h.call('POST', `/v1/contracts/${contractId}/amendments`, {
    token: cast.ops.token,
    body: { effectiveFrom, terms, reason },
  });
  expectStatus(response, 201, `amend ${contractId}`);
  const number = response.body.number as number;
  await submitAndApprove(cast, contractId, number);
  return number;
}

export interface ImpressionInput {
  contractId: string;
  lineItem: string;
  date: string;
  source: 'first_party' | 'third_party';
  impressions: number;
  /** CTV counts (SPEC §8); absent means 0. */
  completedViews?: number;
  clicks?: number;
  partnerId?: string;
}

/** A conversion as POST /v1/conversions takes it: credited by exactly one of `touch` (with `partnerId`), `clickId` or `touches` (SPEC §9). */
export interface ConversionInput {
  id: string;
  contractId: string;
  lineItem: string;
  partnerId?: string;
  eventType: string;
  occurredAt: string;
  touch?: { type: 'view' | 'click'; at: string };
  clickId?: string;
  touches?: { partnerId: string; type: 'view' | 'click'; at: string; clickId?: string }[];
  value?: string;
  attributes?: Record<string, string | boolean>;
  status?: 'pending' | 'approved';
}

/**
 * The conversion most scenarios send: an approved purchase on the contract's `sales` line item at
 * 15:00 UTC of `date`, clicked at 09:00 the same day; `fields` name what the scenario is about
 * (partnerId, value, eventType, status, or a clickId or touches in place of the click).
 */
export function approvedConversion(id: string, contractId: string, date: string, fields: Partial<ConversionInput> = {}): ConversionInput {
  const named = fields.clickId !== undefined || fields.touches !== undefined;
  return {
    id,
    contractId,
    lineItem: 'sales',
    eventType: 'purchase',
    occurredAt: `${date}T15:00:00Z`,
    ...(named ? {} : { touch: { type: 'click' as const, at: `${date}T09:00:00Z` } }),
    status: 'approved',
    ...fields,
  };
}

/** Posts an impression batch; answers the ingest counts. */
export async function postImpressions(
  cast: Cast,
  records: ImpressionInput[],
): Promise<{ accepted: number; created: number; restated: number; unchanged: number }> {
  const response = await cast.h.call('POST', '/v1/impressions', { token: cast.ops.token, body: { records } });
  expectStatus(response, 200, 'post impressions');
  return response.body;
}

/** Posts a conversion batch; answers the ingest counts. */
export async function postConversions(
  cast: Cast,
  records: ConversionInput[],
): Promise<{ accepted: number; created: number; duplicates: number }> {
  const response = await cast.h.call('POST', '/v1/conversions', { token: cast.ops.token, body: { records } });
  expectStatus(response, 200, 'post conversions');
  return response.body;
}

/** Moves conversions to new statuses. */
export async function postStatuses(
  cast: Cast,
  updates: { id: string; status: 'approved' | 'rejected' | 'reversed'; reason?: string }[],
): Promise<void> {
  expectStatus(await cast.h.call('POST', '/v1/conversions/status', { token: cast.ops.token, body: { updates } }), 200, 'post statuses');
}

/** Posts an impressions CSV file to the import route; answers the import result. */
export async function importImpressionsCsv(
  cast: Cast,
  csv: string,
): Promise<{ rows: number; created: number; restated: number; unchanged: number }> {
  const response = await cast.h.call('POST', '/v1/impressions/import', {
    token: cast.ops.token,
    body: csv,
    headers: { 'content-type': 'text/csv' },
  });
  expectStatus(response, 200, 'import impressions CSV');
  return response.body;
}

/** Calls the charges preview as ops (or as `token`) and answers the raw response. */
export function callPreview(cast: Cast, contractId: string, from: string, to: string, token = cast.ops.token): Promise<CallResult> {
  return cast.h.call('GET', `/v1/contracts/${contractId}/charges?from=${from}&to=${to}`, { token });
}

/** Calls the charges preview and answers its body, failing on anything but 200. */
export async function preview(cast: Cast, contractId: string, from: string, to: string, token = cast.ops.token): Promise<Preview> {
  const response = await callPreview(cast, contractId, from, to, token);
  expectStatus(response, 200, `preview ${contractId} ${from}..${to}`);
  return response.body as Preview;
}

/** A line reduced to the fields an expectation names (rate only when the line has one). */
function pick(line: PreviewLine, expected: ExpectedLine): ExpectedLine {
  const picked: ExpectedLine = {
    period: line.period,
    lineItem: line.lineItem,
    kind: line.kind,
    quantity: line.quantity,
    unit: line.unit,
    amount: line.amount,
  };
  if (line.rate !== undefined) picked.rate = line.rate;
  if (expected.version !== undefined) picked.version = line.version;
  if (expected.from !== undefined) picked.from = line.from;
  if (expected.to !== undefined) picked.to = line.to;
  if (expected.flags !== undefined) picked.flags = line.flags;
  return picked;
}

/**
 * Checks the preview's lines, in order, against hand-worked expectations: every line's quantity,
 * unit, rate (present exactly when expected) and amount, plus version, dates and flags when named.
 */
export function expectLines(result: Preview, expected: ExpectedLine[]): void {
  expect(
    result.lines.length,
    `lines: ${JSON.stringify(result.lines.map((line) => [line.period, line.lineItem, line.kind, line.amount]))}`,
  ).toBe(expected.length);
  result.lines.forEach((line, index) => {
    const want = expected[index]!;
    expect(pick(line, want), `line ${index} (${line.description})`).toEqual(want);
  });
}

/** The one line of a period, line item and kind (and optional predicate), failing unless exactly one matches. */
export function lineOf(
  result: Preview,
  period: string,
  lineItem: string | null,
  kind: PreviewLine['kind'] = 'media',
  where: (line: PreviewLine) => boolean = () => true,
): PreviewLine {
  const found = result.lines.filter((line) => line.period === period && line.lineItem === lineItem && line.kind === kind && where(line));
  expect(found.length, `one ${kind} line of ${lineItem} in ${period}`).toBe(1);
  return found[0]!;
}

/** The subtotal of one period of the preview. */
export function periodSubtotal(result: Preview, label: string): string {
  const period = result.periods.find((candidate) => candidate.label === label);
  expect(period, `period ${label}`).toBeDefined();
  return period!.subtotal;
}

/** `count` daily impression records of one line item, `perDay` each, from `firstDate`. */
export function dailyImpressions(
  contractId: string,
  lineItem: string,
  firstDate: string,
  count: number,
  perDay: number,
  source: 'first_party' | 'third_party' = 'first_party',
): ImpressionInput[] {
  return Array.from({ length: count }, (_, index) => ({
    contractId,
    lineItem,
    date: addDaysUtc(firstDate, index),
    source,
    impressions: perDay,
  }));
}

/** A calendar date `days` after `date` (UTC). */
export function addDaysUtc(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Attribution windows wide enough that a scenario about something else never trips them. */
export const wideAttribution = { viewWindowDays: 30, clickWindowDays: 30 };

/**
 * Sell terms for October to December 2026 in USD with one cpa line item, `sales`, paying `amount`
 * per purchase in the wide windows; `billOn` only when given.
 */
export function purchaseOfferTerms(amount: string, billOn?: 'approved' | 'pending'): ScenarioTerms {
  return {
    startDate: '2026-10-01',
    endDate: '2026-12-31',
    currency: 'USD',
    billingPeriod: 'calendar_month',
    lineItems: [
      {
        key: 'sales',
        name: 'Sales',
        pricing: {
          model: 'cpa',
          events: [{ eventType: 'purchase', amount }],
          attribution: wideAttribution,
          ...(billOn === undefined ? {} : { billOn }),
        },
      },
    ],
  };
}
