/**
 * An invoice's overdue status as a badge: the API derives `overdue` and `daysPastDue` as of its
 * today (an issued invoice with something due after its due date), so the badge shows exactly that.
 */
import { formatCount } from '../../common/format.ts';
import type { DocumentSummary } from './billing-api.ts';

/** "Overdue · 12 days" for an overdue document; nothing otherwise. */
export function OverdueBadge({ document }: { document: Pick<DocumentSummary, 'overdue' | 'daysPastDue'> }) {
  if (!document.overdue) return null;
  const days = document.daysPastDue ?? 0;
  // The space keeps it apart from the status badge before it, as words, for screen readers too.
  return (
    <>
      {' '}
      <span className="badge bad" title="Past its due date with something still due (as of today)">
        Overdue · {formatCount(days)} {days === 1 ? 'day' : 'days'}
      </span>
    </>
  );
}
