/** Release or reject one held conversion from its page (delivery.write), as the held queue does for many. */
import { useCan } from '../../app/hooks.ts';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { useRejectHeldMutation, useReleaseHeldMutation } from './scrub-api.ts';

export function HeldConversionActions({ conversionId }: { conversionId: string }) {
  const canDecide = useCan('delivery.write');
  const [release, releaseState] = useReleaseHeldMutation();
  const [reject, rejectState] = useRejectHeldMutation();
  if (!canDecide) return null;
  const busy = releaseState.isLoading || rejectState.isLoading;
  return (
    <>
      <ProblemAlert problem={toProblem(releaseState.error ?? rejectState.error)} />
      <Button variant="primary" busy={releaseState.isLoading} disabled={busy} onClick={() => void release({ ids: [conversionId] })}>
        Release
      </Button>
      <Button variant="danger" busy={rejectState.isLoading} disabled={busy} onClick={() => void reject({ ids: [conversionId] })}>
        Reject
      </Button>
    </>
  );
}
