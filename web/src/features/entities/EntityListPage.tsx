/**
 * The billing entities: the legal entities that issue documents, each with its country, base
 * currency and number prefix. Every staff role reads them; admins and finance add and edit them.
 */
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { ActionLink, PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { listOf } from '../../common/use-paged-list.ts';
import { type BillingEntity, useListBillingEntitiesQuery } from './entities-api.ts';

/** A prefix, or what numbers look like without one (the store's first entity). */
export function PrefixText({ prefix }: { prefix: string | null }) {
  return prefix === null ? <span className="muted">none</span> : <span className="mono">{prefix}</span>;
}

const columns: Column<BillingEntity>[] = [
  { header: 'Name', cell: (entity) => <Link to={`/entities/${entity.id}`}>{entity.name}</Link> },
  { header: 'Legal name', cell: (entity) => entity.legalName },
  { header: 'Country', cell: (entity) => entity.country },
  { header: 'Base currency', cell: (entity) => entity.baseCurrency },
  { header: 'Number prefix', cell: (entity) => <PrefixText prefix={entity.numberPrefix} /> },
  { header: 'Tax id', className: 'mono', cell: (entity) => entity.taxId ?? <span className="muted">—</span> },
];

export default function EntityListPage() {
  const canWrite = useCan('entities.write');
  const entities = useListBillingEntitiesQuery();
  return (
    <>
      <PageHeader
        title="Billing entities"
        subtitle="The companies that issue our documents: each numbers its invoices in its own series, prints its own issuer block and keeps its own books."
        actions={canWrite && <ActionLink to="/entities/new">New entity</ActionLink>}
      />
      <PagedTable
        list={listOf(entities, entities.data?.data)}
        columns={columns}
        label="Billing entities"
        emptyTitle="No billing entities"
        emptyHint={canWrite ? 'Create the first one.' : 'An administrator or finance creates them.'}
      />
    </>
  );
}
