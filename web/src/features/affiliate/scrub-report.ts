/** The scrub report's rows (one per partner and day) gathered per partner, for a chart and a line each. */
import type { ScrubReportRow } from './scrub-api.ts';

export const reportStatuses = ['approved', 'pending', 'held', 'rejected', 'reversed'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** One partner's days and totals; `partnerId` null gathers the conversions nobody was credited for. */
export interface PartnerReport {
  partnerId: string | null;
  days: ScrubReportRow[];
  totals: Record<ReportStatus | 'received', number>;
  byReason: [string, number][];
}

/** Partners by conversions received, most first (ties by id, nobody last); each partner's days in date order. */
export function reportByPartner(rows: readonly ScrubReportRow[]): PartnerReport[] {
  const partners = new Map<string | null, PartnerReport>();
  for (const row of rows) {
    let partner = partners.get(row.partnerId);
    if (!partner) {
      partner = {
        partnerId: row.partnerId,
        days: [],
        totals: { received: 0, approved: 0, pending: 0, held: 0, rejected: 0, reversed: 0 },
        byReason: [],
      };
      partners.set(row.partnerId, partner);
    }
    partner.days.push(row);
    partner.totals.received += row.received;
    for (const status of reportStatuses) partner.totals[status] += row[status];
  }
  for (const partner of partners.values()) {
    partner.days.sort((left, right) => (left.date < right.date ? -1 : left.date > right.date ? 1 : 0));
    const reasons = new Map<string, number>();
    for (const day of partner.days)
      for (const [reason, count] of Object.entries(day.byReason)) reasons.set(reason, (reasons.get(reason) ?? 0) + count);
    partner.byReason = [...reasons].sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1));
  }
  return [...partners.values()].sort(
    (left, right) =>
      right.totals.received - left.totals.received ||
      (left.partnerId === null ? 1 : right.partnerId === null ? -1 : left.partnerId < right.partnerId ? -1 : 1),
  );
}

/** A share as a whole percent of `of`, for display ("12 %"); "—" of nothing. */
export function percentOf(count: number, of: number): string {
  return of === 0 ? '—' : `${Math.round((count / of) * 100)} %`;
}
