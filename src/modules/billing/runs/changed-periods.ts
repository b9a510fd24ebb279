/** Which issued periods a billing run must rate again: those whose delivery or versions changed since they were rated. */
import type { Executor } from '../../../platform/database.ts';
import { listVersionsApprovedSince } from '../../contracts/index.ts';
import { listDeliveryChangesSince } from '../../delivery/index.ts';

/**
 * The issued (contract, period) pairs whose rating may have changed since they were last rated:
 * impressions restated, conversions received or whose status changed, or a version approved since.
 * Looking only at changes after the oldest rating keeps this to recent rows.
 */
export async function findChangedPeriods(
  db: Executor,
  candidates: { contractId: string; billedPeriod: string; from: string; to: string; lastRatedAt: string }[],
): Promise<Set<string>> {
  const changed = new Set<string>();
  if (candidates.length === 0) return changed;
  const since = candidates.reduce(
    (oldest, candidate) => (candidate.lastRatedAt < oldest ? candidate.lastRatedAt : oldest),
    (candidates[0] as (typeof candidates)[number]).lastRatedAt,
  );
  const contractIds = [...new Set(candidates.map((candidate) => candidate.contractId))];
  const [deliveryChanges, versions] = await Promise.all([
    listDeliveryChangesSince(db, contractIds, since),
    listVersionsApprovedSince(db, contractIds, since),
  ]);
  const changes = new Map<string, { date: string; at: string }[]>();
  for (const change of deliveryChanges) {
    let list = changes.get(change.contractId);
    if (!list) changes.set(change.contractId, (list = []));
    list.push(change);
  }
  for (const candidate of candidates) {
    const key = `${candidate.contractId}|${candidate.billedPeriod}`;
    const touched = (changes.get(candidate.contractId) ?? []).some(
      (change) => change.at >= candidate.lastRatedAt && change.date >= candidate.from && change.date <= candidate.to,
    );
    // An approved version changes the periods from its effective date on.
    const amended = versions.some(
      (version) =>
        version.contractId === candidate.contractId && version.approvedAt >= candidate.lastRatedAt && version.effectiveFrom <= candidate.to,
    );
    if (touched || amended) changed.add(key);
  }
  return changed;
}
