/**
 * The API beside the browser, for what a journey sets up without clicking through it (a contract
 * approved, delivery loaded, a billing run): each demo user's token, as `tally serve --demo`
 * prints it once at start, a JSON call that fails the test with the server's answer, and a party's
 * draft invoice for a month made of those calls.
 */
import type { RunningServer } from './server.ts';

export type DemoRole = 'admin' | 'finance' | 'ops' | 'viewer';

/** The token the demo seed printed for the demo user of `role`. */
export function demoToken(server: RunningServer, role: DemoRole): string {
  const match = new RegExp(`^\\s*${role}\\s+\\S+\\s+token (\\S+)`, 'm').exec(server.output());
  if (!match?.[1]) throw new Error(`the server printed no demo token for ${role}:\n${server.output()}`);
  return match[1];
}

/** Calls the API as `role` and answers the JSON body; anything but `expected` (default 2xx) throws with the answer. */
export async function callAs<T>(
  server: RunningServer,
  role: DemoRole,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
  expected?: number,
): Promise<T> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${demoToken(server, role)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const ok = expected === undefined ? response.ok : response.status === expected;
  if (!ok) throw new Error(`${method} ${path} as ${role}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/**
 * A draft invoice of 1,000.00 (before tax) for `partyId` for November 2026, made as people would:
 * ops writes a one-line CPM contract in `currency` (10.00 per 1,000) and submits it, finance
 * approves it, ops loads 100,000 impressions, and finance runs November's billing. Answers the
 * draft's id; the run drafts every party's November invoices, so it throws unless this party has
 * exactly one.
 */
export async function draftNovemberInvoice(server: RunningServer, partyId: string, currency: string, name: string): Promise<string> {
  const terms = {
    startDate: '2026-11-01',
    endDate: '2026-11-30',
    currency,
    billingPeriod: 'calendar_month',
    lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '10' } }],
  };
  const contract = await callAs<{ id: string }>(server, 'ops', 'POST', '/v1/contracts', { partyId, side: 'sell', name, terms });
  await callAs(server, 'ops', 'POST', `/v1/contracts/${contract.id}/versions/1/submit`);
  await callAs(server, 'finance', 'POST', `/v1/contracts/${contract.id}/versions/1/approve`, { comment: 'e2e' });
  await callAs(server, 'ops', 'POST', '/v1/impressions', {
    records: [{ contractId: contract.id, lineItem: 'display', date: '2026-11-10', source: 'first_party', impressions: 100_000 }],
  });
  await callAs(server, 'finance', 'POST', '/v1/billing-runs', { period: '2026-11' });
  const drafts = await callAs<{ data: { id: string }[] }>(server, 'finance', 'GET', `/v1/invoices?partyId=${partyId}&lines=false`);
  const [draft, ...others] = drafts.data;
  if (!draft || others.length > 0) throw new Error(`expected one draft invoice for ${partyId}, found ${drafts.data.length}`);
  return draft.id;
}
