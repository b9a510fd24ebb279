/** Bad input of every kind gets a 4xx problem+json naming the field, and changes nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advertiserBody, cpmTerms, partnerBody } from '../support/fixtures.ts';
import { type CallResult, describeStore, type Harness, startHarness } from '../support/harness.ts';

/** The ids that the cases refer to, known once the suite's data exists. */
interface Ids {
  advertiserId: string;
  partnerId: string;
  /** A sell contract whose version 1 is approved: the base for amendments. */
  approvedId: string;
  /** A sell contract whose version 1 is still a draft: the target of PATCH cases. */
  draftId: string;
}

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  url: (ids: Ids) => string;
  body?: (ids: Ids) => unknown;
  /** A raw body sent as is (with the content-type given in `headers`, default application/json). */
  raw?: string;
  headers?: Record<string, string>;
  /** Who sends it: ops by default; admin for the routes only an admin may call. */
  as?: 'admin';
  status: number;
  code: string;
  /** A path that `errors[]` must name; absent for problems about the whole body or the URL. */
  path?: string;
}

/** Deep copy of the valid sell terms with `change` applied: how each bad input differs from a good one. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function terms(change: (copy: any) => void = () => undefined): Record<string, unknown> {
  const copy = structuredClone(cpmTerms());
  change(copy);
  return copy;
}

/** Valid buy terms: pays the partner a flat CPM on the delivery of `appliesTo`. */
function buyTerms(appliesTo: unknown): Record<string, unknown> {
  return {
    startDate: '2026-10-01',
    endDate: '2026-12-31',
    currency: 'USD',
    billingPeriod: 'calendar_month',
    appliesTo,
    lineItems: [{ key: 'payout', name: 'Payout', pricing: { model: 'cpm', ratePerMille: '5.00' } }],
  };
}

const tiers = (list: unknown[]) => (copy: { lineItems: { pricing: { tiers: unknown[] } }[] }) => {
  const tiered = copy.lineItems[1];
  if (tiered) tiered.pricing.tiers = list;
};

const contract = (ids: Ids, termsBody: unknown, extra: Record<string, unknown> = {}) => ({
  partyId: ids.advertiserId,
  side: 'sell',
  name: 'Bad input IO',
  terms: termsBody,
  ...extra,
});
const createContract = (name: string, termsBody: () => unknown, path: string, status = 400, code = 'validation_failed'): Case => ({
  name,
  method: 'POST',
  url: () => '/v1/contracts',
  body: (ids) => contract(ids, termsBody()),
  status,
  code,
  path,
});
const amend = (body: Record<string, unknown>) => ({ effectiveFrom: '2026-11-15', terms: cpmTerms(), reason: 'Rate change', ...body });

