/**
 * SQL for webhook deliveries: queuing them, claiming due ones for the dispatcher, recording attempts,
 * re-queuing failed ones, and reading the delivery log.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, Executor, Tx } from '../../platform/database.ts';
import { newId } from '../../platform/ids.ts';
import { secretsInForce } from '../../platform/signing-secrets.ts';
import type { DeliveryState, WebhookDelivery, WebhookDeliveryAttempt } from './webhook.ts';
import type { WebhookDeliveriesTable, WebhookDeliveryStatus } from './webhook.table.ts';

/** What the dispatcher needs to make one attempt. */
export interface ClaimedDelivery {
  id: string;
  /**
   * A webhook endpoint's delivery is a signed POST of the event; a partner postback's is a GET of
   * the URL filled in for its conversion, with no body and no signature.
   */
  receiver: { kind: 'webhook_endpoint'; endpointId: string } | { kind: 'partner_postback'; partnerPostbackId: string };
  eventType: string;
  url: string;
  payload: string;
  /** The secrets that sign this attempt: the current one, and the previous one while it is valid (none for a postback). */
  secrets: string[];
}

/**
 * Picks up to `limit` pending deliveries due at `now` for active endpoints and postbacks, and moves
 * each one's due time forward by `leaseMs` in the same transaction: the request is then made outside
 * any transaction, and another process will not pick the same delivery while it is in flight. If
 * this process dies mid-request, the delivery is due again when the lease ends (at-least-once delivery).
 */
export async function claimDueDeliveries(
  db: Kysely<Database>,
  now: Date,
  options: { limit: number; leaseMs: number },
): Promise<ClaimedDelivery[]> {
  const nowText = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('webhook_deliveries as delivery')
      .leftJoin('webhook_endpoints as endpoint', 'endpoint.id', 'delivery.endpoint_id')
      .leftJoin('partner_postbacks as postback', 'postback.id', 'delivery.partner_postback_id')
      .innerJoin('webhook_events as event', 'event.id', 'delivery.event_id')
      .select([
        'delivery.id',
        'delivery.endpoint_id',
        'delivery.partner_postback_id',
        'delivery.url as delivery_url',
        'event.type',
        'event.payload',
        'endpoint.url as endpoint_url',
        'endpoint.secret',
        'endpoint.previous_secret',
        'endpoint.previous_secret_expires_at',
      ])
      .where('delivery.status', '=', 'pending')
      .where('delivery.next_attempt_at', '<=', nowText)
      .where((eb) => eb.or([eb('endpoint.active', '=', true), eb('postback.active', '=', true)]))
      .orderBy('delivery.next_attempt_at')
      .orderBy('delivery.id')
      .limit(options.limit)
      // Several processes sharing a PostgreSQL database each take different rows instead of waiting.
      .forUpdate('delivery')
      .skipLocked()
      .execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: new Date(now.getTime() + options.leaseMs).toISOString() })
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    return rows.map((row): ClaimedDelivery => {
      const common = { id: row.id, eventType: row.type, payload: row.payload };
      if (row.partner_postback_id !== null) {
        const receiver = { kind: 'partner_postback' as const, partnerPostbackId: row.partner_postback_id };
        return { ...common, receiver, url: row.delivery_url ?? '', secrets: [] };
      }
      const endpoint = {
        secret: row.secret ?? '',
        previous_secret: row.previous_secret,
        previous_secret_expires_at: row.previous_secret_expires_at,
      };
      const receiver = { kind: 'webhook_endpoint' as const, endpointId: row.endpoint_id ?? '' };
      return { ...common, receiver, url: row.endpoint_url ?? '', secrets: secretsInForce(endpoint, now) };
    });
  });
}

/** How many of a delivery's latest attempts a listing shows (attemptCount counts them all). */
export const deliveryAttemptsShownMax = 20;

/** Lists an endpoint's deliveries, newest first, each with its latest attempts. */
export async function listEndpointDeliveries(
  db: Executor,
  filter: { endpointId: string; beforeId?: string | undefined; status?: WebhookDeliveryStatus | undefined; limit: number },
): Promise<WebhookDelivery[]> {
  let query = endpointDeliveryQuery(db)
    .where('delivery.endpoint_id', '=', filter.endpointId)
    .orderBy('delivery.id', 'desc')
    .limit(filter.limit);
  if (filter.beforeId !== undefined) query = query.where('delivery.id', '<', filter.beforeId);
  if (filter.status !== undefined) query = query.where('delivery.status', '=', filter.status);
  return withEndpointAttempts(db, await query.execute());
}

