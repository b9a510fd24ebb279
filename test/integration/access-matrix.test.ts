/**
 * The access-control matrix: every /v1 route of the OpenAPI document, called with no token, a bad
 * token, each staff role, a party user that owns the object in the path, and a party user of
 * another party. The expected answer of each (route × caller) is written out in `matrix` below;
 * the suite fails when the document has a route the matrix does not list, so that a new route
 * cannot be forgotten. test/integration/access.test.ts checks the same rules by hand, with the
 * bodies of real requests; this suite is the exhaustive sweep.
 *
 * Write routes are called with a probe body (`{"securityProbe": true}`: one unknown field). The
 * role is checked before the body is read (src/http/auth.ts), so a caller without the right gets
 * 403 and a caller with it gets the probe's 400: the sweep learns who may call each route without
 * changing anything, and checks that nothing was written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, type CallResult, describeStore, type Harness, startHarness } from '../support/harness.ts';
import { buildSecurityBook, countAllTables, type SecurityBook, securityBookToday } from '../support/security-book.ts';
import { openApiRoutes, servedRoutes } from '../support/security-routes.ts';

/**
 * What a caller gets:
 * - `ok`: the role holds the right: a read answers 2xx; a write gets past the role check (the
 *   probe's 400, or the answer named in `allowed`);
 * - `no`: 403 forbidden;
 * - `hide`: 404, exactly as for an object that does not exist (another party's object);
 * - `own`: a list holding only the caller's party's objects.
 */
type Outcome = 'ok' | 'no' | 'hide' | 'own';
const ok: Outcome = 'ok';
const no: Outcome = 'no';
const hide: Outcome = 'hide';
const own: Outcome = 'own';

const callers = ['admin', 'finance', 'ops', 'viewer', 'party', 'otherParty'] as const;
type Caller = (typeof callers)[number];

interface MatrixRow {
  url: (book: SecurityBook) => string;
  rights: Record<Caller, Outcome>;
  /** Whose object the path names: the `party` caller is that party's user; `otherParty` is B's. */
  owner?: 'A' | 'P';
  /** What a write that passes the role check answers, when not the probe's 400. */
  allowed?: { status: number; code: string };
  /** Routes that ask for no credentials. */
  public?: boolean;
}

/** One row: the URL, then the outcome for admin, finance, ops, viewer, the owner's party user and another party's. */
function row(
  url: MatrixRow['url'],
  outcomes: [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome],
  extra: Omit<MatrixRow, 'url' | 'rights'> = {},
): MatrixRow {
  return {
    url,
    rights: Object.fromEntries(callers.map((caller, index) => [caller, outcomes[index]])) as Record<Caller, Outcome>,
    ...extra,
  };
}

const october = 'from=2026-10-01&to=2026-10-31';

