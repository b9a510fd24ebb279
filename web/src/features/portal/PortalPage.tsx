/**
 * A party user's home: its own party, its contracts, and its issued invoices (an advertiser or
 * agency, with its credits and what it owes) or payout statements (a partner), nothing else. The server scopes every answer to the
 * party (other parties' objects answer 404; drafts are internal and not listed), so this screen
 * shows what the API returns without filtering of its own.
 */
import { useCurrentUser } from '../../app/hooks.ts';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ErrorState, Loading } from '../../common/ui/states.tsx';
import { DocumentTable } from '../billing/DocumentTable.tsx';
import { ContractTable } from '../contracts/ContractTable.tsx';
import { PartyCredits } from '../credits/PartyCredits.tsx';
import { PartyFacts } from '../parties/PartyFacts.tsx';
import { useGetPartyQuery } from '../parties/parties-api.ts';

export default function PortalPage() {
  const me = useCurrentUser();
  const { data: party, error, isLoading, refetch } = useGetPartyQuery(me.partyId ?? '', { skip: me.partyId === null });
  if (isLoading) return <Loading />;
  if (error || !party) return <ErrorState error={error} onRetry={refetch} />;
  const isPartner = party.kind === 'partner';
  // A partner is paid by payout statements; an advertiser or agency is billed by invoices.
  const documents = isPartner
    ? { kind: 'payout_statement' as const, title: 'Your payout statements', emptyTitle: 'No payout statements yet' }
    : { kind: 'invoice' as const, title: 'Your invoices', emptyTitle: 'No invoices yet' };
  return (
    <>
      <PageHeader
        title={party.name}
        subtitle={`Your account with us: your details, your contracts in force and your ${isPartner ? 'payout statements' : 'invoices'}.`}
      />
      <div className="card">
        <PartyFacts party={party} />
      </div>
      {!isPartner && <PartyCredits party={party} title="Your credits and balance" />}
      <h2>Your contracts</h2>
      <ContractTable filters={{}} showParty={false} emptyTitle="No approved contracts yet" />
      <h2>{documents.title}</h2>
      <DocumentTable
        filters={{ kind: documents.kind }}
        showParty={false}
        label={documents.title}
        emptyTitle={documents.emptyTitle}
        emptyHint="They appear here once issued."
      />
    </>
  );
}
