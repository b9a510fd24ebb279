/** A party's details as a definition list. */
import { formatInstant } from '../../common/format.ts';
import type { Party } from './parties-api.ts';
import { PartyName } from './PartyName.tsx';

export function PartyFacts({ party }: { party: Party }) {
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
