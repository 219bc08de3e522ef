import { resolve } from 'node:path';
import { z } from 'zod';
import { MAX_WORKERS_PER_KIND } from '../src-shared/console-records';
import { recipientSchema } from '../src-shared/email-address';
import type { KindRegistry } from '../src-shared/kind-registry';
import type { JobKind } from '../src-shared/kinds';
import { loadKindRegistry } from '../src-shared/node/kinds-file';
import { OutboundPolicy, outboundSettings, type OutboundSettings } from '../src-shared/node/outbound-policy';
import { redactUrl } from '../src-shared/redact';
import { ConfigError, readEnv, retryPolicyFrom, sharedEnvShape } from '../src-shared/settings';
import type { RetryPolicy } from '../src-shared/retry-policy';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './api/http-limits';
import { profilesFilePath } from './profiles/profile-file';
import { tokensFilePath } from './access/token-store';

export { ConfigError };

/** Everything the console needs to know, read from the environment at start. */
export interface ConsoleConfig {
  /** Address the HTTP API listens on. */
  host: string;
  port: number;
  amqpUrl: string;
  redisUrl: string;
  databaseUrl: string;
  /** Mail server the workers send through; null means the embedded mail sink. */
  smtpUrl: string | null;
  smtpSinkHost: string;
  /** Port of the embedded mail sink; 0 picks a free one. */
  smtpSinkPort: number;
  namespace: string;
  /** The kinds file (`JOBDECK_KINDS`), absolute; null when only the built-in kinds run. */
  kindsFile: string | null;
  /** Every kind: the built-in ones, then the kinds file's. */
  kinds: KindRegistry;
  /**
   * Worker processes per kind; 0 means that kind's workers run elsewhere. `JOBDECK_WORKERS` wins
   * over the kinds file's `workers`, which wins over the default of 1.
   */
  workers: Record<JobKind, number>;
  /** Messages a worker process may hold at once. */
  workerPrefetch: number;
  headless: boolean;
  /** Recipient of kind C jobs that name none. */
  defaultRecipient: string;
  /** Extra `Host` names the API accepts besides loopback and `host`. */
  allowedHosts: string[];
  historyRetentionDays: number;
  /** How long before a console started a schedule's due time still counts as on time (not missed). */
  scheduleStartGraceMs: number;
  mailboxRetentionDays: number;
  inboxRetentionDays: number;
  /** What the webhook inbox keeps and takes: see {@link RecordQuota}. */
  inboxQuota: RecordQuota;
  /** What the mail sink keeps and takes, and the largest message it accepts (bytes). */
  mailboxQuota: RecordQuota & { maxMessageBytes: number };
  /** Seconds a terminal job's status stays in Redis before only the history has it. */
  statusTtlSeconds: number;
  /** Approximate number of events the Redis event stream keeps. */
  eventStreamMaxLength: number;
  /** Attempts per job and the delays between them; the workers get the same. */
  retry: RetryPolicy;
  /** Seconds a job may wait out outages of its kind's own dependency before they count as attempts; the workers get it. */
  unavailableMaxWaitS: number;
  /** Most jobs of one kind that may wait in its queue; past it new jobs are refused with 429. */
  maxQueuedPerKind: number;
  /** How long a client may take to send a request, and how many connections the API holds. */
  http: HttpLimits;
  /** How often the alert rules are evaluated (by one console of the namespace at a time). */
  alertEvalMs: number;
  /** Which URLs callbacks, webhook deliveries and http kinds may reach; the workers get the same. */
  outbound: OutboundSettings;
  /** The API tokens' file (`JOBDECK_TOKENS_FILE`, else the user's config directory), absolute. */
  tokensFile: string;
  /** The connection profiles' file (`JOBDECK_PROFILES_FILE`, else the user's config directory), absolute. */
  profilesFile: string;
  /** The counts `JOBDECK_WORKERS` names (only those): they win over a profile's and the kinds file's. */
  workersFromEnv: Partial<Record<JobKind, number>>;
}

/**
 * Bounds on a log of received things (webhook requests, mail): past `maxItems` rows or `maxBytes`
 * received bytes the oldest are deleted; one client may send `bytesPerSecond` on average.
 */
