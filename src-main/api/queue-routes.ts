import type { FastifyInstance } from 'fastify';
import type { QueuesReport } from '../../src-shared/console-records';
import type { KindNames } from '../../src-shared/kinds';
import { purgeQueueBodySchema } from '../../src-shared/mode-report';
import { workerKindParamsSchemaOf } from '../../src-shared/worker-schemas';
import type { QueueInspector } from '../broker/queue-inspector';
import { parseInput } from './problems';

/** The work queues: counts per queue, and purge (purged jobs end CANCELLED). */
export function queueRoutes(queues: QueueInspector, kinds: KindNames) {
  const workerKindParamsSchema = workerKindParamsSchemaOf(kinds);
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/queues', async (): Promise<QueuesReport> => queues.report());

    app.post('/api/v1/queues/:kind/purge', async (request) => {
      const { kind } = parseInput(workerKindParamsSchema, request.params);
      // `confirm` is the guardrails' (confirm-hook.ts): checked there on production, taken and ignored here.
      parseInput(purgeQueueBodySchema, request.body ?? {});
      return queues.purge(kind);
    });
  };
}
