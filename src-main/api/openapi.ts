import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createBatchSchemaOf } from '../../src-shared/batch-schemas';
import { builtinKindRegistry } from '../../src-shared/builtin-kinds';
import { eventsQuerySchemaOf, wsClientMessageSchemaOf } from '../../src-shared/event-schemas';
import type { KindRegistry } from '../../src-shared/kind-registry';
import {
  bookDatabaseQuerySchema,
  callbackPayloadSchema,
  emailPayloadSchema,
  exportJobsQuerySchema,
  listJobsQuerySchemaOf,
  submitJobSchemaOf,
} from '../../src-shared/schemas';
import { createSavedViewSchema } from '../../src-shared/saved-view-schemas';
import { createScheduleSchemaOf, patchScheduleSchemaOf } from '../../src-shared/schedule-schemas';
import { ALERT_TYPES, createAlertSchemaOf, updateAlertSchemaOf } from '../../src-shared/alert-schemas';
import { createSubscriptionSchemaOf, listQuerySchema } from '../../src-shared/subscription-schemas';
import { MAX_OPERATION_IDS, createOperationSchema } from '../../src-shared/operation-schemas';
import { DEAD_LETTER_QUERY_FIELDS, deadLetterActionSchema, listDeadLettersQuerySchema } from '../../src-shared/dead-letter-schemas';
import { scaleWorkersSchema } from '../../src-shared/worker-schemas';
import { kindLimitsSchema } from '../../src-shared/flow';
import { auditQuerySchema } from '../../src-shared/audit-schemas';
import { AUDIT_QUERY_FIELDS } from '../../src-shared/audit-query';
import { TOKEN_NAME_RULE, createTokenSchema } from '../../src-shared/token-schemas';
import { confirmQuerySchema, purgeQueueBodySchema } from '../../src-shared/mode-report';
import { createProfileSchema, exportProfilesSchema, importProfilesSchema, patchProfileSchema } from '../../src-shared/profile-schemas';
import { statusQuerySchema } from './book-routes';
import { JOB_LOG_CONTENT_TYPE, JOB_LOG_LINE_MAX_BYTES, JOB_LOG_MAX_BYTES, JOB_LOG_MAX_LINES } from '../../src-shared/job-log';
import { answerRef, answerSchemas, type Answer } from './openapi-answers';
import { pageQuerySchema } from './record-routes';

/** One documented operation; its request schemas are the very ones the route validates with. */
interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify's form: `/api/v1/jobs/:id`. */
  path: string;
  summary: string;
  tag: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body may be left out (the route takes none but an optional `confirm`). */
  bodyOptional?: true;
  /** Success status, what it carries, and its JSON body's schema (none for a stream or no body). */
  ok: [number, string, Answer?];
  /** The success answer's media type when not JSON: JSON lines, each of the `ok` schema. */
  okType?: string;
  /** A non-problem answer besides success: health's 503 carries the health report. */
  also?: [number, string, Answer];
  /** Server-Sent Events: each event's name and the schema of its `data` (the document's `x-sse-events`). */
  sseEvents?: Record<string, Answer>;
  /** WebSocket: the schema of every message the server sends (the document's `x-ws-messages`). */
  wsMessages?: Answer;
  /** A download in several media types: each type's schema of one JSON line (NDJSON), or 'text' (CSV). */
  downloads?: Readonly<Record<string, Answer | 'text'>>;
  /** Request headers the route reads. */
  headers?: readonly HeaderParameter[];
  /** A body the route accepts, offered where the document is read (the API page prefills it). */
  example?: unknown;
}

/** Request bodies that work as they are against a fresh console: local targets, the default recipient. */
const EXAMPLES = {
  job: { kind: 'email', payload: { subject: 'Hello from the API page' } },
  subscription: { url: 'http://127.0.0.1:8000/api/v1/inbox/subscriptions', events: { kinds: ['email'], statuses: ['DONE'] } },
  batch: { jobs: [{ kind: 'log', payload: { client_time: 1767225600 } }, { kind: 'email', payload: { subject: 'A batch child' } }] },
  scale: { count: 1 },
  limits: { rate_per_s: 20, concurrency: null },
  savedView: { name: 'Failed callbacks', query: 'kind:callback status:FAILED' },
  operation: { action: 'retry', query: 'status:FAILED', dry_run: true },
  deadLetters: { query: 'kind:callback', dry_run: true },
  schedulePatch: { cron: '0 0 8 * * 1-5', missed: 'run_once' },
  schedule: { kind: 'email', payload: { subject: 'Every morning' }, cron: '0 30 7 * * 1-5', time_zone: 'Europe/Berlin', missed: 'skip' },
  alert: { name: 'Callbacks failing', type: 'failure_rate', kind: 'callback', threshold: 0.5, window_s: 300 },
  alertChange: { enabled: false },
  token: { name: 'ci-reader', role: 'read' },
  /** No `confirm`: enough off production (see confirmNote). */
  purge: {},
  profile: { name: 'Staging', environment: 'staging', color: '#d97706', amqp_url: 'amqp://guest:guest@127.0.0.1:5672', redis_url: 'redis://127.0.0.1:6379', database_url: 'postgres://127.0.0.1:5432/jobdeck', namespace: 'staging' },
  profilePatch: { color: '#2563eb', read_only: true },
  profileExport: { secrets: false },
  profileImport: {
    document: {
      format: 'jobdeck-connection-profiles',
      version: 1,
      profiles: [{ id: 'staging', name: 'Staging', environment: 'staging', color: '#d97706', amqp_url: 'amqp://guest@127.0.0.1:5672', redis_url: 'redis://127.0.0.1:6379', database_url: 'postgres://127.0.0.1:5432/jobdeck', smtp_url: null, namespace: 'staging', workers: {}, read_only: false }],
      secrets: null,
    },
  },
} as const;

