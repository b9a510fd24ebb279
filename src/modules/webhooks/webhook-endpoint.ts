/** Rules of webhook endpoints that more than one use case applies. */
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { activeWebhookEndpointsMax } from './webhook.ts';
import { countActiveWebhookEndpoints } from './webhook-endpoint.repository.ts';

/** Refuses one more active endpoint past the limit (creating one, or enabling a disabled one). */
export async function assertActiveEndpointRoom(context: UseCaseContext): Promise<void> {
  // A soft limit: two concurrent creations may both pass; the point is to bound the fan-out, not to count exactly.
  if ((await countActiveWebhookEndpoints(context.trx)) >= activeWebhookEndpointsMax) {
    throw new AppError('webhook_endpoint_limit', `At most ${activeWebhookEndpointsMax} webhook endpoints may be active; disable one first`);
  }
}
