/** HTTP routes for webhook endpoints and their delivery log (admin only). No SQL and no rules here. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { AppError } from '../../platform/errors.ts';
import { assertPublicTarget } from './assert-public-target.ts';
import { createWebhookEndpoint } from './create-webhook-endpoint.ts';
import { partnerPostbackRoutes } from './partner-postbacks.routes.ts';
import { retryWebhookDelivery } from './retry-webhook-delivery.ts';
import { rotateWebhookSecret } from './rotate-webhook-secret.ts';
import { setWebhookEndpointActive } from './set-webhook-endpoint-active.ts';
import {
  createWebhookEndpointSchema,
  rotatedWebhookSecretSchema,
  webhookDeliverySchema,
  webhookDeliveryStatuses,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from './webhook.ts';
import { listEndpointDeliveries } from './webhook-delivery.repository.ts';
import { findWebhookEndpointRow, listWebhookEndpoints, toWebhookEndpoint } from './webhook-endpoint.repository.ts';

const idParams = z.object({ id: z.string().max(64) });
// These actions take no input; an empty object (or no body) is accepted, anything else is refused.
const noBody = z.strictObject({}).nullish();
const notFound = (id: string) => new AppError('webhook_endpoint_not_found', `Webhook endpoint ${id} does not exist`);

export interface WebhookRouteOptions {
  /** TALLY_ALLOW_PRIVATE_TARGETS=1: loopback and private URLs are accepted. */
  allowPrivateTargets: boolean;
}

/**
 * Register, list, read, disable, enable and rotate endpoints; list deliveries and re-queue failed
 * ones. Partner postbacks, which go out through the same outbox, register their routes alongside.
 */
export const webhookRoutes: FastifyPluginAsyncZod<WebhookRouteOptions> = async (app, options) => {
  const tags = ['webhooks'];
  const config = { permission: 'webhooks.manage' as const };
  await app.register(partnerPostbackRoutes, { allowPrivateTargets: options.allowPrivateTargets });

  app.post(
    '/webhook-endpoints',
    {
      config,
      schema: {
        operationId: 'createWebhookEndpoint',
        tags,
        summary: 'Register a webhook endpoint; the answer shows its signing secret, once',
        problems: ['webhook_endpoint_limit', 'private_target'],
        body: createWebhookEndpointSchema,
        response: { 201: webhookEndpointWithSecretSchema },
      },
    },
    async (request, reply) => {
      await assertPublicTarget(request.body.url, { allowPrivate: options.allowPrivateTargets, field: 'url', what: 'Webhook endpoints' });
      return reply.code(201).send(await app.transact(request, (context) => createWebhookEndpoint(context, request.body)));
    },
  );

  app.get(
    '/webhook-endpoints',
    {
      config,
      schema: {
        operationId: 'listWebhookEndpoints',
        tags,
        summary: 'List webhook endpoints',
        querystring: pageQuerySchema,
        response: { 200: pageSchema(webhookEndpointSchema) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await listWebhookEndpoints(app.store.db, { afterId: decodeCursor(cursor), limit: limit + 1 });
      return toPage(rows, limit, (endpoint) => endpoint.id);
    },
  );

  app.get(
    '/webhook-endpoints/:id',
    {
      config,
      schema: {
        operationId: 'getWebhookEndpoint',
        tags,
        summary: 'Read a webhook endpoint',
        params: idParams,
        response: { 200: webhookEndpointSchema },
        problems: ['webhook_endpoint_not_found'],
      },
    },
    async (request) => {
      const row = await findWebhookEndpointRow(app.store.db, request.params.id);
      if (!row) throw notFound(request.params.id);
      return toWebhookEndpoint(row);
    },
  );

  for (const [action, active] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(
      `/webhook-endpoints/:id/${action}`,
      {
        config,
        schema: {
          operationId: active ? 'enableWebhookEndpoint' : 'disableWebhookEndpoint',
          tags,
          summary: active ? 'Enable an endpoint' : 'Disable an endpoint: it gets nothing until enabled',
          problems: active ? ['webhook_endpoint_not_found', 'webhook_endpoint_limit'] : ['webhook_endpoint_not_found'],
          params: idParams,
          body: noBody,
          response: { 200: webhookEndpointSchema },
        },
      },
      async (request) => app.transact(request, (context) => setWebhookEndpointActive(context, request.params.id, active)),
    );
  }

  app.post(
    '/webhook-endpoints/:id/rotate-secret',
    {
      config,
      schema: {
        operationId: 'rotateWebhookSecret',
        tags,
        summary: 'Replace the signing secret (shown once); the previous one also signs for 24 hours',
        problems: ['webhook_endpoint_not_found'],
        params: idParams,
        body: noBody,
        response: { 200: rotatedWebhookSecretSchema },
      },
    },
    async (request) => app.transact(request, (context) => rotateWebhookSecret(context, request.params.id)),
  );

  app.get(
    '/webhook-endpoints/:id/deliveries',
    {
      config,
      schema: {
        operationId: 'listWebhookDeliveries',
        tags,
        summary: "List an endpoint's deliveries, newest first, with their latest attempts",
        problems: ['webhook_endpoint_not_found'],
        params: idParams,
        querystring: pageQuerySchema.extend({ status: z.enum(webhookDeliveryStatuses).optional() }),
        response: { 200: pageSchema(webhookDeliverySchema) },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      if (!(await findWebhookEndpointRow(app.store.db, request.params.id))) throw notFound(request.params.id);
      const rows = await listEndpointDeliveries(app.store.db, {
        endpointId: request.params.id,
        beforeId: decodeCursor(cursor),
        status,
        limit: limit + 1,
      });
      return toPage(rows, limit, (delivery) => delivery.id);
    },
  );

  app.post(
    '/webhook-deliveries/:id/retry',
    {
      config,
      schema: {
        operationId: 'retryWebhookDelivery',
        tags,
        summary: 'Re-queue a failed delivery with a fresh round of attempts',
        problems: ['webhook_delivery_not_found', 'webhook_delivery_not_failed', 'webhook_endpoint_disabled'],
        params: idParams,
        body: noBody,
        response: { 200: webhookDeliverySchema },
      },
    },
    async (request) => app.transact(request, (context) => retryWebhookDelivery(context, request.params.id)),
  );
};
