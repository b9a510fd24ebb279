/** Whether the audit log's hash chain verifies, and where it breaks if it does not. */
import { formatCount } from '../../common/format.ts';
import { Button } from '../../common/ui/Button.tsx';
import { ErrorState } from '../../common/ui/states.tsx';
import { useVerifyAuditQuery } from './audit-api.ts';

export function ChainStatus() {
  const { data, error, isFetching, refetch } = useVerifyAuditQuery();
  if (error) return <ErrorState error={error} onRetry={refetch} />;
  return (
    <div className={`alert ${!data ? 'info' : data.ok ? 'ok' : 'error'}`} role="status" aria-live="polite">
      <strong>{!data ? 'Verifying the audit chain…' : data.ok ? 'Audit chain verified' : 'The audit chain is broken'}</strong>
      {data &&
        (data.ok
          ? `All ${formatCount(data.checked)} entries link to the one before with the right hash.`
          : `First broken entry: #${data.firstBroken?.seq} (${data.firstBroken?.id}): ${data.firstBroken?.reason}.`)}{' '}
      <Button size="small" variant="link" busy={isFetching} onClick={refetch}>
        Verify again
      </Button>
    </div>
  );
}