interface HeaderParameter {
  name: string;
  description: string;
}

const IDEMPOTENCY_KEY: HeaderParameter = {
  name: 'Idempotency-Key',
  description:
    '1–255 printable ASCII characters: the same key and body replay the first answer (`idempotent-replayed: true`); another body is a 422',
};
const LAST_EVENT_ID: HeaderParameter = {
  name: 'Last-Event-ID',
  description: 'Resume after this event ID; an ID the stream no longer holds gets a `resync` event first',
};

/** What a destructive verb's summary adds: the guardrails' `confirm` (README "Production guardrails"). */
const confirmNote = (target: string, where = 'in the body') =>
  `. On a writable production profile it needs \`confirm\` ${where} naming ${target} (400 naming \`confirm\`, rule \`confirm\`, otherwise); elsewhere \`confirm\` is optional and ignored`;
const DELETE_CONFIRM_WHERE = 'as a query parameter or in a JSON body';

/** The dead letters' actions, each a route. */
const DEAD_LETTER_ACTION_DOCS = [
  ['requeue', "Requeue (an operator's retry of the job: a fresh attempt budget, a new message; the dead letter leaves the list) — a message that is not a job, or a job no longer FAILED, is skipped and stays —"],
  ['discard', 'Discard (delete)'],
] as const;

