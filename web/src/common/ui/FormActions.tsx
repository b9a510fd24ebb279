/** Under a form: its submit button, busy while the form is sent, and Cancel, which goes back to the screen before. */
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { Button } from './Button.tsx';

export function FormActions({ submitLabel, busy }: { submitLabel: ReactNode; busy: boolean }) {
  const navigate = useNavigate();
  return (
    <div className="actions" style={{ marginTop: '1rem' }}>
      <Button type="submit" variant="primary" busy={busy}>
        {submitLabel}
      </Button>
      <Button onClick={() => navigate(-1)}>Cancel</Button>
    </div>
  );
}
