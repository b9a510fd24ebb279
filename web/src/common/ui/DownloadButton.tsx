/** A button that downloads a file from the API, busy while it comes, with the refusal shown if any. */
import { useState, type ReactNode } from 'react';
import { type DownloadedFile, downloadFile } from '../download.ts';
import type { Problem } from '../problem.ts';
import { Button, type ButtonProps } from './Button.tsx';
import { ProblemAlert } from './states.tsx';

export interface DownloadButtonProps {
  url: string;
  fallbackName: string;
  children: ReactNode;
  variant?: ButtonProps['variant'];
  size?: ButtonProps['size'];
  disabled?: boolean;
  onDownloaded?: (file: DownloadedFile) => void;
}

export function DownloadButton({ url, fallbackName, children, variant, size, disabled, onDownloaded }: DownloadButtonProps) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const onClick = async () => {
    setBusy(true);
    setProblem(undefined);
    const result = await downloadFile(url, fallbackName);
    setBusy(false);
    if (result.ok) onDownloaded?.(result.file);
    else setProblem(result.problem);
  };
  return (
    <>
      <Button variant={variant} size={size} busy={busy} disabled={disabled} onClick={onClick}>
        {children}
      </Button>
      {problem && (
        <div style={{ flexBasis: '100%' }}>
          <ProblemAlert problem={problem} />
        </div>
      )}
    </>
  );
}
