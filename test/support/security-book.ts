/**
 * A small billed book for the security suites (access matrix, unknown fields, fuzz): two
 * advertisers and a partner, each with a party user, approved contracts, delivery, issued invoices
 * and a payout statement, a credit note, a webhook endpoint with a queued delivery, a partner
 * postback with a queued call, a postback source, and a spare API key; so that every route's path
 * parameters can name a real object of a known owner.
 */
import { sql } from 'kysely';
import { expect } from 'vitest';
import { enqueuePartnerPostbacks } from '../../src/modules/webhooks/index.ts';
import { adminToken, type CallResult, type Harness } from './harness.ts';
import {
  castOf,
  createApprovedContract,
  createDraftContract,
  createParty,
  postConversions,
  postImpressions,
  wideAttribution,
} from './scenario-helpers.ts';

/** The day the book's clock is pinned to: October is closed and issued, November is billed as drafts. */
export const securityBookToday = '2026-12-05';

export interface PartyUser {
  id: string;
  token: string;
}

export interface SecurityBook {
  tokens: { admin: string; finance: string; ops: string; viewer: string };
  /** Party users: A and B are advertisers, P is a partner paid on A's delivery. */
  partyTokens: { A: string; B: string; P: string };
  parties: { A: string; B: string; P: string };
  partyNames: { A: string; B: string; P: string };
  /** A's approved sell contract (CPM and CPA line items), with delivery and a conversion. */
  contractA: string;
  /** A's contract whose version 1 is a draft, and one whose version 1 waits for approval. */
  draftContractA: string;
  pendingContractA: string;
  /** B's approved sell contract, and P's buy contract that applies to contractA. */
  contractB: string;
  contractP: string;
  conversionA: string;
  /** October's billing run: A's and B's invoices and P's statement, all issued. */
  octoberRun: string;
  invoiceA: string;
  invoiceB: string;
  /** November's draft invoice of A: internal until finalized. */
  draftInvoiceA: string;
  statementP: string;
  creditNoteA: string;
  webhookEndpoint: string;
  webhookDelivery: string;
  /** P's partner postback, and one call of it queued for A's conversion. */
  partnerPostback: string;
  partnerPostbackDelivery: string;
  /** A viewer user and one of its API keys: the targets of the key routes. */
  spareUser: string;
  spareKey: string;
  /** A rate card with an approved version 1, priced from a product of the catalog. */
  rateCard: string;
  /** A postback source for A's CPA line item, and its key. */
  postbackSource: string;
  postbackKey: string;
  /** An active scrub rule that matches nothing the suites send (event type sec-never-sent). */
  scrubRule: string;
}

function expectStatus(response: CallResult, status: number, what: string): void {
  if (response.status !== status)
    throw new Error(`${what}: expected HTTP ${status}, got ${response.status}: ${response.text.slice(0, 500)}`);
}

