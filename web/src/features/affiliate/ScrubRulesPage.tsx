/**
 * Scrub rules in evaluation order (SPEC §9): lowest priority first, the first rule whose conditions
 * all hold rejects or holds a conversion at intake. Who may write rules adds them and disables or
 * enables them; a rule's conditions never change (a new rule replaces it).
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { ChoiceFilter } from '../../common/ui/filters.tsx';
import { ActionLink, PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { usePagedList } from '../../common/use-paged-list.ts';
import { OfferName } from './OfferName.tsx';
import { OfferPicker } from './OfferPicker.tsx';
import { ScrubConditions } from './ScrubConditions.tsx';
import { type ScrubRule, useListScrubRulesQuery } from './scrub-api.ts';
import { RuleActive, RuleToggle } from './RuleActions.tsx';

type Activity = 'active' | 'disabled';
const activities: Activity[] = ['active', 'disabled'];

export function ActionBadge({ action }: { action: ScrubRule['action'] }) {
  return <span className={`badge ${action === 'reject' ? 'bad' : 'warn'}`}>{action}</span>;
}

export default function ScrubRulesPage() {
  const canWrite = useCan('scrub.write');
  const [activity, setActivity] = useState<Activity | ''>('active');
  const [contractId, setContractId] = useState('');
  const rules = usePagedList(useListScrubRulesQuery, {
    active: activity === '' ? undefined : activity === 'active',
    contractId: contractId || undefined,
  });
  const columns: Column<ScrubRule>[] = [
    { header: 'Priority', cell: (rule) => rule.priority, className: 'number' },
    { header: 'Name', cell: (rule) => <Link to={`/affiliate/scrub-rules/${rule.id}`}>{rule.name}</Link> },
    { header: 'When', cell: (rule) => <ScrubConditions conditions={rule.conditions} />, className: 'small' },
    { header: 'Then', cell: (rule) => <ActionBadge action={rule.action} /> },
    { header: 'Reason', cell: (rule) => rule.reason, className: 'mono small' },
    {
      header: 'Offer',
      cell: (rule) => (rule.contractId ? <OfferName id={rule.contractId} /> : <span className="muted">every offer</span>),
    },
    { header: 'Status', cell: (rule) => <RuleActive rule={rule} /> },
    { header: '', cell: (rule) => <RuleToggle rule={rule} />, hidden: !canWrite },
  ];
  return (
    <>
      <PageHeader
        title="Scrub rules"
        subtitle="Evaluated at intake, lowest priority first: the first rule whose conditions all hold rejects the conversion or holds it for review."
        actions={canWrite && <ActionLink to="/affiliate/scrub-rules/new">New rule</ActionLink>}
      />
      <div className="toolbar">
        <ChoiceFilter label="Rules" value={activity} onChange={setActivity} choices={activities} anyLabel="Active and disabled" />
        <div style={{ minWidth: 380 }}>
          <OfferPicker value={contractId} onChange={setContractId} emptyLabel="Any offer" />
        </div>
      </div>
      <PagedTable
        list={rules}
        columns={columns}
        label="Scrub rules"
        emptyTitle={activity === 'active' ? 'No active scrub rules' : 'No scrub rules match'}
        emptyHint={canWrite ? 'Add one, and test it against the last 30 days before it decides anything.' : undefined}
      />
    </>
  );
}
