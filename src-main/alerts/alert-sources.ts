import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { DependencyState, QueueInfo } from '../../src-shared/console-records';
import type { Names } from '../../src-shared/topology';

/** Longest a worker exit is remembered for crash-loop rules. */
const EXITS_KEPT_MS = 7 * 86_400_000;

/** What the rules measure, read from the shared services (never from one console's memory but the DLQ samples). */
export interface AlertSources {
  /** Jobs of each kind that finished (`DONE` and `FAILED`) in the history within the window. */
  finished(windowS: number): Promise<Map<string, { failed: number; finished: number }>>;
  queues(): Promise<QueueInfo[]>;
  /** Unexpected exits of each supervised worker slot (`<console>/<slot>`) within the window, any console's. */
  restarts(windowS: number): Promise<Map<string, number>>;
  /** Failed attempts of each subscription's deliveries within the window since its last successful one. */
  webhookFailures(windowS: number): Promise<Map<string, { url: string; failed: number }>>;
  dependencies(): Promise<Record<string, DependencyState>>;
}

/** Notes a supervised worker's unexpected exit for crash-loop rules; a failure is only logged. */
export function workerExitRecorder(redis: Redis, names: Names, onLog: (line: string) => void) {
  return (supervisorId: string, slotId: string): void => {
    const now = Date.now();
    const member = `${supervisorId}/${slotId}/${now}/${Math.random().toString(36).slice(2, 8)}`;
    redis
      .multi()
      .zadd(names.workerExits, now, member)
      .zremrangebyscore(names.workerExits, '-inf', now - EXITS_KEPT_MS)
      .exec()
      .catch((error: Error) => onLog(`noting worker ${slotId}'s exit for alerts failed: ${error.message}`));
  };
}

export interface SharedAlertSourcesOptions {
  pool: pg.Pool;
  redis: Redis;
  names: Names;
  queues: () => Promise<QueueInfo[]>;
  dependencies: () => Promise<Record<string, DependencyState>>;
}

/** The sources on PostgreSQL (history, webhook attempts), Redis (worker exits), the broker and the health report. */
export function sharedAlertSources(options: SharedAlertSourcesOptions): AlertSources {
  const { pool, redis, names } = options;
  const s = `"${names.schema}"`;
  return {
    async finished(windowS) {
      const { rows } = await pool.query<{ kind: string; failed: number; finished: number }>(
        `SELECT kind, count(*) FILTER (WHERE status = 'FAILED')::int AS failed, count(*)::int AS finished
         FROM ${s}.jobs WHERE status IN ('DONE', 'FAILED') AND updated_at > now() - $1 * interval '1 second' GROUP BY kind`,
        [windowS],
      );
      return new Map(rows.map((row) => [row.kind, { failed: row.failed, finished: row.finished }]));
    },
    queues: options.queues,
    async restarts(windowS) {
      const members = await redis.zrangebyscore(names.workerExits, Date.now() - windowS * 1000, '+inf');
      const counts = new Map<string, number>();
      for (const member of members) {
        const slot = member.split('/').slice(0, 2).join('/');
        counts.set(slot, (counts.get(slot) ?? 0) + 1);
      }
      return counts;
    },
    async webhookFailures(windowS) {
      const { rows } = await pool.query<{ id: string; url: string; failed: number }>(
        `SELECT d.subscription_id AS id, min(d.url) AS url, count(*)::int AS failed
         FROM ${s}.webhook_attempts a JOIN ${s}.webhook_deliveries d ON d.id = a.delivery_id
         WHERE d.subscription_id IS NOT NULL AND a.error IS NOT NULL AND a.at > now() - $1 * interval '1 second'
           AND a.at > COALESCE((SELECT max(ok.at) FROM ${s}.webhook_attempts ok JOIN ${s}.webhook_deliveries od ON od.id = ok.delivery_id
             WHERE od.subscription_id = d.subscription_id AND ok.error IS NULL), '-infinity')
         GROUP BY d.subscription_id`,
        [windowS],
      );
      return new Map(rows.map((row) => [row.id, { url: row.url, failed: row.failed }]));
    },
    dependencies: options.dependencies,
  };
}
