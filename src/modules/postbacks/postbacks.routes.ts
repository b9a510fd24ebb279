/**
 * The postback endpoint (SPEC §9): `GET /v1/postbacks/:key?txid=&click_id=&event=&amount=&ts=&sig=`,
 * called by an advertiser's system with no bearer token: the HMAC signature of the query with the
 * source's secret is the credential. Registered outside the authenticated /v1 scope (http/app.ts),
 * with a rate limit of its own per key. Verified postbacks are stored in batches by the app's
 * committer (postback-committer.ts); each is answered 200 only once its batch committed.
 */
import { publishIntake } from '../delivery/index.ts';
import { newId } from '../../platform/ids.ts';
import type { QueuedPostback } from './postback-intake.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addressKey, type RequestLimiter } from '../../http/rate-limit.ts';
import { AppError } from '../../platform/errors.ts';
import { secretsInForce } from '../../platform/signing-secrets.ts';
import { clickIdLengthMax, eventLengthMax, findSignature, parsePostbackQuery, txidLengthMax } from './postback-query.ts';
import { postbackSigningText, splitRawQuery, verifyPostbackSignature } from './postback-signature.ts';
import { postbackActor, postbackKeyPattern, postbackOutcomes } from './postback-source.ts';
import { createPostbackSourceCache } from './postback-source-cache.ts';
import type { PostbackSourcesTable } from './postback.table.ts';
import { createPostbackCommitter, type PostbackCommitterOptions, postbackRetryAfterSeconds } from './postback-committer.ts';

/** The route as Fastify names it: /metrics counts this route's refusals by reason. */
export const postbackRouteUrl = '/v1/postbacks/:key';

/** Why a postback was refused, as /metrics counts it, from the problem code it answered. */
export function postbackFailureReason(status: number, code: string): string {
  if (code === 'bad_signature') return 'bad_signature';
  if (code === 'unknown_postback_key' || code === 'route_not_found') return 'unknown_key';
  if (code === 'postback_source_disabled') return 'disabled';
  if (code === 'conversion_conflict') return 'conflict';
  if (code === 'rate_limited') return 'rate_limited';
  // Both say "retry shortly": the queue is full, or the batch's transaction met others' after its retries.
  if (code === 'postback_queue_full' || code === 'transaction_conflict') return 'busy';
  if (status >= 500) return 'error';
  // A 422 (malformed_postback, or one of delivery's refusals: an unknown click, a date outside the contract) or a 400.
  return 'malformed';
}

// Documents the parameters only: they are read from the raw query string (the signature covers the
// text as received) and checked by the handler, which answers 422, not the schema's 400.
const postbackQuerySchema = z.object({
  txid: z.string().max(txidLengthMax).meta({ description: "The conversion's id: the same txid again is a duplicate." }),
  click_id: z.string().max(clickIdLengthMax).meta({ description: 'The click (POST /v1/clicks) that led to it: it names the partner.' }),
  event: z.string().max(eventLengthMax).meta({ description: "The conversion's event type, e.g. purchase." }),
  amount: z.string().max(40).optional().meta({ description: 'Its value, a decimal such as 12.50.' }),
  ts: z.string().max(11).optional().meta({ description: 'When it happened, in Unix seconds; by default, when the postback arrives.' }),
  sig: z
    .string()
    .max(64)
    .meta({ description: 'Hex HMAC-SHA256, with the source secret, of the other parameters sorted by name, as name=value&…, undecoded.' }),
});

/** Options: the limiter of the app (http/rate-limit.ts), which this public route calls itself; the committer's batch and queue sizes. */
export interface PostbackRouteOptions {
  limit: RequestLimiter;
  committer?: Pick<PostbackCommitterOptions, 'batchMax' | 'queueMax' | 'concurrency'>;
}

