import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Job } from '../../src-shared/job';
import { Readable } from 'node:stream';
import { JOB_LOG_CONTENT_TYPE } from '../../src-shared/job-log';
import { kindInfo, type KindsReport } from '../../src-shared/kind-records';
import type { KindRegistry } from '../../src-shared/kind-registry';
import { listJobsQuerySchemaOf, submitJobSchemaOf } from '../../src-shared/schemas';
import { exportJobsQuerySchema } from '../../src-shared/schemas';
import { EXPORT_CONTENT_TYPES, exportFilename, exportJobs } from '../search/job-export';
import { searchOf } from '../search/search-input';
import type { IdempotencyStore } from '../jobs/idempotency';
import type { JobService } from '../jobs/job-service';
import { answerCreate } from './idempotent-create';
import { parseInput, problem, sendProblem } from './problems';
import { startOriginOf } from '../jobs/start-origin';

/** The v1 job resource: submit, read one, list or search newest first, export a search. */
export function jobRoutes(jobs: JobService, kinds: KindRegistry, idempotency?: IdempotencyStore, exportPageRows?: number) {
  const submitJobSchema = submitJobSchemaOf(kinds);
  const listJobsQuerySchema = listJobsQuerySchemaOf(kinds);
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/kinds', async (): Promise<KindsReport> => ({ kinds: kinds.entries.map(({ definition }) => kindInfo(definition)) }));

    app.post('/api/v1/jobs/validate', async (request) => {
      const body = parseInput(submitJobSchema, request.body ?? undefined);
      const answer = jobs.dryRun(body.kind, body.payload, body.max_attempts);
      await jobs.replayOrigin(body.kind, body.replay_of);
      return answer;
    });

    app.post('/api/v1/jobs', async (request, reply) => {
      const body = parseInput(submitJobSchema, request.body ?? undefined);
      return answerCreate(request, reply, { scope: '', location: (id) => `/api/v1/jobs/${id}`, idempotency }, async () => {
        // The payload's own errors (400) come before a replay_of naming no job (422).
        if (body.replay_of !== undefined) jobs.validate(body.kind, body.payload, 'payload', body.max_attempts);
        const origin = { ...(await jobs.replayOrigin(body.kind, body.replay_of)), ...startOriginOf(body) };
        return jobs.submit(body.kind, body.payload, 'payload', { maxAttempts: body.max_attempts, origin });
      });
    });

    app.get<{ Params: { id: string } }>('/api/v1/jobs/:id', async (request, reply) => {
      const job = await jobs.read(request.params.id);
      if (!job) return sendProblem(reply, problem(404, `no job with id ${request.params.id}`, 'unknown-job'));
      return job;
    });

    app.get('/api/v1/jobs', async (request) => {
      const { q, ...query } = parseInput(listJobsQuerySchema, request.query);
      return jobs.list({ ...query, search: searchOf(q) });
    });

    app.get('/api/v1/jobs/export', async (request, reply) => {
      const { q, format } = parseInput(exportJobsQuerySchema, request.query);
      const chunks = await exportJobs((query) => jobs.list(query), searchOf(q), format, exportPageRows);
      return reply
        .type(EXPORT_CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${exportFilename(format)}"`)
        .send(Readable.from(chunks));
    });

    app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/retry', async (request, reply) =>
      operatorAction(reply, () => jobs.retry(request.params.id)),
    );

    app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/run-now', async (request, reply) =>
      operatorAction(reply, () => jobs.runNow(request.params.id)),
    );

    // 200 with the job once CANCELLED; 202 while a running job's handler is still stopping.
    app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/cancel', async (request, reply) => {
      const answer = await jobs.cancel(request.params.id);
      if (answer.outcome === 'requested') return reply.code(202).send({ job: answer.job, cancel: 'requested' });
      return reply.send(answer.job);
    });

    app.get<{ Params: { id: string } }>('/api/v1/jobs/:id/logs', async (request, reply) => {
      const lines = await jobs.logs(request.params.id);
      if (!lines) return sendProblem(reply, problem(404, `no job with id ${request.params.id}`, 'unknown-job'));
      return reply.type(JOB_LOG_CONTENT_TYPE).send(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    });
  };
}

/** Runs an operator's action on one job: 200 with the job; a refusal (404, 409) is the error handler's. */
async function operatorAction(reply: FastifyReply, action: () => Promise<Job>): Promise<FastifyReply> {
  return reply.send(await action());
}
