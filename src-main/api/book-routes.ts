import type { JobKind } from '../../src-shared/kinds';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toBookJob, toBookStatus } from '../../src-shared/job';
import { bookDatabaseQuerySchema } from '../../src-shared/schemas';
import type { JobService } from '../jobs/job-service';
import { parseInput, problem, sendProblem } from './problems';

type Query = Record<string, string | undefined>;

/** A query number stays a string when it is not digits, so the schema can name the rule it breaks. */
const numberOrText = (value: string | undefined): number | string | undefined =>
  value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : value;

/** Keeps only the parameters that are set. */
function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

export const statusQuerySchema = z.object({ uuid: z.string().min(1) });

/** The kind the book calls by its letter: its routes speak of kinds A, B and C. */
function bookKind(jobs: JobService, letter: 'A' | 'B' | 'C'): JobKind {
  return jobs.kinds.resolve(letter)!;
}

/**
 * The book's four routes, exactly as its curl session calls them. Each job route answers 200
 * with `{"uuid", "type", "extra_data"}` once the broker has the job. `HEAD` never creates a job.
 */
export function bookRoutes(jobs: JobService) {
  return async (app: FastifyInstance): Promise<void> => {
    const noHead = { exposeHeadRoute: false };

    app.get<{ Querystring: Query }>('/job/database', noHead, async (request) => {
      const { client_time } = parseInput(bookDatabaseQuerySchema, request.query);
      return toBookJob(await jobs.submit(bookKind(jobs, 'A'), { client_time: Number(client_time) }, ''));
    });

    app.get<{ Querystring: Query }>('/job/callback', noHead, async (request) => {
      const { callback_url, duration_ms } = request.query;
      const input = defined({ callback_url, duration_ms: numberOrText(duration_ms) });
      return toBookJob(await jobs.submit(bookKind(jobs, 'B'), input, ''));
    });

    app.get<{ Querystring: Query }>('/job/mail', noHead, async (request) => {
      const { email_address, subject, body } = request.query;
      return toBookJob(await jobs.submit(bookKind(jobs, 'C'), defined({ email_address, subject, body }), ''));
    });

    app.get<{ Querystring: Query }>('/job/status', async (request, reply) => {
      const { uuid } = parseInput(statusQuerySchema, request.query);
      const job = await jobs.get(uuid);
      if (!job) return sendProblem(reply, problem(404, `no job with uuid ${uuid}`, 'unknown-job'));
      return toBookStatus(job);
    });
  };
}
