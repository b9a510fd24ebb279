/**
 * One HTTP attempt at a delivery: POST the signed payload to a webhook endpoint, or GET a partner
 * postback's URL, and report what happened. No database here.
 */
import http from 'node:http';
import https from 'node:https';
import { checkOutboundTarget, pinnedLookup, PrivateTargetError } from '../../platform/outbound-targets.ts';
import type { ClaimedDelivery } from './webhook-delivery.repository.ts';
import { webhookSignatureHeader } from './verify-signature.ts';

export const webhookRequestTimeoutMs = 10_000;

/** An error text is kept in the delivery log; longer ones are cut. */
const errorLengthMax = 500;

export interface AttemptOutcome {
  succeeded: boolean;
  /** The receiver's HTTP status, or null when it did not answer. */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * POSTs the exact payload bytes with the Tally headers to an endpoint, or GETs a partner postback's
 * URL (no body, no signature: partners' trackers take the values from the query); a 2xx answer
 * within the timeout is a success. For both, the target is checked first (SPEC §9: no private address unless `allowPrivateTargets`) and the
 * connection goes to the address that was checked, so DNS rebinding cannot redirect it.
 */
export async function sendWebhookRequest(
  delivery: ClaimedDelivery,
  signedAt: Date,
  timeoutMs = webhookRequestTimeoutMs,
  options: { allowPrivateTargets?: boolean } = {},
): Promise<AttemptOutcome> {
  const timestampSeconds = Math.floor(signedAt.getTime() / 1000);
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const url = new URL(delivery.url);
    const target = await checkOutboundTarget(url, { allowPrivate: options.allowPrivateTargets === true });
    const postback = delivery.receiver.kind === 'partner_postback';
    const body = postback ? null : Buffer.from(delivery.payload);
    const status = await new Promise<number>((resolve, reject) => {
      const request = (url.protocol === 'https:' ? https : http).request(
        url,
        {
          method: postback ? 'GET' : 'POST',
          headers:
            body === null
              ? { 'user-agent': 'Tally-Postbacks/1', 'tally-delivery': delivery.id }
              : {
                  'content-type': 'application/json',
                  'content-length': String(body.length),
                  'user-agent': 'Tally-Webhooks/1',
                  'tally-event': delivery.eventType,
                  'tally-delivery': delivery.id,
                  'tally-signature': webhookSignatureHeader(delivery.secrets, timestampSeconds, delivery.payload),
                },
          lookup: pinnedLookup(target),
          // No connection is kept for another delivery: each one is checked and pinned anew.
          agent: false,
          signal,
        },
        (response) => {
          // The answer's body is not needed; destroying it frees the socket without reading a body of any size.
          response.destroy();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      if (body === null) request.end();
      else request.end(body);
    });
    // A redirect is not followed (node:http never does): the receiver must answer at the URL it registered.
    const succeeded = status >= 200 && status < 300;
    const error = succeeded ? null : status >= 300 && status < 400 ? `redirect (${status}) not followed` : null;
    return { succeeded, statusCode: status, error, durationMs: elapsed() };
  } catch (error) {
    if (error instanceof PrivateTargetError) {
      return {
        succeeded: false,
        statusCode: null,
        error: `refused target: ${error.message}`.slice(0, errorLengthMax),
        durationMs: elapsed(),
      };
    }
    const timedOut = signal.aborted;
    return {
      succeeded: false,
      statusCode: null,
      error: describeFailure(timedOut ? signal.reason : error, timeoutMs),
      durationMs: elapsed(),
    };
  }
}

/** A short, stable text for a request that got no answer. */
function describeFailure(error: unknown, timeoutMs: number): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') return `timeout: no answer within ${timeoutMs} ms`;
  const direct = error as { code?: string; message?: string };
  if (typeof direct.code === 'string' && direct.code.startsWith('E'))
    return `${direct.code}: ${direct.message ?? ''}`.slice(0, errorLengthMax);
  const cause = failure.cause;
  const text = cause?.code !== undefined ? `${cause.code}: ${cause.message ?? ''}` : (cause?.message ?? failure.message ?? String(error));
  return text.slice(0, errorLengthMax);
}