const matrix: Record<string, MatrixRow> = {
  //                                                                                                            admin finance ops viewer party other
  'POST /v1/sessions': row(() => '/v1/sessions', [ok, ok, ok, ok, ok, ok], { public: true }),
  'DELETE /v1/sessions/current': row(() => '/v1/sessions/current', [ok, ok, ok, ok, ok, ok], {
    allowed: { status: 404, code: 'not_found' },
  }),
  'GET /v1/me': row(() => '/v1/me', [ok, ok, ok, ok, ok, ok]),
  'GET /v1/people': row((b) => `/v1/people?ids=${b.spareUser},admin`, [ok, ok, ok, ok, ok, ok]),
  'POST /v1/users': row(() => '/v1/users', [ok, no, no, no, no, no]),
  'GET /v1/users': row(() => '/v1/users', [ok, no, no, no, no, no]),
  'POST /v1/users/{id}/api-keys': row((b) => `/v1/users/${b.spareUser}/api-keys`, [ok, no, no, no, no, no]),
  'POST /v1/api-keys/{id}/revoke': row((b) => `/v1/api-keys/${b.spareKey}/revoke`, [ok, no, no, no, no, no]),

  'POST /v1/parties': row(() => '/v1/parties', [ok, ok, ok, no, no, no]),
  'GET /v1/parties': row(() => '/v1/parties', [ok, ok, ok, ok, own, own]),
  'GET /v1/parties/{id}': row((b) => `/v1/parties/${b.parties.A}`, [ok, ok, ok, ok, ok, hide], { owner: 'A' }),
  'PATCH /v1/parties/{id}': row((b) => `/v1/parties/${b.parties.A}`, [ok, ok, ok, no, no, no], { owner: 'A' }),
  'POST /v1/parties/{id}/credits': row((b) => `/v1/parties/${b.parties.A}/credits`, [ok, ok, no, no, no, no], { owner: 'A' }),
  'GET /v1/parties/{id}/balance': row((b) => `/v1/parties/${b.parties.A}/balance`, [ok, ok, ok, ok, ok, hide], { owner: 'A' }),
  'POST /v1/credits/expire': row(() => '/v1/credits/expire', [ok, ok, no, no, no, no]),
  'POST /v1/dunning/run': row(() => '/v1/dunning/run', [ok, ok, no, no, no, no]),
  'GET /v1/settings/dunning': row(() => '/v1/settings/dunning', [ok, ok, ok, ok, no, no]),
  'PUT /v1/settings/dunning': row(() => '/v1/settings/dunning', [ok, no, no, no, no, no]),
  // Staff who read the ledger and the party's own users; ops reads no receivables.
  'GET /v1/parties/{id}/statement.pdf': row((b) => `/v1/parties/${b.parties.A}/statement.pdf`, [ok, ok, no, ok, ok, hide], {
    owner: 'A',
  }),
  'POST /v1/accruals': row(() => '/v1/accruals', [ok, ok, no, no, no, no]),

  'POST /v1/billing-entities': row(() => '/v1/billing-entities', [ok, ok, no, no, no, no]),
  'GET /v1/billing-entities': row(() => '/v1/billing-entities', [ok, ok, ok, ok, no, no]),
  'GET /v1/billing-entities/{id}': row(() => '/v1/billing-entities/ent_00000000000000000000000000', [ok, ok, ok, ok, no, no]),
  'PATCH /v1/billing-entities/{id}': row(() => '/v1/billing-entities/ent_00000000000000000000000000', [ok, ok, no, no, no, no]),
  'POST /v1/tax-rates': row(() => '/v1/tax-rates', [ok, ok, no, no, no, no]),
  'GET /v1/tax-rates': row(() => '/v1/tax-rates', [ok, ok, ok, ok, no, no]),
  'PATCH /v1/tax-rates/{id}': row(() => '/v1/tax-rates/txr_01aaaaaaaaaaaaaaaaaaaaaaaa', [ok, ok, no, no, no, no]),
  'POST /v1/fx-rates': row(() => '/v1/fx-rates', [ok, ok, no, no, no, no]),
  'GET /v1/fx-rates': row(() => '/v1/fx-rates', [ok, ok, ok, ok, no, no]),
  'GET /v1/intake/batches/{id}': row(() => '/v1/intake/batches/bat_01aaaaaaaaaaaaaaaaaaaaaaaa', [ok, ok, ok, ok, ok, ok]),
  'POST /v1/fx/revaluations': row(() => '/v1/fx/revaluations', [ok, ok, no, no, no, no]),

  'POST /v1/contracts': row(() => '/v1/contracts', [ok, no, ok, no, no, no]),
  'GET /v1/contracts': row(() => '/v1/contracts?limit=500', [ok, ok, ok, ok, own, own]),
  'GET /v1/contracts/{id}': row((b) => `/v1/contracts/${b.contractA}`, [ok, ok, ok, ok, ok, hide], { owner: 'A' }),
  'GET /v1/contracts/{id}/versions/{n}': row((b) => `/v1/contracts/${b.contractA}/versions/1`, [ok, ok, ok, ok, ok, hide], { owner: 'A' }),
  'PATCH /v1/contracts/{id}/versions/{n}': row((b) => `/v1/contracts/${b.draftContractA}/versions/1`, [ok, no, ok, no, no, no], {
    owner: 'A',
  }),
  'POST /v1/contracts/{id}/versions/{n}/submit': row(
    (b) => `/v1/contracts/${b.draftContractA}/versions/1/submit`,
    [ok, no, ok, no, no, no],
    { owner: 'A' },
  ),
  'POST /v1/contracts/{id}/versions/{n}/approve': row(
    (b) => `/v1/contracts/${b.pendingContractA}/versions/1/approve`,
    [ok, ok, no, no, no, no],
    { owner: 'A' },
  ),
  'POST /v1/contracts/{id}/versions/{n}/reject': row(
    (b) => `/v1/contracts/${b.pendingContractA}/versions/1/reject`,
    [ok, ok, no, no, no, no],
    { owner: 'A' },
  ),
  'POST /v1/contracts/{id}/versions/{n}/withdraw': row(
    (b) => `/v1/contracts/${b.contractA}/versions/1/withdraw`,
    [ok, no, ok, no, no, no],
    { owner: 'A' },
  ),
  'POST /v1/contracts/{id}/amendments': row((b) => `/v1/contracts/${b.contractA}/amendments`, [ok, no, ok, no, no, no], { owner: 'A' }),
  'POST /v1/contracts/{id}/renew': row((b) => `/v1/contracts/${b.contractA}/renew`, [ok, no, ok, no, no, no], { owner: 'A' }),
  'POST /v1/contracts/{id}/terminate': row((b) => `/v1/contracts/${b.contractA}/terminate`, [ok, no, ok, no, no, no], { owner: 'A' }),
  'POST /v1/contracts/{id}/non-renewal-notice': row((b) => `/v1/contracts/${b.contractA}/non-renewal-notice`, [ok, no, ok, no, no, no], {
    owner: 'A',
  }),
  'GET /v1/contracts/{id}/diff': row((b) => `/v1/contracts/${b.contractA}/diff?from=1&to=1`, [ok, ok, ok, ok, ok, hide], { owner: 'A' }),
  'GET /v1/contracts/{id}/charges': row((b) => `/v1/contracts/${b.contractA}/charges?${october}`, [ok, ok, ok, ok, ok, hide], {
    owner: 'A',
  }),
  'GET /v1/contracts/{id}/versions/{n}/impact': row(
    (b) => `/v1/contracts/${b.draftContractA}/versions/1/impact`,
    [ok, ok, ok, ok, hide, hide],
    { owner: 'A' },
  ),
  'POST /v1/contracts/{id}/makegoods': row((b) => `/v1/contracts/${b.contractA}/makegoods`, [ok, no, ok, no, no, no], { owner: 'A' }),
  'POST /v1/renewals/run': row(() => '/v1/renewals/run', [ok, ok, no, no, no, no]),
  'GET /v1/settings/approval-policy': row(() => '/v1/settings/approval-policy', [ok, ok, ok, ok, no, no]),
  'PUT /v1/settings/approval-policy': row(() => '/v1/settings/approval-policy', [ok, no, no, no, no, no]),
  'POST /v1/products': row(() => '/v1/products', [ok, no, ok, no, no, no]),
  'GET /v1/products': row(() => '/v1/products', [ok, ok, ok, ok, no, no]),
  'POST /v1/rate-cards': row(() => '/v1/rate-cards', [ok, no, ok, no, no, no]),
  'GET /v1/rate-cards': row(() => '/v1/rate-cards', [ok, ok, ok, ok, no, no]),
  'GET /v1/rate-cards/{id}': row((b) => `/v1/rate-cards/${b.rateCard}`, [ok, ok, ok, ok, no, no]),
  'POST /v1/rate-cards/{id}/versions': row((b) => `/v1/rate-cards/${b.rateCard}/versions`, [ok, no, ok, no, no, no]),
  'GET /v1/rate-cards/{id}/versions/{n}': row((b) => `/v1/rate-cards/${b.rateCard}/versions/1`, [ok, ok, ok, ok, no, no]),
  'PATCH /v1/rate-cards/{id}/versions/{n}': row((b) => `/v1/rate-cards/${b.rateCard}/versions/1`, [ok, no, ok, no, no, no]),
  'POST /v1/rate-cards/{id}/versions/{n}/submit': row((b) => `/v1/rate-cards/${b.rateCard}/versions/1/submit`, [ok, no, ok, no, no, no]),
  'POST /v1/rate-cards/{id}/versions/{n}/approve': row((b) => `/v1/rate-cards/${b.rateCard}/versions/1/approve`, [ok, ok, no, no, no, no]),
  'POST /v1/rate-cards/{id}/versions/{n}/reject': row((b) => `/v1/rate-cards/${b.rateCard}/versions/1/reject`, [ok, ok, no, no, no, no]),
  'GET /v1/reports/below-card': row(() => '/v1/reports/below-card', [ok, ok, ok, ok, no, no]),
  'GET /v1/audit': row(() => '/v1/audit', [ok, ok, ok, ok, no, no]),
  'GET /v1/audit/verify': row(() => '/v1/audit/verify', [ok, ok, ok, ok, no, no]),

  'POST /v1/impressions': row(() => '/v1/impressions', [ok, no, ok, no, no, no]),
  'GET /v1/impressions': row((b) => `/v1/impressions?contractId=${b.contractA}&${october}`, [ok, ok, ok, ok, ok, hide], { owner: 'A' }),
  'POST /v1/impressions/import': row(() => '/v1/impressions/import', [ok, no, ok, no, no, no], {
    allowed: { status: 415, code: 'unsupported_media_type' },
  }),
  'POST /v1/conversions': row(() => '/v1/conversions', [ok, no, ok, no, ok, ok]),
  'GET /v1/conversions': row((b) => `/v1/conversions?contractId=${b.contractA}`, [ok, ok, ok, ok, ok, hide], { owner: 'A' }),
  'GET /v1/conversions/{id}': row((b) => `/v1/conversions/${b.conversionA}`, [ok, ok, ok, ok, ok, hide], { owner: 'A' }),
  'POST /v1/conversions/status': row(() => '/v1/conversions/status', [ok, no, ok, no, no, no]),
  'POST /v1/conversions/import': row(() => '/v1/conversions/import', [ok, no, ok, no, ok, ok], {
    allowed: { status: 415, code: 'unsupported_media_type' },
  }),
  'POST /v1/clicks': row(() => '/v1/clicks', [ok, no, ok, no, no, no]),
  'GET /v1/clicks': row((b) => `/v1/clicks?contractId=${b.contractA}`, [ok, ok, ok, ok, ok, hide], { owner: 'A' }),
  'POST /v1/clicks/import': row(() => '/v1/clicks/import', [ok, no, ok, no, no, no], {
    allowed: { status: 415, code: 'unsupported_media_type' },
  }),

  'POST /v1/billing-runs': row(() => '/v1/billing-runs', [ok, ok, no, no, no, no]),
  'GET /v1/billing-runs': row(() => '/v1/billing-runs', [ok, ok, no, no, no, no]),
  'GET /v1/billing-runs/{id}': row((b) => `/v1/billing-runs/${b.octoberRun}`, [ok, ok, no, no, no, no]),
  'POST /v1/billing-runs/{id}/finalize': row((b) => `/v1/billing-runs/${b.octoberRun}/finalize`, [ok, ok, no, no, no, no]),
  'POST /v1/credit-notes': row(() => '/v1/credit-notes', [ok, ok, no, no, no, no]),
  'GET /v1/credit-notes': row(() => '/v1/credit-notes?limit=500', [ok, ok, ok, ok, own, own]),
  'GET /v1/credit-notes/{id}': row((b) => `/v1/credit-notes/${b.creditNoteA}`, [ok, ok, ok, ok, ok, hide], { owner: 'A' }),

  'GET /v1/invoices': row(() => '/v1/invoices?limit=500', [ok, ok, ok, ok, own, own]),
  'GET /v1/invoices/{id}': row((b) => `/v1/invoices/${b.invoiceA}`, [ok, ok, ok, ok, ok, hide], { owner: 'A' }),
  'GET /v1/invoices/{id}/pdf': row((b) => `/v1/invoices/${b.invoiceA}/pdf`, [ok, ok, ok, ok, ok, hide], { owner: 'A' }),
  'GET /v1/invoices/{id}/payments': row((b) => `/v1/invoices/${b.invoiceA}/payments`, [ok, ok, ok, ok, ok, hide], { owner: 'A' }),
  'POST /v1/invoices/{id}/finalize': row((b) => `/v1/invoices/${b.draftInvoiceA}/finalize`, [ok, ok, no, no, no, no], { owner: 'A' }),
  'POST /v1/invoices/{id}/payments': row((b) => `/v1/invoices/${b.invoiceA}/payments`, [ok, ok, no, no, no, no], { owner: 'A' }),
  'POST /v1/invoices/{id}/void': row((b) => `/v1/invoices/${b.invoiceA}/void`, [ok, ok, no, no, no, no], { owner: 'A' }),
  'GET /v1/payout-statements': row(() => '/v1/payout-statements?limit=500', [ok, ok, ok, ok, own, own], { owner: 'P' }),
  'GET /v1/payout-statements/{id}': row((b) => `/v1/payout-statements/${b.statementP}`, [ok, ok, ok, ok, ok, hide], { owner: 'P' }),
  'GET /v1/payout-statements/{id}/pdf': row((b) => `/v1/payout-statements/${b.statementP}/pdf`, [ok, ok, ok, ok, ok, hide], { owner: 'P' }),
  'GET /v1/payout-statements/{id}/payments': row((b) => `/v1/payout-statements/${b.statementP}/payments`, [ok, ok, ok, ok, ok, hide], {
    owner: 'P',
  }),
  'POST /v1/payout-statements/{id}/finalize': row((b) => `/v1/payout-statements/${b.statementP}/finalize`, [ok, ok, no, no, no, no], {
    owner: 'P',
  }),
  'POST /v1/payout-statements/{id}/payments': row((b) => `/v1/payout-statements/${b.statementP}/payments`, [ok, ok, no, no, no, no], {
    owner: 'P',
  }),
  'POST /v1/payout-statements/{id}/void': row((b) => `/v1/payout-statements/${b.statementP}/void`, [ok, ok, no, no, no, no], {
    owner: 'P',
  }),

  'GET /v1/ledger/trial-balance': row(() => '/v1/ledger/trial-balance', [ok, ok, no, ok, no, no]),
  'GET /v1/ledger/accounts/{account}/entries': row(
    (b) => `/v1/ledger/accounts/accounts_receivable:${b.parties.A}/entries`,
    [ok, ok, no, ok, no, no],
  ),
  'GET /v1/reports/delivery-shortfall': row(() => '/v1/reports/delivery-shortfall?asOf=2026-11-15', [ok, ok, ok, ok, ok, ok]),
  'GET /v1/reports/margin': row(() => '/v1/reports/margin?from=2026-10&to=2026-11', [ok, ok, no, ok, no, no]),
  'GET /v1/reports/tax': row(() => '/v1/reports/tax?from=2026-10-01&to=2026-11-30', [ok, ok, no, ok, no, no]),
  'GET /v1/reports/ar-aging': row(() => '/v1/reports/ar-aging?asOf=2026-12-31', [ok, ok, no, ok, no, no]),
  'GET /v1/reports/revenue': row(() => '/v1/reports/revenue?period=2026-10', [ok, ok, no, ok, no, no]),
  'GET /v1/exports/journal.csv': row(() => `/v1/exports/journal.csv?${october}`, [ok, ok, no, ok, no, no]),
  'GET /v1/exports/invoices.csv': row(() => `/v1/exports/invoices.csv?format=xero&from=2026-10-01&to=2026-12-31`, [ok, ok, no, ok, no, no]),

  'POST /v1/scrub-rules': row(() => '/v1/scrub-rules', [ok, no, ok, no, no, no]),
  'GET /v1/scrub-rules': row(() => '/v1/scrub-rules', [ok, ok, ok, ok, no, no]),
  'GET /v1/scrub-rules/{id}': row((b) => `/v1/scrub-rules/${b.scrubRule}`, [ok, ok, ok, ok, no, no]),
  'PATCH /v1/scrub-rules/{id}': row((b) => `/v1/scrub-rules/${b.scrubRule}`, [ok, no, ok, no, no, no]),
  'POST /v1/scrub-rules/preview': row(() => '/v1/scrub-rules/preview', [ok, no, ok, no, no, no]),
  'GET /v1/scrub/held': row(() => '/v1/scrub/held', [ok, ok, ok, ok, no, no]),
  'POST /v1/scrub/held/release': row(() => '/v1/scrub/held/release', [ok, no, ok, no, no, no]),
  'POST /v1/scrub/held/reject': row(() => '/v1/scrub/held/reject', [ok, no, ok, no, no, no]),
  'GET /v1/reports/scrub': row(() => `/v1/reports/scrub?${october}`, [ok, ok, ok, ok, no, no]),

  'POST /v1/webhook-endpoints': row(() => '/v1/webhook-endpoints', [ok, no, no, no, no, no]),
  'GET /v1/webhook-endpoints': row(() => '/v1/webhook-endpoints', [ok, no, no, no, no, no]),
  'GET /v1/webhook-endpoints/{id}': row((b) => `/v1/webhook-endpoints/${b.webhookEndpoint}`, [ok, no, no, no, no, no]),
  'POST /v1/webhook-endpoints/{id}/disable': row((b) => `/v1/webhook-endpoints/${b.webhookEndpoint}/disable`, [ok, no, no, no, no, no]),
  'POST /v1/webhook-endpoints/{id}/enable': row((b) => `/v1/webhook-endpoints/${b.webhookEndpoint}/enable`, [ok, no, no, no, no, no]),
  'POST /v1/webhook-endpoints/{id}/rotate-secret': row(
    (b) => `/v1/webhook-endpoints/${b.webhookEndpoint}/rotate-secret`,
    [ok, no, no, no, no, no],
  ),
  'GET /v1/webhook-endpoints/{id}/deliveries': row(
    (b) => `/v1/webhook-endpoints/${b.webhookEndpoint}/deliveries`,
    [ok, no, no, no, no, no],
  ),
  'POST /v1/webhook-deliveries/{id}/retry': row((b) => `/v1/webhook-deliveries/${b.webhookDelivery}/retry`, [ok, no, no, no, no, no]),
  'POST /v1/partner-postbacks': row(() => '/v1/partner-postbacks', [ok, no, no, no, no, no]),
  'GET /v1/partner-postbacks': row(() => '/v1/partner-postbacks', [ok, no, no, no, no, no]),
  'GET /v1/partner-postbacks/{id}': row((b) => `/v1/partner-postbacks/${b.partnerPostback}`, [ok, no, no, no, no, no]),
  'POST /v1/partner-postbacks/{id}/disable': row((b) => `/v1/partner-postbacks/${b.partnerPostback}/disable`, [ok, no, no, no, no, no]),
  'POST /v1/partner-postbacks/{id}/enable': row((b) => `/v1/partner-postbacks/${b.partnerPostback}/enable`, [ok, no, no, no, no, no]),
  'GET /v1/partner-postbacks/{id}/deliveries': row(
    (b) => `/v1/partner-postbacks/${b.partnerPostback}/deliveries`,
    [ok, no, no, no, no, no],
  ),
  'POST /v1/partner-postback-deliveries/{id}/retry': row(
    (b) => `/v1/partner-postback-deliveries/${b.partnerPostbackDelivery}/retry`,
    [ok, no, no, no, no, no],
  ),

  'POST /v1/postback-sources': row(() => '/v1/postback-sources', [ok, no, ok, no, no, no]),
  'GET /v1/postback-sources': row(() => '/v1/postback-sources', [ok, ok, ok, ok, no, no]),
  'GET /v1/postback-sources/{id}': row((b) => `/v1/postback-sources/${b.postbackSource}`, [ok, ok, ok, ok, no, no]),
  'POST /v1/postback-sources/{id}/disable': row((b) => `/v1/postback-sources/${b.postbackSource}/disable`, [ok, no, ok, no, no, no]),
  'POST /v1/postback-sources/{id}/enable': row((b) => `/v1/postback-sources/${b.postbackSource}/enable`, [ok, no, ok, no, no, no]),
  'POST /v1/postback-sources/{id}/rotate-secret': row(
    (b) => `/v1/postback-sources/${b.postbackSource}/rotate-secret`,
    [ok, no, ok, no, no, no],
  ),
  // Public: the signature is the credential, whatever the Authorization header says; this one is wrong.
  'GET /v1/postbacks/{key}': row(
    (b) => `/v1/postbacks/${b.postbackKey}?txid=sec-postback&click_id=sec-click&event=purchase&sig=${'0'.repeat(64)}`,
    [ok, ok, ok, ok, ok, ok],
    { public: true, allowed: { status: 401, code: 'bad_signature' } },
  ),
};

