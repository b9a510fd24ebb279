/** A value to copy (a URL, a secret): read-only, selected on focus, with a Copy button that says whether it worked. */
import { useState } from 'react';
import { Button } from '../../common/ui/Button.tsx';
import { Field } from '../../common/ui/Field.tsx';

export function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // No clipboard (plain http, a refused permission): the field is selected for a manual copy.
      setCopied('failed');
    }
  };
  return (
    <div className="copy-field" style={{ display: 'flex', gap: '0.5rem', alignItems: 'flex-end' }}>
      <Field label={label} hint={copied === 'failed' ? 'The browser refused to copy: select the text and copy it.' : hint} className="wide">
        <input readOnly value={value} className="mono" style={{ width: '100%' }} onFocus={(event) => event.target.select()} />
      </Field>
      <Button size="small" onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`}>
        {copied === 'yes' ? 'Copied' : 'Copy'}
      </Button>
    </div>
  );
}
