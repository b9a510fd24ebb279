/** HTTP routes for tax rates: staff read them; admins and finance create and end them. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createTaxRateSchema, taxRateSchema } from '../../wire/taxes.ts';
import { billingEntityNotFound, findBillingEntity } from '../entities/index.ts';
import { listTaxRates } from './tax-rate.repository.ts';
import { createTaxRate, setTaxRateActiveness } from './tax-rates.ts';

/** POST, GET and PATCH /tax-rates. */
export const taxRateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/tax-rates',
    {
      config: { permission: 'entities.write' },
      schema: {
        operationId: 'createTaxRate',
        tags: ['billing entities'],
        summary: "Create a tax rate of a billing entity for one country's parties",
        body: createTaxRateSchema,
        response: { 201: taxRateSchema },
        problems: ['unknown_billing_entity', 'tax_code_taken'],
      },
    },
    async (request, reply) => reply.code(201).send(await app.transact(request, (context) => createTaxRate(context, request.body))),
  );

  app.get(
    '/tax-rates',
    {
      config: { permission: 'settings.read' },
      schema: {
        operationId: 'listTaxRates',
        tags: ['billing entities'],
        summary: 'The tax rates, of one billing entity or of all, by code',
        querystring: z.strictObject({ entityId: z.string().max(64).optional() }),
        response: { 200: z.object({ data: z.array(taxRateSchema) }) },
        problems: ['unknown_billing_entity'],
      },
    },
    async (request) => {
      const { entityId } = request.query;
      if (entityId !== undefined && !(await findBillingEntity(app.store.db, entityId))) throw billingEntityNotFound(entityId, 'entityId');
      return { data: await listTaxRates(app.store.db, entityId) };
    },
  );

  app.patch(
    '/tax-rates/:id',
    {
      config: { permission: 'entities.write' },
      schema: {
        operationId: 'updateTaxRate',
        tags: ['billing entities'],
        summary: 'End a tax rate (or restore it): a rate never changes in place',
        params: z.object({ id: z.string().max(64) }),
        body: z.strictObject({ active: z.boolean() }),
        response: { 200: taxRateSchema },
        problems: ['tax_rate_not_found'],
      },
    },
    async (request) => app.transact(request, (context) => setTaxRateActiveness(context, request.params.id, request.body.active)),
  );
};
