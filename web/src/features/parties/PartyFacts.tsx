/** A party's details as a definition list; staff also see the billing entity that bills or pays it. */
import { useCurrentUser } from '../../app/hooks.ts';
import { formatInstant } from '../../common/format.ts';
import { EntityName } from '../entities/EntityName.tsx';
import type { Party } from './parties-api.ts';
import { PartyName } from './PartyName.tsx';

export function PartyFacts({ party }: { party: Party }) {
  // Party users do not read billing entities (the API answers them 403): their portal leaves it out.
  const isParty = useCurrentUser().role === 'party';
  return (
    <dl className="facts">
      <dt>Kind</dt>
      <dd>{party.kind}</dd>
      <dt>Currency</dt>
      <dd>{party.currency}</dd>
      <dt>Payment terms</dt>
      <dd>{party.paymentTermsDays} days</dd>
      <dt>Billing email</dt>
      <dd>{party.billingEmail ?? '—'}</dd>
      <dt>External reference</dt>
      <dd className="mono">{party.externalRef ?? '—'}</dd>
      {!isParty && (
        <>
          <dt>Billing entity</dt>
          <dd>
            <EntityName id={party.billingEntityId} />
          </dd>
        </>
      )}
      <dt>Country</dt>
      <dd>{party.country ?? '—'}</dd>
      <dt>Tax id</dt>
      <dd className="mono">{party.taxId ?? '—'}</dd>
      <dt>Tax</dt>
      <dd>{party.taxExempt ? 'exempt: its documents carry no tax' : "its entity's rates for its country"}</dd>
      {party.agencyId && (
        <>
          <dt>Buys through agency</dt>
          <dd>
            <PartyName id={party.agencyId} />
          </dd>
        </>
      )}
      <dt>Created</dt>
      <dd>{formatInstant(party.createdAt)}</dd>
      <dt>Id</dt>
      <dd className="mono">{party.id}</dd>
    </dl>
  );
}