/** Every route of the API, its schemas checking `kinds`. A test checks that each registered route is here. */
export function operationsOf(kinds: KindRegistry): readonly Operation[] {
  const submitJobSchema = submitJobSchemaOf(kinds);
  const eventsQuerySchema = eventsQuerySchemaOf(kinds);
  return [
  { method: 'GET', path: '/job/database', tag: 'book', summary: "The book's kind A job: write a log record", query: bookDatabaseQuerySchema, ok: [200, '{"uuid","type","extra_data"}', 'BookJob'] },
  { method: 'GET', path: '/job/callback', tag: 'book', summary: "The book's kind B job: long task, then POST to a callback", query: callbackPayloadSchema.omit({ secret: true }), ok: [200, '{"uuid","type","extra_data"}', 'BookJob'] },
  { method: 'GET', path: '/job/mail', tag: 'book', summary: "The book's kind C job: send an email", query: emailPayloadSchema, ok: [200, '{"uuid","type","extra_data"}', 'BookJob'] },
  { method: 'GET', path: '/job/status', tag: 'book', summary: "The book's status of a job", query: statusQuerySchema, ok: [200, '{"uuid","status"}', 'BookStatus'] },
  { method: 'POST', path: '/api/v1/jobs', tag: 'jobs', summary: 'Submit a job (its payload as its kind\'s payload_schema says); with `run_at` (RFC 3339 with offset, at most 365 days ahead) or `delay_ms` (0 to 365 days) it waits SCHEDULED until then (one in the past, or 0, runs at once); `replay_of` runs an existing job of the same kind again with this payload (422 `replay-origin` naming `replay_of` when there is no such job or it is of another kind)', body: submitJobSchema, example: EXAMPLES.job, ok: [202, 'the job, QUEUED (SCHEDULED when its start time is ahead)', 'Job'], headers: [IDEMPOTENCY_KEY] },
  { method: 'POST', path: '/api/v1/jobs/validate', tag: 'jobs', summary: 'Check a job as POST /api/v1/jobs would, creating nothing (dry run): its payload with defaults, or the 400', body: submitJobSchema, example: EXAMPLES.job, ok: [200, '{"valid": true, "kind", "payload"}', 'ValidJob'] },
  { method: 'GET', path: '/api/v1/kinds', tag: 'jobs', summary: 'Every job kind: the built-in ones, then the kinds file\'s, each with its payload_schema', ok: [200, '{"kinds": Kind[]}', 'KindsReport'] },
  { method: 'GET', path: '/api/v1/jobs', tag: 'jobs', summary: 'List jobs, newest first; `q` searches the whole history (a query that does not parse is a 400 naming `q`, the column and what was expected)', query: listJobsQuerySchemaOf(kinds), ok: [200, '{"items": Job[], "next_cursor"}', 'JobPage'] },
  { method: 'GET', path: '/api/v1/jobs/export', tag: 'jobs', summary: 'Every job a search matches, newest first, streamed as CSV (a header row; payload and result as JSON) or NDJSON (one job a line), as an attachment', query: exportJobsQuerySchema, ok: [200, 'the jobs, with Content-Disposition: attachment: CSV text, or JSON lines of one Job each'], downloads: { 'text/csv': 'text', 'application/x-ndjson': 'Job' } },
  { method: 'GET', path: '/api/v1/jobs/:id', tag: 'jobs', summary: 'Read one job, with `timing`: where its time went (queue wait, attempts and their effects, retry waits, deliveries); its `replay_of` names the job it runs again, and `GET /api/v1/jobs?q=replay_of:<id>` lists its own replays', ok: [200, 'the job and its timing', 'JobRead'] },
  { method: 'POST', path: '/api/v1/jobs/:id/retry', tag: 'jobs', summary: 'Retry a FAILED or CANCELLED job (409 in any other status, or when it is a child of a completed batch)', ok: [200, 'the job, QUEUED', 'Job'] },
  { method: 'POST', path: '/api/v1/jobs/:id/run-now', tag: 'jobs', summary: 'Run a SCHEDULED job now: QUEUED at once, its wait dropped (409 in any other status)', ok: [200, 'the job, QUEUED', 'Job'] },
  {
    method: 'POST',
    path: '/api/v1/jobs/:id/cancel',
    tag: 'jobs',
    summary:
      'Cancel a job. SCHEDULED, QUEUED or RETRYING: CANCELLED at once. STARTED or IN PROGRESS: its handler is aborted; 200 once it stopped (CANCELLED) within 2 s, 202 while it is still stopping (the events tell the end), 409 `cancel-refused` when it finished regardless (DONE, the refused cancel noted in its timeline). 409 in any other status',
    ok: [200, 'the job, CANCELLED', 'Job'],
    also: [202, '{"job", "cancel": "requested"}: the job still running, its handler asked to stop', 'CancelRequested'],
  },
  {
    method: 'GET',
    path: '/api/v1/jobs/:id/logs',
    tag: 'jobs',
    summary: `The job's log lines, oldest first, as JSON lines (one {"at","attempt","line"} a line): kept per job, at most ${JOB_LOG_MAX_LINES} lines and ${JOB_LOG_MAX_BYTES / 1024} KB (later lines dropped, one line says so), each line at most ${JOB_LOG_LINE_MAX_BYTES / 1024} KB; kept in the history with the job`,
    ok: [200, 'JSON lines, each a JobLogLine', 'JobLogLine'],
    okType: JOB_LOG_CONTENT_TYPE,
  },
  { method: 'GET', path: '/api/v1/events', tag: 'events', summary: 'Every event as Server-Sent Events (header Last-Event-ID resumes; a resync event says a gap)', query: eventsQuerySchema, ok: [200, 'text/event-stream of `job`, `batch` and `resync` events'], sseEvents: { job: 'JobEvent', batch: 'BatchEvent', resync: 'ResyncEvent' }, headers: [LAST_EVENT_ID] },
  { method: 'GET', path: '/api/v1/ws', tag: 'events', summary: 'Every event over WebSocket (upgrade; a plain GET is a 426 problem); client messages are the request body schema', query: eventsQuerySchema, body: wsClientMessageSchemaOf(kinds), ok: [101, 'WebSocket of {"type":"event"|"resync"|"subscribed"|"unsubscribed"|"error"} messages'], wsMessages: 'WsServerMessage' },
  { method: 'POST', path: '/api/v1/subscriptions', tag: 'webhooks', summary: 'Create a webhook subscription (the secret is returned once)', body: createSubscriptionSchemaOf(kinds), example: EXAMPLES.subscription, ok: [201, 'the subscription with its secret', 'CreatedSubscription'] },
  { method: 'GET', path: '/api/v1/subscriptions', tag: 'webhooks', summary: 'List webhook subscriptions', ok: [200, '{"items": Subscription[], "next_cursor": null}', 'SubscriptionPage'] },
  { method: 'GET', path: '/api/v1/subscriptions/:id', tag: 'webhooks', summary: 'Read a subscription', ok: [200, 'the subscription', 'Subscription'] },
  { method: 'DELETE', path: '/api/v1/subscriptions/:id', tag: 'webhooks', summary: `Delete a subscription${confirmNote("the subscription's URL", DELETE_CONFIRM_WHERE)}`, query: confirmQuerySchema, ok: [204, 'deleted'] },
  { method: 'GET', path: '/api/v1/subscriptions/:id/deliveries', tag: 'webhooks', summary: "A subscription's deliveries with every attempt, newest first", query: listQuerySchema, ok: [200, '{"items": Delivery[], "next_cursor"}', 'DeliveryPage'] },
  { method: 'POST', path: '/api/v1/subscriptions/:id/deliveries/:delivery_id/redeliver', tag: 'webhooks', summary: 'Deliver again (same webhook-id)', ok: [202, 'the delivery', 'Delivery'] },
  { method: 'GET', path: '/api/v1/saved-views', tag: 'saved views', summary: 'List the saved views (named job queries), by name', ok: [200, '{"items": SavedView[], "next_cursor": null}', 'SavedViewPage'] },
  { method: 'POST', path: '/api/v1/saved-views', tag: 'saved views', summary: 'Save a job query under a name (1–80 characters, unique: 409 otherwise)', body: createSavedViewSchema, example: EXAMPLES.savedView, ok: [201, 'the saved view', 'SavedView'] },
  { method: 'DELETE', path: '/api/v1/saved-views/:id', tag: 'saved views', summary: 'Delete a saved view', ok: [204, 'deleted'] },
  { method: 'POST', path: '/api/v1/schedules', tag: 'schedules', summary: 'Create a recurring schedule: `cron` (5 fields, or 6 with seconds first), `time_zone` (IANA, default UTC), `missed` (`skip` or `run_once`, default skip); the payload is checked by the kind\'s schema. Each run is an ordinary job with `schedule_id`', body: createScheduleSchemaOf(kinds), example: EXAMPLES.schedule, ok: [201, 'the schedule (Location: its URL)', 'Schedule'] },
  { method: 'GET', path: '/api/v1/schedules', tag: 'schedules', summary: 'List schedules, newest first', query: listQuerySchema, ok: [200, '{"items": Schedule[], "next_cursor"}', 'SchedulePage'] },
  { method: 'GET', path: '/api/v1/schedules/:id', tag: 'schedules', summary: 'A schedule with `next_runs` (its next five due times; none while paused) and `last_runs` (its latest runs, newest first, each with its job ID and the job\'s status)', ok: [200, 'the schedule', 'ScheduleDetail'] },
  { method: 'PATCH', path: '/api/v1/schedules/:id', tag: 'schedules', summary: 'Change any of kind, payload, cron, time_zone, missed (checked as on create); a new cron or zone counts its due times from now', body: patchScheduleSchemaOf(kinds), example: EXAMPLES.schedulePatch, ok: [200, 'the schedule', 'Schedule'] },
  { method: 'DELETE', path: '/api/v1/schedules/:id', tag: 'schedules', summary: `Delete a schedule (its jobs stay, with their schedule_id)${confirmNote("the schedule's ID", DELETE_CONFIRM_WHERE)}`, query: confirmQuerySchema, ok: [204, 'deleted'] },
  { method: 'POST', path: '/api/v1/schedules/:id/pause', tag: 'schedules', summary: 'Pause a schedule: no run fires until it is resumed', ok: [200, 'the schedule, paused', 'Schedule'] },
  { method: 'POST', path: '/api/v1/schedules/:id/resume', tag: 'schedules', summary: 'Resume a schedule; its due times count from now (those of the pause are not missed runs)', ok: [200, 'the schedule', 'Schedule'] },
  { method: 'POST', path: '/api/v1/schedules/:id/trigger', tag: 'schedules', summary: 'Submit a run now (paused or not), besides its due times', ok: [202, 'the job, QUEUED', 'Job'] },
  { method: 'POST', path: '/api/v1/alerts', tag: 'alerts', summary: `Create an alert rule (type one of ${ALERT_TYPES.join(', ')}; threshold: it fires above it, a fraction 0–1 for failure_rate; kind required for failure_rate, refused for crash_loop, webhook_failing and dependency_down; window_s defaults to 300). The secret its webhook POSTs are signed with is returned once`, body: createAlertSchemaOf(kinds), example: EXAMPLES.alert, ok: [201, 'the rule with its webhook_secret', 'CreatedAlertRule'] },
  { method: 'GET', path: '/api/v1/alerts', tag: 'alerts', summary: 'List the alert rules, each with its state (ok or firing, since when) and the value at its last evaluation', ok: [200, '{"items": AlertRule[], "next_cursor": null}', 'AlertRulePage'] },
  { method: 'GET', path: '/api/v1/alerts/stream', tag: 'alerts', summary: "Every rule's fires and resolves from now on as Server-Sent Events (`alert`); a comment line every 15 s", ok: [200, 'text/event-stream of `alert` events'], sseEvents: { alert: 'AlertNotice' } },
  { method: 'GET', path: '/api/v1/alerts/:id', tag: 'alerts', summary: 'Read an alert rule and its state', ok: [200, 'the rule', 'AlertRule'] },
  { method: 'PATCH', path: '/api/v1/alerts/:id', tag: 'alerts', summary: 'Change any fields of a rule (checked with its others); disabling a firing rule resolves it', body: updateAlertSchemaOf(kinds), example: EXAMPLES.alertChange, ok: [200, 'the rule', 'AlertRule'] },
  { method: 'DELETE', path: '/api/v1/alerts/:id', tag: 'alerts', summary: 'Delete a rule and its history', ok: [204, 'deleted'] },
  { method: 'GET', path: '/api/v1/alerts/:id/events', tag: 'alerts', summary: "A rule's episodes, newest first: fired_at, resolved_at (null while firing), the value that crossed, a message", query: listQuerySchema, ok: [200, '{"items": AlertEvent[], "next_cursor"}', 'AlertEventPage'] },
  { method: 'POST', path: '/api/v1/batches', tag: 'batches', summary: 'Submit several jobs as one batch, all or nothing (fan-out)', body: createBatchSchemaOf(kinds), example: EXAMPLES.batch, ok: [202, '{"id","job_ids","status","created_at","on_complete","secret"?}', 'BatchAccepted'], headers: [IDEMPOTENCY_KEY] },
  { method: 'GET', path: '/api/v1/batches', tag: 'batches', summary: 'List batches, newest first', query: listQuerySchema, ok: [200, '{"items": BatchSummary[], "next_cursor"}', 'BatchPage'] },
  { method: 'GET', path: '/api/v1/batches/:id', tag: 'batches', summary: 'A batch aggregated: counts, progress, each child, the fan-in callback', ok: [200, 'the batch', 'Batch'] },
  {
    method: 'POST',
    path: '/api/v1/operations',
    tag: 'operations',
    summary: `Retry or cancel every job a search (\`query\`, as \`GET /api/v1/jobs?q=\`) matches, or named jobs (\`ids\`, at most ${MAX_OPERATION_IDS}). \`dry_run: true\` answers 200 with the counts and a sample, changing nothing. Otherwise \`expected\` (the dry run's \`matched\`; required for a query, optional for ids) starts it in the background: 202 with the operation, or 409 \`operation-drift\` with \`matched\` when the count moved by more than 1 % of \`expected\` (at least 10 jobs) since${confirmNote("the profile's name, for a cancel that is no dry run")}`,
    body: createOperationSchema,
    example: EXAMPLES.operation,
    ok: [202, 'the operation, running', 'Operation'],
    also: [200, 'the dry run: {"matched","would_change","would_skip","sample","margin"}', 'OperationPreview'],
  },
  { method: 'GET', path: '/api/v1/dead-letters', tag: 'dead letters', summary: `Dead letters (the messages of jobs that failed for good, and messages that are not jobs), drained from every kind's dead-letter queue, newest first; \`kind\` by name or letter; \`q\` in the jobs search's language over ${DEAD_LETTER_QUERY_FIELDS.join(', ')} and free words (another field is a 400 naming \`q\`). Kind B's signing secret is never kept`, query: listDeadLettersQuerySchema, ok: [200, '{"items": DeadLetter[], "next_cursor"}', 'DeadLetterPage'] },
  ...DEAD_LETTER_ACTION_DOCS.map(([action, what]) => ({
    method: 'POST' as const,
    path: `/api/v1/dead-letters/${action}`,
    tag: 'dead letters',
    summary: `${what} the named dead letters (\`ids\`) or those a search matches (\`query\`, as \`GET /api/v1/dead-letters?q=\`; \`""\` for all), as a bulk operation. \`dry_run: true\` answers 200 with the counts and a sample, changing nothing; otherwise \`expected\` (the dry run's \`matched\`; required for a query) starts it: 202 with the operation (follow it at /api/v1/operations/<id>), or 409 \`operation-drift\`${action === 'discard' ? confirmNote("the profile's name, for a discard that is no dry run") : ''}`,
    body: deadLetterActionSchema,
    example: EXAMPLES.deadLetters,
    ok: [202, 'the operation, running', 'Operation'] as [number, string, Answer],
    also: [200, 'the dry run: {"matched","would_change","would_skip","sample","margin"}', 'DeadLetterPreview'] as [number, string, Answer],
  })),
  { method: 'GET', path: '/api/v1/operations', tag: 'operations', summary: 'List bulk operations, newest first', query: listQuerySchema, ok: [200, '{"items": Operation[], "next_cursor"}', 'OperationPage'] },
  { method: 'GET', path: '/api/v1/operations/:id', tag: 'operations', summary: 'A bulk operation and its progress: matched, changed, skipped, pending, failed items (it changes at most once a batch; follow it live at /events)', ok: [200, 'the operation', 'Operation'] },
  { method: 'GET', path: '/api/v1/operations/:id/events', tag: 'operations', summary: "A bulk operation's progress as Server-Sent Events: its current state, then each new one (at most ~4 a second, every one the full state), ending after a terminal one (done, cancelled, failed); a comment line every 15 s", ok: [200, 'text/event-stream of `operation` events'], sseEvents: { operation: 'Operation' } },
  { method: 'POST', path: '/api/v1/operations/:id/cancel', tag: 'operations', summary: 'Stop a running operation after its current batch (it ends `cancelled`, its remaining items untouched); 409 when it is not running', ok: [202, 'the operation, cancel_requested', 'Operation'] },
  { method: 'GET', path: '/api/v1/workers', tag: 'console', summary: "Every worker of the namespace: this console's slots, then the others from their heartbeats (name host/pid as in timelines, where it runs, kinds, state, current job, jobs done and failed, retried attempts, uptime, memory)", ok: [200, 'the workers report', 'WorkersReport'] },
  { method: 'PUT', path: '/api/v1/workers/:kind', tag: 'console', summary: 'Scale a kind to `count` processes', body: scaleWorkersSchema, example: EXAMPLES.scale, ok: [202, 'the workers report', 'WorkersReport'] },
  { method: 'POST', path: '/api/v1/workers/:id/restart', tag: 'console', summary: "Restart the process in one of this console's slots (`:id` is the slot, such as `log-1`)", ok: [202, 'the workers report', 'WorkersReport'] },
  { method: 'POST', path: '/api/v1/workers/:id/stop', tag: 'console', summary: "Stop the process in one of this console's slots; the slot stays stopped, with no pid or memory, until restarted", ok: [202, 'the workers report', 'WorkersReport'] },
  { method: 'GET', path: '/api/v1/queues', tag: 'console', summary: 'Each work queue: messages ready and consumers, and messages waiting to retry and dead-lettered', ok: [200, '{"queues": Queue[]}', 'QueuesReport'] },
  { method: 'POST', path: '/api/v1/queues/:kind/purge', tag: 'console', summary: `Purge a kind's work queue; every purged job ends CANCELLED${confirmNote("the kind's name")}`, body: purgeQueueBodySchema, bodyOptional: true, example: EXAMPLES.purge, ok: [200, '{"kind","purged","cancelled"}', 'PurgeResult'] },
  { method: 'GET', path: '/api/v1/flow', tag: 'console', summary: "Every kind's flow: paused, and its rate and concurrency limits (read from Redis only: cheap to poll)", ok: [200, '{"kinds": KindFlow[]}', 'FlowReport'] },
  { method: 'POST', path: '/api/v1/kinds/:kind/pause', tag: 'console', summary: "Pause a kind (by name or letter): every worker of it, on any machine, stops taking its messages within seconds (a message already taken and not yet started goes back to the queue; attempts running finish); submits are still accepted and wait in order. Kept in Redis: survives console and worker restarts", ok: [200, 'the kind\'s flow', 'KindFlow'] },
  { method: 'POST', path: '/api/v1/kinds/:kind/resume', tag: 'console', summary: "Resume a paused kind: its workers consume again, the waiting jobs in queue order", ok: [200, 'the kind\'s flow', 'KindFlow'] },
  { method: 'GET', path: '/api/v1/kinds/:kind/limits', tag: 'console', summary: "A kind's flow: paused, and its limits (`rate_per_s`, `concurrency`; null: none)", ok: [200, 'the kind\'s flow', 'KindFlow'] },
  { method: 'PUT', path: '/api/v1/kinds/:kind/limits', tag: 'console', summary: "Set a kind's limits across all its workers: `rate_per_s` jobs started per second, `concurrency` jobs in flight; null or left out: no limit (PUT replaces both). A worker waits for a slot after taking a message and before its STARTED write", body: kindLimitsSchema, example: EXAMPLES.limits, ok: [200, 'the kind\'s flow', 'KindFlow'] },
  { method: 'GET', path: '/api/v1/audit', tag: 'console', summary: `The audit trail: every changing request (and the book's job routes), newest first, with who (the token's name, \`local\` without one), the verb, the target, the parameters (secrets as \`***\`) and the result; \`q\` takes ${AUDIT_QUERY_FIELDS.map((field) => `\`${field}:\``).join(', ')} and free words (a query that does not parse is a 400 naming \`q\`). The webhook inbox, validations and dry runs are not recorded`, query: auditQuerySchema, ok: [200, '{"items": AuditEntry[], "next_cursor"}', 'AuditPage'] },
  { method: 'GET', path: '/api/v1/settings', tag: 'console', summary: 'The connection URLs in use, passwords masked', ok: [200, 'the settings', 'ConnectionSettings'] },
  { method: 'GET', path: '/api/v1/health', tag: 'console', summary: 'Every dependency\'s state (503 when one is down, and with status "starting" until the console\'s own workers are ready)', ok: [200, 'the health report', 'Health'], also: [503, 'the health report: a dependency is down, or the workers are starting', 'Health'] },
  { method: 'GET', path: '/api/v1/mailbox', tag: 'console', summary: 'Mail the embedded sink received, newest first, without bodies', query: pageQuerySchema, ok: [200, 'a page of messages (no headers or bodies; `preview`, `size`)', 'MailPage'] },
  { method: 'GET', path: '/api/v1/mailbox/:id', tag: 'console', summary: 'One message whole: headers, text and HTML bodies (404 when gone)', ok: [200, 'the message', 'MailRecord'] },
  { method: 'GET', path: '/api/v1/inbox', tag: 'console', summary: 'Requests the webhook inbox received, newest first, without bodies', query: pageQuerySchema, ok: [200, 'a page of requests (no headers or bodies; `preview`, `size`)', 'WebhookPage'] },
  { method: 'GET', path: '/api/v1/inbox/items/:id', tag: 'console', summary: 'One request whole: headers and body (404 when gone)', ok: [200, 'the request', 'WebhookRecord'] },
  { method: 'POST', path: '/api/v1/inbox/*', tag: 'console', summary: 'The webhook inbox: takes any body up to 1 MiB (413 past it; 429 with Retry-After past the per-client quota)', ok: [201, '{"id","received_at"}', 'WebhookReceipt'] },
  { method: 'GET', path: '/api/v1/access', tag: 'access', summary: 'Whether this console needs a token (bound beyond loopback) and who this request was made as: the token\'s name and role, or `local` for a loopback call without one', ok: [200, '{"required", "actor": {"name","role"}}', 'AccessReport'] },
  { method: 'GET', path: '/api/v1/mode', tag: 'access', summary: "The active connection profile (id, name, environment, colour) and whether it is read-only now, and why: while `read_only`, every changing route but the webhook inbox's POST and the profile verbs (activate, unlock, test) is refused with a 403 `read-only-mode`", ok: [200, '{"id","name","environment","color","read_only","reason"}', 'ModeReport'] },
  { method: 'GET', path: '/api/v1/tokens', tag: 'access', summary: 'List the API tokens (name, role, created_at; never a token or its hash); a write token only', ok: [200, '{"items": Token[], "next_cursor": null}', 'TokenPage'] },
  { method: 'POST', path: '/api/v1/tokens', tag: 'access', summary: `Create an API token (name: ${TOKEN_NAME_RULE}, unique: 409 otherwise; role read or write); its text is answered this once, the console keeps only its SHA-256. A write token only`, body: createTokenSchema, example: EXAMPLES.token, ok: [201, 'the token, with its text', 'CreatedToken'] },
  { method: 'DELETE', path: '/api/v1/tokens/:name', tag: 'access', summary: 'Revoke a token: every console sharing the tokens file refuses it from the next request (404 for an unknown name). A write token only', ok: [204, 'revoked'] },
  { method: 'GET', path: '/api/v1/connections', tag: 'profiles', summary: 'The connection profiles: the unsaved `environment` profile (the environment variables, active at start), then the saved ones, passwords masked as `***`; the active profile\'s mode (read-only and why), where passwords are kept, and the profiles file', ok: [200, '{"items": ConnectionProfile[], "active", "secrets", "file"}', 'ConnectionProfileList'] },
  { method: 'POST', path: '/api/v1/connections', tag: 'profiles', summary: 'Save a profile: name and the RabbitMQ, Redis and PostgreSQL URLs; `smtp_url` null sends through the embedded mail sink; `workers` per kind (`JOBDECK_WORKERS` wins over them, they win over the kinds file); a production profile opens read-only until unlocked', body: createProfileSchema, example: EXAMPLES.profile, ok: [201, 'the profile, passwords masked', 'ConnectionProfile'] },
  { method: 'POST', path: '/api/v1/connections/export', tag: 'profiles', summary: 'Export saved profiles (all without `ids`) without their passwords; with `"secrets": true` and a `passphrase` (8 characters or more) their passwords come encrypted (scrypt, AES-256-GCM)', body: exportProfilesSchema, example: EXAMPLES.profileExport, ok: [200, 'the export document', 'ConnectionProfilesExport'] },
  { method: 'POST', path: '/api/v1/connections/import', tag: 'profiles', summary: 'Save every profile of an export as a new one (a new id when its own is taken); an export with secrets needs its `passphrase` (a wrong one is a 400 naming `passphrase`, rule `decrypt`)', body: importProfilesSchema, example: EXAMPLES.profileImport, ok: [201, '{"items": ConnectionProfile[]}', 'ConnectionProfilesImported'] },
  { method: 'GET', path: '/api/v1/connections/:id', tag: 'profiles', summary: 'One profile, passwords masked (404 for an unknown id)', ok: [200, 'the profile', 'ConnectionProfile'] },
  { method: 'PATCH', path: '/api/v1/connections/:id', tag: 'profiles', summary: 'Change a saved profile (the `environment` profile is a 409); a URL sent back with its password as `***` keeps the stored password; the active profile\'s `read_only` holds at once, its connections at its next activation', body: patchProfileSchema, example: EXAMPLES.profilePatch, ok: [200, 'the profile', 'ConnectionProfile'] },
  { method: 'DELETE', path: '/api/v1/connections/:id', tag: 'profiles', summary: 'Delete a saved profile (409 for the active one or `environment`)', ok: [204, 'deleted'] },
  { method: 'POST', path: '/api/v1/connections/:id/duplicate', tag: 'profiles', summary: 'Save a copy of a profile, passwords included, named "<name> (copy)" (how the `environment` profile is saved)', ok: [201, 'the copy', 'ConnectionProfile'] },
  { method: 'POST', path: '/api/v1/connections/:id/test', tag: 'profiles', summary: 'Connect to each service of the profile and hang up: rabbitmq, redis, postgresql, smtp, each up or with its error', ok: [200, '{"ok", "services": {"rabbitmq","redis","postgresql","smtp"}}', 'ConnectionProfileTest'] },
  { method: 'POST', path: '/api/v1/connections/:id/activate', tag: 'profiles', summary: 'Switch the running console to the profile: the core restarts in place (requests meanwhile get 503 with Retry-After), the jobs in flight on the old profile finish or go back to their queue, and the workers move to the new connections. A profile that fails is a 502 and the previous one stays active', ok: [200, 'the active profile\'s mode', 'ConnectionProfileMode'] },
  { method: 'POST', path: '/api/v1/connections/:id/unlock', tag: 'profiles', summary: 'Unlock a production profile for this run of the console (it opens read-only at every start); its own `read_only` still holds', ok: [200, 'the active profile\'s mode', 'ConnectionProfileMode'] },
  { method: 'GET', path: '/api/v1/openapi.json', tag: 'console', summary: 'This document', ok: [200, 'OpenAPI 3.1', 'OpenApiDocument'] },
  ];
}

