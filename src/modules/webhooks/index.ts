/** The webhooks module's public surface: what other modules may use of it. */
export { type DispatcherLogger, startWebhookDispatcher } from './webhook-dispatcher.ts';
export { webhookRoutes } from './webhooks.routes.ts';
export { countOpenDeliveries } from './webhook-delivery.repository.ts';
export { enqueueWebhookEvent } from './enqueue-webhook-event.ts';
export { listSubscribedEndpointIds } from './webhook-endpoint.repository.ts';
export {
  anyPartnerPostbackFor,
  enqueuePartnerPostbacks,
  type EnqueuedPartnerPostbacks,
  partnerPostbackEventId,
} from './enqueue-partner-postbacks.ts';
export { type PartnerPostbackConversion, type PartnerPostbackEvent, partnerPostbackEvents } from './partner-postback.ts';