const partyCases: Case[] = [
  {
    name: 'party without a name',
    method: 'POST',
    url: () => '/v1/parties',
    body: () => ({ kind: 'advertiser', currency: 'USD' }),
    status: 400,
    code: 'validation_failed',
    path: 'name',
  },
  {
    name: 'party without a kind',
    method: 'POST',
    url: () => '/v1/parties',
    body: () => ({ name: 'No kind', currency: 'USD' }),
    status: 400,
    code: 'validation_failed',
    path: 'kind',
  },
  {
    name: 'party kind outside the enum',
    method: 'POST',
    url: () => '/v1/parties',
    body: () => advertiserBody({ kind: 'publisher' }),
    status: 400,
    code: 'validation_failed',
    path: 'kind',
  },
  {
    name: 'party paymentTermsDays as a string',
    method: 'POST',
    url: () => '/v1/parties',
    body: () => advertiserBody({ paymentTermsDays: '30' }),
    status: 400,
    code: 'validation_failed',
    path: 'paymentTermsDays',
  },
  {
    name: 'party paymentTermsDays negative',
    method: 'POST',
    url: () => '/v1/parties',
    body: () => advertiserBody({ paymentTermsDays: -1 }),
    status: 400,
    code: 'validation_failed',
    path: 'paymentTermsDays',
  },
  {
    name: 'party name of 10,000 characters',
    method: 'POST',
    url: () => '/v1/parties',
    body: () => advertiserBody({ name: 'n'.repeat(10_000) }),
    status: 400,
    code: 'validation_failed',
    path: 'name',
  },
  {
    name: 'party name of only spaces',
    method: 'POST',
    url: () => '/v1/parties',
    body: () => advertiserBody({ name: '   ' }),
    status: 400,
    code: 'validation_failed',
    path: 'name',
  },
  {
    name: 'party with an unknown currency',
    method: 'POST',
    url: () => '/v1/parties',
    body: () => advertiserBody({ currency: 'ZZZ' }),
    status: 400,
    code: 'validation_failed',
    path: 'currency',
  },
  {
    name: 'party with a lower-case currency',
    method: 'POST',
    url: () => '/v1/parties',
    body: () => advertiserBody({ currency: 'usd' }),
    status: 400,
    code: 'validation_failed',
    path: 'currency',
  },
  {
    name: 'party with a bad billingEmail',
    method: 'POST',
    url: () => '/v1/parties',
    body: () => advertiserBody({ billingEmail: 'not-an-email' }),
    status: 400,
    code: 'validation_failed',
    path: 'billingEmail',
  },
  {
    name: 'party with an unknown field',
    method: 'POST',
    url: () => '/v1/parties',
    body: () => advertiserBody({ colour: 'red' }),
    status: 400,
    code: 'unknown_field',
    path: 'colour',
  },
  {
    name: 'party PATCH of the kind (not editable)',
    method: 'PATCH',
    url: (ids) => `/v1/parties/${ids.advertiserId}`,
    body: () => ({ kind: 'partner' }),
    status: 400,
    code: 'unknown_field',
    path: 'kind',
  },
  {
    name: 'party PATCH with a null name',
    method: 'PATCH',
    url: (ids) => `/v1/parties/${ids.advertiserId}`,
    body: () => ({ name: null }),
    status: 400,
    code: 'validation_failed',
    path: 'name',
  },
  {
    name: 'party PATCH with an unknown currency',
    method: 'PATCH',
    url: (ids) => `/v1/parties/${ids.advertiserId}`,
    body: () => ({ currency: 'XXX' }),
    status: 400,
    code: 'validation_failed',
    path: 'currency',
  },
];

const contractShapeCases: Case[] = [
  {
    name: 'contract without a partyId',
    method: 'POST',
    url: () => '/v1/contracts',
    body: () => ({ side: 'sell', name: 'x', terms: cpmTerms() }),
    status: 400,
    code: 'validation_failed',
    path: 'partyId',
  },
  {
    name: 'contract without terms',
    method: 'POST',
    url: () => '/v1/contracts',
    body: (ids) => ({ partyId: ids.advertiserId, side: 'sell', name: 'x' }),
    status: 400,
    code: 'validation_failed',
    path: 'terms',
  },
  {
    name: 'contract side outside the enum',
    method: 'POST',
    url: () => '/v1/contracts',
    body: (ids) => contract(ids, cpmTerms(), { side: 'both' }),
    status: 400,
    code: 'validation_failed',
    path: 'side',
  },
  {
    name: 'contract name as a number',
    method: 'POST',
    url: () => '/v1/contracts',
    body: (ids) => contract(ids, cpmTerms(), { name: 42 }),
    status: 400,
    code: 'validation_failed',
    path: 'name',
  },
  {
    name: 'contract name of 10,000 characters',
    method: 'POST',
    url: () => '/v1/contracts',
    body: (ids) => contract(ids, cpmTerms(), { name: 'n'.repeat(10_000) }),
    status: 400,
    code: 'validation_failed',
    path: 'name',
  },
  {
    name: 'contract terms as a string',
    method: 'POST',
    url: () => '/v1/contracts',
    body: (ids) => contract(ids, 'all of them'),
    status: 400,
    code: 'validation_failed',
    path: 'terms',
  },
  {
    name: 'contract with an unknown top-level field',
    method: 'POST',
    url: () => '/v1/contracts',
    body: (ids) => contract(ids, cpmTerms(), { discount: '10' }),
    status: 400,
    code: 'unknown_field',
    path: 'discount',
  },
  createContract('terms without lineItems', () => terms((copy) => delete copy.lineItems), 'terms.lineItems'),
  createContract('terms with no line items', () => terms((copy) => (copy.lineItems = [])), 'terms.lineItems'),
  createContract('terms without a currency', () => terms((copy) => delete copy.currency), 'terms.currency'),
  createContract('terms billingPeriod outside the enum', () => terms((copy) => (copy.billingPeriod = 'fortnight')), 'terms.billingPeriod'),
  createContract('terms paymentTermsDays as a string', () => terms((copy) => (copy.paymentTermsDays = '30')), 'terms.paymentTermsDays'),
  createContract('line item name as a number', () => terms((copy) => (copy.lineItems[0].name = 7)), 'terms.lineItems[0].name'),
  createContract(
    'line item key with capitals and spaces',
    () => terms((copy) => (copy.lineItems[0].key = 'CTV Display')),
    'terms.lineItems[0].key',
  ),
  createContract('line item without pricing', () => terms((copy) => delete copy.lineItems[0].pricing), 'terms.lineItems[0].pricing'),
  createContract(
    'pricing model outside the enum',
    () => terms((copy) => (copy.lineItems[0].pricing = { model: 'cpx', rate: '1.00' })),
    'terms.lineItems[0].pricing.model',
  ),
];

