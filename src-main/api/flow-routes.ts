import type { FastifyInstance } from 'fastify';
import { kindLimitsSchema, type FlowReport, type KindFlow } from '../../src-shared/flow';
import type { JobKind, KindNames } from '../../src-shared/kinds';
import { workerKindParamsSchemaOf } from '../../src-shared/worker-schemas';
import type { FlowStore } from '../flow/flow-store';
import { parseInput } from './problems';

/**
 * A kind's flow, which every worker of it follows (on any machine): pause and resume (submits
 * are still accepted and wait in the queue), and its rate and concurrency limits. Each answers
 * the kind's flow as it stands.
 */
export function flowRoutes(flow: FlowStore, kinds: KindNames & { names: readonly JobKind[] }) {
  const kindParams = workerKindParamsSchemaOf(kinds);
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/flow', async (): Promise<FlowReport> => ({ kinds: [...(await flow.all(kinds.names)).values()] }));

    app.post('/api/v1/kinds/:kind/pause', async (request): Promise<KindFlow> => flow.pause(parseInput(kindParams, request.params).kind));

    app.post('/api/v1/kinds/:kind/resume', async (request): Promise<KindFlow> => flow.resume(parseInput(kindParams, request.params).kind));

    app.get('/api/v1/kinds/:kind/limits', async (request): Promise<KindFlow> => flow.get(parseInput(kindParams, request.params).kind));

    app.put('/api/v1/kinds/:kind/limits', async (request): Promise<KindFlow> => {
      const { kind } = parseInput(kindParams, request.params);
      return flow.setLimits(kind, parseInput(kindLimitsSchema, request.body ?? undefined));
    });
  };
}
