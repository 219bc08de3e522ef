import type { FastifyInstance, FastifyReply } from 'fastify';
import { MAX_WORKERS_PER_KIND, type WorkersReport } from '../../src-shared/console-records';
import type { JobKind, KindNames } from '../../src-shared/kinds';
import { scaleWorkersSchema, workerIdParamsSchema, workerKindParamsSchemaOf } from '../../src-shared/worker-schemas';
import { withOtherWorkers, type HeartbeatSource } from '../supervisor/worker-roster';
import type { WorkerSupervisor } from '../supervisor/worker-supervisor';
import { parseInput, problem, sendProblem } from './problems';

/** What a console that runs no workers reports: nothing to scale. */
export function unsupervisedReport(kinds: readonly JobKind[]): WorkersReport {
  return { workers: [], counts: Object.fromEntries(kinds.map((kind) => [kind, 0])), max_per_kind: MAX_WORKERS_PER_KIND, supervised: false, elsewhere_unknown: false };
}

/**
 * Every worker of the namespace, and the controls of this console's own: list, scale a kind,
 * restart or stop one. `supervisor` is read per request: it starts after the API listens, and
 * is null when the console runs no workers (they run elsewhere), which the controls answer with
 * a 409. The others are listed from their heartbeats (`heartbeats`; none listed without it).
 */
export function workerRoutes(supervisor: () => WorkerSupervisor | null, kinds: KindNames, heartbeats?: HeartbeatSource) {
  const workerKindParamsSchema = workerKindParamsSchemaOf(kinds);
  /** The list as it stands: this console's slots, then the other live workers. */
  const listing = async (running: WorkerSupervisor | null): Promise<WorkersReport> => {
    const own = running?.report() ?? unsupervisedReport(kinds.names);
    if (!heartbeats) return own;
    const beats = await heartbeats.read().catch(() => null);
    return withOtherWorkers(own, beats, running?.id ?? null, Date.now());
  };

  const unsupervised = (reply: FastifyReply) =>
    sendProblem(reply, problem(409, 'this console runs no worker processes (started with workers elsewhere)', 'not-supervised'));

  const control = async (reply: FastifyReply, id: string, act: (running: WorkerSupervisor) => Promise<void>) => {
    const running = supervisor();
    if (!running) return unsupervised(reply);
    if (!running.has(id)) return sendProblem(reply, problem(404, `no worker ${id}`, 'unknown-worker'));
    void act(running).catch(() => undefined);
    return reply.code(202).send(await listing(running));
  };

  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/workers', async () => listing(supervisor()));

    app.put('/api/v1/workers/:kind', async (request, reply) => {
      const { kind } = parseInput(workerKindParamsSchema, request.params);
      const { count } = parseInput(scaleWorkersSchema, request.body ?? undefined);
      const running = supervisor();
      if (!running) return unsupervised(reply);
      running.scale(kind, count);
      return reply.code(202).send(await listing(running));
    });

    // Answered once the process is asked to stop (it may take seconds to finish its job).
    app.post('/api/v1/workers/:id/restart', async (request, reply) => {
      const { id } = parseInput(workerIdParamsSchema, request.params);
      return control(reply, id, (running) => running.restart(id));
    });

    app.post('/api/v1/workers/:id/stop', async (request, reply) => {
      const { id } = parseInput(workerIdParamsSchema, request.params);
      return control(reply, id, (running) => running.stopWorker(id));
    });
  };
}
