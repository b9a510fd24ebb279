/** HTTP routes for settings: the approval policy. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { approvalPolicySchema, readApprovalPolicy, updateApprovalPolicy } from '../versioning/index.ts';

/** GET and PUT /settings/approval-policy. */
export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/settings/approval-policy',
    {
      config: { permission: 'settings.read' },
      schema: {
        operationId: 'getApprovalPolicy',
        tags: ['settings'],
        summary: 'The approval policy in force',
        response: { 200: approvalPolicySchema },
      },
    },
    async () => readApprovalPolicy(app.store.db),
  );
  app.put(
    '/settings/approval-policy',
    {
      config: { permission: 'settings.write' },
      schema: {
        operationId: 'replaceApprovalPolicy',
        tags: ['settings'],
        summary: 'Replace the approval policy',
        body: approvalPolicySchema,
        response: { 200: approvalPolicySchema },
      },
    },
    async (request) => app.transact(request, (context) => updateApprovalPolicy(context, request.body)),
  );
};
