import type { FastifyInstance } from 'fastify';
import { DEAD_LETTER_ACTIONS, deadLetterActionSchema, listDeadLettersQuerySchema } from '../../src-shared/dead-letter-schemas';
import type { DeadLetterService } from '../dead-letters/dead-letter-service';
import { parseInput } from './problems';

/**
 * Dead letters: a page newest first, and requeue or discard as bulk operations — a dry run
 * (200, the counts) or a start (202, the operation, followed at /api/v1/operations/<id>).
 */
export function deadLetterRoutes(deadLetters: DeadLetterService) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/dead-letters', async (request) => deadLetters.list(parseInput(listDeadLettersQuerySchema, request.query)));

    for (const action of DEAD_LETTER_ACTIONS) {
      app.post(`/api/v1/dead-letters/${action}`, async (request, reply) => {
        const body = parseInput(deadLetterActionSchema, request.body ?? undefined);
        if (body.dry_run) return deadLetters.preview(action, body);
        const operation = await deadLetters.start(action, body);
        return reply.code(202).header('location', `/api/v1/operations/${operation.id}`).send(operation);
      });
    }
  };
}
