/**
 * A signing secret the server has just shown, for the only time: the page keeps it in its own state
 * until the user says it is stored, then forgets it. No read answers it again.
 */
import { formatInstant } from '../../common/format.ts';
import { Button } from '../../common/ui/Button.tsx';
import { CopyField } from './CopyField.tsx';

export function SecretOnce({
  secret,
  previousSecretExpiresAt,
  onDone,
}: {
  secret: string;
  previousSecretExpiresAt: string | null;
  onDone: () => void;
}) {
  return (
    <div className="alert warn" role="status" data-testid="secret-once">
      <strong>Copy the signing secret now: it is shown this once.</strong>
      <p>Tally will not show it again. Give it to whoever sets up the postbacks, through a channel you trust.</p>
      <CopyField label="Signing secret" value={secret} />
      {previousSecretExpiresAt && (
        <p className="small">
          The previous secret is still accepted until {formatInstant(previousSecretExpiresAt)}: switch the sender before then.
        </p>
      )}
      <div className="actions" style={{ marginTop: '0.5rem' }}>
        <Button variant="primary" onClick={onDone}>
          I have stored the secret
        </Button>
      </div>
    </div>
  );
}