export interface RecordQuota {
  maxItems: number;
  maxBytes: number;
  bytesPerSecond: number;
}

const port = z.coerce.number().int().min(0).max(65535);
const days = z.coerce.number().min(0).max(36_500);
const MIB = 1024 * 1024;
const count = z.coerce.number().int().min(1).max(100_000_000);
const bytes = z.coerce.number().int().min(1024).max(1024 * 1024 * MIB);

const envShape = {
  ...sharedEnvShape,
  JOBDECK_PORT: port.default(8000),
  JOBDECK_SMTP_SINK_PORT: port.default(2525),
  JOBDECK_WORKERS: z.string().default(''),
  JOBDECK_HEADLESS: z.enum(['0', '1', 'true', 'false', '']).default('0'),
  JOBDECK_DEFAULT_RECIPIENT: recipientSchema.default('operator@jobdeck.local'),
  JOBDECK_ALLOWED_HOSTS: z.string().default(''),
  JOBDECK_HISTORY_RETENTION_DAYS: days.default(30),
  JOBDECK_SCHEDULE_START_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  JOBDECK_MAILBOX_RETENTION_DAYS: days.default(7),
  JOBDECK_INBOX_RETENTION_DAYS: days.default(7),
  JOBDECK_INBOX_MAX_ITEMS: count.default(10_000),
  JOBDECK_INBOX_MAX_BYTES: bytes.default(256 * MIB),
  JOBDECK_INBOX_BYTES_PER_S: bytes.default(MIB),
  JOBDECK_MAILBOX_MAX_ITEMS: count.default(10_000),
  JOBDECK_MAILBOX_MAX_BYTES: bytes.default(256 * MIB),
  JOBDECK_MAILBOX_BYTES_PER_S: bytes.default(MIB),
  JOBDECK_MAILBOX_MAX_MESSAGE_BYTES: bytes.max(100 * MIB).default(10 * MIB),
  JOBDECK_MAX_QUEUED: z.coerce.number().int().min(1).max(100_000_000).default(100_000),
  JOBDECK_HTTP_REQUEST_TIMEOUT_S: z.coerce.number().int().min(1).max(3_600).default(DEFAULT_HTTP_LIMITS.requestTimeoutSeconds),
  JOBDECK_HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_HTTP_LIMITS.maxConnections),
  JOBDECK_ALERT_EVAL_MS: z.coerce.number().int().min(50).max(600_000).default(5_000),
  JOBDECK_TOKENS_FILE: z.string().optional(),
  JOBDECK_PROFILES_FILE: z.string().optional(),
};

/**
 * `A=2,B=2,C=1` or `log=2,resize=0`: processes per kind; a kind not named keeps its kinds file
 * `workers`, else one.
 */
export function parseWorkerCounts(text: string, kinds: KindRegistry): Record<JobKind, number> {
  return workerCountsOf(kinds, namedWorkerCounts(text, kinds));
}

/** Per kind: the counts named in `layers` (a later layer wins), else the kinds file's `workers`, else one. */
export function workerCountsOf(kinds: KindRegistry, ...layers: Partial<Record<JobKind, number>>[]): Record<JobKind, number> {
  const counts: Record<JobKind, number> = Object.fromEntries(kinds.entries.map(({ definition }) => [definition.name, definition.workers ?? 1]));
  return Object.assign(counts, ...layers) as Record<JobKind, number>;
}

/** The counts `JOBDECK_WORKERS` names, by kind name; a malformed part throws a ConfigError. */
function namedWorkerCounts(text: string, kinds: KindRegistry): Partial<Record<JobKind, number>> {
  const counts: Partial<Record<JobKind, number>> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([A-Za-z0-9-]+)\s*=\s*(\d{1,9})$/.exec(part);
    const kind = match ? kinds.resolve(match[1]!) : undefined;
    if (!match || !kind || Number(match[2]) > MAX_WORKERS_PER_KIND) {
      throw new ConfigError(
        `JOBDECK_WORKERS: "${part}" must look like A=2 (a kind by letter or name, then a count 0-${MAX_WORKERS_PER_KIND}), e.g. A=2,B=2,C=1`,
      );
    }
    counts[kind] = Number(match[2]);
  }
  return counts;
}

