import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { builtinKindRegistry } from '../../src-shared/builtin-kinds';
import { redactText } from '../../src-shared/redact';
import type { KindRegistry } from '../../src-shared/kind-registry';
import type { IdempotencyStore } from '../jobs/idempotency';
import type { ClientByteBudget } from '../inbox/client-byte-budget';
import type { WebhookInbox } from '../inbox/webhook-inbox';
import type { JobService } from '../jobs/job-service';
import type { MailboxStore } from '../mailbox/mailbox-store';
import type { EventRelay } from '../relay/event-relay';
import { bookRoutes } from './book-routes';
import { eventRoutes } from './event-routes';
import { hostGuard, type HostGuardOptions } from './host-guard';
import { ANONYMOUS_ACTOR, LOCAL_ACTOR, type Actor } from '../access/actor';
import { accessHook, markPageFiles, type AccessOptions } from '../access/access-hook';
import type { TokenStore } from '../access/token-store';
import { accessRoute, tokenRoutes } from './token-routes';
import { DEFAULT_HTTP_LIMITS, closeUpgradeAnsweredOverHttp, limitConnections, serverTimeouts, type HttpLimits } from './http-limits';
import { refuseDeepJson } from './json-depth';
import { clientErrorHandler } from './client-errors';
import { jobRoutes } from './job-routes';
import { problem, sendProblem } from './problems';
import { refusalFor } from './refusals';
import { recordRoutes } from './record-routes';
import { subscriptionRoutes } from './subscription-routes';
import { savedViewRoutes } from './saved-view-routes';
import type { SavedViewStore } from '../saved-views/saved-view-store';
import { openApiRoute, recordRegisteredRoutes } from './openapi';
import { batchRoutes } from './batch-routes';
import type { BatchService } from '../batches/batch-service';
import type { DeliveryDispatcher } from '../webhooks/delivery-dispatcher';
import type { WebhookStore } from '../webhooks/webhook-store';
import { workerRoutes } from './worker-routes';
import { scheduleRoutes } from './schedule-routes';
import type { ScheduleService } from '../schedules/schedule-service';
import { operationRoutes } from './operation-routes';
import { deadLetterRoutes } from './dead-letter-routes';
import type { DeadLetterService } from '../dead-letters/dead-letter-service';
import type { OperationFollower } from '../operations/operation-feed';
import type { OperationService } from '../operations/operation-service';
import { queueRoutes } from './queue-routes';
import { flowRoutes } from './flow-routes';
import type { FlowStore } from '../flow/flow-store';
import { alertRoutes } from './alert-routes';
import { auditRoutes } from './audit-routes';
import { auditHook } from './audit-hook';
import type { AuditRecorder } from '../audit/audit-recorder';
import type { AuditStore } from '../audit/audit-store';
import type { AlertFollower } from '../alerts/alert-feed';
import type { AlertStore } from '../alerts/alert-store';
import type { QueueInspector } from '../broker/queue-inspector';
import type { ConnectionSettings } from '../../src-shared/console-records';
import type { WorkerSupervisor } from '../supervisor/worker-supervisor';
import type { HeartbeatSource } from '../supervisor/worker-roster';
import type { OutboundPolicy } from '../../src-shared/node/outbound-policy';
import { ENVIRONMENT_PROFILE_MODE, type ProfileModeSource } from '../profiles/profile-mode';
import { readOnlyHook } from '../guardrails/read-only-hook';
import { confirmHook } from '../guardrails/confirm-hook';
import { modeRoute } from './mode-route';
import { connectionRoutes, type ConnectionProfiles } from './connection-routes';

