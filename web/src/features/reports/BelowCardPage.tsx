/** The below-card report (SPEC §8): card-priced lines of active contracts sold under today's rate card. */
import { Link } from 'react-router';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { listOf } from '../../common/use-paged-list.ts';
import { type BelowCardLine, useBelowCardQuery } from './reports-api.ts';

const columns: Column<BelowCardLine>[] = [
  { header: 'Contract', cell: (line) => <Link to={`/contracts/${line.contractId}`}>{line.contractNumber}</Link> },
  { header: 'Line item', cell: (line) => line.lineItem, className: 'mono' },
  { header: 'Card', cell: (line) => <Link to={`/rate-cards/${line.rateCardId}`}>{line.product}</Link> },
  { header: 'Model', cell: (line) => line.model },
  { header: 'Sold at', cell: (line) => `${line.soldRate} (card v${line.soldCardVersion})`, className: 'number mono' },
  { header: 'Card today', cell: (line) => `${line.cardRate} (v${line.cardVersion})`, className: 'number mono' },
  { header: 'Below by', cell: (line) => line.difference, className: 'number mono' },
];

export default function BelowCardPage() {
  const report = useBelowCardQuery();
  return (
    <>
      <PageHeader
        title="Below card"
        subtitle="Active contracts whose card-priced lines are sold below what the same product, premiums and discount cost on today's rate card."
      />
      <PagedTable
        list={listOf(report, report.data?.data)}
        columns={columns}
        rowKey={(line) => `${line.contractId}.${line.lineItem}`}
        label="Lines sold below today's card"
        emptyTitle="Nothing is sold below today's card"
        emptyHint="Prices are frozen when a contract version is approved; a later card version can leave them below it."
      />
    </>
  );
}
