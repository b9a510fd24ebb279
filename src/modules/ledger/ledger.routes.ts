/** HTTP routes for the ledger: the trial balance and one account's entries. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { Decimal, formatMoney, sumMoney } from '../../wire/money.ts';
import { calendarDateSchema, currencyCodeSchema } from '../../wire/terms-fields.ts';
import { billingEntityNotFound, findBillingEntity } from '../entities/index.ts';
import { accountPattern } from './ledger.ts';
import { accountEntries, trialBalance } from './ledger.repository.ts';

const balanceSchema = z.object({ account: z.string(), currency: z.string(), debit: z.string(), credit: z.string(), balance: z.string() });
const entrySchema = z.object({
  transactionId: z.string(),
  line: z.int(),
  date: z.string(),
  postedAt: z.string(),
  account: z.string(),
  currency: z.string(),
  debit: z.string(),
  credit: z.string(),
  description: z.string(),
  sourceType: z.string(),
  sourceId: z.string(),
  documentNumber: z.string().nullable(),
});

// From 1900-01, as calendar dates (before it, dates go wrong in JavaScript and PostgreSQL).

/** GET /ledger/trial-balance and GET /ledger/accounts/:account/entries. */
export const ledgerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/ledger/trial-balance',
    {
      config: { permission: 'ledger.read' },
      schema: {
        operationId: 'getTrialBalance',
        tags: ['ledger'],
        summary: 'Debits, credits and balance per account as of a date; debits always equal credits',
        querystring: z.strictObject({
          asOf: calendarDateSchema.optional(),
          currency: currencyCodeSchema.optional(),
          entityId: z.string().max(64).optional().meta({ description: "One billing entity's books (SPEC §10); all entities when absent" }),
        }),
        response: {
          200: z.object({
            asOf: z.string(),
            currency: z.string().nullable(),
            entityId: z.string().nullable(),
            accounts: z.array(balanceSchema),
            totals: z.object({ debit: z.string(), credit: z.string() }),
            totalsByCurrency: z.array(z.object({ currency: z.string(), debit: z.string(), credit: z.string() })),
          }),
        },
        problems: ['unknown_billing_entity'],
      },
    },
    async (request) => {
      const asOf = request.query.asOf ?? app.clock.today();
      const { entityId } = request.query;
      if (entityId !== undefined && !(await findBillingEntity(app.store.db, entityId))) throw billingEntityNotFound(entityId, 'entityId');
      const balances = await trialBalance(app.store.db, asOf, request.query.currency, entityId);
      const currencies = [...new Set(balances.map((balance) => balance.currency))];
      // Totals across currencies are plain sums (each currency balances, so they do too); per currency they keep its decimals.
      const total = (side: 'debit' | 'credit', currency?: string) => {
        const sum = sumMoney(
          balances
            .filter((balance) => currency === undefined || balance.currency === currency)
            .map((balance) => new Decimal(balance[side])),
        );
        const only = currency ?? (currencies.length === 1 ? currencies[0] : undefined);
        return only === undefined ? sum.toFixed() : formatMoney(sum, only);
      };
      return {
        asOf,
        currency: request.query.currency ?? null,
        entityId: entityId ?? null,
        accounts: balances,
        totals: { debit: total('debit'), credit: total('credit') },
        totalsByCurrency: currencies.map((currency) => ({ currency, debit: total('debit', currency), credit: total('credit', currency) })),
      };
    },
  );

  app.get(
    '/ledger/accounts/:account/entries',
    {
      config: { permission: 'ledger.read' },
      schema: {
        operationId: 'listLedgerAccountEntries',
        tags: ['ledger'],
        summary: "One account's entries, oldest first",
        params: z.object({
          account: z.string().max(100).regex(accountPattern, 'an account such as cash, media_revenue or accounts_receivable:pty_…'),
        }),
        querystring: pageQuerySchema.extend({ from: calendarDateSchema.optional(), to: calendarDateSchema.optional() }),
        response: { 200: pageSchema(entrySchema) },
      },
    },
    async (request) => {
      const { from, to, limit, cursor } = request.query;
      const rows = await accountEntries(app.store.db, request.params.account, { from, to, after: decodeCursor(cursor), limit: limit + 1 });
      return toPage(rows, limit, (entry) => entry.transactionId);
    },
  );
};
