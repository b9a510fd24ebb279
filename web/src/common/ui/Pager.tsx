/**
 * Cursor pagination (SPEC §2): the server answers a page and the cursor of the next one, so the
 * app keeps the cursors of the pages it has seen to go back. Nothing but one page is ever loaded,
 * which keeps lists of any size fast.
 */
import { useCallback, useState } from 'react';
import { Button } from './Button.tsx';

export interface CursorPages {
  cursor: string | undefined;
  pageNumber: number;
  next: (nextCursor: string) => void;
  previous: () => void;
  reset: () => void;
}

/** The cursor stack of a paginated list; reset it when the filters change. */
export function useCursorPages(): CursorPages {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const next = useCallback((nextCursor: string) => setStack((current) => [...current, nextCursor]), []);
  const previous = useCallback(() => setStack((current) => (current.length > 1 ? current.slice(0, -1) : current)), []);
  const reset = useCallback(() => setStack([undefined]), []);
  return { cursor: stack.at(-1), pageNumber: stack.length, next, previous, reset };
}

export function Pager({ pages, nextCursor, busy }: { pages: CursorPages; nextCursor: string | null | undefined; busy?: boolean }) {
  if (pages.pageNumber === 1 && !nextCursor) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <Button size="small" onClick={pages.previous} disabled={pages.pageNumber === 1 || busy}>
        ← Previous
      </Button>
      <span className="muted small">Page {pages.pageNumber}</span>
      <Button size="small" onClick={() => nextCursor && pages.next(nextCursor)} disabled={!nextCursor || busy}>
        Next →
      </Button>
    </nav>
  );
}
