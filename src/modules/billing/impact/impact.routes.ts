/** HTTP route for the impact of a version before approval (SPEC §8). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { versionImpactSchema } from '../../../wire/impact.ts';
import { versionImpact } from './version-impact.ts';

/** GET /contracts/:id/versions/:n/impact. */
export const impactRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/contracts/:id/versions/:n/impact',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'getContractVersionImpact',
        tags: ['contracts'],
        summary: 'What a draft or pending version would change in billing, period by period (writes nothing)',
        description:
          'The delivery loaded so far rated under the approved versions (current) and under them with this version in place ' +
          '(proposed), per billing period through the later of today and the last delivery. For a period a finalized document ' +
          'bills, current is what it billed, so the difference is the adjustment that approval would cause. A party user sees ' +
          'approved versions only, so a proposal is not found for it.',
        problems: ['contract_not_found', 'version_not_found', 'version_not_proposed'],
        params: z.object({ id: z.string().max(64), n: z.coerce.number().int().min(1).max(100_000) }),
        response: { 200: versionImpactSchema },
      },
    },
    async (request) => versionImpact(app.store.db, request.scope, app.clock.today(), request.params.id, request.params.n),
  );
};
