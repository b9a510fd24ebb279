/** A status word as a coloured badge: green for what is in force, amber for what waits, red for what stopped. */
import { humanize } from '../format.ts';

const tones: Record<string, 'ok' | 'warn' | 'bad' | 'info' | ''> = {
  active: 'ok',
  approved: 'ok',
  scheduled: 'info',
  pending_approval: 'warn',
  draft: '',
  rejected: 'bad',
  withdrawn: '',
  expired: '',
  terminated: 'bad',
  // Invoices and payout statements, and billing runs.
  needs_review: 'warn',
  finalized: 'info',
  partially_paid: 'warn',
  paid: 'ok',
  void: 'bad',
  running: 'info',
  completed: 'ok',
  failed: 'bad',
  // Conversions: held by a scrub rule for review, reversed after the fact.
  held: 'warn',
  reversed: 'bad',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${tones[status] ?? ''}`}>{humanize(status)}</span>;
}
