import { connect } from 'node:net';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { redactText } from '../src-shared/redact';
import type { JobPublisher } from './broker/job-publisher';

export interface DependencyHealth {
  up: boolean;
  error: string | null;
}

export interface HealthReport {
  ok: boolean;
  dependencies: Record<'rabbitmq' | 'redis' | 'postgresql' | 'smtp', DependencyHealth>;
}

export interface HealthProbeOptions {
  publisher: JobPublisher;
  redis: Redis;
  pool: pg.Pool;
  /** Where the workers send mail. */
  smtp: () => { host: string; port: number };
}

const PROBE_TIMEOUT_MS = 1_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS),
    ),
  ]);
}

async function probe(check: () => Promise<unknown>, what: string): Promise<DependencyHealth> {
  try {
    await withTimeout(check(), what);
    return { up: true, error: null };
  } catch (error) {
    return { up: false, error: redactText((error as Error).message) };
  }
}

function tcpReachable(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
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
    probe(() => tcpReachable(smtp.host, smtp.port), 'SMTP'),
  ]);
  const dependencies = { rabbitmq, redis, postgresql, smtp: mail };
  return { ok: Object.values(dependencies).every((d) => d.up), dependencies };
}
