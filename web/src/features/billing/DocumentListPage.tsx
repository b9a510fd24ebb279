/**
 * Invoices or payout statements: filter by status, month and party; server-paginated. The filters
 * live in the address (`?partyId=…`), so that the receivables aging links to a party's invoices and
 * a reload keeps the list.
 */
import { CalendarFilter, StatusFilter } from '../../common/ui/filters.tsx';
import { useAddressFilters } from '../../common/use-address-filters.ts';
import { PageHeader } from '../../common/ui/Page.tsx';
import { PartyPicker } from '../parties/PartyPicker.tsx';
import { type DocumentKind, documentStatuses } from './billing-api.ts';
import { DocumentTable } from './DocumentTable.tsx';

const titles: Record<DocumentKind, { title: string; subtitle: string; empty: string }> = {
  invoice: { title: 'Invoices', subtitle: 'What our advertisers and agencies owe, month by month.', empty: 'No invoices yet' },
  payout_statement: {
    title: 'Payout statements',
    subtitle: 'What we owe our partners, month by month.',
    empty: 'No payout statements yet',
  },
};

export default function DocumentListPage({ kind }: { kind: DocumentKind }) {
  const [filters, setFilters] = useAddressFilters(['status', 'period', 'partyId'] as const);
  const { period, partyId } = filters;
  // An address may say anything: a status the list does not know filters nothing.
  const status = documentStatuses.find((known) => known === filters.status) ?? '';
  const validPeriod = /^\d{4}-\d{2}$/.test(period) ? period : undefined;
  const filtered = status !== '' || validPeriod !== undefined || partyId !== '';
  const text = titles[kind];
  return (
    <>
      <PageHeader title={text.title} subtitle={text.subtitle} />
      <div className="toolbar">
        <StatusFilter value={status} onChange={(value) => setFilters({ status: value })} statuses={documentStatuses} />
        <CalendarFilter label="Month" type="month" value={period} onChange={(value) => setFilters({ period: value })} />
        <div style={{ minWidth: 380 }}>
          <PartyPicker
            value={partyId}
            onChange={(party) => setFilters({ partyId: party?.id ?? '' })}
            kind={kind === 'payout_statement' ? 'partner' : undefined}
            emptyLabel="Any party"
          />
        </div>
      </div>
      <DocumentTable
        filters={{ kind, status: status || undefined, period: validPeriod, partyId: partyId || undefined }}
        label={text.title}
        emptyTitle={filtered ? 'Nothing matches these filters' : text.empty}
        emptyHint={filtered ? undefined : 'A billing run drafts them; finalized ones get their numbers.'}
      />
    </>
  );
}
