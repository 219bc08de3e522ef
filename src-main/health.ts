import { connect } from 'node:net';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { DependencyState, HealthSummary, WorkerHealth } from '../src-shared/console-records';
import type { JobKind } from '../src-shared/kinds';
import { redactText } from '../src-shared/redact';
import type { JobPublisher } from './broker/job-publisher';
import { within } from './lifecycle/within';

export type { WorkerHealth } from '../src-shared/console-records';
/** What `GET /api/v1/health` answers: the wire shape, defined once in src-shared. */
export type HealthReport = HealthSummary;

export interface HealthProbeOptions {
  publisher: JobPublisher;
  redis: Redis;
  pool: pg.Pool;
  /** Where the workers send mail. */
  smtp: () => { host: string; port: number };
  workers: () => Record<JobKind, WorkerHealth>;
  /** Whether the workers this console runs have all been ready once (true when it runs none). */
  started: () => boolean;
}

const PROBE_TIMEOUT_MS = 1_000;

async function probe(check: (signal: AbortSignal) => Promise<unknown>, what: string): Promise<DependencyState> {
  const deadline = new AbortController();
  const late = Symbol('late');
  try {
    if ((await within(check(deadline.signal), PROBE_TIMEOUT_MS, late)) === late) {
      deadline.abort();
      return { up: false, error: `${what} did not answer within ${PROBE_TIMEOUT_MS} ms` };
    }
    return { up: true, error: null };
  } catch (error) {
    return { up: false, error: redactText((error as Error).message) };
  }
}

/** Connects and hangs up; the socket is destroyed on the probe's deadline too. */
function tcpReachable(host: string, port: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    signal.addEventListener('abort', () => socket.destroy(), { once: true });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** Asks each dependency, in parallel and each within a second, whether it is up. */
export async function checkHealth(options: HealthProbeOptions): Promise<HealthReport> {
  const smtp = options.smtp();
  const [rabbitmq, redis, postgresql, mail] = await Promise.all([
    options.publisher.isUp
      ? Promise.resolve({ up: true, error: null })
      : Promise.resolve({ up: false, error: options.publisher.error ?? 'not connected' }),
    probe(() => options.redis.ping(), 'Redis'),
    probe(() => options.pool.query('SELECT 1'), 'PostgreSQL'),
    probe((signal) => tcpReachable(smtp.host, smtp.port, signal), 'SMTP'),
  ]);
  const dependencies = { rabbitmq, redis, postgresql, smtp: mail };
  const status: HealthSummary['status'] = !options.started() ? 'starting' : Object.values(dependencies).every((d) => d.up) ? 'ok' : 'unavailable';
  return { ok: status === 'ok', status, dependencies, workers: options.workers() };
}