export interface ApiOptions {
  jobs: JobService;
  /** Every job kind the routes take (the console's registry); the built-in ones when left out. */
  kinds?: KindRegistry;
  relay: EventRelay;
  mailbox: MailboxStore;
  inbox: WebhookInbox;
  /** Bytes per second one client may POST to the webhook inbox; unbounded without it. */
  inboxBudget?: ClientByteBudget;
  /** Keys of `Idempotency-Key`; without it the header is checked but not honoured. */
  idempotency?: IdempotencyStore;
  /** `GET /api/v1/health`: the report, and whether every dependency is up. */
  health: () => Promise<{ ok: boolean }>;
  guard: HostGuardOptions;
  /** Who a request is and what it may do (see access-hook.ts); without it every request passes as local. */
  access?: AccessOptions;
  /** The API tokens, for `/api/v1/tokens`; the routes are absent without it. */
  tokens?: Pick<TokenStore, 'list' | 'create' | 'revoke'>;
  /** The worker processes this console runs (read per request: they start after the API); null when none. */
  workers?: () => WorkerSupervisor | null;
  /** The heartbeats of the namespace's workers, to list those this console does not run. */
  workerBeats?: HeartbeatSource;
  /** `GET /api/v1/settings`: the connections in use, passwords masked. */
  settings?: () => ConnectionSettings;
  /** The work queues' counts and purge; the routes are absent without it. */
  queues?: QueueInspector;
  /** Each kind's pause and limits; the routes are absent without it. */
  flow?: FlowStore;
  /** The built console page, served at `/` (headless mode). */
  rendererDir?: string;
  onLog?: (line: string) => void;
  /** Webhook subscriptions and their deliveries. */
  webhooks?: { store: WebhookStore; dispatcher: DeliveryDispatcher };
  /** Saved views (named queries) of the Jobs view; the routes are absent without it. */
  savedViews?: SavedViewStore;
  /** Recurring schedules; the routes are absent without it. */
  schedules?: ScheduleService;
  /** Batches (fan-out and fan-in). */
  batches?: BatchService;
  /** Bulk operations (retry or cancel what a search matches). */
  operations?: OperationService;
  /** Dead letters (listed, requeued, discarded); the routes are absent without it. */
  deadLetters?: DeadLetterService;
  /** The states the runners publish, for `GET /api/v1/operations/:id/events` (without it the route is absent). */
  operationFeed?: OperationFollower;
  /** Alert rules and their episodes, and the fires and resolves to stream (the stream route is absent without a feed). */
  alerts?: { store: AlertStore; feed?: AlertFollower };
  /** The audit trail: `GET /api/v1/audit` reads `store` (absent without it); `recorder` records every changing request (none without it). */
  audit?: { store: AuditStore; recorder?: Pick<AuditRecorder, 'record'> };
  /** Rows per query of `GET /api/v1/jobs/export` (a test makes it small to see the stream). */
  exportPageRows?: number;
  /** Timeouts for slow clients and the connection limit; defaults to {@link DEFAULT_HTTP_LIMITS}. */
  http?: HttpLimits;
  /** The outbound URL policy subscription and alert URLs are checked against; none is checked without it. */
  outbound?: OutboundPolicy;
  /** Connection profiles (`/api/v1/connections`); the routes are absent without it. */
  profiles?: ConnectionProfiles;
  /** The active profile's mode, read per request by the production guardrails (read-only, `confirm`); the environment's writable mode without it. */
  profileMode?: ProfileModeSource;
}

const ENVIRONMENT_MODE_SOURCE: ProfileModeSource = { current: () => ENVIRONMENT_PROFILE_MODE };

const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const BODY_LIMIT_BYTES = 1024 * 1024;
/** Fastify's own refusals of a body, named as field errors like the schemas' own. */
const BODY_ERRORS: Record<string, { field: string; rule: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { field: 'content-type', rule: 'enum', message: 'must be application/json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { field: '(body)', rule: 'max', message: `must be at most ${BODY_LIMIT_BYTES} bytes` },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { field: 'content-length', rule: 'format', message: 'must match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { field: '(body)', rule: 'required', message: 'must not be empty with content-type application/json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { field: '(body)', rule: 'json', message: 'must be valid JSON' },
};

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
  const httpLimits = options.http ?? DEFAULT_HTTP_LIMITS;
  const app = Fastify({
    ...serverTimeouts(httpLimits),
    clientErrorHandler: clientErrorHandler(httpLimits),
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    forceCloseConnections: true,
    // Refusals before routing (a malformed path such as `/%zz`) are problems like the rest.
    frameworkErrors: (error, _request, reply) => {
      const errors = [{ field: '(url)', rule: 'format', message: `(url) ${error.message}` }];
      return sendProblem(reply, problem(error.statusCode ?? 400, error.message, 'invalid-url', errors));
    },
  });
  limitConnections(app, httpLimits);
  const allowedMethods = routeTable(app);
  recordRegisteredRoutes(app);
  // Bodies are JSON only (415 otherwise); the webhook inbox takes any body in its own scope.
  app.removeContentTypeParser('text/plain');
  refuseDeepJson(app);

  // Null first (a shared object may not be a decorator's default), the actor before routing:
  // anonymous where tokens are required, so a request the host guard refuses is not audited as local.
  app.decorateRequest('actor', null as unknown as Actor);
  const initialActor = options.access?.required ? ANONYMOUS_ACTOR : LOCAL_ACTOR;
  app.addHook('onRequest', async (request) => {
    request.actor = initialActor;
  });
  app.addHook('onRequest', closeUpgradeAnsweredOverHttp);
  app.addHook('onRequest', hostGuard(options.guard));
  if (options.access) app.addHook('onRequest', accessHook(options.access, (path) => allowedMethods(path).length > 0));
  // The guardrails after access: a missing or weak token is answered first; their refusals are audited like any.
  const profileMode = options.profileMode ?? ENVIRONMENT_MODE_SOURCE;
  const kinds = options.kinds ?? builtinKindRegistry();
  app.addHook('preValidation', readOnlyHook(profileMode));
  app.addHook('preHandler', confirmHook(profileMode, { kinds, subscriptions: options.webhooks?.store, schedules: options.schedules }));
  app.setErrorHandler(apiErrorHandler(options.onLog));
  if (options.audit?.recorder) auditHook(app, options.audit.recorder, options.onLog);
  app.setNotFoundHandler(notFoundHandler(allowedMethods));
  await app.register(modeRoute(profileMode));
  await registerRoutes(app, options, kinds);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      // The page's own policy, plus what a <meta> cannot say: no other site may frame it.
      reply.header('content-security-policy', PAGE_CSP).header('x-frame-options', 'DENY');
    }
  });
  return app;
}

