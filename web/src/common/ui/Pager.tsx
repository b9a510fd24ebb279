/** Previous and next for a paged list (see use-paged-list.ts); nothing when everything fits on one page. */
import type { PagerState } from '../use-paged-list.ts';
import { Button } from './Button.tsx';

export function Pager({ pager, busy }: { pager: PagerState; busy?: boolean }) {
  if (pager.pageNumber === 1 && !pager.hasNext) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <Button size="small" onClick={pager.previous} disabled={pager.pageNumber === 1 || busy}>
        ← Previous
      </Button>
      <span className="muted small">Page {pager.pageNumber}</span>
      <Button size="small" onClick={pager.next} disabled={!pager.hasNext || busy}>
        Next →
      </Button>
    </nav>
  );
}
