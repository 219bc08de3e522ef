import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { ValidationError } from '../../src-shared/problem';
import { BrokerUnavailableError } from '../broker/job-publisher';
import { InvalidCursorError } from '../history/job-history';
import type { WebhookInbox } from '../inbox/webhook-inbox';
import type { JobService } from '../jobs/job-service';
import type { MailboxStore } from '../mailbox/mailbox-store';
import type { EventRelay } from '../relay/event-relay';
import { bookRoutes } from './book-routes';
import { eventRoutes } from './event-routes';
import { hostGuard, type HostGuardOptions } from './host-guard';
import { jobRoutes } from './job-routes';
import { problem, sendProblem } from './problems';
import { recordRoutes } from './record-routes';

export interface ApiOptions {
  jobs: JobService;
  relay: EventRelay;
  mailbox: MailboxStore;
  inbox: WebhookInbox;
  /** `GET /api/v1/health`: the report, and whether every dependency is up. */
  health: () => Promise<{ ok: boolean }>;
  guard: HostGuardOptions;
  /** The built console page, served at `/` (headless mode). */
  rendererDir?: string;
  onLog?: (line: string) => void;
}

const RETRY_AFTER_S = 5;
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/** A dependency that is down (Redis, PostgreSQL) rather than a bug. */
function isOutage(error: Error): boolean {
  const code = (error as { code?: string }).code;
  return (
    (code !== undefined && CONNECTION_ERROR_CODES.has(code)) ||
    error.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|enableOfflineQueue|Connection terminated/i.test(error.message)
  );
}

/** Routes as patterns, to tell a wrong method (405) from an unknown path (404). */
function routeTable(app: FastifyInstance): (path: string) => string[] {
  const routes: { methods: string[]; pattern: RegExp }[] = [];
  app.addHook('onRoute', (route) => {
    const source = route.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+').replace(/\*/g, '.*');
    routes.push({ methods: [route.method].flat(), pattern: new RegExp(`^${source}$`) });
  });
  return (path) => routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods);
}

/** Builds the HTTP API without listening, so tests can `inject()` requests. */
export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, return503OnClosing: true, forceCloseConnections: true });
  const allowedMethods = routeTable(app);
  // Bodies are JSON only (415 otherwise); the webhook inbox takes any body in its own scope.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', hostGuard(options.guard));

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error instanceof ValidationError) {
      return sendProblem(reply, problem(400, 'the request is not valid', 'validation', error.errors));
    }
    if (error instanceof InvalidCursorError) {
      const errors = [{ field: 'cursor', rule: 'format', message: `cursor ${error.message}` }];
      return sendProblem(reply, problem(400, error.message, 'validation', errors));
    }
    if (error instanceof BrokerUnavailableError || isOutage(error)) {
      reply.header('retry-after', String(RETRY_AFTER_S));
      return sendProblem(reply, problem(503, error.message, 'dependency-unavailable'));
    }
    if (error.statusCode && error.statusCode < 500) {
      return sendProblem(reply, problem(error.statusCode, error.message));
    }
    options.onLog?.(`unexpected error: ${error.stack ?? error.message}`);
    return sendProblem(reply, problem(500, 'the console failed to handle this request'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const methods = allowedMethods(path);
    if (methods.length > 0) {
      reply.header('allow', [...new Set(methods)].join(', '));
      return sendProblem(reply, problem(405, `${request.method} is not allowed on ${path}`));
    }
    return sendProblem(reply, problem(404, `no route ${request.method} ${path}`));
  });

  await app.register(bookRoutes(options.jobs));
  await app.register(jobRoutes(options.jobs));
  await app.register(eventRoutes(options.relay));
  await app.register(recordRoutes(options.mailbox, options.inbox));
  app.get('/api/v1/health', async (_request, reply) => {
    const report = await options.health();
    return reply.code(report.ok ? 200 : 503).send(report);
  });
  if (options.rendererDir) {
    await app.register(fastifyStatic, { root: options.rendererDir, wildcard: false });
  }
  return app;
}
