/** One HTTP attempt at a delivery: POST the signed payload and report what happened. No database here. */
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

/** POSTs the exact payload bytes with the Tally headers; a 2xx answer within the timeout is a success. */
export async function sendWebhookRequest(
  delivery: ClaimedDelivery,
  signedAt: Date,
  timeoutMs = webhookRequestTimeoutMs,
): Promise<AttemptOutcome> {
  const timestampSeconds = Math.floor(signedAt.getTime() / 1000);
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Tally-Webhooks/1',
        'tally-event': delivery.eventType,
        'tally-delivery': delivery.id,
        'tally-signature': webhookSignatureHeader(delivery.secrets, timestampSeconds, delivery.payload),
      },
      body: delivery.payload,
      // A redirect is not followed: the receiver must answer at the URL it registered.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The answer's body is not needed; cancelling it frees the connection without reading a body of any size.
    await response.body?.cancel().catch(() => undefined);
    const succeeded = response.status >= 200 && response.status < 300;
    const error = succeeded ? null : response.status >= 300 && response.status < 400 ? `redirect (${response.status}) not followed` : null;
    return { succeeded, statusCode: response.status, error, durationMs: elapsed() };
  } catch (error) {
    return { succeeded: false, statusCode: null, error: describeFailure(error, timeoutMs), durationMs: elapsed() };
  }
}

/** A short, stable text for a request that got no answer. */
function describeFailure(error: unknown, timeoutMs: number): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') return `timeout: no answer within ${timeoutMs} ms`;
  const cause = failure.cause;
  const text = cause?.code !== undefined ? `${cause.code}: ${cause.message ?? ''}` : (cause?.message ?? failure.message ?? String(error));
  return text.slice(0, errorLengthMax);
}
