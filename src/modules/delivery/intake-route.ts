/** The handler every intake route shares: queue the batch on NATS JetStream when there is one (202), else store it now (200). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UseCaseContext } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { type IntakeKind, type QueuedBatch, queueIntakeBatch } from './intake-queue.ts';

export async function takeIntake<T>(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: IntakeKind,
  records: unknown[],
  ingest: (context: UseCaseContext, batchId: string) => Promise<T>,
): Promise<T | QueuedBatch> {
  const batchId = newId('bat');
  if (!app.intake) return app.transact(request, (context) => ingest(context, batchId));
  const queued = await queueIntakeBatch(app.intake, kind, batchId, request.actor, records);
  reply.code(202);
  return queued;
}
