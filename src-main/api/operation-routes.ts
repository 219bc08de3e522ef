import type { FastifyInstance, FastifyReply } from 'fastify';
import { createOperationSchema } from '../../src-shared/operation-schemas';
import { listQuerySchema } from '../../src-shared/subscription-schemas';
import { UUID_PATTERN } from '../../src-shared/wire';
import type { OperationFollower } from '../operations/operation-feed';
import type { OperationService } from '../operations/operation-service';
import { streamOperation } from './operation-stream';
import { parseInput, problem, sendProblem } from './problems';

/** Bulk operations: a dry run (200) or a start (202), read one (or follow it as events), list newest first, cancel. */
export function operationRoutes(operations: OperationService, feed?: OperationFollower) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/api/v1/operations', async (request, reply) => {
      const body = parseInput(createOperationSchema, request.body ?? undefined);
      if (body.dry_run) return operations.preview(body);
      const operation = await operations.start(body);
      return reply.code(202).header('location', `/api/v1/operations/${operation.id}`).send(operation);
    });

    app.get('/api/v1/operations', async (request) => {
      const query = parseInput(listQuerySchema, request.query);
      return operations.list(query.limit, query.cursor);
    });

    app.get<{ Params: { id: string } }>('/api/v1/operations/:id', async (request, reply) => {
      const { id } = request.params;
      const operation = UUID_PATTERN.test(id) ? await operations.get(id) : null;
      return operation ?? unknownOperation(reply, id);
    });

    if (feed) {
      app.get<{ Params: { id: string } }>('/api/v1/operations/:id/events', async (request, reply) => {
        const { id } = request.params;
        if (!UUID_PATTERN.test(id)) return unknownOperation(reply, id);
        return streamOperation(request, reply, id, () => operations.get(id), feed, () => unknownOperation(reply, id));
      });
    }

    // 202: the runner stops after its current batch; the operation ends `cancelled`.
    app.post<{ Params: { id: string } }>('/api/v1/operations/:id/cancel', async (request, reply) => {
      const { id } = request.params;
      const operation = UUID_PATTERN.test(id) ? await operations.cancel(id) : null;
      return operation ? reply.code(202).send(operation) : unknownOperation(reply, id);
    });
  };
}

function unknownOperation(reply: FastifyReply, id: string): FastifyReply {
  return sendProblem(reply, problem(404, `no operation with id ${id}`, 'unknown-operation'));
}
