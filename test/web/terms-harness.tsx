/**
 * The terms editor as its component tests drive it: the editor on its own state, with a "Try to
 * save" button that reveals every problem as a save attempt does, the terms it would send and
 * whether they are valid, and the server's field errors given to it as a page would.
 */
import { screen } from '@testing-library/react';
import { useEffect } from 'react';
import type { BuyTerms, SellTerms } from '../../src/wire/terms.ts';
import { TermsEditor } from '../../web/src/features/contracts/terms-editor/TermsEditor.tsx';
import { useTermsEditor } from '../../web/src/features/contracts/terms-editor/use-terms-editor.ts';

export function TermsHarness({
  side = 'sell',
  initialTerms,
  serverErrors,
  effectiveFrom,
}: {
  side?: 'sell' | 'buy';
  initialTerms?: SellTerms | BuyTerms;
  serverErrors?: Record<string, string>;
  effectiveFrom?: string;
}) {
  const editor = useTermsEditor({
    side,
    initialTerms,
    defaults: { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD' },
    effectiveFrom,
  });
  const { setServerErrors } = editor;
  useEffect(() => {
    if (serverErrors) setServerErrors(serverErrors);
  }, [serverErrors, setServerErrors]);
  return (
    <>
      <TermsEditor editor={editor} />
      <button type="button" onClick={editor.revealAll}>
        Try to save
      </button>
      <output data-testid="terms">{JSON.stringify(editor.terms)}</output>
      <output data-testid="valid">{String(editor.isValid)}</output>
    </>
  );
}

/** The terms the editor would send now, read field by field. */
export const currentTerms = () => JSON.parse(screen.getByTestId('terms').textContent ?? '{}') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- read field by field
