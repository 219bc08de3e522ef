import type { FastifyInstance } from 'fastify';
import { createBatchSchemaOf } from '../../src-shared/batch-schemas';
import type { KindNames } from '../../src-shared/kinds';
import { listQuerySchema } from '../../src-shared/subscription-schemas';
import { UUID_PATTERN } from '../../src-shared/wire';
import type { BatchService } from '../batches/batch-service';
import type { IdempotencyStore } from '../jobs/idempotency';
import { answerCreate } from './idempotent-create';
import { parseInput, problem, sendProblem } from './problems';

/** Batches: fan-out (create, all or nothing), read aggregated, list newest first. */
export function batchRoutes(batches: BatchService, kinds: KindNames, idempotency?: IdempotencyStore) {
  const createBatchSchema = createBatchSchemaOf(kinds);
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/api/v1/batches', async (request, reply) => {
      const body = parseInput(createBatchSchema, request.body ?? undefined);
      const location = (id: string) => `/api/v1/batches/${id}`;
      return answerCreate(request, reply, { scope: 'batch:', location, idempotency }, () => batches.create(body));
    });

    app.get<{ Params: { id: string } }>('/api/v1/batches/:id', async (request, reply) => {
      const { id } = request.params;
      const batch = UUID_PATTERN.test(id) ? await batches.get(id) : null;
      return batch ?? sendProblem(reply, problem(404, `no batch with id ${id}`, 'unknown-batch'));
    });

    app.get('/api/v1/batches', async (request) => {
      const query = parseInput(listQuerySchema, request.query);
      return batches.list(query.limit, query.cursor);
    });
  };
}