const unknownFieldCases: Case[] = [
  createContract('unknown field inside terms', () => terms((copy) => (copy.discount = '10')), 'terms.discount', 400, 'unknown_field'),
  createContract(
    'unknown field inside a line item',
    () => terms((copy) => (copy.lineItems[0].priority = 1)),
    'terms.lineItems[0].priority',
    400,
    'unknown_field',
  ),
  createContract(
    'unknown field inside pricing',
    () => terms((copy) => (copy.lineItems[0].pricing.bonus = '1.00')),
    'terms.lineItems[0].pricing.bonus',
    400,
    'unknown_field',
  ),
  createContract(
    'unknown field inside a tier',
    () => terms((copy) => (copy.lineItems[1].pricing.tiers[0].cap = 5)),
    'terms.lineItems[1].pricing.tiers[0].cap',
    400,
    'unknown_field',
  ),
  createContract(
    'unknown field inside renewal',
    () => terms((copy) => (copy.renewal.grace = 3)),
    'terms.renewal.grace',
    400,
    'unknown_field',
  ),
];

const dateCases: Case[] = [
  createContract('startDate 2026-02-30 (no such day)', () => terms((copy) => (copy.startDate = '2026-02-30')), 'terms.startDate'),
  createContract('endDate 2026-13-01 (no such month)', () => terms((copy) => (copy.endDate = '2026-13-01')), 'terms.endDate'),
  createContract('startDate in DD/MM/YYYY', () => terms((copy) => (copy.startDate = '01/10/2026')), 'terms.startDate'),
  createContract('endDate as an instant', () => terms((copy) => (copy.endDate = '2026-12-31T00:00:00Z')), 'terms.endDate'),
  createContract('endDate before startDate', () => terms((copy) => (copy.endDate = '2026-09-30')), 'terms.endDate'),
  createContract(
    'line item starting before the contract',
    () => terms((copy) => (copy.lineItems[0].startDate = '2026-09-15')),
    'terms.lineItems[0].startDate',
  ),
  createContract(
    'line item ending after the contract',
    () => terms((copy) => (copy.lineItems[1].endDate = '2027-01-15')),
    'terms.lineItems[1].endDate',
  ),
  createContract(
    'line item ending before it starts',
    () => terms((copy) => Object.assign(copy.lineItems[0], { startDate: '2026-11-10', endDate: '2026-11-01' })),
    'terms.lineItems[0].endDate',
  ),
];

