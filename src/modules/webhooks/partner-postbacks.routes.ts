/** HTTP routes for partner postbacks and their delivery log (admin only, like webhook endpoints). No SQL and no rules here. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { AppError } from '../../platform/errors.ts';
import { assertPublicTarget } from './assert-public-target.ts';
import { createPartnerPostback } from './create-partner-postback.ts';
import { createPartnerPostbackSchema, fillUrlTemplate, partnerPostbackDeliverySchema, partnerPostbackSchema } from './partner-postback.ts';
import { listPartnerPostbackDeliveries } from './partner-postback-delivery.repository.ts';
import { findPartnerPostbackRow, listPartnerPostbacks, toPartnerPostback } from './partner-postback.repository.ts';
import { retryPartnerPostbackDelivery } from './retry-webhook-delivery.ts';
import { setPartnerPostbackActive } from './set-partner-postback-active.ts';
import { webhookDeliveryStatuses } from './webhook.ts';

const idParams = z.object({ id: z.string().max(64) });
// These actions take no input; an empty object (or no body) is accepted, anything else is refused.
const noBody = z.strictObject({}).nullish();
const notFound = (id: string) => new AppError('partner_postback_not_found', `Partner postback ${id} does not exist`);

export interface PartnerPostbackRouteOptions {
  /** TALLY_ALLOW_PRIVATE_TARGETS=1: templates on loopback and private hosts are accepted. */
  allowPrivateTargets: boolean;
}

/** Register, list, read, disable and enable partner postbacks; list their deliveries and re-queue failed ones. */
export const partnerPostbackRoutes: FastifyPluginAsyncZod<PartnerPostbackRouteOptions> = async (app, options) => {
  const tags = ['webhooks'];
  const config = { permission: 'webhooks.manage' as const };

  app.post(
    '/partner-postbacks',
    {
      config,
      schema: {
        operationId: 'createPartnerPostback',
        tags,
        summary: "Register a partner's postback URL template, called once per conversion and event",
        problems: ['unknown_partner', 'partner_postback_limit', 'private_target'],
        body: createPartnerPostbackSchema,
        response: { 201: partnerPostbackSchema },
      },
    },
    async (request, reply) => {
      // The host is written out in the template (no macro may stand there), so it is checked as it will be called.
      await assertPublicTarget(fillUrlTemplate(request.body.urlTemplate, {}), {
        allowPrivate: options.allowPrivateTargets,
        field: 'urlTemplate',
        what: 'Partner postbacks',
      });
      return reply.code(201).send(await app.transact(request, (context) => createPartnerPostback(context, request.body)));
    },
  );

  app.get(
    '/partner-postbacks',
    {
      config,
      schema: {
        operationId: 'listPartnerPostbacks',
        tags,
        summary: 'List partner postbacks, of one partner when asked',
        querystring: pageQuerySchema.extend({ partyId: z.string().min(1).max(64).optional() }),
        response: { 200: pageSchema(partnerPostbackSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, partyId } = request.query;
      const rows = await listPartnerPostbacks(app.store.db, { partyId, afterId: decodeCursor(cursor), limit: limit + 1 });
      return toPage(rows, limit, (postback) => postback.id);
    },
  );

  app.get(
    '/partner-postbacks/:id',
    {
      config,
      schema: {
        operationId: 'getPartnerPostback',
        tags,
        summary: 'Read a partner postback',
        params: idParams,
        response: { 200: partnerPostbackSchema },
        problems: ['partner_postback_not_found'],
      },
    },
    async (request) => {
      const row = await findPartnerPostbackRow(app.store.db, request.params.id);
      if (!row) throw notFound(request.params.id);
      return toPartnerPostback(row);
    },
  );

  for (const [action, active] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(
      `/partner-postbacks/:id/${action}`,
      {
        config,
        schema: {
          operationId: active ? 'enablePartnerPostback' : 'disablePartnerPostback',
          tags,
          summary: active ? 'Enable a partner postback' : 'Disable a partner postback: it is not called until enabled',
          problems: active ? ['partner_postback_not_found', 'partner_postback_limit'] : ['partner_postback_not_found'],
          params: idParams,
          body: noBody,
          response: { 200: partnerPostbackSchema },
        },
      },
      async (request) => app.transact(request, (context) => setPartnerPostbackActive(context, request.params.id, active)),
    );
  }

  app.get(
    '/partner-postbacks/:id/deliveries',
    {
      config,
      schema: {
        operationId: 'listPartnerPostbackDeliveries',
        tags,
        summary: "List a partner postback's calls, newest first, with their latest attempts",
        problems: ['partner_postback_not_found'],
        params: idParams,
        querystring: pageQuerySchema.extend({ status: z.enum(webhookDeliveryStatuses).optional() }),
        response: { 200: pageSchema(partnerPostbackDeliverySchema) },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      if (!(await findPartnerPostbackRow(app.store.db, request.params.id))) throw notFound(request.params.id);
      const rows = await listPartnerPostbackDeliveries(app.store.db, {
        partnerPostbackId: request.params.id,
        beforeId: decodeCursor(cursor),
        status,
        limit: limit + 1,
      });
      return toPage(rows, limit, (delivery) => delivery.id);
    },
  );

  app.post(
    '/partner-postback-deliveries/:id/retry',
    {
      config,
      schema: {
        operationId: 'retryPartnerPostbackDelivery',
        tags,
        summary: "Re-queue a partner postback's failed call with a fresh round of attempts",
        problems: ['webhook_delivery_not_found', 'webhook_delivery_not_failed', 'partner_postback_disabled'],
        params: idParams,
        body: noBody,
        response: { 200: partnerPostbackDeliverySchema },
      },
    },
    async (request) => app.transact(request, (context) => retryPartnerPostbackDelivery(context, request.params.id)),
  );
};