const toJson = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });

/** `/api/v1/jobs/:id` → `/api/v1/jobs/{id}`; a wildcard becomes `{path}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, '{$1}').replace(/\*$/, '{path}');
}

function parameters(op: Operation) {
  const inPath = [...openApiPath(op.path).matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name, in: 'path', required: true, schema: { type: 'string' },
  }));
  const inHeaders = (op.headers ?? []).map(({ name, description }) => ({
    name, in: 'header', required: false, description, schema: { type: 'string' },
  }));
  if (!op.query) return [...inPath, ...inHeaders];
  const json = toJson(op.query) as { properties?: Record<string, object>; required?: string[] };
  const inQuery = Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name, in: 'query', required: json.required?.includes(name) ?? false, schema,
  }));
  return [...inPath, ...inQuery, ...inHeaders];
}

const json = (answer: Answer, type = 'application/json') => ({ content: { [type]: { schema: answerRef(answer) } } });

const PROBLEM = json('Problem', 'application/problem+json');

/** What the success answer carries: a JSON body, the data of each Server-Sent Event, or WebSocket messages. */
function successContent(op: Operation): object {
  const answer = op.ok[2];
  if (answer) return json(answer, op.okType);
  if (op.downloads) {
    const schemaOf = (answer: Answer | 'text') => (answer === 'text' ? { type: 'string' } : answerRef(answer));
    return { content: Object.fromEntries(Object.entries(op.downloads).map(([type, answer]) => [type, { schema: schemaOf(answer) }])) };
  }
  if (op.sseEvents) {
    const events = Object.fromEntries(Object.entries(op.sseEvents).map(([name, event]) => [name, answerRef(event)]));
    return { content: { 'text/event-stream': { schema: { type: 'string' }, 'x-sse-events': events } } };
  }
  return op.wsMessages ? { 'x-ws-messages': answerRef(op.wsMessages) } : {};
}

