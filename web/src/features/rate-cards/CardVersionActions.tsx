/**
 * What can be done with a rate card version now, by its status and the user's role: edit or submit
 * a draft (or a rejected version); approve or reject a pending one. The same lifecycle, notes and
 * dialog as a contract version's (VersionLifecycleActions); refusals (maker-checker, a stale ETag)
 * are shown as the server words them, with the rule named.
 */
import { VersionLifecycleActions } from '../contracts/VersionActions.tsx';
import {
  type CardVersionWithEtag,
  type RateCard,
  useApproveRateCardVersionMutation,
  useRejectRateCardVersionMutation,
  useSubmitRateCardVersionMutation,
} from './rate-cards-api.ts';

export function CardVersionActions({ card, version }: { card: RateCard; version: CardVersionWithEtag }) {
  const [submit, submitState] = useSubmitRateCardVersionMutation();
  const [approve, approveState] = useApproveRateCardVersionMutation();
  const [reject, rejectState] = useRejectRateCardVersionMutation();
  const ref = { rateCardId: card.id, number: version.number, etag: version.etag };
  return (
    <VersionLifecycleActions
      version={version}
      editPath={`/rate-cards/${card.id}/versions/${version.number}/edit`}
      submit={() => submit(ref)}
      submitting={submitState.isLoading}
      decide={(kind, text) => (kind === 'approve' ? approve({ ...ref, comment: text || undefined }) : reject({ ...ref, reason: text }))}
      deciding={approveState.isLoading || rejectState.isLoading}
    />
  );
}
