/** SQL for webhook endpoints. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { RotatableSecret } from '../../platform/signing-secrets.ts';
import type { WebhookEndpoint, WebhookEventType } from './webhook.ts';
import type { WebhookEndpointsTable } from './webhook.table.ts';

type EndpointRow = Pick<WebhookEndpointsTable, 'id' | 'url' | 'description' | 'active' | 'created_at'> & { events: string[] };

/** Maps a row to the API shape (never the secret). */
export function toWebhookEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: row.events as WebhookEventType[],
    description: row.description,
    createdAt: row.created_at,
    active: row.active,
  };
}

/** Finds one endpoint row, optionally locking it for a change. */
export async function findWebhookEndpointRow(db: Executor, id: string, lock = false) {
  let query = db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The endpoint row under lock, or webhook_endpoint_not_found. */
export async function lockWebhookEndpoint(db: Executor, id: string) {
  const row = await findWebhookEndpointRow(db, id, true);
  if (!row) throw new AppError('webhook_endpoint_not_found', `Webhook endpoint ${id} does not exist`);
  return row;
}

/** Lists endpoints in id (creation) order. */
export async function listWebhookEndpoints(
  db: Executor,
  filter: { afterId?: string | undefined; limit: number },
): Promise<WebhookEndpoint[]> {
  let query = db
    .selectFrom('webhook_endpoints')
    .select(['id', 'url', 'events', 'description', 'active', 'created_at'])
    .orderBy('id')
    .limit(filter.limit);
  if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
  return (await query.execute()).map(toWebhookEndpoint);
}

/** How many endpoints are active. */
export async function countActiveWebhookEndpoints(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** The ids of the active endpoints subscribed to an event type. */
export async function listSubscribedEndpointIds(db: Executor, type: WebhookEventType): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('active', '=', true)
    .where(sql<boolean>`events @> ${JSON.stringify([type])}::jsonb`)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Inserts a new endpoint with its first signing secret. */
export async function insertWebhookEndpoint(trx: Tx, endpoint: WebhookEndpoint & { secret: string; createdBy: string }): Promise<void> {
  await trx
    .insertInto('webhook_endpoints')
    .values({
      id: endpoint.id,
      url: endpoint.url,
      events: JSON.stringify(endpoint.events),
      description: endpoint.description,
      secret: endpoint.secret,
      previous_secret: null,
      previous_secret_expires_at: null,
      active: endpoint.active,
      created_at: endpoint.createdAt,
      created_by: endpoint.createdBy,
      updated_at: endpoint.createdAt,
    })
    .execute();
}

/** Writes an endpoint's new signing secret and the previous one with the end of its grace period (platform/signing-secrets.ts, rotatedSecret). */
export async function updateWebhookEndpointSecret(trx: Tx, id: string, secrets: RotatableSecret, updatedAt: string): Promise<void> {
  await trx
    .updateTable('webhook_endpoints')
    .set({ ...secrets, updated_at: updatedAt })
    .where('id', '=', id)
    .execute();
}

/** Writes whether an endpoint receives events. */
export async function updateWebhookEndpointActive(trx: Tx, id: string, active: boolean, updatedAt: string): Promise<void> {
  await trx.updateTable('webhook_endpoints').set({ active, updated_at: updatedAt }).where('id', '=', id).execute();
}