const quarter = { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD', billingPeriod: 'calendar_month' };

/** Builds the book through the HTTP API on a harness whose clock reads `securityBookToday`. */
export async function buildSecurityBook(h: Harness): Promise<SecurityBook> {
  const cast = await castOf(h);
  const viewer = await h.user('viewer');
  const partyNames = { A: 'Own Advertiser Sec', B: 'Other Advertiser Sec', P: 'Own Partner Sec' };
  const parties = {
    A: await createParty(cast, 'advertiser', partyNames.A),
    B: await createParty(cast, 'advertiser', partyNames.B),
    P: await createParty(cast, 'partner', partyNames.P),
  };

  // The endpoint exists before anything is finalized, so that finalizing queues a delivery to it.
  const endpoint = await h.call('POST', '/v1/webhook-endpoints', {
    body: { url: 'http://127.0.0.1:9/tally-hook', events: ['invoice.finalized'] },
  });
  expectStatus(endpoint, 201, 'create webhook endpoint');
  const partnerPostback = await h.call('POST', '/v1/partner-postbacks', {
    body: { partyId: parties.P, urlTemplate: 'http://127.0.0.1:9/postback?tx={txid}', events: ['conversion.credited'] },
  });
  expectStatus(partnerPostback, 201, 'create partner postback');

  const contractA = await createApprovedContract(cast, parties.A, 'sell', 'Own IO', {
    ...quarter,
    lineItems: [
      { key: 'video', name: 'Video', pricing: { model: 'cpm', ratePerMille: '20.00' } },
      {
        key: 'sales',
        name: 'Sales',
        pricing: { model: 'cpa', events: [{ eventType: 'purchase', amount: '40.00' }], attribution: wideAttribution, billOn: 'approved' },
      },
    ],
  });
  const contractB = await createApprovedContract(cast, parties.B, 'sell', 'Other IO', {
    ...quarter,
    lineItems: [{ key: 'video', name: 'Video', pricing: { model: 'cpm', ratePerMille: '10.00' } }],
  });
  const contractP = await createApprovedContract(cast, parties.P, 'buy', 'Own payout', {
    ...quarter,
    appliesTo: [contractA],
    lineItems: [{ key: 'payout', name: 'Payout', pricing: { model: 'cpm', ratePerMille: '4.00' } }],
  });
  const draftContractA = await createDraftContract(cast, parties.A, 'sell', 'Own draft IO', {
    ...quarter,
    lineItems: [{ key: 'video', name: 'Video', pricing: { model: 'cpm', ratePerMille: '5.00' } }],
  });
  const pendingContractA = await createDraftContract(cast, parties.A, 'sell', 'Own pending IO', {
    ...quarter,
    lineItems: [{ key: 'video', name: 'Video', pricing: { model: 'cpm', ratePerMille: '6.00' } }],
  });
  expectStatus(
    await h.call('POST', `/v1/contracts/${pendingContractA}/versions/1/submit`, { token: cast.ops.token }),
    200,
    'submit pending contract',
  );

  await postImpressions(cast, [
    { contractId: contractA, lineItem: 'video', date: '2026-10-05', source: 'first_party', impressions: 100_000, partnerId: parties.P },
    { contractId: contractA, lineItem: 'video', date: '2026-11-05', source: 'first_party', impressions: 50_000 },
    { contractId: contractB, lineItem: 'video', date: '2026-10-05', source: 'first_party', impressions: 80_000 },
  ]);
  const conversionA = 'sec-conversion-a1';
  await postConversions(cast, [
    {
      id: conversionA,
      contractId: contractA,
      lineItem: 'sales',
      eventType: 'purchase',
      occurredAt: '2026-10-12T15:00:00Z',
      touch: { type: 'click', at: '2026-10-12T09:00:00Z' },
      status: 'approved',
    },
  ]);

  const october = await h.call('POST', '/v1/billing-runs', { token: cast.finance.token, body: { period: '2026-10' } });
  expectStatus(october, 201, 'bill October');
  for (const kind of ['invoice', 'payout_statement']) {
    // Maker-checker: payout statements are finalized by someone other than the run's starter.
    const finalized = await h.call('POST', `/v1/billing-runs/${october.body.id}/finalize`, {
      token: kind === 'invoice' ? cast.finance.token : adminToken,
      body: { kind, reviewed: true },
    });
    expectStatus(finalized, 200, `finalize October ${kind}s`);
  }
  expectStatus(await h.call('POST', '/v1/billing-runs', { token: cast.finance.token, body: { period: '2026-11' } }), 201, 'bill November');

  const documentOf = async (path: string, partyId: string, period: string): Promise<string> => {
    const list = await h.call('GET', `${path}?partyId=${partyId}&period=${period}`, { token: cast.finance.token });
    expectStatus(list, 200, `list ${path}`);
    expect(list.body.data, `one document of ${partyId} in ${path} for ${period}`).toHaveLength(1);
    return list.body.data[0].id as string;
  };
  const invoiceA = await documentOf('/v1/invoices', parties.A, '2026-10');
  const creditNote = await h.call('POST', '/v1/credit-notes', {
    token: cast.finance.token,
    body: { invoiceId: invoiceA, amount: '10.00', reason: 'Make-good' },
  });
  expectStatus(creditNote, 201, 'credit note');

  const deliveries = await h.call('GET', `/v1/webhook-endpoints/${endpoint.body.id}/deliveries`);
  expectStatus(deliveries, 200, 'list webhook deliveries');
  expect(deliveries.body.data.length, 'finalizing queued webhook deliveries').toBeGreaterThan(0);

  // A's conversion names no partner; the book queues a call to P's postback for it directly, so that
  // the delivery routes have a real one without a conversion that would change the book's figures.
  await h.store.db
    .transaction()
    .execute((trx) =>
      enqueuePartnerPostbacks(
        trx,
        new Date('2026-10-12T15:00:00Z'),
        [{ id: conversionA, partnerId: parties.P, eventType: 'purchase', status: 'approved' }],
        'conversion.credited',
      ),
    );
  const postbackDeliveries = await h.call('GET', `/v1/partner-postbacks/${partnerPostback.body.id}/deliveries`);
  expectStatus(postbackDeliveries, 200, 'list partner postback deliveries');
  expect(postbackDeliveries.body.data.length, 'queuing a partner postback call').toBe(1);

  const spareKey = await h.call('POST', `/v1/users/${viewer.id}/api-keys`, { body: { name: 'spare' } });
  expectStatus(spareKey, 201, 'spare key');

  expectStatus(await h.call('POST', '/v1/products', { body: { key: 'sec-ctv', name: 'Security CTV' } }), 201, 'product');
  const rateCard = await h.call('POST', '/v1/rate-cards', {
    body: {
      name: 'Security card',
      currency: 'USD',
      effectiveFrom: '2026-01-01',
      entries: [{ product: 'sec-ctv', model: 'cpm', listRate: '10.00' }],
    },
  });
  expectStatus(rateCard, 201, 'rate card');
  expectStatus(await h.call('POST', `/v1/rate-cards/${rateCard.body.id}/versions/1/submit`, { token: cast.ops.token }), 200, 'submit card');
  expectStatus(
    await h.call('POST', `/v1/rate-cards/${rateCard.body.id}/versions/1/approve`, { token: cast.finance.token }),
    200,
    'approve card',
  );
  const postbackSource = await h.call('POST', '/v1/postback-sources', {
    body: { name: 'Security checkout', contractId: contractA, lineItem: 'sales' },
  });
  expectStatus(postbackSource, 201, 'postback source');
  const scrubRule = await h.call('POST', '/v1/scrub-rules', {
    body: {
      name: 'Security rule',
      priority: 100,
      conditions: [{ field: 'eventType', op: 'eq', value: 'sec-never-sent' }],
      action: 'hold',
      reason: 'security_probe',
    },
  });
  expectStatus(scrubRule, 201, 'scrub rule');

  return {
    tokens: { admin: adminToken, finance: cast.finance.token, ops: cast.ops.token, viewer: viewer.token },
    partyTokens: {
      A: (await h.user('party', { partyId: parties.A })).token,
      B: (await h.user('party', { partyId: parties.B })).token,
      P: (await h.user('party', { partyId: parties.P })).token,
    },
    parties,
    partyNames,
    contractA,
    draftContractA,
    pendingContractA,
    contractB,
    contractP,
    conversionA,
    octoberRun: october.body.id as string,
    invoiceA,
    invoiceB: await documentOf('/v1/invoices', parties.B, '2026-10'),
    draftInvoiceA: await documentOf('/v1/invoices', parties.A, '2026-11'),
    statementP: await documentOf('/v1/payout-statements', parties.P, '2026-10'),
    creditNoteA: creditNote.body.id as string,
    webhookEndpoint: endpoint.body.id as string,
    webhookDelivery: deliveries.body.data[0].id as string,
    partnerPostback: partnerPostback.body.id as string,
    partnerPostbackDelivery: postbackDeliveries.body.data[0].id as string,
    spareUser: viewer.id,
    spareKey: spareKey.body.id as string,
    rateCard: rateCard.body.id as string,
    postbackSource: postbackSource.body.id as string,
    postbackKey: postbackSource.body.key as string,
    scrubRule: scrubRule.body.id as string,
  };
}

/** Each store's tables, read from the catalog once: the suites change no schema while they run. */
const tablesOfStore = new WeakMap<Harness['store'], Promise<string[]>>();

function tableNames(h: Harness): Promise<string[]> {
  let tables = tablesOfStore.get(h.store);
  if (!tables) {
    tables = sql<{
      name: string;
    }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`
      .execute(h.store.db)
      .then((result) => result.rows.map((row) => row.name));
    tablesOfStore.set(h.store, tables);
  }
  return tables;
}

/**
 * Tables every request may write whatever it asks, which "nothing written" leaves out: the shared
 * rate-limit windows (PostgreSQL) count each request of a caller, refused ones too.
 */
const requestBookkeeping = ['rate_limit_windows'];

/**
 * Row counts of every table of the store in one query, keyed by table name. "Nothing written"
 * compares two of these; the tables are read from the catalog, so a new table cannot be missed.
 */
export async function countAllTables(h: Harness, except: readonly string[] = []): Promise<Record<string, number>> {
  const names = (await tableNames(h)).filter((name) => !except.includes(name) && !requestBookkeeping.includes(name));
  const counts = await sql<{ name: string; count: number }>`${sql.join(
    names.map((name) => sql`select ${name} as name, count(*)::int as count from ${sql.table(name)}`),
    sql` union all `,
  )}`.execute(h.store.db);
  return Object.fromEntries(counts.rows.map((row) => [row.name, row.count]));
}