/** Finds one delivery with its latest attempts. */
export async function findDelivery(db: Executor, id: string): Promise<WebhookDelivery | undefined> {
  const rows = await endpointDeliveryQuery(db).where('delivery.id', '=', id).execute();
  return (await withEndpointAttempts(db, rows))[0];
}

/**
 * Deliveries as their logs show them, with their event's type: a webhook endpoint's here, a partner
 * postback's in partner-postback-delivery.repository.ts, which adds what it needs of the event.
 */
export function deliveryLogQuery(db: Executor) {
  return db
    .selectFrom('webhook_deliveries as delivery')
    .innerJoin('webhook_events as event', 'event.id', 'delivery.event_id')
    .select([
      'delivery.id',
      'delivery.event_id',
      'delivery.endpoint_id',
      'delivery.url',
      'delivery.status',
      'delivery.attempt_count',
      'delivery.next_attempt_at',
      'delivery.last_attempt_at',
      'delivery.delivered_at',
      'delivery.created_at',
      'event.type as event_type',
    ]);
}

/** The deliveries of webhook endpoints. */
function endpointDeliveryQuery(db: Executor) {
  return deliveryLogQuery(db).where('delivery.endpoint_id', 'is not', null);
}

function withEndpointAttempts(db: Executor, rows: DeliveryLogRow[]): Promise<WebhookDelivery[]> {
  return withDeliveryState(db, rows, (row) => ({
    id: row.id,
    // endpointDeliveryQuery reads endpoints' deliveries only.
    endpointId: row.endpoint_id ?? '',
    eventId: row.event_id,
    eventType: row.event_type,
  }));
}

/** A row of `deliveryLogQuery`. */
export type DeliveryLogRow = Pick<
  Selectable<WebhookDeliveriesTable>,
  | 'id'
  | 'event_id'
  | 'endpoint_id'
  | 'url'
  | 'status'
  | 'attempt_count'
  | 'next_attempt_at'
  | 'last_attempt_at'
  | 'delivered_at'
  | 'created_at'
> & { event_type: string };

/**
 * Each delivery as `describe` names it, followed by where it stands and its latest attempts (one
 * query for the whole page): the part of a log entry that endpoints' and postbacks' deliveries share.
 */
export async function withDeliveryState<Row extends DeliveryLogRow, Described>(
  db: Executor,
  rows: readonly Row[],
  describe: (row: Row) => Described,
): Promise<(Described & DeliveryState)[]> {
  const attempts = await listDeliveryAttempts(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    ...describe(row),
    status: row.status,
    attemptCount: row.attempt_count,
    // A pending delivery's due time; while an attempt is in flight it is the end of the lease.
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
    attempts: attempts.get(row.id) ?? [],
  }));
}

/** The latest attempts of each delivery (at most `deliveryAttemptsShownMax`), oldest first, in one query. */
async function listDeliveryAttempts(db: Executor, deliveryIds: readonly string[]): Promise<Map<string, WebhookDeliveryAttempt[]>> {
  const byDelivery = new Map<string, WebhookDeliveryAttempt[]>();
  if (deliveryIds.length === 0) return byDelivery;
  const attempts = await db
    .selectFrom((inner) =>
      inner
        .selectFrom('webhook_delivery_attempts')
        .selectAll()
        .select(sql<number>`row_number() over (partition by delivery_id order by number desc)`.as('recency'))
        .where('delivery_id', 'in', [...deliveryIds])
        .as('attempt'),
    )
    .selectAll()
    .where('recency', '<=', deliveryAttemptsShownMax)
    .orderBy('delivery_id')
    .orderBy('number')
    .execute();
  for (const attempt of attempts) {
    const list = byDelivery.get(attempt.delivery_id) ?? [];
    list.push({
      number: attempt.number,
      attemptedAt: attempt.attempted_at,
      durationMs: attempt.duration_ms,
      statusCode: attempt.status_code,
      error: attempt.error,
      succeeded: attempt.succeeded,
    });
    byDelivery.set(attempt.delivery_id, list);
  }
  return byDelivery;
}