function responses(op: Operation): Record<string, object> {
  const [status, description] = op.ok;
  return {
    [status]: { description, ...successContent(op) },
    ...(op.also ? { [op.also[0]]: { description: op.also[1], ...json(op.also[2]) } } : {}),
    '4XX': { description: 'RFC 9457 problem; validation errors name each field and rule; 409, 422 and 429 carry Retry-After where waiting helps', ...PROBLEM },
    '5XX': { description: 'RFC 9457 problem; a 503 says a dependency is unavailable, and Retry-After when to try again', ...PROBLEM },
  };
}

const answerRefTo = (component: string) => ({ $ref: `#/components/schemas/${component}` });

/** A kind's payload schema's component name: `Payload.<kind>`. */
const payloadComponent = (kind: string) => `Payload.${kind}`;

/**
 * Each kind's `payload_schema` as a component. A schema resource of its own (`$id`), so that
 * its own references (`#/$defs/…`) resolve inside it.
 */
function payloadSchemas(kinds: KindRegistry): Record<string, object> {
  return Object.fromEntries(
    kinds.entries.map(({ definition }) => {
      const schema: Record<string, unknown> = { $id: `urn:jobdeck:kind:${definition.name}:payload`, ...definition.payload_schema };
      delete schema.$schema;
      return [payloadComponent(definition.name), schema];
    }),
  );
}

