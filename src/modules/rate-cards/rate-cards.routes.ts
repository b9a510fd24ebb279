/** HTTP routes for products and rate cards (SPEC §8). No SQL and no rules here. */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { AppError } from '../../platform/errors.ts';
import {
  createProductSchema,
  createRateCardSchema,
  productSchema,
  rateCardContentSchema,
  rateCardSchema,
  type RateCardVersion,
  rateCardVersionSchema,
} from '../../wire/rate-cards.ts';
import { currencyCodeSchema } from '../../wire/terms-fields.ts';
import { rejectVersioned, versionEtag } from '../versioning/index.ts';
import { submitRateCardVersion } from './submit-rate-card-version.ts';
import { addRateCardVersion } from './add-rate-card-version.ts';
import { approveRateCardVersion, editRateCardVersion } from './change-rate-card-version.ts';
import { createProduct } from './create-product.ts';
import { createRateCard } from './create-rate-card.ts';
import { listProducts } from './product.repository.ts';
import { listRateCards, readRateCard, readRateCardVersion } from './rate-card.repository.ts';
import { rateCardVersions } from './rate-card-versions.ts';

const cardParams = z.object({ id: z.string().max(64) });
const versionParams = cardParams.extend({ n: z.coerce.number().int().min(1).max(100_000) });
const ifMatchHeaders = z.object({ 'if-match': z.string().max(200).optional() });
const noBody = z.strictObject({}).nullish();

