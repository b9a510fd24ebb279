/** HTTP routes for billing entities: staff read them; admins and finance create and edit them. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { billingEntitySchema, createBillingEntitySchema, updateBillingEntitySchema } from '../../wire/billing-entities.ts';
import { billingEntityNotFound, createBillingEntity, updateBillingEntity } from './billing-entities.ts';
import { findBillingEntity, listBillingEntities } from './entity.repository.ts';

const idParams = z.object({ id: z.string().max(64) });

/** POST, GET and PATCH /billing-entities. */
export const billingEntityRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/billing-entities',
    {
      config: { permission: 'entities.write' },
      schema: {
        operationId: 'createBillingEntity',
        tags: ['billing entities'],
        summary: 'Create a billing entity with its own number series',
        body: createBillingEntitySchema,
        response: { 201: billingEntitySchema },
        problems: ['number_prefix_taken'],
      },
    },
    async (request, reply) => reply.code(201).send(await app.transact(request, (context) => createBillingEntity(context, request.body))),
  );

  app.get(
    '/billing-entities',
    {
      config: { permission: 'settings.read' },
      schema: {
        operationId: 'listBillingEntities',
        tags: ['billing entities'],
        summary: 'List the billing entities, oldest first',
        response: { 200: z.object({ data: z.array(billingEntitySchema) }) },
      },
    },
    async () => ({ data: await listBillingEntities(app.store.db) }),
  );

  app.get(
    '/billing-entities/:id',
    {
      config: { permission: 'settings.read' },
      schema: {
        operationId: 'getBillingEntity',
        tags: ['billing entities'],
        summary: 'Read a billing entity',
        params: idParams,
        response: { 200: billingEntitySchema },
        problems: ['billing_entity_not_found'],
      },
    },
    async (request) => {
      const entity = await findBillingEntity(app.store.db, request.params.id);
      if (!entity) throw billingEntityNotFound(request.params.id);
      return entity;
    },
  );

  app.patch(
    '/billing-entities/:id',
    {
      config: { permission: 'entities.write' },
      schema: {
        operationId: 'updateBillingEntity',
        tags: ['billing entities'],
        summary: 'Edit a billing entity (its number prefix is fixed, and its base currency once it has posted)',
        params: idParams,
        body: updateBillingEntitySchema,
        response: { 200: billingEntitySchema },
        problems: ['billing_entity_not_found', 'base_currency_in_use'],
      },
    },
    async (request) => app.transact(request, (context) => updateBillingEntity(context, request.params.id, request.body)),
  );
};