/**
 * Refuses to start on an http kind whose URL the outbound policy refuses before any lookup (an
 * IP literal or a localhost name): every job of the kind would fail.
 */
function checkHttpKinds(kinds: KindRegistry, settings: OutboundSettings): void {
  const policy = new OutboundPolicy(settings);
  for (const { definition } of kinds.entries) {
    const url = 'http' in definition.handler ? definition.handler.http.url : null;
    const refusal = url === null ? null : policy.refusalOfUrl(url);
    if (refusal) {
      throw new ConfigError(
        `kind ${definition.name}: its http URL ${redactUrl(url!)} is refused by the outbound policy (${refusal}); allow it with JOBDECK_OUTBOUND_ALLOW`,
      );
    }
  }
}

/** Reads and checks the settings; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const e = readEnv(envShape, env);
  const kindsFile = e.JOBDECK_KINDS ? resolve(e.JOBDECK_KINDS) : null;
  const kinds = loadKindRegistry(kindsFile ?? undefined);
  const outbound = outboundSettings(e);
  checkHttpKinds(kinds, outbound);
  const workersFromEnv = namedWorkerCounts(e.JOBDECK_WORKERS, kinds);
  return {
    host: e.JOBDECK_HOST,
    port: e.JOBDECK_PORT,
    amqpUrl: e.AMQP_URL,
    redisUrl: e.REDIS_URL,
    databaseUrl: e.DATABASE_URL,
    smtpUrl: e.SMTP_URL ?? null,
    smtpSinkHost: '127.0.0.1',
    smtpSinkPort: e.JOBDECK_SMTP_SINK_PORT,
    namespace: e.JOBDECK_NAMESPACE,
    kindsFile,
    kinds,
    workers: workerCountsOf(kinds, workersFromEnv),
    workersFromEnv,
    workerPrefetch: e.JOBDECK_WORKER_PREFETCH,
    headless: e.JOBDECK_HEADLESS === '1' || e.JOBDECK_HEADLESS === 'true',
    defaultRecipient: e.JOBDECK_DEFAULT_RECIPIENT,
    allowedHosts: e.JOBDECK_ALLOWED_HOSTS.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
    historyRetentionDays: e.JOBDECK_HISTORY_RETENTION_DAYS,
    scheduleStartGraceMs: e.JOBDECK_SCHEDULE_START_GRACE_MS,
    mailboxRetentionDays: e.JOBDECK_MAILBOX_RETENTION_DAYS,
    inboxRetentionDays: e.JOBDECK_INBOX_RETENTION_DAYS,
    inboxQuota: { maxItems: e.JOBDECK_INBOX_MAX_ITEMS, maxBytes: e.JOBDECK_INBOX_MAX_BYTES, bytesPerSecond: e.JOBDECK_INBOX_BYTES_PER_S },
    mailboxQuota: {
      maxItems: e.JOBDECK_MAILBOX_MAX_ITEMS,
      maxBytes: e.JOBDECK_MAILBOX_MAX_BYTES,
      bytesPerSecond: e.JOBDECK_MAILBOX_BYTES_PER_S,
      maxMessageBytes: e.JOBDECK_MAILBOX_MAX_MESSAGE_BYTES,
    },
    statusTtlSeconds: e.JOBDECK_STATUS_TTL_S,
    eventStreamMaxLength: e.JOBDECK_EVENT_STREAM_MAX,
    retry: retryPolicyFrom(e),
    unavailableMaxWaitS: e.JOBDECK_UNAVAILABLE_MAX_WAIT_S,
    maxQueuedPerKind: e.JOBDECK_MAX_QUEUED,
    http: { requestTimeoutSeconds: e.JOBDECK_HTTP_REQUEST_TIMEOUT_S, maxConnections: e.JOBDECK_HTTP_MAX_CONNECTIONS },
    alertEvalMs: e.JOBDECK_ALERT_EVAL_MS,
    outbound,
    tokensFile: tokensFilePath(env),
    profilesFile: profilesFilePath(env),
  };
}