/** Products and rate cards: the catalog, card versions and their approval. */
export const rateCardRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['rate cards'];
  const versionResponse = { 200: rateCardVersionSchema };

  async function versionOrThrow(rateCardId: string, versionNumber: number): Promise<RateCardVersion> {
    const version = await readRateCardVersion(app.store.db, rateCardId, versionNumber);
    if (version) return version;
    if (!(await readRateCard(app.store.db, rateCardId)))
      throw new AppError('rate_card_not_found', `Rate card ${rateCardId} does not exist`);
    throw new AppError('version_not_found', `Rate card ${rateCardId} has no version ${versionNumber}`);
  }

  async function sendVersion(reply: FastifyReply, rateCardId: string, versionNumber: number, status = 200) {
    const version = await versionOrThrow(rateCardId, versionNumber);
    return reply
      .code(status)
      .header('etag', versionEtag(rateCardId, versionNumber, version.revision))
      .send(version);
  }

  const target = (request: { params: { id: string; n: number }; headers: { 'if-match'?: string | undefined } }) => ({
    documentId: request.params.id,
    versionNumber: request.params.n,
    ifMatch: request.headers['if-match'],
  });

  app.post(
    '/products',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'createProduct',
        tags,
        summary: 'Add a product to the catalog',
        description: 'A product is what rate cards price and line items sell; its key is stable and unique.',
        problems: ['product_key_taken'],
        body: createProductSchema,
        response: { 201: productSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await app.transact(request, (context) => createProduct(context, request.body))),
  );

  app.get(
    '/products',
    {
      config: { permission: 'rates.read', cacheable: true },
      schema: {
        operationId: 'listProducts',
        tags,
        summary: 'List the products',
        querystring: pageQuerySchema,
        response: { 200: pageSchema(productSchema) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await listProducts(app.store.db, { afterId: decodeCursor(cursor), limit: limit + 1 });
      return toPage(rows, limit, (product) => product.id);
    },
  );

  app.post(
    '/rate-cards',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'createRateCard',
        tags,
        summary: 'Create a rate card; version 1 starts as a draft',
        description: 'Entries give the list (and floor) rate of a product and model; premiums are keyed dimension:value.',
        problems: ['unknown_product'],
        body: createRateCardSchema,
        response: { 201: rateCardSchema },
      },
    },
    async (request, reply) => {
      const rateCardId = await app.transact(request, (context) => createRateCard(context, request.body));
      const card = await readRateCard(app.store.db, rateCardId);
      if (!card) throw new Error(`rate card ${rateCardId} vanished after its own transaction`);
      return reply.code(201).send(card);
    },
  );

  app.get(
    '/rate-cards',
    {
      config: { permission: 'rates.read', cacheable: true },
      schema: {
        operationId: 'listRateCards',
        tags,
        summary: 'List rate cards',
        querystring: pageQuerySchema.extend({ currency: currencyCodeSchema.optional() }),
        response: { 200: pageSchema(rateCardSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, currency } = request.query;
      const rows = await listRateCards(app.store.db, { currency, afterId: decodeCursor(cursor), limit: limit + 1 });
      return toPage(rows, limit, (card) => card.id);
    },
  );

  app.get(
    '/rate-cards/:id',
    {
      config: { permission: 'rates.read', cacheable: true },
      schema: {
        operationId: 'getRateCard',
        tags,
        summary: 'Read a rate card with its versions',
        params: cardParams,
        problems: ['rate_card_not_found'],
        response: { 200: rateCardSchema },
      },
    },
    async (request) => {
      const card = await readRateCard(app.store.db, request.params.id);
      if (!card) throw new AppError('rate_card_not_found', `Rate card ${request.params.id} does not exist`);
      return card;
    },
  );

  app.post(
    '/rate-cards/:id/versions',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'addRateCardVersion',
        tags,
        summary: 'Start a new version of a rate card, as a draft',
        description: 'A new version takes effect from its effectiveFrom once approved; contracts already approved keep their prices.',
        problems: ['rate_card_not_found', 'version_in_progress', 'unknown_product'],
        params: cardParams,
        body: rateCardContentSchema,
        response: { 201: rateCardVersionSchema },
      },
    },
    async (request, reply) => {
      const number = await app.transact(request, (context) => addRateCardVersion(context, request.params.id, request.body));
      return sendVersion(reply, request.params.id, number, 201);
    },
  );

  app.get(
    '/rate-cards/:id/versions/:n',
    {
      config: { permission: 'rates.read', cacheable: true },
      schema: {
        operationId: 'getRateCardVersion',
        tags,
        summary: 'Read a rate card version with its entries, premiums and approvals (ETag)',
        params: versionParams,
        problems: ['rate_card_not_found', 'version_not_found'],
        response: versionResponse,
      },
    },
    async (request, reply) => sendVersion(reply, request.params.id, request.params.n),
  );

  app.patch(
    '/rate-cards/:id/versions/:n',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'editRateCardVersion',
        tags,
        summary: 'Edit a draft or rejected rate card version (If-Match with its ETag)',
        problems: ['rate_card_not_found', 'version_not_found', 'version_not_draft', 'unknown_product'],
        params: versionParams,
        headers: ifMatchHeaders,
        body: rateCardContentSchema,
        response: versionResponse,
      },
    },
    async (request, reply) => {
      await app.transact(request, (context) => editRateCardVersion(context, target(request), request.body));
      return sendVersion(reply, request.params.id, request.params.n);
    },
  );

  app.post(
    '/rate-cards/:id/versions/:n/submit',
    {
      config: { permission: 'contracts.write' },
      schema: {
        operationId: 'submitRateCardVersion',
        tags,
        summary: 'Submit a rate card version for approval',
        problems: ['rate_card_not_found', 'version_not_found', 'version_not_draft'],
        params: versionParams,
        headers: ifMatchHeaders,
        body: noBody,
        response: versionResponse,
      },
    },
    async (request, reply) => {
      await app.transact(request, (context) => submitRateCardVersion(context, target(request)));
      return sendVersion(reply, request.params.id, request.params.n);
    },
  );

  app.post(
    '/rate-cards/:id/versions/:n/approve',
    {
      config: { permission: 'contracts.approve' },
      schema: {
        operationId: 'approveRateCardVersion',
        tags,
        summary: 'Approve a pending rate card version (maker-checker)',
        description: 'Whoever created or submitted the version may not approve it; the approval policy names the roles and the count.',
        problems: [
          'rate_card_not_found',
          'version_not_found',
          'forbidden',
          'version_not_pending',
          'maker_checker',
          'already_approved_by_you',
        ],
        params: versionParams,
        headers: ifMatchHeaders,
        body: z.strictObject({ comment: z.string().trim().max(2000).optional() }).nullish(),
        response: versionResponse,
      },
    },
    async (request, reply) => {
      await app.transact(request, (context) => approveRateCardVersion(context, target(request), request.body?.comment));
      return sendVersion(reply, request.params.id, request.params.n);
    },
  );

  app.post(
    '/rate-cards/:id/versions/:n/reject',
    {
      config: { permission: 'contracts.approve' },
      schema: {
        operationId: 'rejectRateCardVersion',
        tags,
        summary: 'Reject a pending rate card version with a reason',
        problems: ['rate_card_not_found', 'version_not_found', 'forbidden', 'version_not_pending', 'maker_checker'],
        params: versionParams,
        headers: ifMatchHeaders,
        body: z.strictObject({ reason: z.string().trim().min(1).max(2000) }),
        response: versionResponse,
      },
    },
    async (request, reply) => {
      await app.transact(request, (context) => rejectVersioned(context, rateCardVersions, target(request), request.body.reason));
      return sendVersion(reply, request.params.id, request.params.n);
    },
  );
};
