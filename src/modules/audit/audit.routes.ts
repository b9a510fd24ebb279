/** HTTP routes for the audit log and its verification. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { AppError } from '../../platform/errors.ts';
import { listAuditEntries, verifyAuditChain } from './audit.repository.ts';

const entrySchema = z.object({
  seq: z.int(),
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

/** List entries (optionally for one entity) and recompute the chain. */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        operationId: 'listAuditEntries',
        tags: ['audit'],
        summary: 'List audit entries in order',
        querystring: pageQuerySchema.extend({ entityType: z.string().max(64).optional(), entityId: z.string().max(64).optional() }),
        response: { 200: pageSchema(entrySchema) },
      },
    },
    async (request) => {
      const { limit, cursor, entityType, entityId } = request.query;
      let afterSeq: number | undefined;
      if (cursor !== undefined) {
        afterSeq = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
        if (!Number.isSafeInteger(afterSeq) || afterSeq < 0)
          throw new AppError('invalid_cursor', 'The cursor is not one this server gave out', [{ path: 'cursor', message: 'invalid' }]);
      }
      const rows = await listAuditEntries(app.store.db, { entityType, entityId, afterSeq, limit: limit + 1 });
      return toPage(rows, limit, (entry) => entry.seq);
    },
  );

  app.get(
    '/audit/verify',
    {
      config: { permission: 'audit.read' },
      schema: {
        operationId: 'verifyAuditChain',
        tags: ['audit'],
        summary: 'Recompute the hash chain and name the first broken entry',
        response: {
          200: z.object({
            ok: z.boolean(),
            checked: z.int(),
            firstBroken: z.object({ seq: z.int(), id: z.string(), reason: z.string() }).nullable(),
          }),
        },
      },
    },
    async () => verifyAuditChain(app.store.db),
  );
};
