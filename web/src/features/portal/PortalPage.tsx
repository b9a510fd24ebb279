/**
 * A party user's home: its own party and its contracts, nothing else. The server scopes every
 * answer to the party (other parties' objects answer 404, drafts are not shown), so this screen
 * shows what the API returns without filtering of its own.
 */
import { useCurrentUser } from '../../app/hooks.ts';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ErrorState, Loading } from '../../common/ui/states.tsx';
import { ContractTable } from '../contracts/ContractTable.tsx';
import { PartyFacts } from '../parties/PartyFacts.tsx';
import { useGetPartyQuery } from '../parties/parties-api.ts';

export default function PortalPage() {
  const me = useCurrentUser();
  const { data: party, error, isLoading, refetch } = useGetPartyQuery(me.partyId ?? '', { skip: me.partyId === null });
  if (isLoading) return <Loading />;
  if (error || !party) return <ErrorState error={error} onRetry={refetch} />;
  return (
    <>
      <PageHeader title={party.name} subtitle="Your account with us: your details and your contracts in force." />
      <div className="card">
        <PartyFacts party={party} />
      </div>
      <h2>Your contracts</h2>
      <ContractTable filters={{}} showParty={false} emptyTitle="No approved contracts yet" />
    </>
  );
}