/** Deliveries still to be sent (pending, retrying) and those given up (failed), counted by status. */
export async function countOpenDeliveries(db: Executor): Promise<{ status: string; count: number }[]> {
  const result = await sql<{ status: string; count: number }>`
    select status, count(*)::int as count from webhook_deliveries where status in ('pending', 'failed') group by status`.execute(db);
  return result.rows;
}

/** A delivery to queue: of an event to a webhook endpoint, or to a partner postback with the URL filled in for it. */
export type PendingDelivery = { eventId: string; endpointId: string } | { eventId: string; partnerPostbackId: string; url: string };

/** Rows per statement: 10 parameters each, far below PostgreSQL's limit of 65,535. */
const insertChunkRows = 1000;

/** Queues the deliveries, pending and due when their event happened (nothing for none). */
export async function insertPendingDeliveries(trx: Tx, deliveries: readonly PendingDelivery[], occurredAt: string): Promise<void> {
  for (let offset = 0; offset < deliveries.length; offset += insertChunkRows) {
    await trx
      .insertInto('webhook_deliveries')
      .values(
        deliveries.slice(offset, offset + insertChunkRows).map((delivery) => ({
          id: newId('whd'),
          event_id: delivery.eventId,
          endpoint_id: 'endpointId' in delivery ? delivery.endpointId : null,
          partner_postback_id: 'partnerPostbackId' in delivery ? delivery.partnerPostbackId : null,
          url: 'url' in delivery ? delivery.url : null,
          status: 'pending' as const,
          next_attempt_at: occurredAt,
          last_attempt_at: null,
          delivered_at: null,
          created_at: occurredAt,
        })),
      )
      .execute();
  }
}

/** Locks a delivery while an attempt is recorded; its counts and status, or undefined. */
export async function lockDeliveryForAttempt(trx: Tx, deliveryId: string) {
  return trx
    .selectFrom('webhook_deliveries')
    .select(['attempt_count', 'round_attempts', 'status'])
    .where('id', '=', deliveryId)
    .forUpdate()
    .executeTakeFirst();
}

/** Appends an attempt to a delivery's log. */
export async function insertDeliveryAttempt(trx: Tx, deliveryId: string, attempt: WebhookDeliveryAttempt): Promise<void> {
  await trx
    .insertInto('webhook_delivery_attempts')
    .values({
      delivery_id: deliveryId,
      number: attempt.number,
      attempted_at: attempt.attemptedAt,
      duration_ms: attempt.durationMs,
      status_code: attempt.statusCode,
      error: attempt.error,
      succeeded: attempt.succeeded,
    })
    .execute();
}

/** A delivery's state after an attempt. */
export interface DeliveryStateAfterAttempt {
  status: WebhookDeliveryStatus;
  attemptCount: number;
  roundAttempts: number;
  lastAttemptAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

/** Writes a delivery's state after an attempt. */
export async function updateDeliveryAfterAttempt(trx: Tx, deliveryId: string, state: DeliveryStateAfterAttempt): Promise<void> {
  await trx
    .updateTable('webhook_deliveries')
    .set({
      status: state.status,
      attempt_count: state.attemptCount,
      round_attempts: state.roundAttempts,
      last_attempt_at: state.lastAttemptAt,
      next_attempt_at: state.nextAttemptAt,
      delivered_at: state.deliveredAt,
    })
    .where('id', '=', deliveryId)
    .execute();
}

/**
 * Locks a delivery (not its receiver) for a retry; its status, its endpoint or partner postback,
 * and whether that receiver is active, or undefined.
 */
export async function lockDeliveryWithReceiver(trx: Tx, deliveryId: string) {
  return trx
    .selectFrom('webhook_deliveries as delivery')
    .leftJoin('webhook_endpoints as endpoint', 'endpoint.id', 'delivery.endpoint_id')
    .leftJoin('partner_postbacks as postback', 'postback.id', 'delivery.partner_postback_id')
    .select([
      'delivery.status',
      'delivery.endpoint_id',
      'delivery.partner_postback_id',
      'endpoint.active as endpoint_active',
      'postback.active as postback_active',
    ])
    .where('delivery.id', '=', deliveryId)
    .forUpdate('delivery')
    .executeTakeFirst();
}

/** Makes a delivery pending and due at `dueAt` with a fresh round of attempts. */
export async function requeueDelivery(trx: Tx, deliveryId: string, dueAt: string): Promise<void> {
  await trx
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', round_attempts: 0, next_attempt_at: dueAt })
    .where('id', '=', deliveryId)
    .execute();
}
