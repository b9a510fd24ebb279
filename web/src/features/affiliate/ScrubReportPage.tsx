/**
 * The scrub report (SPEC §9): conversions per credited partner and day (the UTC date they occurred
 * on), where their statuses stand today and what the rules caught at intake by reason, with a chart
 * per partner. Charts are drawn by recharts, loaded with the first chart.
 */
import { lazy, Suspense, useState } from 'react';
import { addDays, daysBetween, todayDate } from '../../common/dates.ts';
import { formatCount } from '../../common/format.ts';
import { CalendarFilter } from '../../common/ui/filters.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { DataTable, ListStates } from '../../common/ui/PagedTable.tsx';
import { EmptyState, Loading } from '../../common/ui/states.tsx';
import { listOf } from '../../common/use-paged-list.ts';
import { PartyName } from '../parties/PartyName.tsx';
import { PartyPicker } from '../parties/PartyPicker.tsx';
import { OfferPicker } from './OfferPicker.tsx';
import { type PartnerReport, percentOf, reportByPartner } from './scrub-report.ts';
import { type ScrubReportRow, useScrubReportQuery } from './scrub-api.ts';

const ScrubChart = lazy(() => import('./ScrubChart.tsx'));

/** Charts drawn at most: a page of charts stays readable and fast; the table lists every partner. */
const CHARTS_MAX = 12;
/** The report covers at most 366 days (the server's limit). */
const REPORT_DAYS_MAX = 366;

/** "1 day", "30 days". */
function counted(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

export function PartnerLabel({ partnerId }: { partnerId: string | null }) {
  return partnerId ? <PartyName id={partnerId} /> : <span className="muted">No partner credited</span>;
}

export default function ScrubReportPage() {
  const today = todayDate();
  const [from, setFrom] = useState(addDays(today, -29));
  const [to, setTo] = useState(today);
  const [contractId, setContractId] = useState('');
  const [partnerId, setPartnerId] = useState('');
  const span = from && to ? daysBetween(from, to) : Number.NaN;
  const rangeError =
    !from || !to ? 'Choose both dates' : span < 0 ? 'before From' : span >= REPORT_DAYS_MAX ? `at most ${REPORT_DAYS_MAX} days` : undefined;
  return (
    <>
      <PageHeader
        title="Scrub report"
        subtitle="Conversions per partner and day they occurred (UTC): where their statuses stand today, and what the rules rejected or held at intake, by reason."
      />
      <div className="toolbar">
        <CalendarFilter label="From" type="date" value={from} onChange={setFrom} />
        <CalendarFilter label="To" type="date" value={to} onChange={setTo} error={rangeError} />
        <div style={{ minWidth: 380 }}>
          <OfferPicker value={contractId} onChange={setContractId} emptyLabel="Any offer" />
        </div>
        <div style={{ minWidth: 380 }}>
          <PartyPicker
            label="Partner"
            kind="partner"
            value={partnerId}
            onChange={(party) => setPartnerId(party?.id ?? '')}
            emptyLabel="Any partner"
          />
        </div>
      </div>
      {rangeError ? (
        <EmptyState title="Choose the days to report">{rangeError}</EmptyState>
      ) : (
        <Report query={{ from, to, contractId: contractId || undefined, partnerId: partnerId || undefined }} />
      )}
    </>
  );
}

function Report({ query }: { query: { from: string; to: string; contractId?: string | undefined; partnerId?: string | undefined } }) {
  const report = useScrubReportQuery(query);
  const partners = report.data ? reportByPartner(report.data.data) : undefined;
  return (
    <ListStates list={listOf(report, partners)} emptyTitle="No conversions occurred in these days" loadingLabel="Loading the report…">
      {(items) => (
        <>
          <DataTable<PartnerReport>
            items={items}
            rowKey={(partner) => partner.partnerId ?? 'none'}
            label="Scrub report by partner"
            columns={[
              { header: 'Partner', cell: (partner) => <PartnerLabel partnerId={partner.partnerId} /> },
              { header: 'Received', cell: (partner) => formatCount(partner.totals.received), className: 'number' },
              { header: 'Approved', cell: (partner) => formatCount(partner.totals.approved), className: 'number' },
              { header: 'Pending', cell: (partner) => formatCount(partner.totals.pending), className: 'number' },
              { header: 'Held', cell: (partner) => formatCount(partner.totals.held), className: 'number' },
              { header: 'Rejected', cell: (partner) => formatCount(partner.totals.rejected), className: 'number' },
              { header: 'Reversed', cell: (partner) => formatCount(partner.totals.reversed), className: 'number' },
              {
                header: 'Rejected share',
                cell: (partner) => percentOf(partner.totals.rejected, partner.totals.received),
                className: 'number',
              },
              {
                header: 'Caught by rules, by reason',
                cell: (partner) =>
                  partner.byReason.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    partner.byReason.map(([reason, count]) => `${reason} ${formatCount(count)}`).join(', ')
                  ),
                className: 'small',
              },
            ]}
          />
          <h2>By day</h2>
          {items.length > CHARTS_MAX && (
            <p className="small muted">
              The {CHARTS_MAX} partners with the most conversions are charted; choose a partner above to see another.
            </p>
          )}
          <div className="grid-2">
            {items.slice(0, CHARTS_MAX).map((partner) => (
              <section key={partner.partnerId ?? 'none'} className="card" aria-label={`Chart of ${partner.partnerId ?? 'no partner'}`}>
                <h3 style={{ marginTop: 0 }}>
                  <PartnerLabel partnerId={partner.partnerId} />
                </h3>
                <div
                  style={{ height: 220 }}
                  role="img"
                  aria-label={`${counted(partner.totals.received, 'conversion')} over ${counted(partner.days.length, 'day')}: ${formatCount(partner.totals.approved)} approved, ${formatCount(partner.totals.held)} held, ${formatCount(partner.totals.rejected)} rejected`}
                >
                  <Suspense fallback={<Loading label="Drawing…" />}>
                    <ScrubChart days={partner.days} />
                  </Suspense>
                </div>
                <DayTable days={partner.days} />
              </section>
            ))}
          </div>
        </>
      )}
    </ListStates>
  );
}

/** A partner's days as numbers, for whoever cannot read the chart (or wants the figures). */
function DayTable({ days }: { days: ScrubReportRow[] }) {
  return (
    <details>
      <summary className="small">Figures by day</summary>
      <DataTable<ScrubReportRow>
        items={days}
        rowKey={(day) => day.date}
        framed={false}
        label="Figures by day"
        columns={[
          { header: 'Date', cell: (day) => day.date, className: 'mono' },
          { header: 'Received', cell: (day) => formatCount(day.received), className: 'number' },
          { header: 'Approved', cell: (day) => formatCount(day.approved), className: 'number' },
          { header: 'Pending', cell: (day) => formatCount(day.pending), className: 'number' },
          { header: 'Held', cell: (day) => formatCount(day.held), className: 'number' },
          { header: 'Rejected', cell: (day) => formatCount(day.rejected), className: 'number' },
          { header: 'Reversed', cell: (day) => formatCount(day.reversed), className: 'number' },
        ]}
      />
    </details>
  );
}