/** A submit body's `payload`: one of the kinds' payload schemas. */
function withKindPayloads(body: Record<string, unknown>, kinds: KindRegistry): Record<string, unknown> {
  const properties = body.properties as Record<string, object> | undefined;
  if (!properties?.payload) return body;
  const payload = { anyOf: kinds.names.map((kind) => answerRefTo(payloadComponent(kind))), description: "The kind's payload, as its payload_schema says" };
  return { ...body, properties: { ...properties, payload } };
}

function requestBody(op: Operation, kinds: KindRegistry) {
  if (!op.body) return {};
  const schema = toJson(op.body) as Record<string, unknown>;
  const withPayloads = op.path.startsWith('/api/v1/jobs') || op.path.startsWith('/api/v1/schedules') ? withKindPayloads(schema, kinds) : schema;
  return { requestBody: { required: !op.bodyOptional, content: { 'application/json': { schema: withPayloads, ...(op.example ? { example: op.example } : {}) } } } };
}

/** The OpenAPI 3.1 document of {@link operationsOf}, with each kind's payload schema. */
export function openApiDocument(kinds: KindRegistry = builtinKindRegistry()): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operationsOf(kinds)) {
    paths[openApiPath(op.path)] ??= {};
    paths[openApiPath(op.path)]![op.method.toLowerCase()] = {
      summary: op.summary,
      tags: [op.tag],
      parameters: parameters(op),
      ...requestBody(op, kinds),
      responses: responses(op),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Jobdeck API',
      version: '1',
      description:
        'Asynchronous jobs: submit, follow by Server-Sent Events, WebSocket, webhooks (Standard Webhooks) or the AMQP topic exchange `<ns>.events`, and batches with fan-in.',
    },
    paths,
    components: {
      schemas: { ...answerSchemas(), ...payloadSchemas(kinds) },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'Needed on every route when the console is bound beyond loopback (a read token for GET, SSE and WebSocket; write for the rest); SSE and WebSocket also take `?access_token=`. Bound to loopback, a request without a token passes as `local`',
        },
      },
    },
    security: [{}, { bearer: [] }],
  };
}

type RegisteredRoute = { method: string; path: string };
const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Starts recording every route Fastify registers (HEAD routes it adds for GET left out). */
export function recordRegisteredRoutes(app: FastifyInstance): void {
  const routes: RegisteredRoute[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, path: route.url });
  });
}

/** What {@link recordRegisteredRoutes} saw: the completeness test compares it with the document. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

export function openApiRoute(kinds: KindRegistry) {
  return async (app: FastifyInstance): Promise<void> => {
    const document = openApiDocument(kinds);
    app.get('/api/v1/openapi.json', async () => document);
  };
}
