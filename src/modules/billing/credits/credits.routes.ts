/** HTTP routes for credits: finance grants and expires them; a party's balance shows them beside what it owes. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.ts';
import { grantCreditSchema, partyBalanceSchema, partyCreditSchema } from '../../../wire/credits.ts';
import { calendarDateSchema } from '../../../wire/terms-fields.ts';
import { partyReceivables } from '../../ledger/index.ts';
import { findParty } from '../../parties/index.ts';
import { listPartyCredits } from './credit.repository.ts';
import { expireCredits, grantCredit } from './credits.ts';

const idParams = z.object({ id: z.string().max(64) });

/** POST /parties/:id/credits, GET /parties/:id/balance, POST /credits/expire. */
export const creditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/parties/:id/credits',
    {
      config: { permission: 'billing.write' },
      schema: {
        operationId: 'grantCredit',
        tags: ['billing'],
        summary: "Record a prepayment or give a promotional or makegood credit; finalized invoices of the party's currency use it",
        params: idParams,
        body: grantCreditSchema,
        response: { 201: partyCreditSchema },
        problems: ['party_not_found', 'credit_currency_mismatch', 'fx_rate_missing'],
      },
    },
    async (request, reply) =>
      reply.code(201).send(await app.transact(request, (context) => grantCredit(context, request.params.id, request.body))),
  );

  app.get(
    '/parties/:id/balance',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'getPartyBalance',
        tags: ['billing'],
        summary: 'A party\u2019s credits (what remains of each) and what it owes on its invoices, per currency',
        params: idParams,
        response: { 200: partyBalanceSchema },
        problems: ['party_not_found'],
      },
    },
    async (request) => {
      const { id } = request.params;
      const visible = request.scope.partyId === null || request.scope.partyId === id;
      if (!visible || !(await findParty(app.store.db, id))) throw new AppError('party_not_found', `Party ${id} does not exist`);
      const [credits, receivable] = await Promise.all([listPartyCredits(app.store.db, id), partyReceivables(app.store.db, id)]);
      return { partyId: id, credits, receivable };
    },
  );

  app.post(
    '/credits/expire',
    {
      config: { permission: 'billing.write' },
      schema: {
        operationId: 'expireCredits',
        tags: ['billing'],
        summary: 'Post what is left of every credit past its last day to breakage (once each); answers the credits expired',
        body: z.strictObject({ asOf: calendarDateSchema.optional().meta({ description: 'Default: today' }) }),
        response: { 200: z.object({ asOf: z.string(), expired: z.array(partyCreditSchema) }) },
        problems: ['fx_rate_missing'],
      },
    },
    async (request) => {
      const asOf = request.body.asOf ?? app.clock.today();
      return { asOf, expired: await app.transact(request, (context) => expireCredits(context, asOf)) };
    },
  );
};
