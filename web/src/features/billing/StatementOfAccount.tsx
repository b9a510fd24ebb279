/**
 * A party's statement of account as a PDF (SPEC §10): its open invoices as of a date and the aging
 * of what it owes, issued by its billing entity. Downloaded like an invoice's PDF, so that a refusal
 * shows here instead of being saved as the file. Staff who read the ledger and the party's own users
 * may have it; ops may not, so it is not offered to them.
 */
import { useState } from 'react';
import { useCan, useCurrentUser } from '../../app/hooks.ts';
import { todayDate } from '../../common/dates.ts';
import { DownloadButton } from '../../common/ui/DownloadButton.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { statementPdfUrl } from './dunning-api.ts';

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export function StatementOfAccount({ partyId }: { partyId: string }) {
  const isParty = useCurrentUser().role === 'party';
  const canReadLedger = useCan('ledger.read');
  const [asOf, setAsOf] = useState(todayDate);
  if (!isParty && !canReadLedger) return null;
  const valid = datePattern.test(asOf);
  return (
    <div className="actions" style={{ alignItems: 'flex-end', marginTop: '0.75rem' }}>
      <Field label="Statement as of" error={valid ? undefined : 'A date'}>
        <input type="date" value={asOf} onChange={(event) => setAsOf(event.target.value)} />
      </Field>
      <DownloadButton url={statementPdfUrl(partyId, asOf)} fallbackName={`statement-${partyId}-${asOf}.pdf`} disabled={!valid}>
        Statement of account (PDF)
      </DownloadButton>
    </div>
  );
}
