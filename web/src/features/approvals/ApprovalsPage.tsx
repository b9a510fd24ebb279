/** What waits for me: pending versions I may approve (not my own: maker-checker). */
import { Link } from 'react-router';
import { useCurrentUser } from '../../app/hooks.ts';
import { formatDate, formatInstant, humanize } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { listOf } from '../../common/use-paged-list.ts';
import { ImpactSummary } from '../impact/ImpactPanel.tsx';
import { PartyName } from '../parties/PartyName.tsx';
import { PersonName } from '../people/PersonName.tsx';
import { type InboxItem, useApprovalsInboxQuery } from './approvals-api.ts';

const columns: Column<InboxItem>[] = [
  {
    header: 'Contract',
    cell: ({ contract, version }) => (
      <Link to={`/contracts/${contract.id}?version=${version.number}`}>
        {contract.number} {contract.name}
      </Link>
    ),
  },
  { header: 'Party', cell: ({ contract }) => <PartyName id={contract.partyId} /> },
  { header: 'Version', cell: ({ version }) => `v${version.number} ${humanize(version.kind)}` },
  { header: 'Effective', cell: ({ version }) => formatDate(version.effectiveFrom) },
  {
    header: 'Committed value',
    className: 'number',
    cell: ({ version }) => (
      <Money amount={version.committedValue} currency={String((version.terms as { currency?: unknown }).currency ?? 'USD')} />
    ),
  },
  {
    header: 'Submitted',
    className: 'small',
    cell: ({ version }) => (
      <>
        <PersonName id={version.submittedBy} />, {formatInstant(version.submittedAt)}
      </>
    ),
  },
  { header: 'Approvals', cell: ({ version }) => version.approvals.length },
  {
    header: 'Impact on billing',
    className: 'number',
    cell: ({ contract, version }) => <ImpactSummary contractId={contract.id} number={version.number} />,
  },
];

export default function ApprovalsPage() {
  const me = useCurrentUser();
  const inbox = useApprovalsInboxQuery({ userId: me.id }, { refetchOnMountOrArgChange: 30 });
  return (
    <>
      <PageHeader
        title="Approvals"
        subtitle="Versions waiting for your approval. Versions you created or submitted are left to another approver."
      />
      <PagedTable
        list={listOf(inbox, inbox.data?.items)}
        columns={columns}
        rowKey={({ contract, version }) => `${contract.id}.${version.number}`}
        label="Versions waiting for approval"
        loadingLabel="Looking for pending versions…"
        emptyTitle="Nothing waits for you"
        emptyHint="When ops submit a contract or an amendment, it shows here."
      />
      {inbox.data?.truncated && <p className="muted small">Only the first 10,000 contracts were searched.</p>}
    </>
  );
}