const moneyCases: Case[] = [
  createContract('unknown currency', () => terms((copy) => (copy.currency = 'ZZZ')), 'terms.currency'),
  createContract('lower-case currency', () => terms((copy) => (copy.currency = 'usd')), 'terms.currency'),
  createContract('currency without a minor unit (XAU)', () => terms((copy) => (copy.currency = 'XAU')), 'terms.currency'),
  createContract('budgetCap as a JSON number', () => terms((copy) => (copy.budgetCap = 100000)), 'terms.budgetCap'),
  createContract(
    'ratePerMille as a JSON number',
    () => terms((copy) => (copy.lineItems[0].pricing.ratePerMille = 25)),
    'terms.lineItems[0].pricing.ratePerMille',
  ),
  createContract(
    'ratePerMille with 7 decimals',
    () => terms((copy) => (copy.lineItems[0].pricing.ratePerMille = '25.1234567')),
    'terms.lineItems[0].pricing.ratePerMille',
  ),
  createContract(
    'ratePerMille in exponent notation',
    () => terms((copy) => (copy.lineItems[0].pricing.ratePerMille = '2.5e1')),
    'terms.lineItems[0].pricing.ratePerMille',
  ),
  createContract('negative budgetCap', () => terms((copy) => (copy.budgetCap = '-1.00')), 'terms.budgetCap'),
  createContract(
    'negative ratePerMille',
    () => terms((copy) => (copy.lineItems[0].pricing.ratePerMille = '-25.00')),
    'terms.lineItems[0].pricing.ratePerMille',
  ),
  createContract(
    'negative tier rate',
    () => terms((copy) => (copy.lineItems[1].pricing.tiers[1].ratePerMille = '-15.00')),
    'terms.lineItems[1].pricing.tiers[1].ratePerMille',
  ),
  createContract('budgetCap above the limit', () => terms((copy) => (copy.budgetCap = '1000000000000.01')), 'terms.budgetCap'),
  createContract(
    'impressionCap that is not an integer',
    () => terms((copy) => (copy.lineItems[0].impressionCap = 1.5)),
    'terms.lineItems[0].impressionCap',
  ),
];

const structureCases: Case[] = [
  createContract(
    'tiers in descending order',
    () =>
      terms(
        tiers([
          { upTo: 2000000, ratePerMille: '20.00' },
          { upTo: 1000000, ratePerMille: '18.00' },
          { upTo: null, ratePerMille: '15.00' },
        ]),
      ),
    'terms.lineItems[1].pricing.tiers[1].upTo',
  ),
  createContract(
    'tiers that overlap (same upTo twice)',
    () =>
      terms(
        tiers([
          { upTo: 1000000, ratePerMille: '20.00' },
          { upTo: 1000000, ratePerMille: '18.00' },
          { upTo: null, ratePerMille: '15.00' },
        ]),
      ),
    'terms.lineItems[1].pricing.tiers[1].upTo',
  ),
  createContract(
    'two open-ended tiers',
    () =>
      terms(
        tiers([
          { upTo: null, ratePerMille: '20.00' },
          { upTo: null, ratePerMille: '15.00' },
        ]),
      ),
    'terms.lineItems[1].pricing.tiers[0].upTo',
  ),
  createContract(
    'last tier not open-ended',
    () =>
      terms(
        tiers([
          { upTo: 1000000, ratePerMille: '20.00' },
          { upTo: 2000000, ratePerMille: '15.00' },
        ]),
      ),
    'terms.lineItems[1].pricing.tiers[1].upTo',
  ),
  createContract(
    'tier upTo as a string',
    () =>
      terms(
        tiers([
          { upTo: '1000000', ratePerMille: '20.00' },
          { upTo: null, ratePerMille: '15.00' },
        ]),
      ),
    'terms.lineItems[1].pricing.tiers[0].upTo',
  ),
  createContract(
    'duplicate line-item keys',
    () => terms((copy) => (copy.lineItems[1].key = copy.lineItems[0].key)),
    'terms.lineItems[1].key',
  ),
  createContract(
    'duplicate fee keys',
    () =>
      terms(
        (copy) =>
          (copy.fees = [
            { key: 'platform', kind: 'flat', amount: '500.00' },
            { key: 'platform', kind: 'percent_of_media', percent: '-15' },
          ]),
      ),
    'terms.fees[1].key',
  ),
];