/** GET /v1/postbacks/:key: public, so registered outside the bearer-authenticated scope. */
export const postbackRoutes: FastifyPluginAsyncZod<PostbackRouteOptions> = async (app, options) => {
  // One committer per app: it stores what its requests verified, in batches, one batch at a time
  // (two at once made smaller batches and no more throughput: bench/postbacks.ts, docs/benchmarks.md).
  const committer = createPostbackCommitter({ db: app.store.db, clock: app.clock, ...options.committer });
  const sources = createPostbackSourceCache(app.store.db);
  // Once the server has stopped taking requests: whatever is still queued is stored before the store closes.
  app.addHook('onClose', async () => committer.drain());

  // Each source counts in its own window (an advertiser's server sends all of its postbacks from a
  // few addresses); a path that is not a key at all counts against the caller's address.
  app.addHook('onRequest', async (request, reply) => {
    const key = (request.params as { key?: unknown }).key;
    await options.limit(request, reply, typeof key === 'string' && postbackKeyPattern.test(key) ? `postback:${key}` : addressKey(request));
  });

  app.get(
    '/postbacks/:key',
    {
      // A HEAD request (a link checker's) must not store a conversion.
      exposeHeadRoute: false,
      validatorCompiler: () => (data) => ({ value: data }),
      schema: {
        operationId: 'receivePostback',
        tags: ['postbacks'],
        summary: 'Report a conversion of a postback source, signed with its secret (no bearer token)',
        description:
          'Answers 200 once the conversion is stored: `accepted`, or `duplicate` for a txid this source already sent with the ' +
          'same parameters. 404 for an unknown key, 422 for a missing or malformed parameter, 401 when the signature does not ' +
          'match, 403 when the source is disabled, 409 for a known txid with other parameters (conversion_conflict) or ' +
          'transaction_conflict with Retry-After, 503 postback_queue_full with Retry-After when too many postbacks are waiting ' +
          'to be stored; none of them writes anything. With intake on NATS JetStream (TALLY_NATS_URL), a verified postback ' +
          'is answered `queued` once the stream has it (503 intake_unavailable when it cannot be reached), and stored by any ' +
          'process; what became of it is recorded like an intake batch.',
        security: [],
        params: z.object({ key: z.string().max(64) }),
        querystring: postbackQuerySchema,
        response: { 200: z.object({ status: z.enum([...postbackOutcomes, 'queued']) }) },
        problems: [
          'unknown_postback_key',
          'malformed_postback',
          'bad_signature',
          'postback_source_disabled',
          'conversion_conflict',
          'unknown_contract',
          'unknown_line_item',
          'not_a_cpa_line_item',
          'date_outside_contract',
          'unknown_click',
          'click_mismatch',
          'touch_after_conversion',
          'rate_limited',
          'postback_queue_full',
          'intake_unavailable',
          // A GET that writes: its batch's transaction may still meet others' after its retries (a deadlock).
          'transaction_conflict',
        ],
      },
    },
    async (request, reply) => {
      const key = request.params.key;
      const found = postbackKeyPattern.test(key) ? await sources.find(key) : undefined;
      if (!found) {
        // Guessing keys costs the guesser's address its window too (a path that is no key at all counted there already).
        if (postbackKeyPattern.test(key)) await options.limit(request, reply, addressKey(request));
        throw new AppError('unknown_postback_key', 'No postback source has this key; nothing was written');
      }
      const parameters = splitRawQuery(request.raw.url ?? request.url);
      const signature = findSignature(parameters);
      if ('error' in signature) {
        throw new AppError('malformed_postback', `sig ${signature.error.message}; nothing was written`, [signature.error]);
      }
      const now = app.clock.now();
      const signingText = postbackSigningText(parameters);
      const verifies = (row: PostbackSourcesTable) => verifyPostbackSignature(secretsInForce(row, now), signingText, signature.signature);
      let source = found.row;
      let verified = verifies(source);
      // A refusal is never decided on a kept row: its secret may have been rotated, or the source enabled, since.
      if ((!verified || !source.active) && found.cached) {
        const fresh = await sources.find(key, { fresh: true });
        if (!fresh) throw new AppError('unknown_postback_key', 'No postback source has this key; nothing was written');
        source = fresh.row;
        verified = verifies(source);
      }
      if (!verified) {
        throw new AppError('bad_signature', "The signature does not match the parameters with this source's secret; nothing was written");
      }
      if (!source.active) throw new AppError('postback_source_disabled', 'This postback source is disabled; nothing was written');
      const parsed = parsePostbackQuery(parameters, now);
      if (!parsed.ok) {
        const first = parsed.errors[0];
        throw new AppError('malformed_postback', `${first?.path} ${first?.message}; nothing was written`, parsed.errors);
      }
      // Through NATS JetStream (SPEC §11): acknowledged once the stream has it; any process stores it.
      if (app.intake) {
        const queued: QueuedPostback = {
          source: { id: source.id, contract_id: source.contract_id, line_item: source.line_item },
          content: parsed.content,
          receivedAt: now.toISOString(),
        };
        await publishIntake(app.intake, { kind: 'postbacks', batchId: newId('bat'), actor: postbackActor(source.id), body: queued });
        return { status: 'queued' as const };
      }
      try {
        return {
          status: await committer.submit({ source, content: parsed.content, receivedAt: now, signingText, signature: signature.signature }),
        };
      } catch (error) {
        if (error instanceof AppError && error.code === 'postback_queue_full')
          reply.header('retry-after', String(postbackRetryAfterSeconds));
        throw error;
      }
    },
  );
};