const probeBody = { securityProbe: true };
const badTokens: [string, Record<string, string>][] = [
  ['no token', {}],
  ['an unknown token', { authorization: 'Bearer tly_this_token_was_never_issued_000' }],
  ['the admin token with one character changed', { authorization: `Bearer ${adminToken.slice(0, -1)}X` }],
  ['a malformed Authorization header', { authorization: 'Bearer' }],
];

/** The same book with every id replaced by one that does not exist: what "hidden" must look like. */
function ghostOf(book: SecurityBook): SecurityBook {
  const ghost = (id: string) =>
    id.replace(/^([a-z]+_)?.*$/, (_match, prefix: string | undefined) => `${prefix ?? 'sec-'}01GHOSTGHOSTGHOSTGHOSTGHOST`);
  const parties = { A: ghost(book.parties.A), B: ghost(book.parties.B), P: ghost(book.parties.P) };
  const entries = Object.entries(book).map(([key, value]) => [key, typeof value === 'string' ? ghost(value) : value]);
  return { ...(Object.fromEntries(entries) as SecurityBook), parties };
}

function isWrite(method: string): boolean {
  return method !== 'GET';
}

describeStore('access matrix', () => {
  let h: Harness;
  let book: SecurityBook;
  const answers = { calls: 0, routes: 0 };

  /** The token of each caller, for a route whose path names an object of `owner`. */
  function tokenOf(caller: Caller, owner: 'A' | 'P'): string {
    if (caller === 'party') return book.partyTokens[owner];
    if (caller === 'otherParty') return book.partyTokens.B;
    return book.tokens[caller];
  }

  /** Ids and names that a party's user must never read: other parties' objects. */
  function foreignMarkers(party: 'A' | 'B' | 'P'): string[] {
    const byParty = {
      A: [
        book.parties.A,
        book.partyNames.A,
        book.contractA,
        book.draftContractA,
        book.pendingContractA,
        book.invoiceA,
        book.draftInvoiceA,
        book.creditNoteA,
        book.conversionA,
      ],
      B: [book.parties.B, book.partyNames.B, book.contractB, book.invoiceB],
      P: [book.parties.P, book.partyNames.P, book.contractP, book.statementP],
    };
    const markers = Object.entries(byParty).flatMap(([owner, list]) => (owner === party ? [] : list));
    // P's own contract applies to A's contract: that id is part of P's own terms.
    return party === 'P' ? markers.filter((marker) => marker !== book.contractA) : markers;
  }

  function call(method: string, url: string, token: string | null, headers: Record<string, string> = {}): Promise<CallResult> {
    answers.calls += 1;
    return h.call(method, url, { token, headers, body: isWrite(method) && method !== 'DELETE' ? probeBody : undefined });
  }

  beforeAll(async () => {
    h = await startHarness({ today: securityBookToday });
    book = await buildSecurityBook(h);
  });
  afterAll(async () => {
    await h?.close();
    if (answers.routes > 0)
      console.info(`access matrix: ${answers.routes} routes × ${callers.length + badTokens.length} callers, ${answers.calls} requests`);
  });

  it('lists every /v1 route of the OpenAPI document, and the document lists every /v1 route served', () => {
    const documented = openApiRoutes(h.app).map((route) => route.key);
    const listed = Object.keys(matrix).sort();
    expect({
      missingFromMatrix: documented.filter((key) => !listed.includes(key)),
      notInDocument: listed.filter((key) => !documented.includes(key)),
    }).toEqual({
      missingFromMatrix: [],
      notInDocument: [],
    });
    // A route left out of the document (schema.hide) would escape the matrix: none is.
    const served = servedRoutes(h.app);
    expect(served.length).toBeGreaterThan(50);
    expect(served).toEqual(documented);
    // Only sign-in and postbacks (signed with their source's secret) ask for no credentials.
    expect(
      openApiRoutes(h.app)
        .filter((route) => route.public)
        .map((route) => route.key),
    ).toEqual(['GET /v1/postbacks/{key}', 'POST /v1/sessions']);
  });

  describe.each(Object.entries(matrix))('%s', (key, entry) => {
    const method = key.split(' ')[0] as string;

    it('answers each caller as the matrix says, and writes nothing', async () => {
      answers.routes += 1;
      const url = entry.url(book);
      const owner = entry.owner ?? 'A';
      const before = await countAllTables(h);
      const probe = entry.allowed ?? (isWrite(method) ? { status: 400, code: 'probe' } : undefined);

      for (const [label, headers] of badTokens) {
        const response = await call(method, url, null, headers);
        if (entry.public) {
          expect(response.status, `${label}: ${response.text.slice(0, 300)}`).toBe(probe?.status);
        } else {
          expect(response.status, `${label}: ${response.text.slice(0, 300)}`).toBe(401);
          expect(response.body.code).toBe('unauthenticated');
          expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
        }
      }

      for (const caller of callers) {
        const outcome = entry.rights[caller];
        const response = await call(method, url, tokenOf(caller, owner));
        const what = `${caller} → ${response.status} ${response.text.slice(0, 300)}`;
        expect(response.status, what).toBeLessThan(500);
        if (outcome === 'no') {
          expect(response.status, what).toBe(403);
          expect(response.body.code, what).toBe('forbidden');
        } else if (outcome === 'hide') {
          // Another party's object answers exactly as an object that does not exist.
          const ghost = await call(method, entry.url(ghostOf(book)), tokenOf(caller, owner));
          expect(response.status, what).toBe(404);
          expect(response.body.code, what).toBe(ghost.body.code);
          expect(response.text).not.toContain(book.partyNames[owner]);
        } else if (probe) {
          expect(response.status, what).toBe(probe.status);
          if (probe.code === 'probe')
            expect(response.body.errors, what).toContainEqual({ path: 'securityProbe', message: 'unknown field' });
          else expect(response.body.code, what).toBe(probe.code);
        } else {
          expect(response.status, what).toBe(200);
        }
        if (caller === 'party' || caller === 'otherParty') {
          const party = caller === 'party' ? owner : 'B';
          if (response.status === 200) {
            for (const marker of foreignMarkers(party))
              expect(response.text, `${caller} of ${party} reads ${marker}`).not.toContain(marker);
          }
          if (outcome === 'own') {
            const items = response.body.data as { id: string; partyId?: string }[];
            expect(Array.isArray(items), what).toBe(true);
            for (const item of items) expect(item.partyId ?? item.id, what).toBe(book.parties[party]);
          }
        }
      }
      expect(await countAllTables(h)).toEqual(before);
    });
  });

  describe('party scoping beyond the sweep', () => {
    it('keeps drafts internal: a party does not see its own draft invoice', async () => {
      expect((await h.call('GET', `/v1/invoices/${book.draftInvoiceA}`, { token: book.tokens.viewer })).status).toBe(200);
      const own = await h.call('GET', `/v1/invoices/${book.draftInvoiceA}`, { token: book.partyTokens.A });
      expect(own.status).toBe(404);
      expect(own.body.code).toBe('document_not_found');
      const list = await h.call('GET', '/v1/invoices?limit=500', { token: book.partyTokens.A });
      expect((list.body.data as { id: string }[]).map((invoice) => invoice.id)).toEqual([book.invoiceA]);
    });

    it('a partner paid on an advertiser’s contract still cannot read that contract or its delivery', async () => {
      for (const url of [
        `/v1/contracts/${book.contractA}`,
        `/v1/impressions?contractId=${book.contractA}&${october}`,
        `/v1/conversions/${book.conversionA}`,
        `/v1/invoices/${book.invoiceA}`,
      ]) {
        const response = await h.call('GET', url, { token: book.partyTokens.P });
        expect(response.status, url).toBe(404);
      }
    });

    it('filters in the query cannot widen a party’s view', async () => {
      const asB = (url: string) => h.call('GET', url, { token: book.partyTokens.B });
      for (const url of [
        `/v1/invoices?partyId=${book.parties.A}`,
        `/v1/payout-statements?partyId=${book.parties.P}`,
        `/v1/contracts?partyId=${book.parties.A}`,
        `/v1/credit-notes?invoiceId=${book.invoiceA}`,
      ]) {
        const response = await asB(url);
        expect(response.status, url).toBe(200);
        for (const item of response.body.data as { partyId: string }[]) expect(item.partyId, url).toBe(book.parties.B);
        for (const marker of foreignMarkers('B')) expect(response.text, url).not.toContain(marker);
      }
      expect((await asB(`/v1/conversions?contractId=${book.contractA}&status=approved`)).status).toBe(404);
    });

    it('a party posts conversions for its own contracts only; another party’s contract answers as an unknown one', async () => {
      const conversion = (contractId: string, id: string) => ({
        records: [
          {
            id,
            contractId,
            lineItem: 'sales',
            eventType: 'purchase',
            occurredAt: '2026-12-01T10:00:00Z',
            touch: { type: 'click', at: '2026-12-01T09:00:00Z' },
          },
        ],
      });
      const before = await countAllTables(h);
      const foreign = await h.call('POST', '/v1/conversions', {
        token: book.partyTokens.B,
        body: conversion(book.contractA, 'sec-foreign-1'),
      });
      const unknown = await h.call('POST', '/v1/conversions', {
        token: book.partyTokens.B,
        body: conversion('ctr_01GHOSTGHOSTGHOSTGHOSTGHOST', 'sec-foreign-1'),
      });
      expect(foreign.status).toBe(422);
      expect(foreign.body.code).toBe('unknown_contract');
      expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: foreign.status, code: foreign.body.code });
      expect(foreign.text).not.toContain(book.partyNames.A);
      const csv = `id,contractId,lineItem,eventType,occurredAt,touch.type,touch.at\nsec-foreign-2,${book.contractA},sales,purchase,2026-12-01T10:00:00Z,click,2026-12-01T09:00:00Z\n`;
      const imported = await h.call('POST', '/v1/conversions/import', {
        token: book.partyTokens.B,
        body: csv,
        headers: { 'content-type': 'text/csv' },
      });
      expect(imported.status).toBe(422);
      expect(await countAllTables(h)).toEqual(before);

      // The control: the owner's user may post the same conversion.
      const owned = await h.call('POST', '/v1/conversions', { token: book.partyTokens.A, body: conversion(book.contractA, 'sec-owned-1') });
      expect(owned.status, owned.text).toBe(200);
      expect(owned.body).toMatchObject({ accepted: 1, created: 1 });
    });
  });
});
