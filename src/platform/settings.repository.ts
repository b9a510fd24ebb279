/**
 * Settings by key, each a JSON value (the approval policy, the issuer's details). A module reads and
 * writes its own keys through these two functions and audits its own changes.
 */
import type { Executor, Tx } from './database.ts';

/** The stored value of a setting, or undefined when it was never set. */
export async function readSetting(db: Executor, key: string): Promise<unknown> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Stores a setting's value, replacing what was there. */
export async function writeSetting(trx: Tx, key: string, value: unknown, at: string, by: string): Promise<void> {
  const json = JSON.stringify(value);
  await trx
    .insertInto('settings')
    .values({ key, value: json, updated_at: at, updated_by: by })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: json, updated_at: at, updated_by: by }))
    .execute();
}
