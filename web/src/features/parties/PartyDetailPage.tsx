/** One party: its details, its credits and balance (parties we invoice), its contracts and its audit trail. */
import { Link, useParams } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ErrorState, Loading } from '../../common/ui/states.tsx';
import { AuditTrail } from '../audit/AuditTrail.tsx';
import { PartnerTier } from '../affiliate/PartnerTier.tsx';
import { ContractTable } from '../contracts/ContractTable.tsx';
import { PartyCredits } from '../credits/PartyCredits.tsx';
import { PartyFacts } from './PartyFacts.tsx';
import { useGetPartyQuery } from './parties-api.ts';

export default function PartyDetailPage() {
  const { partyId = '' } = useParams();
  const canWrite = useCan('parties.write');
  const canWriteContracts = useCan('contracts.write');
  const canReadAudit = useCan('audit.read');
  const { data: party, error, isLoading, refetch } = useGetPartyQuery(partyId);
  if (isLoading) return <Loading />;
  if (error || !party) return <ErrorState error={error} onRetry={refetch} />;
  return (
    <>
      <PageHeader
        title={party.name}
        subtitle={`${party.kind} · ${party.currency}`}
        actions={
          <>
            {canWrite && (
              <Link className="button" to={`/parties/${party.id}/edit`}>
                Edit party
              </Link>
            )}
            {canWriteContracts && (
              <Link className="button primary" to={`/contracts/new?partyId=${party.id}`}>
                New contract
              </Link>
            )}
          </>
        }
      />
      <div className="card">
        <PartyFacts party={party} />
      </div>
      {party.kind === 'partner' ? <PartnerTier party={party} /> : <PartyCredits party={party} />}
      <h2>Contracts</h2>
      <ContractTable filters={{ partyId: party.id }} showParty={false} />
      {canReadAudit && (
        <>
          <h2>Audit trail</h2>
          <AuditTrail entityType="party" entityId={party.id} />
        </>
      )}
    </>
  );
}
