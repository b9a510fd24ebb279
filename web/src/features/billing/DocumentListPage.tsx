/** Invoices or payout statements: filter by status, month and party; server-paginated. */
import { useState } from 'react';
import { CalendarFilter, StatusFilter } from '../../common/ui/filters.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { PartyPicker } from '../parties/PartyPicker.tsx';
import { type DocumentKind, documentStatuses, type InvoiceStatus } from './billing-api.ts';
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
  const [status, setStatus] = useState<InvoiceStatus | ''>('');
  const [period, setPeriod] = useState('');
  const [partyId, setPartyId] = useState('');
  const validPeriod = /^\d{4}-\d{2}$/.test(period) ? period : undefined;
  const filtered = status !== '' || validPeriod !== undefined || partyId !== '';
  const text = titles[kind];
  return (
    <>
      <PageHeader title={text.title} subtitle={text.subtitle} />
      <div className="toolbar">
        <StatusFilter value={status} onChange={setStatus} statuses={documentStatuses} />
        <CalendarFilter label="Month" type="month" value={period} onChange={setPeriod} />
        <div style={{ minWidth: 380 }}>
          <PartyPicker
            value={partyId}
            onChange={(party) => setPartyId(party?.id ?? '')}
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
