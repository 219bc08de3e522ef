import type { JobKind } from '../../src-shared/kinds';
import type { Redis } from 'ioredis';
import { publishOutbound } from '../../src-shared/node/namespace-outbound';
import { outboundWorkerEnv } from '../../src-shared/node/outbound-policy';
import type { Names } from '../../src-shared/topology';
import type { ConsoleConfig } from '../config';
import type { WorkerHealth } from '../health';
import { WorkerSupervisor, type WorkerEntry } from '../supervisor/worker-supervisor';

/** Where the workers send mail and their callbacks' default, and the token the console's inbox takes. */
export interface WorkerTargets {
  smtpUrl: string;
  consoleUrl: string;
  inboxToken: string;
}

/**
 * Publishes the console's effective outbound settings, address and inbox token for every worker
 * of its namespace, those started by hand included: each obeys the stricter of its own and these.
 */
export async function publishWorkerOutbound(config: ConsoleConfig, redis: Redis, names: Names, target: Omit<WorkerTargets, 'smtpUrl'>): Promise<void> {
  const { mode, allow } = config.outbound;
  await publishOutbound(redis, names.consoleOutbound, { mode, allow: [...allow], console_url: target.consoleUrl, inbox_token: target.inboxToken });
}

/**
 * Starts the worker processes on the core's settings, sending mail to `smtpUrl` and applying the
 * console's outbound policy (its inbox at `consoleUrl` allowed, with `inboxToken`): per kind as many as `counts`
 * (the previous core's, scales included) says, else as the settings say.
 */
export function startWorkers(
  config: ConsoleConfig,
  entry: WorkerEntry,
  { smtpUrl, consoleUrl, inboxToken }: WorkerTargets,
  log: (line: string) => void,
  counts: Record<JobKind, number> = {},
  onCrash?: (supervisorId: string, slotId: string) => void,
): WorkerSupervisor {
  const supervisor = new WorkerSupervisor({
    entry,
    onCrash,
    counts: { ...config.workers, ...counts },
    onLog: log,
    env: {
      AMQP_URL: config.amqpUrl,
      REDIS_URL: config.redisUrl,
      DATABASE_URL: config.databaseUrl,
      SMTP_URL: smtpUrl,
      JOBDECK_NAMESPACE: config.namespace,
      ...(config.kindsFile ? { JOBDECK_KINDS: config.kindsFile } : {}),
      JOBDECK_WORKER_PREFETCH: String(config.workerPrefetch),
      JOBDECK_STATUS_TTL_S: String(config.statusTtlSeconds),
      JOBDECK_EVENT_STREAM_MAX: String(config.eventStreamMaxLength),
      JOBDECK_MAX_ATTEMPTS: String(config.retry.maxAttempts),
      JOBDECK_RETRY_BASE_MS: String(config.retry.baseDelayMs),
      JOBDECK_RETRY_MAX_MS: String(config.retry.maxDelayMs),
      JOBDECK_UNAVAILABLE_MAX_WAIT_S: String(config.unavailableMaxWaitS),
      ...outboundWorkerEnv(config.outbound, consoleUrl, inboxToken),
    },
  });
  supervisor.start();
  return supervisor;
}

/** Per kind: how many worker processes this console runs, and how many are consuming. */
export function workerHealth(supervisor: WorkerSupervisor | null, kinds: readonly JobKind[]): Record<JobKind, WorkerHealth> {
  const running = supervisor?.snapshot() ?? [];
  const counts = supervisor?.report().counts ?? {};
  const of = (kind: JobKind): WorkerHealth => ({
    configured: counts[kind] ?? 0,
    ready: running.filter((w) => w.kinds.includes(kind) && w.state === 'ready').length,
  });
  return Object.fromEntries(kinds.map((kind) => [kind, of(kind)]));
}