const foreignIdCases: Case[] = [
  {
    name: 'unknown partyId',
    method: 'POST',
    url: () => '/v1/contracts',
    body: (ids) => contract(ids, cpmTerms(), { partyId: 'pty_01nosuchparty' }),
    status: 422,
    code: 'unknown_party',
    path: 'partyId',
  },
  {
    name: 'buy contract for an advertiser',
    method: 'POST',
    url: () => '/v1/contracts',
    body: (ids) => contract(ids, buyTerms('all'), { side: 'buy' }),
    status: 422,
    code: 'side_mismatch',
    path: 'side',
  },
  {
    name: 'sell contract for a partner',
    method: 'POST',
    url: () => '/v1/contracts',
    body: (ids) => contract(ids, cpmTerms(), { partyId: ids.partnerId }),
    status: 422,
    code: 'side_mismatch',
    path: 'side',
  },
  {
    name: 'buy contract applying to an unknown contract',
    method: 'POST',
    url: () => '/v1/contracts',
    body: (ids) => ({ partyId: ids.partnerId, side: 'buy', name: 'Payouts', terms: buyTerms([ids.approvedId, 'ctr_01nosuchcontract']) }),
    status: 422,
    code: 'unknown_contract',
    path: 'terms.appliesTo[1]',
  },
  {
    name: 'buy contract applying to something that is not a contract id',
    method: 'POST',
    url: () => '/v1/contracts',
    body: (ids) => ({ partyId: ids.partnerId, side: 'buy', name: 'Payouts', terms: buyTerms([ids.advertiserId]) }),
    status: 400,
    code: 'validation_failed',
    path: 'terms.appliesTo[0]',
  },
  {
    name: 'agencyId naming an advertiser',
    method: 'POST',
    url: () => '/v1/parties',
    body: (ids) => advertiserBody({ agencyId: ids.advertiserId }),
    status: 422,
    code: 'agency_not_found',
    path: 'agencyId',
  },
];

const amendmentCases: Case[] = [
  {
    name: 'amendment effective before the start date',
    method: 'POST',
    url: (ids) => `/v1/contracts/${ids.approvedId}/amendments`,
    body: () => amend({ effectiveFrom: '2026-09-30' }),
    status: 422,
    code: 'effective_date_out_of_range',
    path: 'effectiveFrom',
  },
  {
    name: 'amendment effective after the end date',
    method: 'POST',
    url: (ids) => `/v1/contracts/${ids.approvedId}/amendments`,
    body: () => amend({ effectiveFrom: '2027-01-01' }),
    status: 422,
    code: 'effective_date_out_of_range',
    path: 'effectiveFrom',
  },
  {
    name: 'amendment effective on 2026-11-31',
    method: 'POST',
    url: (ids) => `/v1/contracts/${ids.approvedId}/amendments`,
    body: () => amend({ effectiveFrom: '2026-11-31' }),
    status: 400,
    code: 'validation_failed',
    path: 'effectiveFrom',
  },
  {
    name: 'amendment changing the currency',
    method: 'POST',
    url: (ids) => `/v1/contracts/${ids.approvedId}/amendments`,
    body: () => amend({ terms: cpmTerms({ currency: 'EUR' }) }),
    status: 422,
    code: 'currency_change',
    path: 'terms.currency',
  },
  {
    name: 'amendment without a reason',
    method: 'POST',
    url: (ids) => `/v1/contracts/${ids.approvedId}/amendments`,
    body: () => ({ effectiveFrom: '2026-11-15', terms: cpmTerms() }),
    status: 400,
    code: 'validation_failed',
    path: 'reason',
  },
  {
    name: 'amendment with invalid terms',
    method: 'POST',
    url: (ids) => `/v1/contracts/${ids.approvedId}/amendments`,
    body: () => amend({ terms: terms((copy) => (copy.budgetCap = 5)) }),
    status: 400,
    code: 'validation_failed',
    path: 'terms.budgetCap',
  },
  {
    name: 'PATCH of a draft with overlapping tiers',
    method: 'PATCH',
    url: (ids) => `/v1/contracts/${ids.draftId}/versions/1`,
    body: () => ({
      terms: terms(
        tiers([
          { upTo: 5, ratePerMille: '1.00' },
          { upTo: 5, ratePerMille: '1.00' },
          { upTo: null, ratePerMille: '1.00' },
        ]),
      ),
    }),
    status: 400,
    code: 'validation_failed',
    path: 'terms.lineItems[1].pricing.tiers[1].upTo',
  },
  {
    name: 'PATCH of a draft with an unknown field',
    method: 'PATCH',
    url: (ids) => `/v1/contracts/${ids.draftId}/versions/1`,
    body: () => ({ terms: cpmTerms(), status: 'approved' }),
    status: 400,
    code: 'unknown_field',
    path: 'status',
  },
];

