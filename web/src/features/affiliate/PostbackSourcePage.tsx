/**
 * One postback source: the URL to hand over and how to sign it, and for those who set up contracts,
 * rotating its secret (the new one shown once, the previous one still accepted for 24 hours) and
 * disabling or enabling it.
 */
import { useState } from 'react';
import { useParams } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { formatInstant } from '../../common/format.ts';
import { toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ErrorState, Loading, ProblemAlert } from '../../common/ui/states.tsx';
import { PersonName } from '../people/PersonName.tsx';
import { OfferName } from './OfferName.tsx';
import {
  type PostbackSource,
  type PostbackSourceWithSecret,
  useGetPostbackSourceQuery,
  useRotatePostbackSecretMutation,
  useSetPostbackSourceActiveMutation,
} from './postbacks-api.ts';
import { PostbackSetup } from './PostbackSetup.tsx';
import { SourceStatus } from './PostbackSourcesPage.tsx';
import { SecretOnce } from './SecretOnce.tsx';

export default function PostbackSourcePage() {
  const { sourceId = '' } = useParams();
  const canWrite = useCan('contracts.write');
  const { data: source, error, isLoading, refetch } = useGetPostbackSourceQuery(sourceId);
  const [rotated, setRotated] = useState<PostbackSourceWithSecret | undefined>();
  if (isLoading) return <Loading />;
  if (error || !source) return <ErrorState error={error} onRetry={refetch} />;
  return (
    <>
      <PageHeader
        title={source.name}
        subtitle={
          <>
            Postback source for <OfferName id={source.contractId} /> · <span className="mono">{source.lineItem}</span>
          </>
        }
        actions={canWrite && <SourceActions source={source} onRotated={setRotated} />}
      />
      {rotated && (
        <SecretOnce
          secret={rotated.secret}
          previousSecretExpiresAt={rotated.previousSecretExpiresAt}
          onDone={() => setRotated(undefined)}
        />
      )}
      <div className="card">
        <dl className="facts">
          <dt>Status</dt>
          <dd>
            <SourceStatus source={source} />
          </dd>
          <dt>Key</dt>
          <dd className="mono">{source.key}</dd>
          <dt>Created</dt>
          <dd>
            {formatInstant(source.createdAt)} by <PersonName id={source.createdBy} />
          </dd>
          <dt>Secret</dt>
          <dd className="muted">Shown only when the source is created or its secret rotated.</dd>
        </dl>
      </div>
      <PostbackSetup source={source} />
    </>
  );
}

function SourceActions({ source, onRotated }: { source: PostbackSource; onRotated: (source: PostbackSourceWithSecret) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [rotate, rotateState] = useRotatePostbackSecretMutation();
  const [setActive, activeState] = useSetPostbackSourceActiveMutation();
  const onRotate = async () => {
    const request = rotate(source.id);
    const result = await request;
    if (result.data) {
      // The new secret goes to the page's state alone, not kept in the store's record of the request.
      request.reset();
      setConfirming(false);
      onRotated(result.data);
    }
  };
  return (
    <>
      <ProblemAlert problem={toProblem(activeState.error)} />
      <Button onClick={() => setConfirming(true)}>Rotate secret…</Button>
      <Button
        variant={source.active ? 'danger' : 'secondary'}
        busy={activeState.isLoading}
        onClick={() => void setActive({ id: source.id, active: !source.active })}
      >
        {source.active ? 'Disable' : 'Enable'}
      </Button>
      <Dialog open={confirming} title="Rotate the signing secret" onClose={() => setConfirming(false)}>
        <p>
          A new secret is made and shown once. Postbacks signed with the current one are still accepted for 24 hours, so the sender can
          switch; after that only the new one is. Rotating again within those hours retires the current secret at once.
        </p>
        <ProblemAlert problem={toProblem(rotateState.error)} />
        <div className="actions">
          <Button variant="primary" busy={rotateState.isLoading} onClick={() => void onRotate()}>
            Rotate
          </Button>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
        </div>
      </Dialog>
    </>
  );
}
