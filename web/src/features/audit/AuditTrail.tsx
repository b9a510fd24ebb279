/** The audit entries of one object (or all), in sequence order a page at a time, with the chain's status. */
import { formatInstant, humanize } from '../../common/format.ts';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { usePagedList } from '../../common/use-paged-list.ts';
import { PersonName } from '../people/PersonName.tsx';
import { type AuditEntry, useListAuditQuery } from './audit-api.ts';
import { ChainStatus } from './ChainStatus.tsx';

function auditColumns(showObject: boolean): Column<AuditEntry>[] {
  return [
    { header: '#', className: 'number mono', cell: (entry) => entry.seq },
    { header: 'When', className: 'small', cell: (entry) => formatInstant(entry.at) },
    { header: 'Who', className: 'small', cell: (entry) => <PersonName id={entry.actor} /> },
    { header: 'What', cell: (entry) => humanize(entry.action.replace('.', ': ')) },
    { header: 'Object', className: 'mono small', hidden: !showObject, cell: (entry) => `${entry.entityType} ${entry.entityId}` },
    {
      header: 'Change',
      cell: (entry) => (
        <details className="small">
          <summary>before / after</summary>
          <pre className="mono" style={{ whiteSpace: 'pre-wrap', maxWidth: '70ch' }}>
            {JSON.stringify({ before: entry.before, after: entry.after }, null, 2)}
          </pre>
          <div className="muted">
            hash {entry.hash.slice(0, 16)}… (previous {entry.prevHash.slice(0, 16)}…)
          </div>
        </details>
      ),
    },
  ];
}

export function AuditTrail({ entityType, entityId }: { entityType?: string; entityId?: string }) {
  const entries = usePagedList(useListAuditQuery, { entityType, entityId });
  return (
    <section aria-label="Audit trail">
      <ChainStatus />
      <PagedTable list={entries} columns={auditColumns(!entityId)} label="Audit entries" emptyTitle="No audit entries" />
    </section>
  );
}
