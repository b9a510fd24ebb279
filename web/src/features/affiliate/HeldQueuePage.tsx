/**
 * The held queue (SPEC §9): conversions a scrub rule holds, oldest hold first, by rule, partner and
 * offer. Who may change conversion statuses (delivery.write) releases them (approved, then billed)
 * or rejects them, the ones ticked or every one matching the filters that was held before the queue
 * was shown, so that nothing held since is released unseen.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { formatInstant } from '../../common/format.ts';
import { PageHeader } from '../../common/ui/Page.tsx';
import { type Column, PagedTable } from '../../common/ui/PagedTable.tsx';
import { useAddressFilters } from '../../common/use-address-filters.ts';
import { usePagedList } from '../../common/use-paged-list.ts';
import { PartyName } from '../parties/PartyName.tsx';
import { PartyPicker } from '../parties/PartyPicker.tsx';
import { ConversionValue } from './ConversionValue.tsx';
import { HeldDecision, type Selection } from './HeldDecision.tsx';
import { OfferName } from './OfferName.tsx';
import { OfferPicker } from './OfferPicker.tsx';
import { RuleFilter } from './RuleFilter.tsx';
import { RuleName } from './RuleName.tsx';
import { type HeldConversion, type HeldListQuery, useListHeldQuery } from './scrub-api.ts';

export default function HeldQueuePage() {
  const [{ ruleId, partnerId, contractId }, setFilters] = useAddressFilters(['ruleId', 'partnerId', 'contractId'] as const);
  const filters: Omit<HeldListQuery, 'cursor'> = {
    ruleId: ruleId || undefined,
    partnerId: partnerId || undefined,
    contractId: contractId || undefined,
  };
  return (
    <>
      <PageHeader
        title="Held conversions"
        subtitle="Held by a scrub rule at intake: neither billed nor paid until released (approved) or rejected. Oldest hold first."
      />
      <div className="toolbar">
        <RuleFilter value={ruleId} onChange={(id) => setFilters({ ruleId: id })} action="hold" />
        <div style={{ minWidth: 380 }}>
          <PartyPicker
            label="Partner"
            kind="partner"
            value={partnerId}
            onChange={(party) => setFilters({ partnerId: party?.id ?? '' })}
            emptyLabel="Any partner"
          />
        </div>
        <div style={{ minWidth: 380 }}>
          <OfferPicker value={contractId} onChange={(id) => setFilters({ contractId: id })} emptyLabel="Any offer" />
        </div>
      </div>
      {/* A queue of its own per filter: what is ticked belongs to the rows it was ticked on. */}
      <HeldQueue key={JSON.stringify(filters)} filters={filters} />
    </>
  );
}

function HeldQueue({ filters }: { filters: Omit<HeldListQuery, 'cursor'> }) {
  const canDecide = useCan('delivery.write');
  const held = usePagedList(useListHeldQuery, filters);
  // The first page's answer says when the reviewer looked (the same cache entry as page 1).
  const seenAt = useListHeldQuery(filters).data?.seenAt;
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const shown = held.items ?? [];
  const tickedShown = shown.filter((conversion) => ticked.has(conversion.id)).map((conversion) => conversion.id);
  const allTicked = shown.length > 0 && tickedShown.length === shown.length;
  const toggle = (id: string) =>
    setTicked((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const columns: Column<HeldConversion>[] = [
    {
      header: (
        <input
          type="checkbox"
          aria-label="Tick every conversion on this page"
          checked={allTicked}
          onChange={() => setTicked(allTicked ? new Set() : new Set(shown.map((conversion) => conversion.id)))}
        />
      ),
      cell: (conversion) => (
        <input
          type="checkbox"
          aria-label={`Tick ${conversion.id}`}
          checked={ticked.has(conversion.id)}
          onChange={() => toggle(conversion.id)}
        />
      ),
      hidden: !canDecide,
    },
    {
      header: 'Conversion',
      cell: (conversion) => <Link to={`/affiliate/conversions/${encodeURIComponent(conversion.id)}`}>{conversion.id}</Link>,
      className: 'mono',
    },
    { header: 'Offer', cell: (conversion) => <OfferName id={conversion.contractId} /> },
    {
      header: 'Partner',
      cell: (conversion) => (conversion.partnerId ? <PartyName id={conversion.partnerId} /> : <span className="muted">none</span>),
    },
    { header: 'Event', cell: (conversion) => conversion.eventType },
    {
      header: 'Value',
      cell: (conversion) => <ConversionValue contractId={conversion.contractId} value={conversion.value} />,
      className: 'number',
    },
    { header: 'Occurred', cell: (conversion) => formatInstant(conversion.occurredAt), className: 'small' },
    { header: 'Held', cell: (conversion) => formatInstant(conversion.heldAt), className: 'small' },
    { header: 'Rule', cell: (conversion) => (conversion.ruleId ? <RuleName id={conversion.ruleId} /> : <span className="muted">—</span>) },
    { header: 'Reason', cell: (conversion) => conversion.reason ?? '—', className: 'mono small' },
  ];
  const matching: Selection = { kind: 'matching', filters, heldBefore: seenAt };
  return (
    <>
      {canDecide && (
        <HeldDecision
          ticked={{ kind: 'ids', ids: tickedShown }}
          matching={matching}
          anyShown={shown.length > 0}
          onDecided={() => setTicked(new Set())}
        />
      )}
      <PagedTable
        list={held}
        columns={columns}
        label="Held conversions"
        emptyTitle="Nothing is held"
        emptyHint="Conversions held by a rule whose action is hold wait here for review."
      />
    </>
  );
}
