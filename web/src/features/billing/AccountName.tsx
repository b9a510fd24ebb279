/** A ledger account in words; a party's receivable or payable names the party. */
import { humanize } from '../../common/format.ts';
import { PartyName } from '../parties/PartyName.tsx';

export function AccountName({ account }: { account: string }) {
  const [kind, partyId] = account.split(':');
  const label = humanize(kind ?? account);
  const capitalized = `${label.charAt(0).toUpperCase()}${label.slice(1)}`;
  if (!partyId) return <span>{capitalized}</span>;
  return (
    <span>
      {capitalized}: <PartyName id={partyId} link={false} />
    </span>
  );
}