/** Refusals and Fastify's own 4xx as problems naming the field; anything else a logged 500. */
function apiErrorHandler(onLog: ApiOptions['onLog']) {
  return (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
    const refusal = refusalFor(error);
    if (refusal) {
      if (refusal.retryAfterSeconds !== undefined) reply.header('retry-after', String(refusal.retryAfterSeconds));
      return sendProblem(reply, refusal.problem);
    }
    if (error.statusCode && error.statusCode < 500) {
      const field = BODY_ERRORS[error.code];
      const errors = field ? [{ ...field, message: `${field.field} ${field.message}` }] : undefined;
      return sendProblem(reply, problem(error.statusCode, error.message, field ? 'invalid-body' : undefined, errors));
    }
    onLog?.(redactText(`unexpected error: ${error.stack ?? error.message}`));
    return sendProblem(reply, problem(500, 'the console failed to handle this request'));
  };
}

/** 405 with `Allow` when the path exists under other methods, 404 otherwise. */
function notFoundHandler(allowedMethods: (path: string) => string[]) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    const methods = allowedMethods(path);
    if (methods.length > 0) {
      reply.header('allow', [...new Set(methods)].join(', '));
      return sendProblem(reply, problem(405, `${request.method} is not allowed on ${path}`));
    }
    return sendProblem(reply, problem(404, `no route ${request.method} ${path}`));
  };
}

async function registerRoutes(app: FastifyInstance, options: ApiOptions, kinds: KindRegistry): Promise<void> {
  await app.register(bookRoutes(options.jobs));
  await app.register(jobRoutes(options.jobs, kinds, options.idempotency, options.exportPageRows));
  await app.register(eventRoutes(options.relay, kinds));
  await app.register(recordRoutes(options.mailbox, options.inbox, options.inboxBudget));
  // The event-driven API: webhook subscriptions, batches, the OpenAPI document.
  if (options.webhooks) await app.register(subscriptionRoutes(options.webhooks.store, options.webhooks.dispatcher, kinds, options.outbound));
  if (options.savedViews) await app.register(savedViewRoutes(options.savedViews));
  if (options.schedules) await app.register(scheduleRoutes(options.schedules, kinds));
  if (options.batches) await app.register(batchRoutes(options.batches, kinds, options.idempotency));
  if (options.operations) await app.register(operationRoutes(options.operations, options.operationFeed));
  if (options.deadLetters) await app.register(deadLetterRoutes(options.deadLetters));
  if (options.alerts) await app.register(alertRoutes(options.alerts.store, options.alerts.feed, kinds, options.outbound));
  if (options.audit) await app.register(auditRoutes(options.audit.store));
  await app.register(openApiRoute(kinds));
  await app.register(workerRoutes(options.workers ?? (() => null), kinds, options.workerBeats));
  if (options.queues) await app.register(queueRoutes(options.queues, kinds));
  if (options.flow) await app.register(flowRoutes(options.flow, kinds));
  const settings = options.settings;
  if (settings) app.get('/api/v1/settings', async () => settings());
  await app.register(accessRoute(options.access?.required ?? false));
  if (options.tokens) await app.register(tokenRoutes(options.tokens));
  if (options.profiles) await app.register(connectionRoutes(options.profiles));
  app.get('/api/v1/health', async (_request, reply) => {
    const report = await options.health();
    return reply.code(report.ok ? 200 : 503).send(report);
  });
  const rendererDir = options.rendererDir;
  if (rendererDir) {
    await app.register(async (page) => {
      markPageFiles(page);
      await page.register(fastifyStatic, { root: rendererDir, wildcard: false });
    });
  }
}