const unknownIdCases: Case[] = [
  { name: 'GET of an unknown party', method: 'GET', url: () => '/v1/parties/pty_01nosuchparty', status: 404, code: 'party_not_found' },
  {
    name: 'PATCH of an unknown party',
    method: 'PATCH',
    url: () => '/v1/parties/pty_01nosuchparty',
    body: () => ({ name: 'Ghost' }),
    status: 404,
    code: 'party_not_found',
  },
  {
    name: 'GET of an unknown contract',
    method: 'GET',
    url: () => '/v1/contracts/ctr_01nosuchcontract',
    status: 404,
    code: 'contract_not_found',
  },
  {
    name: 'GET of a version that does not exist',
    method: 'GET',
    url: (ids) => `/v1/contracts/${ids.draftId}/versions/7`,
    status: 404,
    code: 'version_not_found',
  },
  {
    name: 'PATCH of a version that does not exist',
    method: 'PATCH',
    url: (ids) => `/v1/contracts/${ids.draftId}/versions/2`,
    body: () => ({ terms: cpmTerms() }),
    status: 404,
    code: 'version_not_found',
  },
  {
    name: 'PATCH of a version of an unknown contract',
    method: 'PATCH',
    url: () => '/v1/contracts/ctr_01nosuchcontract/versions/1',
    body: () => ({ terms: cpmTerms() }),
    status: 404,
    code: 'contract_not_found',
  },
  {
    name: 'amendment of an unknown contract',
    method: 'POST',
    url: () => '/v1/contracts/ctr_01nosuchcontract/amendments',
    body: () => amend({}),
    status: 404,
    code: 'contract_not_found',
  },
  {
    name: 'version number that is not a number',
    method: 'GET',
    url: (ids) => `/v1/contracts/${ids.draftId}/versions/latest`,
    status: 400,
    code: 'validation_failed',
    path: 'params.n',
  },
];

const queryCases: Case[] = [
  { name: 'limit=0', method: 'GET', url: () => '/v1/parties?limit=0', status: 400, code: 'validation_failed', path: 'querystring.limit' },
  {
    name: 'limit=501',
    method: 'GET',
    url: () => '/v1/contracts?limit=501',
    status: 400,
    code: 'validation_failed',
    path: 'querystring.limit',
  },
  {
    name: 'limit=ten',
    method: 'GET',
    url: () => '/v1/parties?limit=ten',
    status: 400,
    code: 'validation_failed',
    path: 'querystring.limit',
  },
  {
    name: 'limit=2.5',
    method: 'GET',
    url: () => '/v1/parties?limit=2.5',
    status: 400,
    code: 'validation_failed',
    path: 'querystring.limit',
  },
  {
    name: 'status=bogus',
    method: 'GET',
    url: () => '/v1/contracts?status=bogus',
    status: 400,
    code: 'validation_failed',
    path: 'querystring.status',
  },
  {
    name: 'kind=bogus',
    method: 'GET',
    url: () => '/v1/parties?kind=bogus',
    status: 400,
    code: 'validation_failed',
    path: 'querystring.kind',
  },
  {
    name: 'a cursor that is not base64url',
    method: 'GET',
    url: () => '/v1/parties?cursor=%21%21%21',
    status: 400,
    code: 'invalid_cursor',
    path: 'cursor',
  },
  {
    name: 'a cursor that decodes to something else',
    method: 'GET',
    url: () => `/v1/contracts?cursor=${Buffer.from('DROP TABLE; --').toString('base64url')}`,
    status: 400,
    code: 'invalid_cursor',
    path: 'cursor',
  },
  {
    name: 'a cursor on the users list',
    method: 'GET',
    url: () => '/v1/users?cursor=not*a*cursor',
    as: 'admin',
    status: 400,
    code: 'invalid_cursor',
    path: 'cursor',
  },
  {
    name: 'a cursor of 10,000 characters',
    method: 'GET',
    url: () => `/v1/parties?cursor=${'a'.repeat(10_000)}`,
    status: 400,
    code: 'validation_failed',
    path: 'querystring.cursor',
  },
];

