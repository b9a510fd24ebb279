/** SQL reads of delivery: current impression counts and conversions with their history. */
import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/database.ts';
import type { ConversionsTable } from './delivery.table.ts';

/** Current counts (impressions, completed views, clicks) of one contract between two dates, summed over partners, per line item, date and source. */
export async function listImpressionCounts(db: Executor, contractId: string, from: string, to: string) {
  const rows = await db
    .selectFrom('impression_counts')
    .select([
      'line_item',
      'date',
      'source',
      (eb) => eb.fn.sum<string>('impressions').as('impressions'),
      (eb) => eb.fn.sum<string>('completed_views').as('completed_views'),
      (eb) => eb.fn.sum<string>('clicks').as('clicks'),
      (eb) => eb.fn.max('revision').as('revision'),
    ])
    .where('contract_id', '=', contractId)
    .where('date', '>=', from)
    .where('date', '<=', to)
    .groupBy(['line_item', 'date', 'source'])
    .orderBy('date')
    .orderBy('line_item')
    .orderBy('source')
    .execute();
  return rows.map((row) => ({
    lineItem: row.line_item,
    date: row.date,
    source: row.source,
    impressions: Number(row.impressions),
    completedViews: Number(row.completed_views),
    clicks: Number(row.clicks),
    revision: Number(row.revision),
  }));
}

export interface ConversionFilter {
  contractId: string;
  status?: string | undefined;
  /** The credited partner. */
  partnerId?: string | undefined;
  /** The scrub rule that decided the conversion at intake. */
  ruleId?: string | undefined;
  afterId?: string | undefined;
  limit: number;
}

/** Conversions of one contract in id order. */
export async function listConversions(db: Executor, filter: ConversionFilter) {
  let query = db.selectFrom('conversions').selectAll().where('contract_id', '=', filter.contractId).orderBy('id').limit(filter.limit);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status as 'pending');
  if (filter.partnerId !== undefined) query = query.where('partner_id', '=', filter.partnerId);
  if (filter.ruleId !== undefined) {
    const ruleId = filter.ruleId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('conversion_status_events')
          .select(eb.lit(1).as('one'))
          .whereRef('conversion_status_events.conversion_id', '=', 'conversions.id')
          .where('conversion_status_events.rule_id', '=', ruleId),
      ),
    );
  }
  if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
  return (await query.execute()).map(toConversion);
}

/** Why the one touch of a conversion received before attribution (migration 0014) counts: the sender named it. */
const receivedBeforeAttribution = 'received_before_attribution';

/** One conversion with its attribution, touches and status history, or undefined. */
export async function findConversion(db: Executor, id: string) {
  const row = await db.selectFrom('conversions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const events = await db.selectFrom('conversion_status_events').selectAll().where('conversion_id', '=', id).orderBy('seq').execute();
  const touchRows = await db.selectFrom('conversion_touches').selectAll().where('conversion_id', '=', id).orderBy('position').execute();
  const touches =
    touchRows.length > 0
      ? touchRows.map((touch) => ({
          partnerId: touch.partner_id,
          type: touch.touch_type,
          at: touch.touch_at,
          clickId: touch.click_id,
          credited: touch.credited,
          reason: touch.reason,
        }))
      : // Received before attribution: its own touch, credited to the partner it named (if any).
        [
          {
            partnerId: row.partner_id,
            type: row.touch_type,
            at: row.touch_at,
            clickId: null,
            credited: row.partner_id !== null,
            reason: row.partner_id !== null ? receivedBeforeAttribution : 'no_partner',
          },
        ];
  const credited = touches.find((touch) => touch.credited);
  return {
    ...toConversion(row),
    clickId: row.click_id,
    attribution: row.attribution_model === null ? null : { model: row.attribution_model, version: row.attribution_version },
    credited:
      credited === undefined || credited.partnerId === null
        ? null
        : { partnerId: credited.partnerId, touch: { type: credited.type, at: credited.at, clickId: credited.clickId } },
    touches,
    history: events.map((event) => ({ seq: event.seq, status: event.status, reason: event.reason, at: event.at, by: event.by_actor })),
    statusHistory: events.map((event) => ({
      status: event.status,
      at: event.at,
      by: event.by_actor,
      ...(event.rule_id === null ? {} : { rule: event.rule_id }),
      ...(event.reason === null ? {} : { reason: event.reason }),
    })),
  };
}

type ConversionRow = Selectable<ConversionsTable>;

function toConversion(row: ConversionRow) {
  return {
    id: row.id,
    contractId: row.contract_id,
    lineItem: row.line_item,
    partnerId: row.partner_id,
    eventType: row.event_type,
    occurredAt: row.occurred_at,
    touch: { type: row.touch_type, at: row.touch_at },
    value: row.value,
    attributes: row.attributes,
    status: row.status,
    statusAt: row.status_at,
    receivedAt: row.received_at,
  };
}
