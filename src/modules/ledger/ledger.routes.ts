/** HTTP routes for the ledger: the trial balance and one account's entries. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { Decimal, formatMoney, sumMoney } from '../../wire/money.ts';
import { calendarDateSchema, currencyCodeSchema } from '../../wire/terms-fields.ts';
import { AppError } from '../../platform/errors.ts';
import { billingEntityNotFound, findBillingEntity, listBillingEntities } from '../entities/index.ts';
import { accountPattern } from './ledger.ts';
import { accountEntries, trialBalance, trialBalanceInBase } from './ledger.repository.ts';
import { revalue } from './revaluation.ts';
import { revaluationRequestSchema, revaluationRunSchema } from '../../wire/fx.ts';

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
  baseDebit: z.string().nullable(),
  baseCredit: z.string().nullable(),
  description: z.string(),
  sourceType: z.string(),
  sourceId: z.string(),
  documentNumber: z.string().nullable(),
});

// From 1900-01, as calendar dates (before it, dates go wrong in JavaScript and PostgreSQL).

/** GET /ledger/trial-balance, GET /ledger/accounts/:account/entries and POST /fx/revaluations. */
export const ledgerRoutes: FastifyPluginAsyncZod = async (app) => {
  /** The trial balance in base; refused when entries in another currency predate base amounts (they would be guessed). */
  async function baseBalances(asOf: string, entityId: string | undefined) {
    const entities = new Map((await listBillingEntities(app.store.db)).map((entity) => [entity.id, entity.baseCurrency]));
    const { balances, missing } = await trialBalanceInBase(app.store.db, asOf, (id) => entities.get(id) ?? '', entityId);
    if (missing.length > 0)
      throw new AppError(
        'fx_rate_missing',
        `Entries in ${missing.map((gap) => `${gap.currency} of ${gap.entityId}`).join(', ')} were posted before Tally kept base amounts, so they have none; the trial balance in base would have to guess their rates. Use the trial balance per currency for those books`,
      );
    return balances;
  }

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
          in: z
            .enum(['document', 'base'])
            .optional()
            .meta({ description: "document (default): per currency of the entries; base: in each entity's base currency (SPEC §10)" }),
        }),
        response: {
          200: z.object({
            asOf: z.string(),
            currency: z.string().nullable(),
            entityId: z.string().nullable(),
            in: z.enum(['document', 'base']),
            accounts: z.array(balanceSchema),
            totals: z.object({ debit: z.string(), credit: z.string() }),
            totalsByCurrency: z.array(z.object({ currency: z.string(), debit: z.string(), credit: z.string() })),
          }),
        },
        problems: ['unknown_billing_entity', 'fx_rate_missing'],
      },
    },
    async (request) => {
      const asOf = request.query.asOf ?? app.clock.today();
      const { entityId } = request.query;
      const view = request.query.in ?? 'document';
      if (entityId !== undefined && !(await findBillingEntity(app.store.db, entityId))) throw billingEntityNotFound(entityId, 'entityId');
      if (view === 'base' && request.query.currency !== undefined)
        throw new AppError('validation_failed', 'A trial balance in base currency covers every document currency', [
          { path: 'currency', message: 'not with in=base' },
        ]);
      const balances =
        view === 'base' ? await baseBalances(asOf, entityId) : await trialBalance(app.store.db, asOf, request.query.currency, entityId);
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
        in: view,
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

  app.post(
    '/fx/revaluations',
    {
      config: { permission: 'billing.write' },
      schema: {
        operationId: 'postFxRevaluation',
        tags: ['ledger'],
        summary:
          "Revalue what each billing entity holds open in other currencies at a month's end rate, on its last day, reversed on the next month's first; once per month",
        body: revaluationRequestSchema,
        response: { 201: revaluationRunSchema },
        problems: ['period_not_ended', 'revaluation_already_posted', 'fx_rate_missing'],
      },
    },
    async (request, reply) => reply.code(201).send(await app.transact(request, (context) => revalue(context, request.body.period))),
  );
};