const bodyCases: Case[] = [
  {
    name: 'invalid JSON',
    method: 'POST',
    url: () => '/v1/parties',
    raw: '{"kind": "advertiser", "name": ',
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'JSON with a trailing comma',
    method: 'POST',
    url: () => '/v1/contracts',
    raw: '{"partyId": "pty_x",}',
    status: 400,
    code: 'invalid_json',
  },
  { name: 'an empty body declared as JSON', method: 'POST', url: () => '/v1/parties', raw: '', status: 400, code: 'invalid_json' },
  {
    name: 'a JSON array instead of an object',
    method: 'POST',
    url: () => '/v1/parties',
    raw: '[]',
    status: 400,
    code: 'validation_failed',
  },
  {
    name: 'a body as text/plain',
    method: 'POST',
    url: () => '/v1/parties',
    raw: JSON.stringify(advertiserBody()),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a body as application/xml',
    method: 'POST',
    url: () => '/v1/parties',
    raw: '<party/>',
    headers: { 'content-type': 'application/xml' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a body without a content type',
    method: 'POST',
    url: () => '/v1/parties',
    raw: JSON.stringify(advertiserBody()),
    headers: { 'content-type': '' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a form-encoded body',
    method: 'POST',
    url: () => '/v1/contracts',
    raw: 'partyId=x&side=sell',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a body over 1 MiB',
    method: 'POST',
    url: () => '/v1/parties',
    raw: JSON.stringify(advertiserBody({ name: 'x'.repeat(1024 * 1024) })),
    status: 413,
    code: 'body_too_large',
  },
  {
    name: 'contract terms over 1 MiB',
    method: 'POST',
    url: () => '/v1/contracts',
    raw: JSON.stringify({ partyId: 'pty_x', side: 'sell', name: 'Huge', terms: cpmTerms({ padding: 'p'.repeat(1100 * 1024) }) }),
    status: 413,
    code: 'body_too_large',
  },
];

describeStore('bad input', () => {
  let h: Harness;
  let ids: Ids;
  let opsToken: string;
  const tables = ['audit_entries', 'contracts', 'contract_versions', 'parties', 'users', 'api_keys', 'settings'];

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    const ops = await h.user('ops');
    const finance = await h.user('finance');
    opsToken = ops.token;
    const advertiser = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody() });
    const partner = await h.call('POST', '/v1/parties', { token: ops.token, body: partnerBody() });
    expect([advertiser.status, partner.status]).toEqual([201, 201]);
    const create = async () => {
      const created = await h.call('POST', '/v1/contracts', {
        token: ops.token,
        body: { partyId: advertiser.body.id, side: 'sell', name: 'Q4 CTV', terms: cpmTerms() },
      });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    const approvedId = await create();
    expect((await h.call('POST', `/v1/contracts/${approvedId}/versions/1/submit`, { token: ops.token })).status).toBe(200);
    expect((await h.call('POST', `/v1/contracts/${approvedId}/versions/1/approve`, { token: finance.token, body: {} })).body.status).toBe(
      'approved',
    );
    ids = { advertiserId: advertiser.body.id, partnerId: partner.body.id, approvedId, draftId: await create() };
  });
  afterAll(async () => h?.close());

  /** Every row count, and the objects that PATCH cases aim at: an edit must not slip through either. */
  async function snapshot() {
    const counts = await Promise.all(tables.map(async (table) => [table, await h.count(table)] as const));
    const draft = await h.call('GET', `/v1/contracts/${ids.draftId}/versions/1`);
    const party = await h.call('GET', `/v1/parties/${ids.advertiserId}`);
    return { counts: Object.fromEntries(counts), draft: draft.body, party: party.body };
  }

  function send(testCase: Case): Promise<CallResult> {
    const body = testCase.raw ?? testCase.body?.(ids);
    return h.call(testCase.method, testCase.url(ids), {
      token: testCase.as === 'admin' ? undefined : opsToken,
      body,
      headers: testCase.headers,
    });
  }

  function expectProblem(response: CallResult, testCase: Pick<Case, 'status' | 'code' | 'path'>): void {
    expect(response.status, response.text.slice(0, 500)).toBe(testCase.status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status: testCase.status,
      title: expect.any(String),
      detail: expect.any(String),
      type: expect.stringMatching(/^https:\/\//),
    });
    if (testCase.code !== '') expect(response.body.code).toBe(testCase.code);
    if (testCase.path !== undefined) {
      const paths = (response.body.errors ?? []).map((error: { path: string }) => error.path);
      expect(paths).toContain(testCase.path);
    }
  }

  const groups: [string, Case[]][] = [
    ['parties', partyCases],
    ['contract shape', contractShapeCases],
    ['unknown fields inside terms', unknownFieldCases],
    ['dates', dateCases],
    ['money and currencies', moneyCases],
    ['tiers and keys', structureCases],
    ['foreign ids in the body', foreignIdCases],
    ['amendments and edits', amendmentCases],
    ['unknown ids in the URL', unknownIdCases],
    ['query parameters', queryCases],
    ['bodies', bodyCases],
  ];

  for (const [group, cases] of groups) {
    describe(group, () => {
      it.each(cases)('$name → $status $code', async (testCase) => {
        const before = await snapshot();
        expectProblem(await send(testCase), testCase);
        expect(await snapshot()).toEqual(before);
      });
    });
  }

  it('reports every broken field of one body, each with its own path', async () => {
    const before = await snapshot();
    const body = contract(
      ids,
      terms((copy) => {
        copy.currency = 'ZZZ';
        copy.endDate = '2026-02-30';
        copy.lineItems[0].pricing.ratePerMille = 25;
      }),
    );
    const response = await h.call('POST', '/v1/contracts', { token: opsToken, body });
    expectProblem(response, { status: 400, code: 'validation_failed' });
    const paths = (response.body.errors as { path: string }[]).map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['terms.currency', 'terms.endDate', 'terms.lineItems[0].pricing.ratePerMille']));
    expect(response.body.detail).toContain(response.body.errors[0].path);
    expect(await snapshot()).toEqual(before);
  });

  it('still accepts the valid bodies that the cases are built from (the cases fail for their one change)', async () => {
    const party = await h.call('POST', '/v1/parties', { token: opsToken, body: advertiserBody({ name: 'Control' }) });
    expect(party.status).toBe(201);
    const created = await h.call('POST', '/v1/contracts', { token: opsToken, body: contract(ids, terms()) });
    expect(created.status).toBe(201);
    const buy = await h.call('POST', '/v1/contracts', {
      token: opsToken,
      body: { partyId: ids.partnerId, side: 'buy', name: 'Payouts', terms: buyTerms([ids.approvedId]) },
    });
    expect(buy.status).toBe(201);
    const amendment = await h.call('POST', `/v1/contracts/${ids.approvedId}/amendments`, { token: opsToken, body: amend({}) });
    expect(amendment.status).toBe(201);
    const page = await h.call('GET', '/v1/parties?limit=500', { token: opsToken });
    expect(page.status).toBe(200);
  });
  it("answers the router's own refusals as problem documents: an over-long path segment, a broken percent-encoding", async () => {
    const long = await h.call('POST', `/v1/contracts/ctr_${'x'.repeat(120)}/versions/1/submit`, { token: opsToken });
    expect(long.status).toBe(414);
    expect(long.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(long.body.code).toBe('validation_failed');
    const broken = await h.call('POST', '/v1/contracts/%E0%A4%A/versions/1/submit', { token: opsToken });
    expect(broken.status).toBe(400);
    expect(broken.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(broken.body).toMatchObject({ code: 'validation_failed', status: 400 });
  });
});
