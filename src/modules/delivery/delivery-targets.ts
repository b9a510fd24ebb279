/** What delivery may refer to: approved sell contracts, their line items and dates, and partners. */
import type { Executor } from '../../platform/database.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import type { Terms } from '../../wire/terms.ts';
import type { Actor } from '../../platform/actor.ts';

export interface DeliveryTarget {
  contractId: string;
  partyId: string;
  startDate: string;
  endDate: string;
  /** Pricing model of each line item key, over every approved version (a key keeps its meaning). */
  lineItemModels: Map<string, Set<string>>;
}

/** Loads the approved sell contracts named in a batch; unknown ones (or another party's) are simply absent. */
export async function loadDeliveryTargets(db: Executor, contractIds: Iterable<string>, actor: Actor): Promise<Map<string, DeliveryTarget>> {
  const ids = [...new Set(contractIds)];
  const targets = new Map<string, DeliveryTarget>();
  if (ids.length === 0) return targets;
  const contracts = await db
    .selectFrom('contracts')
    .select(['id', 'party_id', 'side', 'start_date', 'end_date', 'current_version'])
    .where('id', 'in', ids)
    .execute();
  const versions = await db
    .selectFrom('contract_versions')
    .select(['contract_id', 'terms'])
    .where('contract_id', 'in', ids)
    .where('status', '=', 'approved')
    .execute();
  for (const contract of contracts) {
    if (actor.role === 'party' && contract.party_id !== actor.partyId) continue;
    if (contract.side !== 'sell' || contract.current_version === null || !contract.start_date || !contract.end_date) continue;
    targets.set(contract.id, {
      contractId: contract.id,
      partyId: contract.party_id,
      startDate: contract.start_date,
      endDate: contract.end_date,
      lineItemModels: new Map(),
    });
  }
  for (const version of versions) {
    const target = targets.get(version.contract_id);
    if (!target) continue;
    for (const lineItem of (version.terms as Terms).lineItems) {
      const models = target.lineItemModels.get(lineItem.key) ?? new Set<string>();
      models.add(lineItem.pricing.model);
      target.lineItemModels.set(lineItem.key, models);
    }
  }
  return targets;
}

/** The ids among `partnerIds` that are existing partner parties. */
export async function loadPartnerIds(db: Executor, partnerIds: Iterable<string>): Promise<Set<string>> {
  const ids = [...new Set(partnerIds)];
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('parties').select('id').where('id', 'in', ids).where('kind', '=', 'partner').execute();
  return new Set(rows.map((row) => row.id));
}

/** Why a contract id cannot take delivery, for the error message. */
export async function explainMissingTarget(db: Executor, contractId: string, actor: Actor): Promise<string> {
  const row = await db
    .selectFrom('contracts')
    .select(['side', 'current_version', 'party_id'])
    .where('id', '=', contractId)
    .executeTakeFirst();
  if (!row || (actor.role === 'party' && row.party_id !== actor.partyId)) return 'no such contract';
  if (row.side !== 'sell') return 'delivery is recorded on sell-side contracts (the partner is named by partnerId)';
  return 'the contract has no approved version yet';
}

/** Throws one 422 with every field error found (capped), so a bad batch writes nothing and says why. */
export function throwIfErrors(errors: (FieldError & { code: string })[], what: string): void {
  if (errors.length === 0) return;
  const first = errors[0] as FieldError & { code: string };
  throw new AppError(
    first.code as 'unknown_contract',
    `${errors.length} ${what} rejected; the first: ${first.path}: ${first.message}. Nothing was written.`,
    errors.slice(0, 100),
  );
}
