/**
 * What the console's operator views read besides jobs: worker processes, health, the mail
 * sink's messages and the webhook inbox's requests. Wire shapes of the v1 routes that serve them.
 */
import type { JobKind } from './kinds';

/** Most processes of one kind the console will run; a larger `count` is refused. */
export const MAX_WORKERS_PER_KIND = 16;

/**
 * A worker process's state. `crash-loop`: it keeps dying soon after it starts and is being
 * restarted with a growing delay; `stopped`: an operator stopped it and it stays down.
 */
export type WorkerProcessState = 'starting' | 'ready' | 'stopping' | 'exited' | 'crash-loop' | 'stopped';

/** One worker process the console supervises. */
export interface WorkerProcessInfo {
  /** Stable for the slot across restarts: `<kind>-<n>`. */
  id: string;
  kind: JobKind;
  /** Null while no process runs in the slot. */
  pid: number | null;
  state: WorkerProcessState;
  /** ID of the job in hand, if any (the newest when it holds several). */
  current_job: string | null;
  /** Jobs finished DONE by this process since it started. */
  processed: number;
  /** Jobs that failed in this process since it started. */
  failed: number;
  /** RFC 3339 UTC time the process started. */
  started_at: string;
  /** Milliseconds since `started_at`; 0 when no process runs. */
  uptime_ms: number;
  /** Resident set size the process last reported, in bytes; null before its first report. */
  memory_rss_bytes: number | null;
  /** Restarts since it last ran stably. */
  restarts: number;
}

/** `GET /api/v1/workers`. */
export interface WorkersReport {
  workers: WorkerProcessInfo[];
  /** Processes wanted per kind (what scaling set). */
  counts: Record<JobKind, number>;
  /** Largest `count` a kind may be scaled to. */
  max_per_kind: number;
  /** False when this console runs no workers (they run elsewhere): scaling is refused. */
  supervised: boolean;
}

export interface DependencyState {
  up: boolean;
  /** Why it is down, passwords masked; null when up. */
  error: string | null;
}

export type DependencyName = 'rabbitmq' | 'redis' | 'postgresql' | 'smtp';

/** `GET /api/v1/health`. */
export interface HealthSummary {
  ok: boolean;
  /** `starting` until the console's own workers are first ready; then `ok`, or `unavailable` while a dependency is down. */
  status: 'starting' | 'ok' | 'unavailable';
  dependencies: Record<DependencyName, DependencyState>;
  workers: Record<JobKind, { configured: number; ready: number }>;
}

/** A message as the mailbox lists it (`GET /api/v1/mailbox`): no headers, no bodies. */
export interface MailSummary {
  id: string;
  received_at: string;
  envelope_from: string | null;
  envelope_to: string[];
  message_id: string | null;
  subject: string | null;
  /** Bytes of the raw message. */
  size: number;
  /** The first characters of the text body; null when it has none. */
  preview: string | null;
}

/** One message whole (`GET /api/v1/mailbox/<id>`). */
export interface MailRecord extends Omit<MailSummary, 'preview'> {
  headers: Record<string, string>;
  text_body: string | null;
  /** Untrusted: shown only in a sandboxed frame with no scripts and no remote loads. */
  html_body: string | null;
}

/** A request as the webhook inbox lists it (`GET /api/v1/inbox`): no headers, no body. */
export interface WebhookSummary {
  id: string;
  received_at: string;
  method: string;
  path: string;
  content_type: string | null;
  /** Bytes of the body received. */
  size: number;
  /** The first characters of the body; null when it is not text (stored as base64). */
  preview: string | null;
}

/** One request whole (`GET /api/v1/inbox/items/<id>`). */
export interface WebhookRecord extends Omit<WebhookSummary, 'preview' | 'size'> {
  headers: Record<string, string | string[] | undefined>;
  /** The body as text, or `base64:<bytes>` when it is not clean UTF-8. */
  body: string;
  /** Bytes of the body received; null for requests recorded before sizes were kept. */
  size: number | null;
}

/** One work queue as `GET /api/v1/queues` reports it (RabbitMQ's management plugin is not used). */
export interface QueueInfo {
  kind: JobKind;
  /** The queue's name: `<ns>.jobs.<kind>`. */
  name: string;
  /** Messages ready for delivery (the broker's count from a passive declare). */
  ready: number;
  /** Consumers attached (the broker's count from a passive declare). */
  consumers: number;
  /** Messages waiting in the kind's retry (delay) queues for their next attempt. */
  retrying: number;
  /** Messages in the kind's dead-letter queue (`<ns>.jobs.<kind>.dead`): jobs that failed for good. */
  dead: number;
}

/** `GET /api/v1/queues`. */
export interface QueuesReport {
  queues: QueueInfo[];
}

/** `POST /api/v1/queues/:kind/purge`: how many jobs were taken off the queue and ended CANCELLED. */
export interface PurgeResult {
  kind: JobKind;
  /** Messages taken off the queue (each acked). */
  purged: number;
  /** Of those, jobs written CANCELLED (a job already finished elsewhere is left as it is). */
  cancelled: number;
}

/** `GET /api/v1/settings`: what the console is connected to, passwords masked. */
export interface ConnectionSettings {
  api_url: string;
  amqp_url: string;
  redis_url: string;
  database_url: string;
  /** Where workers send mail: the embedded sink's URL unless SMTP_URL names another server. */
  smtp_url: string;
  namespace: string;
}
