import type { FastifyInstance } from 'fastify';
import { createTokenSchema, type AccessReport } from '../../src-shared/token-schemas';
import type { TokenStore } from '../access/token-store';
import { parseInput, problem, sendProblem } from './problems';

/** The API tokens (write tokens only, see access-rule.ts): list, create (its text answered once), revoke. */
export function tokenRoutes(tokens: Pick<TokenStore, 'list' | 'create' | 'revoke'>) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/tokens', async () => ({ items: tokens.list(), next_cursor: null }));

    app.post('/api/v1/tokens', async (request, reply) => {
      const { name, role } = parseInput(createTokenSchema, request.body ?? undefined);
      const created = tokens.create(name, role);
      if (!created) {
        const errors = [{ field: 'name', rule: 'unique', message: `name ${JSON.stringify(name)} is taken by another token` }];
        return sendProblem(reply, problem(409, `a token named ${JSON.stringify(name)} exists already`, 'token-exists', errors));
      }
      return reply.code(201).header('location', `/api/v1/tokens/${encodeURIComponent(name)}`).header('cache-control', 'no-store').send({ ...created.summary, token: created.token });
    });

    app.delete<{ Params: { name: string } }>('/api/v1/tokens/:name', async (request, reply) => {
      const { name } = request.params;
      return tokens.revoke(name) ? reply.code(204).send() : sendProblem(reply, problem(404, `no token named ${JSON.stringify(name)}`, 'unknown-token'));
    });
  };
}

/** `GET /api/v1/access`: whether tokens are required here, and who the request was made as (the page shows it). */
export function accessRoute(required: boolean) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/access', async (request): Promise<AccessReport> => ({ required, actor: { name: request.actor.name, role: request.actor.role } }));
  };
}
