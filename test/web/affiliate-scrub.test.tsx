/**
 * Scrub rules and their review (SPEC §9): the rule editor checked by the server's schema, its
 * "test against the last 30 days" preview with the server's figures (and a note once the rule
 * changed), creating the rule; the rules list by role; the held queue's bulk release and rejection
 * sending exactly the ids ticked or the filters with the instant the queue was seen; the scrub
 * report per partner with a chart each.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import HeldQueuePage from '../../web/src/features/affiliate/HeldQueuePage.tsx';
import ScrubReportPage from '../../web/src/features/affiliate/ScrubReportPage.tsx';
import ScrubRuleEditorPage from '../../web/src/features/affiliate/ScrubRuleEditorPage.tsx';
import ScrubRulesPage from '../../web/src/features/affiliate/ScrubRulesPage.tsx';
import { renderSignedIn, signedInUser } from './api-stub.tsx';
import { answeredAt, bigOrders, preview, problem, stubAffiliate, tooFast } from './affiliate-fixtures.ts';

// recharts' CommonJS build does not load in the web project's vmThreads; the chart's data and its
// accessible summary are the page's own, and are what these tests read.
vi.mock('../../web/src/features/affiliate/ScrubChart.tsx', () => ({
  default: ({ days }: { days: { date: string }[] }) => <span data-testid="chart">{days.map((day) => day.date).join(' ')}</span>,
}));

const ops = { ...signedInUser, role: 'ops' as const };
const finance = { ...signedInUser, role: 'finance' as const };
const viewer = { ...signedInUser, role: 'viewer' as const };

const rowTexts = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.textContent);

describe('the scrub rule editor', () => {
  const newRule = { ...tooFast, id: 'scr_new', contractId: null };

  function renderEditor() {
    return renderSignedIn(
      <Routes>
        <Route path="*" element={<ScrubRuleEditorPage />} />
        <Route path="/affiliate/scrub-rules/:ruleId" element={<p>rule page</p>} />
      </Routes>,
      ops,
    );
  }

  async function fillTooFast(user: ReturnType<typeof userEvent.setup>) {
    await user.type(screen.getByLabelText('Name'), 'Click to conversion under 20 s');
    await user.clear(screen.getByLabelText('Priority'));
    await user.type(screen.getByLabelText('Priority'), '10');
    await user.type(screen.getByLabelText('Reason code'), 'click_too_fast');
    const first = screen.getByRole('group', { name: 'Condition 1' });
    await user.type(within(first).getByLabelText('Value'), '20');
    await user.click(screen.getByRole('button', { name: 'Add condition' }));
    const second = screen.getByRole('group', { name: 'Condition 2' });
    await user.selectOptions(within(second).getByLabelText('Field'), 'country');
    await user.selectOptions(within(second).getByLabelText('Operator'), 'not_in');
    await user.type(within(second).getByLabelText('Values'), 'us, ca');
  }

  it('tests the rule against the last 30 days and shows the server’s figures, then says when the rule changed since', async () => {
    const user = userEvent.setup();
    const sent = stubAffiliate((request) => (request.url.pathname === '/v1/scrub-rules/preview' ? { body: preview } : undefined));
    await renderEditor();
    await fillTooFast(user);
    await user.click(screen.getByRole('button', { name: 'Test against the last 30 days' }));
    const panel = await screen.findByTestId('preview');
    const rule = {
      name: 'Click to conversion under 20 s',
      priority: 10,
      conditions: [
        { field: 'clickToConversionSeconds', op: 'lt', value: 20 },
        { field: 'country', op: 'not_in', value: ['US', 'CA'] },
      ],
      action: 'reject',
      reason: 'click_too_fast',
    };
    expect(sent.find((request) => request.url.pathname === '/v1/scrub-rules/preview')?.body).toEqual({ rule });
    expect(within(panel).getByTestId('preview-figures').textContent).toBe('Evaluated7Matched2Would reject1Decided first by another rule1');
    expect(panel.textContent).toContain('1 of the matched conversions are approved today: billed ones this rule would have stopped.');
    const byPartner = within(panel).getByRole('table', { name: 'Preview by partner' });
    await within(byPartner).findByText('CouponCity');
    expect(rowTexts(byPartner)).toEqual(['CouponCity42111', 'CashbackApp30000']);
    expect(within(panel).getByRole('link', { name: 'ord-0999' })).toBeTruthy();
    expect(within(panel).queryByText(/The rule changed since this test/)).toBeNull();
    // Nothing was created by testing.
    expect(sent.some((request) => request.method === 'POST' && request.url.pathname === '/v1/scrub-rules')).toBe(false);

    await user.type(within(screen.getByRole('group', { name: 'Condition 1' })).getByLabelText('Value'), '0');
    expect(within(panel).getByText(/The rule changed since this test/)).toBeTruthy();
  });

  it('creates the rule and opens its page', async () => {
    const user = userEvent.setup();
    const sent = stubAffiliate((request) =>
      request.method === 'POST' && request.url.pathname === '/v1/scrub-rules' ? { status: 201, body: newRule } : undefined,
    );
    await renderEditor();
    await fillTooFast(user);
    await user.click(screen.getByRole('button', { name: 'Create rule' }));
    await screen.findByText('rule page');
    expect(sent.find((request) => request.method === 'POST')?.body).toMatchObject({
      priority: 10,
      action: 'reject',
      conditions: [{ value: 20 }, { value: ['US', 'CA'] }],
    });
  });

  it('shows the schema’s complaints at their fields and sends nothing', async () => {
    const user = userEvent.setup();
    const sent = stubAffiliate();
    await renderEditor();
    await user.type(screen.getByLabelText('Name'), 'Odd');
    await user.type(screen.getByLabelText('Reason code'), 'Too Fast');
    const first = screen.getByRole('group', { name: 'Condition 1' });
    await user.type(within(first).getByLabelText('Value'), '2.5');
    // A field's complaint shows once it is edited, before any test: the reason code's.
    expect(screen.getByText(/must be a reason code/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add condition' }));
    const second = screen.getByRole('group', { name: 'Condition 2' });
    await user.selectOptions(within(second).getByLabelText('Field'), 'country');
    await user.selectOptions(within(second).getByLabelText('Operator'), 'in');
    await user.type(within(second).getByLabelText('Values'), 'US, C4');
    await user.click(screen.getByRole('button', { name: 'Test against the last 30 days' }));
    expect(within(first).getByText(/must be a whole number of seconds/)).toBeTruthy();
    // The schema names the list's second value (conditions[1].value[1]): it shows at the one input the list is typed in.
    expect(within(second).getByText(/must be an ISO 3166-1 alpha-2 country code/)).toBeTruthy();
    expect(sent.some((request) => request.method === 'POST')).toBe(false);
  });

  it('shows the server’s refusal of a preview at the field it names', async () => {
    const user = userEvent.setup();
    stubAffiliate((request) =>
      request.url.pathname === '/v1/scrub-rules/preview'
        ? problem(422, 'unknown_partner', [{ path: 'rule.conditions[1].value[0]', message: 'pty_gone is not a partner' }])
        : undefined,
    );
    await renderEditor();
    await fillTooFast(user);
    await user.click(screen.getByRole('button', { name: 'Test against the last 30 days' }));
    const second = screen.getByRole('group', { name: 'Condition 2' });
    expect(await within(second).findByText('pty_gone is not a partner')).toBeTruthy();
  });
});

describe('the scrub rules list', () => {
  it('lists the rules in evaluation order with their conditions in words; a viewer cannot add or disable one', async () => {
    stubAffiliate();
    await renderSignedIn(<ScrubRulesPage />, viewer);
    const table = await screen.findByRole('table', { name: 'Scrub rules' });
    expect(rowTexts(table)).toEqual([
      '10Click to conversion under 20 sclick to conversion < 20 s and country not in US, CArejectclick_too_fastevery offeractive',
      '20Orders over 1,000value ≥ 1000.00holdlarge_orderevery offeractive',
    ]);
    expect(screen.queryByRole('link', { name: 'New rule' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Disable/ })).toBeNull();
  });

  it('lets ops disable a rule (PATCH {active: false})', async () => {
    const user = userEvent.setup();
    const sent = stubAffiliate((request) => (request.method === 'PATCH' ? { body: { ...bigOrders, active: false } } : undefined));
    await renderSignedIn(<ScrubRulesPage />, ops);
    expect(await screen.findByRole('link', { name: 'New rule' })).toBeTruthy();
    await user.click(await screen.findByRole('button', { name: `Disable ${bigOrders.name}` }));
    await waitFor(() => expect(sent.some((request) => request.method === 'PATCH')).toBe(true));
    const patch = sent.find((request) => request.method === 'PATCH');
    expect(patch?.url.pathname).toBe(`/v1/scrub-rules/${bigOrders.id}`);
    expect(patch?.body).toEqual({ active: false });
  });
});

describe('the held queue', () => {
  function renderQueue(location: string, user: typeof signedInUser) {
    return renderSignedIn(
      <Routes location={location}>
        <Route path="/affiliate/held" element={<HeldQueuePage />} />
      </Routes>,
      user,
    );
  }

  it('releases the conversions ticked, by id, with the reason given, and says what it did', async () => {
    const user = userEvent.setup();
    const sent = stubAffiliate((request) =>
      request.method === 'POST' ? { body: { updated: 1, skipped: ['ord-1010'], remaining: 0 } } : undefined,
    );
    await renderQueue('/affiliate/held', ops);
    const table = await screen.findByRole('table', { name: 'Held conversions' });
    await within(table).findAllByText('CouponCity');
    await within(table).findByText('$2,400.00');
    expect(rowTexts(table)[0]).toMatch(/^ord-1002C-2026-0007CouponCitypurchase\$2,400\.00.*Orders over 1,000large_order$/);
    expect(screen.getByRole('button', { name: 'Release ticked (0)' })).toHaveProperty('disabled', true);
    await user.click(screen.getByRole('checkbox', { name: 'Tick ord-1002' }));
    await user.click(screen.getByRole('checkbox', { name: 'Tick ord-1010' }));
    await user.click(screen.getByRole('button', { name: 'Release ticked (2)' }));
    const dialog = screen.getByRole('dialog', { name: 'Release held conversions' });
    expect(dialog.textContent).toContain('Release the 2 ticked conversions');
    await user.type(within(dialog).getByLabelText('Reason (optional)'), 'checked with the advertiser');
    await user.click(within(dialog).getByRole('button', { name: 'Release' }));
    const outcome = await screen.findByTestId('held-outcome');
    const release = sent.find((request) => request.method === 'POST');
    expect(release?.url.pathname).toBe('/v1/scrub/held/release');
    expect(release?.body).toEqual({ ids: ['ord-1002', 'ord-1010'], reason: 'checked with the advertiser' });
    expect(outcome.textContent).toContain('Released 1 conversion.');
    expect(outcome.textContent).toContain('1 skipped, no longer held (decided meanwhile): ord-1010');
    // What was ticked is cleared once decided.
    expect(screen.getByRole('button', { name: 'Release ticked (0)' })).toBeTruthy();
  });

  it('rejects every conversion matching the filters that was held before the queue was shown, and continues past the limit', async () => {
    const user = userEvent.setup();
    let calls = 0;
    const sent = stubAffiliate((request) => {
      if (request.method !== 'POST') return undefined;
      calls += 1;
      return { body: { updated: calls === 1 ? 10_000 : 5, skipped: [], remaining: calls === 1 ? 5 : 0 } };
    });
    await renderQueue(`/affiliate/held?ruleId=${bigOrders.id}`, ops);
    await screen.findByRole('table', { name: 'Held conversions' });
    expect(sent.find((request) => request.url.pathname === '/v1/scrub/held')?.url.searchParams.get('ruleId')).toBe(bigOrders.id);
    await user.click(screen.getByRole('button', { name: 'Reject all matching…' }));
    const dialog = screen.getByRole('dialog', { name: 'Reject held conversions' });
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    const outcome = await screen.findByTestId('held-outcome');
    const rejections = () => sent.filter((request) => request.method === 'POST');
    expect(rejections()[0]?.url.pathname).toBe('/v1/scrub/held/reject');
    expect(rejections()[0]?.body).toEqual({ ruleId: bigOrders.id, heldBefore: answeredAt });
    expect(outcome.textContent).toContain('Rejected 10,000 conversions.');
    expect(outcome.textContent).toContain('5 more match.');
    await user.click(within(outcome).getByRole('button', { name: 'Reject the next ones' }));
    await waitFor(() => expect(rejections()).toHaveLength(2));
    expect(rejections()[1]?.body).toEqual({ ruleId: bigOrders.id, heldBefore: answeredAt });
    await waitFor(() => expect(screen.getByTestId('held-outcome').textContent).toContain('Rejected 5 conversions.'));
  });

  it('shows finance the queue without ticks or decisions (releasing needs delivery.write)', async () => {
    stubAffiliate();
    await renderQueue('/affiliate/held', finance);
    const table = await screen.findByRole('table', { name: 'Held conversions' });
    // Once the rows are there: an empty table has no ticks for anyone.
    await within(table).findByText('$2,400.00');
    expect(within(table).queryByRole('checkbox')).toBeNull();
    expect(screen.queryByRole('button', { name: /Release|Reject/ })).toBeNull();
  });
});

describe('the scrub report', () => {
  it('totals each partner’s days, most conversions first, with the rules’ catches by reason and a chart per partner', async () => {
    const sent = stubAffiliate();
    await renderSignedIn(<ScrubReportPage />, viewer);
    const table = await screen.findByRole('table', { name: 'Scrub report by partner' });
    await within(table).findByText('CouponCity');
    await within(table).findByText('CashbackApp');
    expect(rowTexts(table)).toEqual([
      // 10 + 6 received; 6 + 4 approved; 1 pending; 0 held; 3 + 1 rejected = 4 of 16 = 25 %; 1 reversed.
      'CouponCity1610104125 %click_too_fast 4, large_order 1',
      'CashbackApp3300000 %—',
      'No partner credited1010000 %—',
    ]);
    const request = sent.find((item) => item.url.pathname === '/v1/reports/scrub');
    const from = request?.url.searchParams.get('from') ?? '';
    const to = request?.url.searchParams.get('to') ?? '';
    expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(29);
    const charts = screen.getAllByRole('img');
    expect(charts.map((chart) => chart.getAttribute('aria-label'))).toEqual([
      '16 conversions over 2 days: 10 approved, 0 held, 4 rejected',
      '3 conversions over 1 day: 3 approved, 0 held, 0 rejected',
      '1 conversion over 1 day: 0 approved, 0 held, 0 rejected',
    ]);
    // Each partner's chart is drawn from its own days, in date order.
    expect((await screen.findAllByTestId('chart')).map((chart) => chart.textContent)).toEqual([
      '2026-10-08 2026-10-09',
      '2026-10-08',
      '2026-10-09',
    ]);
  });

  it('refuses a range the server would refuse, without asking it', async () => {
    const user = userEvent.setup();
    const sent = stubAffiliate();
    await renderSignedIn(<ScrubReportPage />, viewer);
    await screen.findByRole('table', { name: 'Scrub report by partner' });
    const asked = sent.filter((request) => request.url.pathname === '/v1/reports/scrub').length;
    await user.clear(screen.getByLabelText('From'));
    await user.type(screen.getByLabelText('From'), '2020-01-01');
    expect(screen.getByText('Choose the days to report')).toBeTruthy();
    expect(sent.filter((request) => request.url.pathname === '/v1/reports/scrub')).toHaveLength(asked);
    // A range it may ask for is asked for at once; by then the refused one would have been asked for too.
    const reports = () => sent.filter((request) => request.url.pathname === '/v1/reports/scrub');
    const to = reports()[0]?.url.searchParams.get('to') ?? '';
    const weekBefore = new Date(Date.parse(to) - 6 * 86_400_000).toISOString().slice(0, 10);
    await user.clear(screen.getByLabelText('From'));
    await user.type(screen.getByLabelText('From'), weekBefore);
    await waitFor(() => expect(reports().map((request) => request.url.searchParams.get('from'))).toContain(weekBefore));
    expect(reports().filter((request) => request.url.searchParams.get('from') === '2020-01-01')).toEqual([]);
  });
});
