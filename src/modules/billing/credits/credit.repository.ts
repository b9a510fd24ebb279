/** SQL for credits: grants, what remains of them, applications and expiries. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../../platform/database.ts';
import type { PartyCredit } from '../../../wire/credits.ts';
import { Decimal, formatMoney } from '../../../wire/money.ts';

type CreditRow = {
  id: string;
  party_id: string;
  billing_entity_id: string;
  kind: PartyCredit['kind'];
  currency: string;
  amount: string;
  expires_at: string | null;
  reference: string | null;
  granted_on: string;
  created_at: string;
  created_by: string;
  applied: string;
  expired: string;
};

function toCredit(row: CreditRow): PartyCredit {
  const remaining = new Decimal(row.amount).minus(row.applied).minus(row.expired);
  return {
    id: row.id,
    partyId: row.party_id,
    billingEntityId: row.billing_entity_id,
    kind: row.kind,
    currency: row.currency,
    amount: formatMoney(new Decimal(row.amount), row.currency),
    remaining: formatMoney(remaining, row.currency),
    expired: formatMoney(new Decimal(row.expired), row.currency),
    expiresAt: row.expires_at,
    reference: row.reference,
    grantedOn: row.granted_on,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

const creditColumns = sql`
  c.id, c.party_id, c.billing_entity_id, c.kind, c.currency, c.amount, c.expires_at::text as expires_at, c.reference,
  c.granted_on::text as granted_on, c.created_at, c.created_by,
  coalesce((select sum(a.amount) from credit_applications a where a.credit_id = c.id), 0) as applied,
  coalesce((select e.amount from credit_expiries e where e.credit_id = c.id), 0) as expired`;

/** A party's credits, oldest first, with what remains of each. */
export async function listPartyCredits(db: Executor, partyId: string): Promise<PartyCredit[]> {
  const rows = await sql<CreditRow>`select ${creditColumns} from party_credits c where c.party_id = ${partyId} order by c.id`.execute(db);
  return rows.rows.map(toCredit);
}

/**
 * Locks the credits of these parties until the transaction ends and answers those with something
 * left, in the order they are applied: soonest expiry first (never-expiring last), then oldest.
 */
export async function lockOpenCredits(trx: Tx, partyIds: readonly string[]): Promise<PartyCredit[]> {
  if (partyIds.length === 0) return [];
  await sql`select id from party_credits where party_id = any(${[...new Set(partyIds)]}::text[]) order by id for update`.execute(trx);
  const rows = await sql<CreditRow>`
    select ${creditColumns} from party_credits c where c.party_id = any(${[...new Set(partyIds)]}::text[])
    order by c.expires_at nulls last, c.id`.execute(trx);
  return rows.rows.map(toCredit).filter((credit) => new Decimal(credit.remaining).greaterThan(0));
}

/** Credits past their last day on `asOf` with something left and no expiry yet, locked. */
export async function lockExpirableCredits(trx: Tx, asOf: string): Promise<PartyCredit[]> {
  await sql`select id from party_credits where expires_at < ${asOf}::date order by id for update`.execute(trx);
  const rows = await sql<CreditRow>`
    select ${creditColumns} from party_credits c
    where c.expires_at < ${asOf}::date and not exists (select 1 from credit_expiries e where e.credit_id = c.id)
    order by c.id`.execute(trx);
  return rows.rows.map(toCredit).filter((credit) => new Decimal(credit.remaining).greaterThan(0));
}

export async function insertCredit(trx: Tx, credit: PartyCredit): Promise<void> {
  await trx
    .insertInto('party_credits')
    .values({
      id: credit.id,
      party_id: credit.partyId,
      billing_entity_id: credit.billingEntityId,
      kind: credit.kind,
      currency: credit.currency,
      amount: credit.amount,
      expires_at: credit.expiresAt,
      reference: credit.reference,
      granted_on: credit.grantedOn,
      created_at: credit.createdAt,
      created_by: credit.createdBy,
    })
    .execute();
}

export async function insertCreditApplications(
  trx: Tx,
  applications: readonly { creditId: string; documentId: string; amount: string; appliedOn: string }[],
): Promise<void> {
  if (applications.length === 0) return;
  await trx
    .insertInto('credit_applications')
    .values(
      applications.map((application) => ({
        credit_id: application.creditId,
        document_id: application.documentId,
        amount: application.amount,
        applied_on: application.appliedOn,
      })),
    )
    .execute();
}

export async function insertCreditExpiries(
  trx: Tx,
  expiries: readonly { creditId: string; amount: string }[],
  expiredOn: string,
  at: string,
  by: string,
): Promise<void> {
  if (expiries.length === 0) return;
  await trx
    .insertInto('credit_expiries')
    .values(
      expiries.map((expiry) => ({
        credit_id: expiry.creditId,
        amount: expiry.amount,
        expired_on: expiredOn,
        created_at: at,
        created_by: by,
      })),
    )
    .execute();
}
