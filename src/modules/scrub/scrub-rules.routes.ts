/** HTTP routes for scrub rules: create, list, read, and change name, priority or active. No SQL and no rules here. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalidCursor, pageQuerySchema, pageSchema, toPage } from '../../http/pagination.ts';
import { AppError } from '../../platform/errors.ts';
import { createScrubRuleSchema, scrubRuleSchema, updateScrubRuleSchema } from '../../wire/scrub.ts';
import { createScrubRule } from './create-scrub-rule.ts';
import { findScrubRule, listScrubRules, type RuleCursor } from './scrub-rule.repository.ts';
import { updateScrubRule } from './update-scrub-rule.ts';

const idParams = z.object({ id: z.string().max(64) });

/** Rules are internal fraud controls: staff read them (scrub.read), ops and admins write them (scrub.write). */
export const scrubRuleRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['scrub'];

  app.post(
    '/scrub-rules',
    {
      config: { permission: 'scrub.write' },
      schema: {
        operationId: 'createScrubRule',
        tags,
        summary: 'Create a scrub rule, evaluated at intake from the next conversion received',
        description:
          'Rules are tried in priority order (lowest first, ties in creation order); the first whose conditions all hold rejects or holds the conversion.',
        problems: ['unknown_contract', 'unknown_partner', 'scrub_rule_limit'],
        body: createScrubRuleSchema,
        response: { 201: scrubRuleSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await app.transact(request, (context) => createScrubRule(context, request.body))),
  );

  app.get(
    '/scrub-rules',
    {
      config: { permission: 'scrub.read' },
      schema: {
        operationId: 'listScrubRules',
        tags,
        summary: 'List scrub rules in evaluation order (priority, then creation)',
        querystring: pageQuerySchema.extend({
          active: z.enum(['true', 'false']).optional(),
          contractId: z.string().max(64).optional(),
        }),
        response: { 200: pageSchema(scrubRuleSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, active, contractId } = request.query;
      const rows = await listScrubRules(app.store.db, {
        active: active === undefined ? undefined : active === 'true',
        contractId,
        after: decodeRuleCursor(cursor),
        limit: limit + 1,
      });
      return toPage(rows, limit, (rule) => `p${rule.priority}_${rule.id}`);
    },
  );

  app.get(
    '/scrub-rules/:id',
    {
      config: { permission: 'scrub.read' },
      schema: {
        operationId: 'getScrubRule',
        tags,
        summary: 'Read a scrub rule, active or not',
        params: idParams,
        problems: ['scrub_rule_not_found'],
        response: { 200: scrubRuleSchema },
      },
    },
    async (request) => {
      const rule = await findScrubRule(app.store.db, request.params.id);
      if (!rule) throw new AppError('scrub_rule_not_found', `Scrub rule ${request.params.id} does not exist`);
      return rule;
    },
  );

  app.patch(
    '/scrub-rules/:id',
    {
      config: { permission: 'scrub.write' },
      schema: {
        operationId: 'updateScrubRule',
        tags,
        summary: 'Rename, re-prioritize, disable or enable a scrub rule',
        description:
          'What a rule decides by (conditions, action, reason, contract) is fixed once created, so that each conversion it decided traces to it as it was: create a new rule and disable this one instead. Rules are never deleted.',
        params: idParams,
        problems: ['scrub_rule_not_found', 'scrub_rule_limit'],
        body: updateScrubRuleSchema,
        response: { 200: scrubRuleSchema },
      },
    },
    async (request) => app.transact(request, (context) => updateScrubRule(context, request.params.id, request.body)),
  );
};

/** A rule cursor is `p<priority>_<id>` in base64url: the last rule of the previous page in evaluation order. */
function decodeRuleCursor(cursor: string | undefined): RuleCursor | undefined {
  if (cursor === undefined) return undefined;
  const match = /^p(\d{1,7})_([a-z0-9_]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalidCursor();
  return { priority: Number(match[1]), id: match[2] as string };
}
